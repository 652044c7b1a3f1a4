"""detect() on the fixture projects in tests/fixtures: every fact a Project holds."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rustdock.wizard.demo import copy_demo
from rustdock.wizard.detect import detect
from rustdock.wizard.project import Binary, Project

FIXTURE_ROOTS = {
    "single-crate": ".",
    "bin-rename": ".",
    "workspace": ".",
    "openssl-lock": ".",
    "vendored": ".",
    "build-assets": ".",
    "toolchain": ".",
    "private-deps": ".",
    "path-outside": "app",
    "existing-files": ".",
    "bin-outside-src": ".",
    "rocket-config": ".",
    "workspace-sqlx": ".",
    # seed 001 of shared/seeds: a hand-written Dockerfile (foreign_dockerfile).
    "seeds": "seed001",
    "features-gated": ".",
    # writable data and signals (wizard/code_writes.py, wizard/code_signals.py)
    "writes-data": ".",
    "sqlite-url": ".",
    "test-only-writer": ".",
    "ctrl-c-only": ".",
    "net-config-file": ".",
    "net-config-rs": ".",
    "net-clap-env": ".",
    "net-udp-relay": ".",
}


needs_cargo = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")


@pytest.fixture
def project(fixture_copy):
    def read(name: str) -> Project:
        return detect(fixture_copy(name) / FIXTURE_ROOTS[name])

    return read


def test_single_crate(project):
    p = project("single-crate")
    assert p.name == "hello-api"
    assert p.binaries == (Binary("hello-api", "hello-api", ".", "src/main.rs"),)
    assert [(m.name, m.dir, m.version) for m in p.members] == [("hello-api", ".", "0.3.1")]
    assert not p.is_workspace and not p.is_virtual
    assert (p.rust_version, p.rust_version_source) == ("1.78", "rust-version")
    assert p.has_lockfile and {"axum", "hyper", "tokio", "hello-api"} <= p.all_crates
    assert p.tls_crates == frozenset() and p.tls_dependents == ()
    assert p.frameworks == ("axum",)
    assert p.port_guess == 8080
    # static/ exists but no code reads it at run time: not shipped.
    assert p.extra_dirs == ("static",) and p.runtime_dirs == ()
    assert p.uses_dns and p.handles_signals and not p.uses_timezones
    assert (p.description, p.license, p.version) == ("A small JSON API", "MIT", "0.3.1")
    assert p.repository == "https://github.com/example/hello-api"
    assert p.authors == ("Ada Lovelace <ada@example.com>",)
    assert not (p.has_dockerfile or p.has_dockerignore or p.saved_answers or p.has_cargo_config)


def test_bin_rename_and_default_run(project):
    p = project("bin-rename")
    # The server first although default-run names admin (a utility never ships over a
    # server); then cargo's order: default-run, [[bin]] in order, inferred src/bin/*.
    assert [(b.name, b.path, b.role) for b in p.binaries] == [
        ("server", "src/main.rs", "server"),
        ("admin", "src/admin/main.rs", "utility"),
        ("migrate", "src/bin/migrate.rs", "migration"),
    ]
    assert p.binaries[1].default_run and not p.binaries[0].default_run
    assert [b.required_features for b in p.binaries] == [("http",), (), ()]
    assert p.name == "multi-tool" and p.default_binary.package == "multi-tool"
    assert p.binary("multi-tool") is None  # src/main.rs was renamed to "server"
    assert not p.has_lockfile
    assert p.all_crates == {"clap", "ctrlc", "jiff", "multi-tool"}  # manifests, no lock
    assert p.port_guess == 9000  # clap's default_value_t on `port`
    # ctrlc without its `termination` feature handles SIGINT only
    assert not p.handles_signals and p.sigint_only
    assert p.signals_why == "src/main.rs:16 ctrlc::set_handler()"
    assert p.uses_timezones  # jiff reads the system's tz database
    assert not p.uses_dns and p.frameworks == ()


def test_workspace_member_ships_the_binary(project):
    p = project("workspace")
    assert p.is_workspace and p.is_virtual
    assert p.default_members == ("crates/api",)
    assert [(b.name, b.package, b.package_dir, b.path) for b in p.binaries] == [
        ("api", "api", "crates/api", "crates/api/src/main.rs"),
        ("worker", "worker", "crates/worker", "crates/worker/src/main.rs"),
        ("seed", "seed", "tools/seed", "tools/seed/src/main.rs"),
    ]
    assert p.name == "api"
    members = {m.name: m for m in p.members}
    # crates/experimental is excluded (its Cargo.toml is not even valid TOML); libs/util is
    # a path dependency inside the workspace, so cargo makes it a member too.
    assert list(members) == ["api", "domain", "worker", "seed", "util"]
    assert members["api"].path_deps == ("crates/domain", "libs/util")
    assert members["api"].has_build_rs and not members["worker"].has_build_rs
    assert members["worker"].path_deps == ("crates/domain",)
    assert members["seed"].path_deps == ("crates/domain",)  # via [workspace.dependencies]
    assert (members["api"].version, members["seed"].version) == ("2.3.0", "0.0.1")


def test_workspace_inheritance_and_facts(project):
    p = project("workspace")
    assert (p.version, p.license, p.description) == ("2.3.0", "Apache-2.0", "Order service")
    assert p.repository == "https://github.com/example/orders"
    assert p.authors == ("Orders Team <orders@example.com>",)
    assert (p.rust_version, p.rust_version_source) == ("1.80", "rust-version")
    assert p.tls_crates == {"rustls", "ring"}
    assert p.tls_dependents == (("reqwest", "crates/worker/Cargo.toml"),)
    assert p.port_guess == 7000  # SocketAddr::from(([0, 0, 0, 0], 7000))
    assert p.frameworks == ("axum",)
    # tokio::signal::ctrl_c() alone: SIGINT, not docker stop's SIGTERM
    assert not p.handles_signals and p.sigint_only
    assert p.extra_dirs == ("migrations", "crates/api/static")
    assert p.runtime_dirs == ()  # nothing in the code reads them at run time


def test_openssl_only_visible_in_cargo_lock(project):
    p = project("openssl-lock")
    assert p.tls_crates == {"native-tls", "openssl-sys"}
    assert p.tls_dependents == (("sentry", "Cargo.toml"),)
    # ureq (rustls) is a dev-dependency: in the lock, not in the release binary.
    assert {"rustls", "ureq"} <= p.all_crates
    assert "rustls" not in p.tls_crates
    assert p.uses_dns


def test_vendored_sources(project):
    p = project("vendored")
    assert p.has_cargo_config and p.vendor_dir == "vendor"
    assert p.allocator_crates == {"mimalloc"}
    # vendor/*/Cargo.toml are sources, not members.
    assert [m.name for m in p.members] == ["offline-app"]


def test_build_rs_migrations_sqlx_templates(project):
    p = project("build-assets")
    assert p.members[0].has_build_rs
    assert p.extra_dirs == ("migrations", "templates", "static", "assets", ".sqlx")
    # sqlx::migrate!() embeds migrations, askama compiles templates, rust-embed embeds
    # assets/, .sqlx is build-time query data: only static/ is read at run time.
    assert p.runtime_dirs == ("static",)
    assert p.tls_crates == {"rustls", "ring"}  # sqlx "tls-rustls", judged without a lock
    assert p.tls_dependents == (("sqlx", "Cargo.toml"),)
    assert p.port_guess == 5000  # PORT env default
    assert not p.uses_timezones  # chrono without clock; chrono-tz embeds its data
    assert not p.handles_signals  # tokio "full", but the code never listens for signals
    assert p.uses_dns


def test_rust_toolchain_file_wins(project):
    p = project("toolchain")
    assert (p.rust_version, p.rust_version_source, p.rust_channel) == ("1.82.0", "rust-toolchain.toml", "")


def test_private_git_and_registry(project):
    p = project("private-deps")
    assert p.private_git and p.private_registry
    assert p.registry_names == ("acme",)
    assert p.has_cargo_config and p.vendor_dir == ""


def test_path_dependencies_outside_the_root(project):
    p = project("path-outside")
    assert p.members[0].path_deps == ("../codec", "../shared")  # codec via shared
    assert p.all_crates == {"gateway", "shared", "codec"}


def test_existing_dockerfile_and_answers(project):
    p = project("existing-files")
    assert p.has_dockerfile and p.dockerfile_is_ours and p.has_dockerignore
    assert p.saved_answers == {"preset": "distroless", "answers": {"port": 8080, "user": "nonroot"}}
    assert p.other_container_files == ("Containerfile",)


def test_every_project_field_is_filled_by_some_fixture(project, tmp_path):
    """detect fills every field: each one differs from its default on at least one fixture."""
    projects = [project(name) for name in FIXTURE_ROOTS] + [detect(copy_demo(tmp_path))]
    unfilled = []
    for f in dataclasses.fields(Project):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if f.name not in {"root", "name"} and all(getattr(p, f.name) == default for p in projects):
            unfilled.append(f.name)
    # rust_channel is only set by non-version toolchain files (tested in test_detect_edges),
    # lock_missing only by a lock out of step with its manifests (tested in test_lockfile),
    # service_command only by a command line that requires a subcommand (test_service_command),
    # runtime_absent only by code that reads a path the repo lacks (test_code_reads),
    # lock_breaks only by a lock with a version newer Rust rejects (test_lock_breaks).
    assert sorted(unfilled) == ["lock_breaks", "lock_missing", "runtime_absent", "rust_channel",
                                "service_command", "service_command_why"]


def test_copy_demo(tmp_path):
    root = copy_demo(tmp_path)
    assert root == tmp_path / "hello-service"
    assert {"Cargo.toml", "Cargo.lock", "src", "static", "migrations"} <= {p.name for p in root.iterdir()}
    p = detect(root)
    assert p.name == "hello-service" and p.default_binary.path == "src/main.rs"
    assert p.port_guess == 8080
    assert p.tls_crates == {"native-tls", "openssl-sys"}
    assert p.tls_dependents == (("reqwest", "Cargo.toml"),)
    assert p.frameworks == ("axum",)
    assert set(p.extra_dirs) == {"static", "migrations"}
    assert p.runtime_dirs == ("static/index.html",)  # std::fs::read_to_string("static/index.html")
    assert not p.has_dockerfile and not p.saved_answers


def test_copy_demo_twice_gives_independent_copies(tmp_path):
    first = copy_demo(tmp_path / "a")
    second = copy_demo(tmp_path / "b")
    (first / "Cargo.toml").write_text("changed")
    assert "hello-service" in (second / "Cargo.toml").read_text()


# Cross-check: the binaries, members and build scripts found are the ones cargo reports.


def cargo_metadata(root: Path) -> dict:
    result = subprocess.run(
        ["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
        cwd=root, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_cargo
# The toolchain fixture pins a toolchain rustup does not have here, so cargo cannot run in it.
@pytest.mark.parametrize("name", sorted(set(FIXTURE_ROOTS) - {"toolchain"}))
def test_binaries_and_members_match_cargo_metadata(fixture_copy, name):
    root = fixture_copy(name) / FIXTURE_ROOTS[name]
    meta = cargo_metadata(root)
    project = detect(root)
    cargo_bins = {
        (package["name"], target["name"], Path(target["src_path"]).relative_to(root).as_posix(),
         tuple(target.get("required-features", ())))
        for package in meta["packages"]
        for target in package["targets"]
        if "bin" in target["kind"]
    }
    assert {(b.package, b.name, b.path, b.required_features) for b in project.binaries} == cargo_bins
    members = {p["id"] for p in meta["packages"]} & set(meta["workspace_members"])
    assert sorted(p["name"] for p in meta["packages"] if p["id"] in members) == sorted(
        m.name for m in project.members
    )
    build_scripts = {p["name"] for p in meta["packages"] if any("custom-build" in t["kind"] for t in p["targets"])}
    assert {m.name for m in project.members if m.has_build_rs} == build_scripts
