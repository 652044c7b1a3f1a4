"""The seeds' own Dockerfiles (tests/fixtures/seeds, copied verbatim from shared/seeds):
each known bug is reported at its line, nothing else is an error, and importing each one
keeps its intent while the bug goes away."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustdock.wizard.check import check_dockerfile
from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.import_dockerfile import import_dockerfile, starting_plan

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"

#: (seed folder, Dockerfile, the errors it has, (rule, line) pairs that must be reported).
CASES = [
    # cargo builds dependencies for the host, then installs for musl: the cache never helps.
    ("seed000", "Dockerfile", set(), {("cache-other-target", 9), ("build-not-locked", 13)}),
    # Builds in /usr/app/api_gateway, copies from /usr/app/my_app, runs a path it never copied.
    ("seed001", "Dockerfile", {("copy-never-built", 42), ("program-missing", 46)},
     {("root-user", 31), ("unpinned-image", 31), ("build-not-locked", 29)}),
    # The intermediate version: a glibc binary (cargo install on rust:latest) on alpine.
    ("seed002", "alpine-glibc.Dockerfile", {("glibc-on-alpine", 29)},
     {("unpinned-image", 5), ("unpinned-image", 29), ("build-not-locked", 23)}),
    ("seed002", "Dockerfile", set(), {("unpinned-image", 5), ("unpinned-image", 33)}),
    # The real build writes into a cache mount: the image gets the dummy build's binary.
    ("seed003", "Dockerfile", {("copy-never-built", 28)}, {("cache-other-target", 11)}),
    ("seed003", "distroless.Dockerfile", {("copy-never-built", 26)}, {("cache-other-target", 10)}),
    ("seed003", "alpine.Dockerfile", {("copy-never-built", 30)}, {("cache-other-target", 10)}),
    # TARGETARCH declared only before FROM; RUST_TARGET set in one RUN, used in others.
    ("seed003", "multiarch.Dockerfile",
     {("unset-variable", 8), ("unset-variable", 18), ("unset-variable", 25), ("unset-variable", 30)}, set()),
    # The registry token is written into ~/.cargo/config.toml, a layer of the image.
    ("seed003", "private.Dockerfile", {("secret-persisted", 9), ("copy-never-built", 32)}, set()),
    # clux/muslrust (unpinned) now keeps cargo in /opt/cargo: /root/.cargo/bin is empty.
    ("seed004", "Dockerfile", {("copy-never-built", 25)}, {("unpinned-image", 1), ("build-not-locked", 17)}),
]


@pytest.mark.parametrize("seed,name,errors,also", CASES, ids=[f"{c[0]}/{c[1]}" for c in CASES])
def test_known_bugs_are_reported_at_their_lines(seed, name, errors, also):
    report = check_dockerfile(SEEDS / seed, SEEDS / seed / name)
    found = {(f.rule, f.line) for f in report.findings}
    assert {(f.rule, f.line) for f in report.errors} == errors
    assert also <= found, sorted(found)
    assert all(f.path == name for f in report.findings)


#: What each import must keep: (seed, Dockerfile, answers that must come from it).
INTENT = [
    ("seed000", "Dockerfile", {"binary": "deciduously-com", "libc": "musl", "runtime": "scratch",
                               "uid": 1000, "args": "-a 0.0.0.0 -p 8080", "caching": "dummy-main"}),
    ("seed001", "Dockerfile", {"binary": "my_app", "libc": "musl", "runtime": "alpine",
                               "user": "nonroot", "uid": 10001, "rust_version": "1.73"}),
    ("seed002", "alpine-glibc.Dockerfile", {"binary": "myapp", "runtime": "alpine", "libc": "musl"}),
    ("seed003", "Dockerfile", {"builder": "alpine", "runtime": "scratch", "ports": ("8080",), "uid": 1000}),
    ("seed003", "distroless.Dockerfile", {"runtime": "distroless-static", "uid": 65532}),
    ("seed004", "Dockerfile", {"builder": "muslrust", "runtime": "scratch", "ca_certs": True, "libc": "musl"}),
]


@pytest.mark.parametrize("seed,name,intent", INTENT, ids=[f"{c[0]}/{c[1]}" for c in INTENT])
def test_import_keeps_the_intent_without_the_bug(seed, name, intent, tmp_path):
    project = detect(SEEDS / seed)
    imported = import_dockerfile(project, SEEDS / seed / name)
    plan, _ = starting_plan(project, imported)
    assert {key: plan.choices[key] for key in intent} == intent
    result = outcome(plan)
    assert not result.errors, [f.line() for f in result.errors]
    # The new Dockerfile, checked the same way, has none of the old file's errors.
    copy = tmp_path / seed
    shutil.copytree(SEEDS / seed, copy)
    for old in copy.glob("*Dockerfile"):
        old.unlink()
    for path, text in result.rendered.files.items():
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        (copy / path).write_text(text)
    again = check_dockerfile(copy)
    assert not again.errors, [f.text() for f in again.errors]
    assert not [f for f in again.findings if f.severity == "warning"], [f.text() for f in again.findings]


def test_glibc_on_alpine_import_says_what_it_changed_and_why():
    project = detect(SEEDS / "seed002")
    imported = import_dockerfile(project, SEEDS / "seed002" / "alpine-glibc.Dockerfile")
    assert imported.answers["libc"] == "glibc"
    _, changes = starting_plan(project, imported)
    assert [(c.key, c.theirs, c.ours, c.finding.rule) for c in changes] == [
        ("libc", "glibc", "musl", "glibc-on-alpine")
    ]


def test_a_user_created_but_never_used_is_the_intent_and_root_is_the_finding():
    project = detect(SEEDS / "seed001")
    imported = import_dockerfile(project)
    assert (imported.answers["user"], imported.answers["uid"]) == ("nonroot", 10001)
    assert imported.faithful["user"] == "root"
