"""Rules as a newcomer meets them on real projects: what the default plan says, how
loud, and the pitfalls that went unnoticed (old Rust pins, loopback binds, multi-arch
runtimes that would need QEMU)."""

from __future__ import annotations

import pytest
from test_rules import WEB, finding_of, ids, make, root  # noqa: F401 (root is a fixture)

from rustdock.wizard.detect import detect
from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.net_facts import EnvSetting, ListenFact
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check


def loud(plan) -> set[str]:
    """What `rustdock generate` prints: errors and warnings (tips stay in the wizard)."""
    return {f.rule for f in check(plan) if f.severity != "tip"}


def test_default_plan_of_a_musl_web_service_is_quiet(fixture_copy):
    """single-crate is an axum service with a lock file and signal handling: its default
    plan must not open with warnings about rustdock's own defaults."""
    plan = make_plan(detect(fixture_copy("single-crate")))
    assert plan.libc == "musl" and plan.allocator == "system"
    assert loud(plan) == set()
    allocator = finding_of(plan, "musl-system-allocator")
    assert allocator.severity == "tip" and "axum" in allocator.message
    assert dict(allocator.fix_choices) == {"allocator": "mimalloc"}


def test_pid1_signals_is_a_warning_for_servers_only(root):
    server = finding_of(make(root, {**WEB, "handles_signals": False}, {"init": "none"}), "pid1-signals")
    cli = finding_of(make(root, {"handles_signals": False}, {"port": "0"}), "pid1-signals")
    assert server.severity == "warning" and "server" in server.message
    assert cli.severity == "tip"


def test_signals_defaults_say_nothing_when_nothing_is_wrong(root):
    """A server without a handler gets tini, one with only a Ctrl-C handler STOPSIGNAL
    SIGINT, one that handles SIGTERM (itself or through its framework) no init: no
    signal finding in any of them."""
    bare = make(root, {**WEB, "handles_signals": False}, {})
    sigint = make(root, {**WEB, "handles_signals": False, "sigint_only": True}, {})
    handled = make(root, {**WEB, "frameworks": ("actix-web",), "handles_signals": True}, {})
    assert (bare.init, sigint.init, handled.init) == ("tini", "sigint", "none")
    for plan in (bare, sigint, handled):
        assert not ids(plan) & {"pid1-signals", "init-misses-signal"}


@pytest.mark.parametrize(
    ("choices", "image"),
    [
        ({"rust_version": "1.65.0"}, "rust:1.65.0-bookworm"),
        ({"rust_version": "1.80", "debian": "trixie"}, "rust:1.80-trixie"),
        ({"rust_version": "1.80", "libc": "musl", "builder": "alpine"}, "rust:1.80-alpine3.22"),
    ],
)
def test_old_rust_pin_names_the_tag_and_the_fix(root, choices, image):
    found = finding_of(make(root, {}, choices), "rust-image-missing")
    assert found.severity == "warning" and found.option == "rust_version"
    assert image in found.message and "may not exist" in found.message
    fixed = make(root, {}, {**choices, **dict(found.fix_choices)})
    assert "rust-image-missing" not in ids(fixed)


def test_old_toolchain_file_pin_is_flagged_by_default(fixture_copy):
    """A rust-toolchain pin of 1.65 becomes the default builder tag, which Docker Hub
    never published for bookworm."""
    root = fixture_copy("single-crate")
    (root / "rust-toolchain").write_text("1.65.0\n")
    plan = make_plan(detect(root))
    assert plan.rust_version == "1.65.0"
    assert "rust-image-missing" in loud(plan)


def test_toolchain_file_findings(root):
    stable = make(root, {"rust_version_source": "rust-toolchain.toml", "rust_channel": "stable"}, {})
    assert "toolchain-file-differs" not in ids(stable)
    nightly = finding_of(
        make(root, {"rust_version_source": "rust-toolchain.toml", "rust_channel": "nightly"}, {}),
        "toolchain-file-differs",
    )
    assert "stable releases only" in nightly.message and "#![feature" in nightly.message
    pinned = finding_of(
        make(root, {"rust_version_source": "rust-toolchain", "rust_version": "1.88"}, {"rust_version": "1.95"}),
        "toolchain-file-differs",
    )
    # The file is not copied into the build: nothing is downloaded, the versions differ.
    assert "downloads" not in pinned.message and dict(pinned.fix_choices) == {"rust_version": "1.88"}


def test_loopback_bind_in_the_code_is_a_warning_that_says_where(root):
    local = {**WEB, "listen": ListenFact(True, "src/main.rs:12")}
    found = finding_of(make(root, local, {}), "binds-localhost")
    assert found.option == "ports" and "src/main.rs:12" in found.message and "src/main.rs:12" in found.fix
    overridden = make(root, local, {"env": "APP_HOST=0.0.0.0"})
    assert "binds-localhost" not in ids(overridden)
    assert "binds-localhost" not in ids(make(root, WEB, {}))


def test_loopback_moved_by_a_variable_is_an_env_line_not_a_warning(root):
    setting = EnvSetting("X_HTTP_ADDR", "0.0.0.0:8080", "--http-addr reads X_HTTP_ADDR")
    plan = make(root, {**WEB, "listen": ListenFact(True, "src/main.rs:5", (setting,))}, {})
    assert "binds-localhost" not in ids(plan)
    assert [(n.value, n.reason) for n in needs(plan).env] == [
        ('X_HTTP_ADDR=0.0.0.0:8080', "--http-addr reads X_HTTP_ADDR")]
    # The env option's own value wins, and gets no second line.
    mine = make(root, {**WEB, "listen": ListenFact(True, "src/main.rs:5", (setting,))},
                {"env": "X_HTTP_ADDR=0.0.0.0:9000"})
    assert values(needs(mine).env) == ("X_HTTP_ADDR=0.0.0.0:9000",)


def test_loopback_with_only_a_flag_offers_the_flag(root):
    plan = make(root, {**WEB, "listen": ListenFact(True, "src/main.rs:5", (), "--bind 0.0.0.0:8080")},
                {"args": "-v"})
    found = finding_of(plan, "binds-localhost")
    assert found.option == "args" and dict(found.fix_choices) == {"args": "-v --bind 0.0.0.0:8080"}


def test_trimmed_release_profile_needs_no_size_tip(root):
    keep = {"profile": "keep", "runtime": "scratch"}
    assert "scratch-keeps-profile" in ids(make(root, {}, keep))
    assert "scratch-keeps-profile" in ids(make(root, {"release_profile": (("debug", "1"),)}, keep))
    assert "scratch-keeps-profile" not in ids(make(root, {"release_profile": (("strip", "true"),)}, keep))


def test_sqlx_data_in_a_member_satisfies_the_offline_rule(root):
    facts = {"all_crates": frozenset({"sqlx-macros"}), "extra_dirs": ("crates/db/.sqlx",)}
    assert "sqlx-offline" not in ids(make(root, facts, {}))
    assert "sqlx-offline" in ids(make(root, {**facts, "extra_dirs": ()}, {}))


@pytest.mark.parametrize(
    ("choices", "fix"),
    [
        ({"healthcheck": "curl", "port": "3000", "tls": "rustls"}, {"healthcheck": "probe"}),
        ({"tls": "openssl-system"}, {"runtime": "distroless-cc"}),
        (
            {"healthcheck": "curl", "port": "3000", "tls": "openssl-system"},
            {"healthcheck": "probe", "runtime": "distroless-cc"},
        ),
    ],
)
def test_emulated_runtime_install_is_an_error_with_a_fix(root, choices, fix):
    facts = {"tls_crates": frozenset({"openssl-sys"})}
    base = {"runtime": "debian-slim", "platforms": "amd64,arm64", "libc": "glibc"}
    plan = make(root, facts, {**base, **choices})
    found = finding_of(plan, "runtime-needs-emulation")
    assert found.is_error and "QEMU" in found.message
    assert dict(found.fix_choices) == fix and found.option == next(iter(fix))
    assert "runtime-needs-emulation" not in ids(plan.with_choices(dict(found.fix_choices)))


def test_no_lockfile_at_the_msrv_says_why_it_is_worse(root):
    facts = {"has_lockfile": False, "rust_version": "1.72", "rust_version_source": "rust-version"}
    at_msrv = finding_of(make(root, facts, {}), "no-lockfile")
    assert "1.72" in at_msrv.message and "may not even compile" in at_msrv.message
    current = finding_of(make(root, facts, {"rust_version": "1.95"}), "no-lockfile")
    assert "compile" not in current.message


def test_rocket_address_in_a_shipped_rocket_toml_is_enough(fixture_copy):
    root = fixture_copy("rocket-config")
    project = detect(root)
    assert project.rocket_address == "0.0.0.0" and not project.listen.localhost

    def env(plan):
        return values(needs(plan).env)

    assert env(make_plan(project)) == ()
    # Not shipped, the file cannot set anything in the container: Rocket's variable does.
    assert env(make_plan(project, overrides=["extra_files=templates,static"])) == ('ROCKET_ADDRESS=0.0.0.0',)
    config = root / "Rocket.toml"
    config.write_text(config.read_text().replace('address = "0.0.0.0"\n', ""))
    plan = make_plan(detect(root))
    assert env(plan) == ('ROCKET_ADDRESS=0.0.0.0',)
    assert "ROCKET_ADDRESS" in render(plan).files["Dockerfile"] and "binds-localhost" not in ids(plan)


def test_loco_fix_adds_start_and_the_environment(root):
    plan = make(root, {"frameworks": ("loco-rs", "axum")}, {"env": "RUST_LOG=info"})
    found = finding_of(plan, "loco-needs-start")
    assert dict(found.fix_choices) == {"args": "start", "env": ("RUST_LOG=info", "LOCO_ENV=production")}
    fixed = plan.with_choices(dict(found.fix_choices))
    assert "loco-needs-start" not in ids(fixed)
    # Only the environment missing: the fix keeps the user's own arguments.
    partial = finding_of(make(root, {"frameworks": ("loco-rs",)}, {"args": "start --worker"}), "loco-needs-start")
    assert "args" not in dict(partial.fix_choices)
