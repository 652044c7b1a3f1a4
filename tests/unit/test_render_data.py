"""Writable data and signals in the rendered Dockerfile, on every runtime."""

from __future__ import annotations

import pytest
from test_render import runtime, stages
from test_render_cases import data_server, single_crate, sqlite_server

from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render

#: Every runtime with the libc it needs.
RUNTIMES = [
    ("scratch", "musl"), ("distroless-static", "musl"), ("distroless-cc", "glibc"),
    ("chainguard-static", "musl"), ("chainguard-glibc", "glibc"), ("alpine", "musl"),
    ("debian-slim", "glibc"),
]


def plan_of(project, **choices):
    return make_plan(project, overrides=[f"{k}={v}" for k, v in choices.items()])


@pytest.mark.parametrize(("runtime_image", "libc"), RUNTIMES)
def test_a_data_folder_is_an_empty_directory_copied_with_chown(runtime_image, libc):
    plan = plan_of(data_server(), runtime=runtime_image, libc=libc)
    assert plan.writable == ("data",)
    text = render(plan).dockerfile
    builder = "\n".join(c.original for c in stages(text)[0])
    assert "mkdir -p" in builder and "/rustdock/empty" in builder
    final = [c.original for c in runtime(text)]
    chown = f"COPY --from=builder --chown={plan.uid}:{plan.uid} /rustdock/empty /app/data"
    assert chown in final
    # WORKDIR first (root's /app), then the data folder, then the binary, root-owned
    assert final.index("WORKDIR /app") < final.index(chown) < final.index(
        next(line for line in final if line.endswith(f"/app/{plan.binary}")))
    assert not any("--chown" in line and plan.binary in line for line in final)


@pytest.mark.parametrize(("runtime_image", "libc"), RUNTIMES)
def test_a_writable_working_directory_moves_the_binary_out(runtime_image, libc):
    plan = plan_of(sqlite_server(), runtime=runtime_image, libc=libc, healthcheck="program")
    assert plan.writable == (".",)
    final = [c.original for c in runtime(render(plan).dockerfile)]
    chown = f"COPY --from=builder --chown={plan.uid}:{plan.uid} /rustdock/empty /app"
    assert final.index(chown) < final.index("WORKDIR /app")
    assert f"COPY --from=builder /app/bin/ledger /usr/local/bin/ledger" in final
    entry = next(line for line in final if line.startswith("ENTRYPOINT"))
    assert entry == 'ENTRYPOINT ["/tini", "--", "/usr/local/bin/ledger"]'
    health = next(line for line in final if line.startswith("HEALTHCHECK"))
    assert '"/usr/local/bin/ledger"' in health


def test_runtime_files_land_after_the_writable_folder_so_it_stays_the_users():
    plan = plan_of(data_server(), runtime="scratch", libc="musl", extra_files="data/seed.json")
    final = [c.original for c in runtime(render(plan).dockerfile)]
    assert final.index("COPY --from=builder --chown=10001:10001 /rustdock/empty /app/data") < final.index(
        "COPY data/seed.json /app/data/seed.json")


def test_needs_carry_each_path_with_its_reason():
    plan = plan_of(data_server(), writable="data,/srv/state")
    found = needs(plan).writable
    assert values(found) == ("/app/data/", "/srv/state/")
    assert found[0].reason == "src/main.rs:12 creates the directory"
    assert found[1].reason == "the writable option"


def test_volume_and_root():
    text = render(plan_of(data_server(), volume="true")).dockerfile
    assert 'VOLUME ["/app/data"]' in text
    # root writes anywhere: no directory is made for it, and no data default
    root = plan_of(data_server(), user="root")
    assert root.writable == () and "/rustdock/empty" not in render(root).dockerfile
    assert needs(plan_of(data_server(), user="root", writable="data")).writable == ()


def test_nothing_written_means_nothing_made():
    plan = plan_of(single_crate())
    assert plan.writable == () and "/rustdock/empty" not in render(plan).dockerfile
    # a command-line program gets no data default, even when it writes
    cli = plan_of(single_crate("tool", port_guess=0, writes=(("out", "src/main.rs:3 creates the directory"),)))
    assert cli.writable == ()


def test_stopsignal_only_for_sigint_programs():
    sigint = render(plan_of(data_server())).dockerfile
    assert "STOPSIGNAL SIGINT" in sigint and "/tini" not in sigint
    tini = render(plan_of(sqlite_server())).dockerfile
    assert "STOPSIGNAL" not in tini and '"/tini", "--"' in tini
    handled = render(plan_of(single_crate())).dockerfile
    assert "STOPSIGNAL" not in handled and "/tini" not in handled
