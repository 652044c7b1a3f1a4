"""Every rule: one plan that triggers it and one near miss that does not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from types import MappingProxyType

from rustdock.wizard.build_facts import BuildFacts
from rustdock.wizard.build_scripts import ScriptFacts
from rustdock.wizard.cargo_lock import Lock
from rustdock.wizard.cargo_manifest import Dep
from rustdock.wizard.cargo_workspace import Crate
from rustdock.wizard.code_reads import RuntimeRead
from rustdock.wizard.cargo_features import Feature
from rustdock.wizard.feature_gates import Gate
from rustdock.wizard.findings import ERROR, SEVERITY_ORDER
from rustdock.wizard.net_facts import ConfigFact
from rustdock.wizard.options import OPTIONS_BY_KEY
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.project import Binary, Member, Project
from rustdock.wizard.rules import RULE_IDS, check

APP = Binary("app", "app", ".", "src/main.rs")
#: A tidy project that triggers as little as possible, so each case adds one fact.
QUIET = dict(
    name="app",
    binaries=(APP,),
    members=(Member("app", "."),),
    has_lockfile=True,
    handles_signals=True,
    description="demo",
)
#: Choices that keep the base plan quiet (no caching or profile tips).
CALM = dict(caching="dummy-main", profile="size", allocator="jemalloc")
OPENSSL = frozenset({"openssl-sys", "native-tls"})
WEB = dict(frameworks=("axum",), port_guess=3000)
#: Files every test project has (extra_files cases point at them).
FILES = ("static/app.css", "templates/index.html", ".env", "README.md")

#: A package with a choice of backends that main.rs insists on.
BACKENDS = dict(
    members=(Member("app", ".", features=(Feature("db"), Feature("cache"))),),
    build=BuildFacts(gates=(Gate("src/main.rs", 3, 'not(any(feature = "db"))', "pick a backend "
                                 + "and read the fine manual " * 8, "app"),)),
)

#: The app depends on pq-sys (libpq, no bundled copy: no pq-src in the lock).
LIBPQ = dict(build=BuildFacts(
    crates=MappingProxyType({"app": Crate("app", ".", "Cargo.toml", deps=(
        Dep("pq-sys", "dependencies", "Cargo.toml", key="pq-sys"),))}),
    lock=Lock(graph={"app": frozenset({"pq-sys"}), "pq-sys": frozenset({"pkg-config"}),
                     "pkg-config": frozenset()},
              versions={"pq-sys": ("0.6.3",)}),
))
GLIBC_SLIM = {"libc": "glibc", "runtime": "debian-slim"}


def _scripted(*scripts: ScriptFacts, **facts) -> dict:
    """The app with a build script (and a path dependency on libs/c)."""
    crate = Crate("app", ".", "Cargo.toml", build_script="build.rs", deps=(
        Dep("c", "dependencies", "Cargo.toml", path="libs/c", key="c"),))
    return dict(build=BuildFacts(crates=MappingProxyType({"app": crate}), scripts=scripts,
                                 **facts))


GIT = ScriptFacts("build.rs", "app", git="build.rs:3 runs git", env=("APP_VERSION",))
QUIET_SCRIPT = ScriptFacts("build.rs", "app")
FETCH = ScriptFacts("build.rs", "app", downloads="runs curl", urls=("https://x.org/a.bin",))

# (rule id, (project facts, choices) that trigger it, (project facts, choices) that do not)
#: ServeDir::new("frontend/dist") where the repo has no frontend/dist (an npm build's output).
ABSENT_DIST = RuntimeRead("", "frontend/dist", 'src/main.rs:3 ServeDir::new("frontend/dist")', True)

CASES: list[tuple[str, tuple[dict, dict], tuple[dict, dict]]] = [
    ("library-only", ({"binaries": ()}, {}), ({}, {})),
    ("build-script-git", (_scripted(GIT), {"build_git": "none"}), (_scripted(GIT), {})),
    ("build-script-git-how", (_scripted(GIT), {}), (_scripted(GIT), {"build_git": "none"})),
    ("build-script-downloads", (_scripted(FETCH), {}), (_scripted(QUIET_SCRIPT), {})),
    ("git-dependencies", (_scripted(git_sources=("https://github.com/x/y",)), {}),
     (_scripted(), {})),
    ("submodule-missing", (_scripted(submodules=(("libs/c", False),)), {}),
     (_scripted(submodules=(("libs/c", True),)), {})),
    ("runtime-lacks-library", (LIBPQ, {"libc": "glibc", "runtime": "distroless-cc"}),
     (LIBPQ, GLIBC_SLIM)),
    ("static-cannot-link", (LIBPQ, {"libc": "musl"}), (LIBPQ, {"libc": "musl", "builder": "muslrust"})),
    ("cross-system-library", (LIBPQ, {**GLIBC_SLIM, "platforms": "amd64,arm64"}), (LIBPQ, GLIBC_SLIM)),
    ("unknown-feature", (BACKENDS, {"features": ("nope", "db")}), (BACKENDS, {"features": ("db",)})),
    ("feature-gate", (BACKENDS, {}), (BACKENDS, {"features": ("db",)})),
    ("feature-gate", (BACKENDS, {"features": ("cache",)}), (BACKENDS, {"all_features": True})),
    (
        "binary-missing",
        ({}, {"binary": "gone"}),
        ({"binaries": (APP, Binary("cli", "app", ".", "src/bin/cli.rs"))}, {"binary": "cli"}),
    ),
    (
        "dynamic-in-static-runtime",
        ({}, {"libc": "glibc", "runtime": "scratch"}),
        ({}, {"libc": "glibc-static", "runtime": "scratch"}),
    ),
    (
        "dynamic-in-static-runtime",
        ({}, {"libc": "glibc", "runtime": "chainguard-static"}),
        ({}, {"libc": "glibc", "runtime": "distroless-cc"}),
    ),
    (
        "glibc-on-alpine",
        ({}, {"libc": "glibc", "runtime": "alpine"}),
        ({}, {"libc": "musl", "runtime": "alpine"}),
    ),
    (
        "static-on-glibc-runtime",
        ({}, {"libc": "musl", "runtime": "debian-slim"}),
        ({}, {"libc": "glibc", "runtime": "debian-slim"}),
    ),
    (
        "builder-cannot-target",
        ({}, {"libc": "glibc", "builder": "alpine", "runtime": "distroless-cc"}),
        ({}, {"libc": "musl", "builder": "alpine"}),
    ),
    (
        "builder-cannot-target",
        ({}, {"libc": "glibc", "builder": "muslrust", "runtime": "distroless-cc"}),
        ({}, {"libc": "glibc", "builder": "debian-slim", "runtime": "distroless-cc"}),
    ),
    (
        "glibc-mismatch",
        ({}, {"libc": "glibc", "runtime": "chainguard-glibc"}),
        ({}, {"libc": "glibc", "runtime": "distroless-cc", "debian": "trixie"}),
    ),
    (
        "builder-cannot-cross",
        ({}, {"libc": "musl", "builder": "alpine", "platforms": "amd64,arm64"}),
        ({}, {"libc": "musl", "builder": "alpine", "platforms": "amd64"}),
    ),
    (
        "builder-cannot-cross",
        ({}, {"libc": "musl", "builder": "muslrust", "platforms": "arm64"}),
        ({}, {"libc": "musl", "builder": "debian", "platforms": "arm64"}),
    ),
    (
        "cross-musl-c-code",
        ({"tls_crates": frozenset({"rustls", "aws-lc-sys"})}, {"libc": "musl", "platforms": "arm64", "tls": "rustls", "allocator": "mimalloc"}),
        ({"tls_crates": frozenset({"rustls", "aws-lc-sys"})}, {"libc": "musl", "platforms": "amd64", "tls": "rustls"}),
    ),
    (
        "cross-musl-c-code",
        ({"tls_crates": OPENSSL}, {"libc": "musl", "platforms": "arm64", "tls": "openssl-vendored", "allocator": "jemalloc"}),
        ({"tls_crates": OPENSSL}, {"libc": "musl", "platforms": "arm64", "tls": "openssl-vendored", "builder": "muslrust"}),
    ),
    (
        "cross-musl-c-code",
        ({}, {"libc": "musl", "platforms": "amd64,arm64", "allocator": "jemalloc"}),
        ({}, {"libc": "musl", "platforms": "amd64,arm64", "allocator": "mimalloc"}),
    ),
    (
        "rust-older-than-msrv",
        ({"rust_version": "1.90", "rust_version_source": "rust-version"}, {"rust_version": "1.85"}),
        ({"rust_version": "1.90.1", "rust_version_source": "rust-version"}, {"rust_version": "1.90"}),
    ),
    (
        "rust-older-than-edition",
        ({"edition": "2024"}, {"rust_version": "1.84"}),
        ({"edition": "2024"}, {"rust_version": "1.85"}),
    ),
    (
        "toolchain-file-differs",
        ({"rust_version_source": "rust-toolchain.toml", "rust_channel": "nightly-2026-01-01"}, {}),
        # The image pins today's stable: exactly what a "stable" channel means.
        ({"rust_version_source": "rust-toolchain.toml", "rust_channel": "stable"}, {}),
    ),
    (
        "rust-image-missing",
        ({}, {"rust_version": "1.65.0"}),
        ({}, {"rust_version": "1.70"}),
    ),
    (
        "rust-image-missing",
        ({}, {"rust_version": "1.85", "debian": "trixie"}),
        ({}, {"rust_version": "1.85", "builder": "muslrust"}),
    ),
    (
        "toolchain-file-differs",
        (
            {"rust_version": "1.88", "rust_version_source": "rust-toolchain.toml"},
            {"rust_version": "1.95"},
        ),
        ({"rust_version": "1.88", "rust_version_source": "rust-toolchain.toml"}, {}),
    ),
    (
        "leptos-needs-cargo-leptos",
        ({"frameworks": ("leptos_axum", "axum")}, {}),
        ({"frameworks": ("axum",)}, {}),
    ),
    (
        "loco-needs-start",
        ({"frameworks": ("loco-rs", "axum")}, {}),
        ({"frameworks": ("loco-rs", "axum")}, {"args": "start --server-and-worker", "env": "LOCO_ENV=production"}),
    ),
    (
        "runtime-needs-emulation",
        (
            {"tls_crates": OPENSSL},
            {"libc": "glibc", "tls": "openssl-system", "runtime": "debian-slim", "platforms": "amd64,arm64"},
        ),
        (
            {"tls_crates": OPENSSL},
            {"libc": "glibc", "tls": "openssl-system", "runtime": "debian-slim", "platforms": "amd64"},
        ),
    ),
    (
        "openssl-musl-unlinkable",
        ({"tls_crates": OPENSSL}, {"libc": "musl", "tls": "openssl-system"}),
        ({"tls_crates": OPENSSL}, {"libc": "musl", "tls": "openssl-system", "builder": "muslrust"}),
    ),
    (
        "openssl-without-tls",
        ({"tls_crates": OPENSSL}, {"libc": "musl", "tls": "none"}),
        ({"tls_crates": frozenset({"rustls"})}, {"libc": "musl", "tls": "none"}),
    ),
    (
        "openssl-added",
        ({"tls_crates": frozenset({"rustls"})}, {"libc": "glibc", "tls": "openssl-system"}),
        ({"tls_crates": OPENSSL}, {"libc": "glibc", "tls": "openssl-system"}),
    ),
    (
        "vendored-on-glibc-runtime",
        ({"tls_crates": OPENSSL}, {"libc": "glibc", "tls": "openssl-vendored"}),
        ({"tls_crates": OPENSSL}, {"libc": "musl", "tls": "openssl-vendored"}),
    ),
    (
        "libssl-missing",
        (
            {"tls_crates": OPENSSL},
            {"libc": "glibc", "tls": "openssl-system", "runtime": "chainguard-glibc"},
        ),
        ({"tls_crates": OPENSSL}, {"libc": "glibc", "tls": "openssl-system"}),
    ),
    (
        "rustls-but-tls-none",
        ({"tls_crates": frozenset({"rustls", "ring"})}, {"tls": "none"}),
        ({"tls_crates": frozenset({"rustls", "ring"})}, {"tls": "rustls"}),
    ),
    (
        "no-ca-roots",
        ({}, {"tls": "rustls", "ca_certs": False, "runtime": "scratch"}),
        ({"all_crates": frozenset({"webpki-roots"})}, {"tls": "rustls", "ca_certs": False, "runtime": "scratch"}),
    ),
    (
        "no-ca-roots",
        (
            {"all_crates": frozenset({"webpki-roots", "rustls-platform-verifier"})},
            {"tls": "rustls", "ca_certs": False, "runtime": "scratch"},
        ),
        ({}, {"tls": "rustls", "ca_certs": False, "runtime": "distroless-static"}),
    ),
    (
        "platform-verifier",
        ({"all_crates": frozenset({"rustls-platform-verifier"})}, {"tls": "rustls"}),
        ({"all_crates": frozenset({"webpki-roots"})}, {"tls": "rustls"}),
    ),
    # A program that only serves HTTPS (rustls without a client crate) needs no CA bundle.
    (
        "no-ca-roots",
        ({}, {"tls": "rustls", "ca_certs": False, "runtime": "scratch"}),
        ({"tls_client": False}, {"tls": "rustls", "ca_certs": False, "runtime": "scratch"}),
    ),
    (
        "platform-verifier",
        ({"all_crates": frozenset({"rustls-platform-verifier"})}, {"tls": "rustls"}),
        ({"all_crates": frozenset({"rustls-platform-verifier"}), "tls_client": False}, {"tls": "rustls"}),
    ),
    (
        "aws-lc-build",
        ({"tls_crates": frozenset({"rustls", "aws-lc-sys"})}, {"tls": "rustls"}),
        ({"tls_crates": frozenset({"rustls", "ring"})}, {"tls": "rustls"}),
    ),
    (
        "musl-system-allocator",
        (WEB, {"libc": "musl", "allocator": "system"}),
        (WEB, {"libc": "glibc", "allocator": "system"}),
    ),
    (
        "allocator-scope-unused",
        ({}, {"libc": "glibc", "allocator": "mimalloc", "allocator_scope": "musl-only"}),
        ({}, {"libc": "glibc", "allocator": "mimalloc", "allocator_scope": "all"}),
    ),
    (
        "jemalloc-arm64-pages",
        ({}, {"allocator": "jemalloc", "platforms": "arm64"}),
        ({}, {"allocator": "jemalloc", "platforms": "amd64"}),
    ),
    (
        "static-glibc-dns",
        ({"uses_dns": True}, {"libc": "glibc-static", "runtime": "scratch"}),
        ({"uses_dns": False}, {"libc": "glibc-static", "runtime": "scratch"}),
    ),
    (
        "missing-tzdata",
        ({"uses_timezones": True}, {"tzdata": False, "runtime": "scratch"}),
        ({"uses_timezones": True}, {"tzdata": False, "runtime": "distroless-static"}),
    ),
    (
        "missing-tzdata",
        ({"uses_timezones": True}, {"libc": "glibc", "runtime": "debian-slim", "debian": "trixie", "tzdata": False}),
        ({"uses_timezones": True}, {"libc": "glibc", "runtime": "debian-slim", "debian": "bookworm", "tzdata": False}),
    ),
    (
        "healthcheck-tool-missing",
        ({**WEB}, {"healthcheck": "curl", "runtime": "distroless-static"}),
        ({**WEB}, {"healthcheck": "curl", "libc": "glibc", "runtime": "debian-slim"}),
    ),
    (
        "healthcheck-tool-missing",
        ({**WEB}, {"healthcheck": "wget", "runtime": "scratch"}),
        ({**WEB}, {"healthcheck": "wget", "runtime": "alpine"}),
    ),
    (
        "healthcheck-needs-port",
        ({}, {"healthcheck": "probe", "port": 0}),
        ({}, {"healthcheck": "program", "port": 0}),
    ),
    (
        "healthcheck-program",
        ({}, {"healthcheck": "program"}),
        ({**WEB}, {"healthcheck": "probe"}),
    ),
    (
        "server-without-healthcheck",
        (WEB, {"healthcheck": "none"}),
        ({}, {"healthcheck": "none", "port": 8080}),
    ),
    ("server-without-port", (WEB, {"port": 0}), (WEB, {"port": 3000})),
    ("root-user", ({}, {"user": "root"}), ({}, {"user": "nonroot"})),
    (
        "privileged-port",
        ({}, {"user": "nonroot", "port": 80}),
        ({}, {"user": "root", "port": 80}),
    ),
    (
        "uid-system-range",
        ({}, {"runtime": "alpine", "uid": 100}),
        ({}, {"runtime": "alpine", "uid": 65532}),
    ),
    ("uid-nobody", ({}, {"uid": 65534}), ({}, {"uid": 65533})),
    ("uid-beyond-subuid", ({}, {"uid": 70000}), ({}, {"uid": 65535})),
    (
        "distroless-nonroot-uid",
        ({}, {"runtime": "distroless-static", "uid": 1000}),
        ({}, {"runtime": "alpine", "uid": 1000}),
    ),
    (
        "pid1-signals",
        ({"handles_signals": False}, {"init": "none"}),
        ({"handles_signals": False}, {"init": "tini"}),
    ),
    (
        "pid1-signals",
        ({"handles_signals": False, "sigint_only": True}, {"init": "none"}),
        ({"handles_signals": False, "sigint_only": True}, {"init": "sigint"}),
    ),
    (
        "init-misses-signal",
        ({"handles_signals": False, "sigint_only": True}, {"init": "tini"}),
        ({"handles_signals": False, "sigint_only": True}, {"init": "sigint"}),
    ),
    (
        "init-misses-signal",
        ({"handles_signals": False}, {"init": "sigint"}),
        ({"handles_signals": False}, {"init": "tini"}),
    ),
    (
        "writes-not-writable",
        ({**WEB, "writes": (("data", "src/main.rs:3 creates the directory"),)}, {"writable": ""}),
        ({**WEB, "writes": (("data", "src/main.rs:3 creates the directory"),)}, {}),
    ),
    (
        "writes-not-writable",
        ({**WEB, "writes": ((".", "src/main.rs:3 opens a SQLite database"),)}, {"writable": "data"}),
        ({**WEB, "writes": ((".", "src/main.rs:3 opens a SQLite database"),)}, {"user": "root"}),
    ),
    (
        "chainguard-unpinned",
        ({}, {"runtime": "chainguard-static"}),
        ({}, {"runtime": "distroless-static"}),
    ),
    (
        "chainguard-unpinned",
        ({}, {"libc": "glibc", "runtime": "chainguard-glibc"}),
        ({}, {"libc": "glibc", "runtime": "distroless-cc"}),
    ),
    (
        "scratch-keeps-profile",
        ({}, {"profile": "keep", "runtime": "scratch"}),
        ({}, {"profile": "keep", "libc": "musl", "runtime": "alpine"}),
    ),
    ("size-profile-aborts", (WEB, {"profile": "size"}), ({}, {"profile": "size"})),
    ("no-lockfile", ({"has_lockfile": False}, {}), ({"has_lockfile": True}, {})),
    (
        # time 0.3.29 stops at E0282 on Rust 1.80+; the fix is Rust 1.79 (or cargo update).
        "lock-too-old-for-rust",
        ({"lock_breaks": (("time", "0.3.29"),)}, {"rust_version": "1.95"}),
        ({"lock_breaks": (("time", "0.3.29"),)}, {"rust_version": "1.79"}),
    ),
    (
        "path-dep-outside-root",
        ({"members": (Member("app", ".", path_deps=("../shared",)),)}, {}),
        ({"members": (Member("app", ".", path_deps=("crates/shared",)),)}, {}),
    ),
    (
        "extra-file-escapes",
        ({}, {"extra_files": "static,elsewhere"}),
        ({}, {"extra_files": "static,./templates"}),
    ),
    (
        "extra-file-missing",
        ({}, {"extra_files": "static,assets"}),
        ({}, {"extra_files": "static,templates/index.html"}),
    ),
    (
        "extra-file-secret",
        ({}, {"extra_files": "static,.env"}),
        ({}, {"extra_files": "static,README.md"}),
    ),
    (
        "runtime-dir-not-copied",
        ({"runtime_dirs": ("static",), "extra_dirs": ("static",)}, {"extra_files": ""}),
        ({"runtime_dirs": ("static",), "extra_dirs": ("static",)}, {}),
    ),
    (
        "extra-file-embedded",
        ({"extra_dirs": ("templates",), "build_dirs": ("templates",)}, {"extra_files": "templates"}),
        ({"extra_dirs": ("templates",), "build_dirs": ("templates",), "runtime_dirs": ("templates",)},
         {"extra_files": "templates"}),
    ),
    (
        # A folder nobody reads is shipped by the user's choice: not "embedded".
        "extra-file-embedded",
        ({"extra_dirs": ("templates",), "build_dirs": ("templates",)}, {"extra_files": "templates"}),
        ({"extra_dirs": ("templates",)}, {"extra_files": "templates"}),
    ),
    (
        "runtime-path-absent",
        ({"runtime_absent": (ABSENT_DIST,)}, {}),
        # Shipped under that name (from wherever the user builds it), or nothing absent.
        ({"runtime_absent": (ABSENT_DIST,)}, {"extra_files": "static:frontend/dist"}),
    ),
    (
        "secret-in-env",
        ({}, {"env": "RUST_LOG=info,GITHUB_TOKEN=ghp_x"}),
        ({}, {"env": "RUST_LOG=info,TOKEN_FILE=/run/secrets/token,AWS_REGION=eu-west-1"}),
    ),
    (
        "secret-in-env",
        ({}, {"env": "DATABASE_URL=postgres://app:hunter2@db/app"}),
        ({}, {"env": "DATABASE_URL=postgres://db/app"}),
    ),
    (
        "secret-in-env",
        ({}, {"env": "AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP"}),
        ({}, {"env": "APP_MODE=prod"}),
    ),
    (
        "env-duplicate",
        ({}, {"env": "RUST_LOG=info,RUST_LOG=debug"}),
        ({}, {"env": "RUST_LOG=info,RUST_BACKTRACE=1"}),
    ),
    (
        "env-port-mismatch",
        ({}, {"env": "PORT=9000", "port": 8080}),
        ({}, {"env": "PORT=8080", "port": 8080}),
    ),
    (
        "secret-in-args",
        ({}, {"args": "--listen 0.0.0.0:8080 --token abc123"}),
        ({}, {"args": "--listen 0.0.0.0:8080 --token-file /run/secrets/t"}),
    ),
    (
        "secret-in-args",
        ({}, {"args": "--password=hunter2 -v"}),
        ({}, {"args": "-v"}),
    ),
    (
        "args-shell-syntax",
        ({}, {"args": "--port $PORT"}),
        ({}, {"args": "--port 8080"}),
    ),
    (
        "binds-localhost",
        ({}, {"args": "--listen 127.0.0.1:8080"}),
        ({}, {"args": "--listen 0.0.0.0:8080 --upstream http://localhost:9000"}),
    ),
    (
        "binds-localhost",
        ({}, {"env": "APP_HOST=localhost,RUST_LOG=info"}),
        ({}, {"env": "APP_HOST=0.0.0.0,REDIS_URL=redis://localhost:6379"}),
    ),
    (
        "config-argument",
        ({"config": ConfigFact("", "src/cli.rs:52", required=True, flag="CONFIG", positional=True)}, {}),
        ({"config": ConfigFact("", "src/cli.rs:52", required=True, flag="CONFIG", positional=True)},
         {"args": "/app/config.toml"}),
    ),
    (
        "chef-path-deps",
        ({"members": (Member("app", ".", path_deps=("crates/core",)),)}, {"caching": "cargo-chef"}),
        ({"members": (Member("app", ".", path_deps=("crates/core",)),)}, {"caching": "cache-mounts"}),
    ),
    (
        "chef-needs-network",
        ({"vendor_dir": "vendor"}, {"caching": "cargo-chef"}),
        ({"vendor_dir": "vendor"}, {"caching": "dummy-main"}),
    ),
    ("cache-mounts-in-ci", ({}, {"caching": "cache-mounts"}), ({}, {"caching": "dummy-main"})),
    ("no-caching", ({}, {"caching": "none"}), ({}, {"caching": "dummy-main"})),
    (
        "sqlx-offline",
        ({"all_crates": frozenset({"sqlx", "sqlx-macros"})}, {}),
        ({"all_crates": frozenset({"sqlx", "sqlx-macros"}), "extra_dirs": (".sqlx",)}, {}),
    ),
    (
        "private-registry-how",
        ({}, {"private_registry": True}),
        ({}, {"private_registry": False}),
    ),
    ("private-git-how", ({}, {"private_git": True}), ({}, {"private_git": False})),
    (
        "private-registry-off",
        ({"private_registry": True}, {"private_registry": False}),
        ({"private_registry": True}, {}),
    ),
    (
        "private-git-off",
        ({"private_git": True}, {"private_git": False}),
        ({"private_git": True}, {}),
    ),
    (
        "labels-without-metadata",
        ({"description": ""}, {"labels": True}),
        ({"description": ""}, {"labels": False}),
    ),
]

#: Errors no single option change can fix (the project itself must change).
UNFIXABLE = {"library-only", "path-dep-outside-root", "submodule-missing"}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("project")
    for name in FILES:
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text("x\n")
    # The option refuses "..", but a symlink can still lead out of the build context.
    (base / "elsewhere").symlink_to(tmp_path_factory.mktemp("outside"))
    return base


def make(root: Path, facts: dict, choices: dict) -> Plan:
    project = Project(root=root, **{**QUIET, **facts})
    base = make_plan(project)
    # Binaries not in the project cannot be set through option parsing: that is the point.
    if choices.get("binary") not in {b.name for b in project.binaries} | {None}:
        plan = base.with_choices({**CALM, **{k: v for k, v in choices.items() if k != "binary"}})
        return replace(plan, choices={**plan.choices, "binary": choices["binary"]})
    return base.with_choices({**CALM, **choices})


def ids(plan: Plan) -> set[str]:
    return {f.rule for f in check(plan)}


def finding_of(plan: Plan, rule: str):
    return next(f for f in check(plan) if f.rule == rule)


def _case_id(case) -> str:
    return case[0]


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_triggers(root, case):
    rule, (facts, choices), _ = case
    assert rule in ids(make(root, facts, choices))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_near_miss_is_quiet(root, case):
    rule, _, (facts, choices) = case
    assert rule not in ids(make(root, facts, choices))


def test_every_rule_has_a_case():
    assert {case[0] for case in CASES} == set(RULE_IDS)
    assert len(RULE_IDS) == len(set(RULE_IDS)), "rule ids must be unique"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_findings_name_a_real_option_and_a_fix(root, case):
    rule, (facts, choices), _ = case
    for finding in check(make(root, facts, choices)):
        assert finding.option in OPTIONS_BY_KEY, finding
        assert finding.fix, finding
        assert finding.message.endswith("."), finding
        assert len(finding.message) <= 240, finding
        for key, _ in finding.fix_choices:
            assert key in OPTIONS_BY_KEY, finding


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fix_choices_remove_the_finding(root, case):
    rule, (facts, choices), _ = case
    plan = make(root, facts, choices)
    found = finding_of(plan, rule)
    if found.severity == ERROR and rule not in UNFIXABLE:
        assert found.fix_choices, f"error {rule} offers no one-key fix"
    if found.fix_choices:
        fixed = plan.with_choices(dict(found.fix_choices))
        assert rule not in ids(fixed), (rule, found.fix_choices)


def test_errors_come_first(root):
    plan = make(root, {"handles_signals": False, "has_lockfile": False}, {"libc": "glibc", "runtime": "scratch", "user": "root"})
    severities = [SEVERITY_ORDER[f.severity] for f in check(plan)]
    assert severities == sorted(severities)
    assert severities[0] == SEVERITY_ORDER[ERROR]
    assert len(set(severities)) == 3


def test_quiet_plan_has_no_errors_or_warnings(root):
    findings = check(make(root, {}, {}))
    assert [f.rule for f in findings if f.severity != "tip"] == []


def test_seed_002_bug_is_an_error(root):
    """Seed 002 ran a glibc binary on alpine: "no such file or directory"."""
    plan = make(root, {}, {"libc": "glibc", "builder": "debian", "runtime": "alpine"})
    errors = [f for f in check(plan) if f.is_error]
    assert [f.rule for f in errors] == ["glibc-on-alpine"]
    assert "libc=musl" in errors[0].line()


def test_openssl_on_musl_offers_every_way_out(root):
    plan = make(root, {"tls_crates": OPENSSL}, {"libc": "musl", "builder": "debian-slim", "tls": "openssl-system"})
    found = finding_of(plan, "openssl-musl-unlinkable")
    for way in ("openssl-vendored", "rustls", "muslrust", "alpine"):
        assert way in found.fix
    for builder in ("alpine", "muslrust"):
        assert "openssl-musl-unlinkable" not in ids(plan.with_choice("builder", builder))


def test_static_glibc_dns_is_a_warning_where_nss_exists(root):
    plan = make(root, {"uses_dns": True}, {"libc": "glibc-static", "runtime": "debian-slim"})
    found = finding_of(plan, "static-glibc-dns")
    assert found.severity == "warning"


def test_system_allocator_is_only_a_tip_without_a_server(root):
    plan = make(root, {}, {"libc": "musl", "allocator": "system"})
    found = finding_of(plan, "musl-system-allocator")
    assert found.severity == "tip"


def test_cargo_chef_is_a_warning_for_vendored_projects_only(root):
    online = make(root, {}, {"caching": "cargo-chef"})
    offline = make(root, {"vendor_dir": "vendor"}, {"caching": "cargo-chef"})
    assert finding_of(online, "chef-needs-network").severity == "tip"
    assert finding_of(offline, "chef-needs-network").severity == "warning"


def test_secret_env_fix_keeps_the_other_variables(root):
    plan = make(root, {}, {"env": "RUST_LOG=info,API_KEY=abc,APP_MODE=prod"})
    found = finding_of(plan, "secret-in-env")
    assert dict(found.fix_choices)["env"] == ("RUST_LOG=info", "APP_MODE=prod")
    assert "API_KEY" in found.message and "private_registry" in found.fix


def test_secret_args_fix_keeps_the_other_arguments(root):
    plan = make(root, {}, {"args": "--listen 0.0.0.0:8080 --api-key abc -v"})
    found = finding_of(plan, "secret-in-args")
    assert dict(found.fix_choices)["args"] == "--listen 0.0.0.0:8080 -v"


def test_localhost_fix_only_touches_the_listen_address(root):
    plan = make(root, {}, {"args": "--bind=127.0.0.1:8080 --upstream http://localhost:9000"})
    found = finding_of(plan, "binds-localhost")
    assert dict(found.fix_choices)["args"] == "--bind=0.0.0.0:8080 --upstream http://localhost:9000"


def test_every_rule_is_pure(root):
    """The same plan gives the same findings, and checking does not change the plan."""
    plan = make(root, WEB, {"libc": "glibc", "runtime": "scratch", "env": "TOKEN=x"})
    before = dict(plan.choices)
    assert check(plan) == check(plan)
    assert dict(plan.choices) == before
