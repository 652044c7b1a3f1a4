"""Hand-built Projects and the plans the render tests and golden files use.

Until detect reads real projects these stand in for it; they are shaped like the
fixture projects (single crate, workspace with path deps, build.rs, .sqlx, vendoring).
"""

from __future__ import annotations

from pathlib import Path

from rustdock.wizard.options import option
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.project import Binary, Member, Project


def single_crate(name: str = "api", **facts) -> Project:
    """One package at the root with one binary, src/main.rs."""
    values = dict(
        root=Path("/nonexistent") / name,
        name=name,
        binaries=(Binary(name, name, ".", "src/main.rs"),),
        members=(Member(name, ".", version="0.3.1"),),
        has_lockfile=True,
        port_guess=8080,
        # Stops on SIGTERM itself: no init by default (the signal cases set their own).
        handles_signals=True,
        version="0.3.1",
        description="A small HTTP service",
        license="MIT OR Apache-2.0",
        repository="https://github.com/example/" + name,
        authors=("Ada <ada@example.com>",),
    )
    values.update(facts)
    return Project(**values)


def workspace(**facts) -> Project:
    """A virtual workspace: the server binary in crates/server (with build.rs), a library
    member, a path dependency that is not a member, vendored sources, .sqlx, migrations."""
    values = dict(
        root=Path("/nonexistent/ws"),
        name="server",
        binaries=(
            Binary("server", "server", "crates/server", "crates/server/src/main.rs"),
            Binary("admin", "server", "crates/server", "crates/server/src/bin/admin.rs"),
        ),
        members=(
            Member("server", "crates/server", version="1.2.0", has_build_rs=True,
                   path_deps=("crates/core", "libs/shared")),
            Member("core", "crates/core", version="1.2.0"),
        ),
        is_workspace=True,
        is_virtual=True,
        has_lockfile=True,
        vendor_dir="vendor",
        has_cargo_config=True,
        extra_dirs=(".sqlx", "migrations"),
        tls_crates=frozenset({"rustls", "ring"}),
        frameworks=("axum",),
        port_guess=3000,
        uses_dns=True,
        handles_signals=True,
        version="1.2.0",
        license="MIT",
    )
    values.update(facts)
    return Project(**values)


def data_server() -> Project:
    """A server that writes ./data and stops only on Ctrl-C (tokio's ctrl_c)."""
    return single_crate("keeper", writes=(("data", "src/main.rs:12 creates the directory"),),
                        handles_signals=False, sigint_only=True, signals_why="src/main.rs:30 ctrl_c()")


def sqlite_server() -> Project:
    """A server with its SQLite file in the working directory and no signal handler."""
    return single_crate("ledger", writes=((".", "src/db.rs:4 opens a SQLite database"),),
                        handles_signals=False, signals_why="no SIGTERM handler in the sources")


def native_tls_crate() -> Project:
    return single_crate("fetcher", tls_crates=frozenset({"openssl-sys", "native-tls"}),
                        port_guess=0, uses_dns=True)


#: name -> (project factory, preset, --set overrides). One golden file per entry.
CASES: dict[str, tuple] = {
    "glibc-distroless-cc": (native_tls_crate, "", []),
    "musl-scratch-smallest": (
        single_crate, "smallest",
        ["tls=rustls", "ca_certs=true", "tzdata=true", "healthcheck=probe"],
    ),
    "workspace-dummy-main": (workspace, "distroless", ["caching=dummy-main", "binary=server"]),
    "workspace-chef-debian-slim": (
        workspace, "debian-slim",
        ["caching=cargo-chef", "tls=openssl-system", "healthcheck=curl", "init=tini",
         "env=RUST_LOG=info,GREETING=hello world $USER", "args=--listen 0.0.0.0:3000",
         "extra_files=migrations,static"],
    ),
    "multiarch-alpine-builder-scratch": (
        single_crate, "smallest",
        ["builder=alpine", "platforms=amd64,arm64", "private_registry=true",
         "registry_name=my-corp", "caching=dummy-main", "tls=rustls"],
    ),
    "alpine-runtime-wget": (
        single_crate, "alpine-debug",
        ["healthcheck=wget", "init=tini", "tzdata=true", "allocator=jemalloc"],
    ),
    "muslrust-openssl-scratch": (
        native_tls_crate, "",
        ["builder=muslrust", "libc=musl", "tls=openssl-system", "runtime=scratch",
         "caching=none", "uid=1000"],
    ),
    "glibc-static-private-git-plain": (
        single_crate, "",
        ["libc=glibc-static", "builder=debian-slim", "runtime=distroless-static",
         "private_git=true", "comments=false", "labels=false", "caching=none",
         "healthcheck=program", "health_args=health --quiet"],
    ),
    "arm64-glibc-chef-cc": (
        native_tls_crate, "",
        ["platforms=arm64", "caching=cargo-chef", "tls=openssl-vendored", "init=tini",
         "user=root"],
    ),
    # Multi-arch debian-slim runs nothing in its runtime stage (it would be emulated), so
    # OpenSSL is vendored: libssl3 could only come from an apt-get there.
    "multiarch-glibc-openssl-slim": (
        native_tls_crate, "debian-slim",
        ["builder=debian-slim", "platforms=amd64,arm64", "tls=openssl-vendored",
         "healthcheck=probe", "port=8443", "health_path=/ready", "tzdata=true"],
    ),
    "multiarch-openssl-system-cc": (
        native_tls_crate, "", ["platforms=amd64,arm64", "tls=openssl-system"],
    ),
    "multiarch-alpine-runtime": (
        single_crate, "alpine-debug",
        ["platforms=amd64,arm64", "tls=rustls", "tzdata=true", "healthcheck=wget",
         "allocator=mimalloc"],
    ),
    "chainguard-custom-uid": (
        single_crate, "",
        ["runtime=chainguard-static", "uid=10001", "debian=trixie", "rust_version=1.94.1"],
    ),
    # writable data on a runtime without a shell, STOPSIGNAL SIGINT by default
    "writable-scratch-sigint": (data_server, "", ["runtime=scratch", "libc=musl"]),
    # the working directory writable (the binary moves to /usr/local/bin), tini by
    # default, a VOLUME and the probe
    "writable-workdir-volume": (
        sqlite_server, "", ["libc=glibc", "runtime=distroless-cc", "volume=true", "healthcheck=probe"],
    ),
}


def case_plan(name: str) -> Plan:
    factory, preset_name, overrides = CASES[name]
    return make_plan(factory(), preset_name=preset_name, overrides=overrides)


def test_every_case_makes_a_plan_with_its_overrides():
    for name, (_, _, overrides) in CASES.items():
        plan = case_plan(name)
        for item in overrides:
            key, _, value = item.partition("=")
            assert option(key).key in plan.explicit, (name, key)
