"""The crates-to-system-needs table: every row on a project whose Cargo.lock holds its
crate, each with a near miss; then how features, the lock and the images decide."""

from __future__ import annotations

import pytest
from sys_projects import write_project

from rustdock.wizard.detect import detect
from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.needs_syslibs import sys_needs
from rustdock.wizard.plan import make_plan
from rustdock.wizard.rules import check
from rustdock.wizard.sys_table import BUILDER_HAS, ROWS, RUNTIME_HAS, SysRow, debian_name

#: Rows the tests drive (openssl-sys is the tls option's: tested with it).
TESTED = [row for row in ROWS if not row.decided_by]


def _version(row: SysRow) -> str:
    if row.since:
        return row.since + ".2"
    if row.until:
        return "0.1.0"
    return "1.0.0"


def _project(tmp_path, row: SysRow, *, dev_only=False, features=(), version="",
             extra_lock=()):
    """The app depends on the row's crate (a build-dependency for tools)."""
    spec = {"version": "1"} if not features else {"version": "1", "features": list(features)}
    table = "dev_deps" if dev_only else ("build_deps" if row.link == "tool" else "deps")
    # The lock lists the crate's bundling dependency only when a feature asks for it.
    children = ["pkg-config", *([row.bundled_dep] if features and row.bundled_dep else [])]
    lock = [(row.crate, version or _version(row), children),
            ("cc", "1.2.0", []), ("pkg-config", "0.3.30", []), *extra_lock]
    return write_project(tmp_path, **{table: {row.crate: spec}}, lock=lock,
                         build_rs="fn main() {}\n" if row.link == "tool" else "")


def _ids(plan) -> set[str]:
    return {f.rule for f in check(plan)}


def _severities(plan, rule) -> set[str]:
    return {f.severity for f in check(plan) if f.rule == rule}


@pytest.mark.parametrize("row", TESTED, ids=lambda r: f"{r.crate}-{r.since or r.until or 'any'}")
def test_each_row_asks_what_it_says(tmp_path, row):
    project = _project(tmp_path, row)
    slim = make_plan(project, overrides=["libc=glibc", "builder=debian-slim",
                                         "runtime=debian-slim"])
    builder = set(values(needs(slim).builder_packages))
    runtime = set(values(needs(slim).runtime_packages))
    assert [n.crate for n in sys_needs(slim)] == [row.crate]
    if row.link == "tool":
        assert set(row.apt.build) <= builder
    if row.link == "system":
        assert set(row.apt.build) - {"pkg-config"} <= builder
        assert {debian_name(p, "bookworm") for p in row.apt.run} <= runtime
    if row.link in ("bundled", "prefers-system"):
        assert not {debian_name(p, "bookworm") for p in row.apt.run} & runtime
    assert set(row.tools) - BUILDER_HAS["debian-slim"] <= builder
    for package in builder & set(row.apt.build + row.tools):
        assert row.crate in {n.value: n.reason for n in needs(slim).builder_packages}[package]
    # The libc default follows the row's static-musl column.
    default = make_plan(project)
    assert default.libc == ("musl" if row.musl_static(False) else "glibc")


@pytest.mark.parametrize("row", TESTED, ids=lambda r: f"{r.crate}-{r.since or r.until or 'any'}")
def test_a_dev_dependency_is_no_need(tmp_path, row):
    plan = make_plan(_project(tmp_path, row, dev_only=True), overrides=["builder=debian-slim"])
    assert sys_needs(plan) == ()
    assert plan.libc == "musl"


BUNDLABLE = [row for row in TESTED if row.link == "system" and row.bundled_by]


@pytest.mark.parametrize("row", BUNDLABLE, ids=lambda r: r.crate)
def test_a_bundling_feature_removes_the_system_library(tmp_path, row):
    plain = make_plan(_project(tmp_path / "plain", row),
                      overrides=["libc=glibc", "runtime=distroless-cc"])
    assert "runtime-lacks-library" in _ids(plain)
    bundled = make_plan(_project(tmp_path / "bundled", row, features=row.bundled_by[:1]),
                        overrides=["libc=glibc", "runtime=distroless-cc",
                                   "builder=debian-slim"])
    assert "runtime-lacks-library" not in _ids(bundled)
    assert not set(row.apt.build) - {"pkg-config"} & set(values(needs(bundled).builder_packages))
    assert make_plan(bundled.project).libc == ("glibc" if row.cpp else "musl")


SYSTEM_ONLY = [row for row in TESTED if row.link == "system"]


@pytest.mark.parametrize("row", SYSTEM_ONLY, ids=lambda r: r.crate)
def test_a_system_library_the_runtime_lacks_is_an_error_with_runtime_fixes(tmp_path, row):
    plan = make_plan(_project(tmp_path, row), overrides=["runtime=distroless-cc"])
    assert plan.libc == "glibc"
    found = [f for f in check(plan) if f.rule == "runtime-lacks-library"]
    assert found and found[0].is_error and found[0].fix_choices == (("runtime", "debian-slim"),)
    lib = debian_name(row.apt.run[0], "bookworm")
    assert lib in found[0].message and row.crate in found[0].message
    slim = plan.with_choice("runtime", "debian-slim")
    assert "runtime-lacks-library" not in _ids(slim)
    assert lib in values(needs(slim).runtime_packages)
    musl = plan.with_choice("libc", "musl")
    assert "static-cannot-link" in _ids(musl)


PREFERS = [row for row in TESTED if row.link == "prefers-system"]


@pytest.mark.parametrize("row", PREFERS, ids=lambda r: r.crate)
def test_a_library_found_with_pkg_config_is_linked_in_or_installed(tmp_path, row):
    project = _project(tmp_path, row)
    distroless = make_plan(project, overrides=["libc=glibc", "runtime=distroless-cc"])
    if row.bundled_env:
        assert row.bundled_env in values(needs(distroless).build_env)
        assert "runtime-lacks-library" not in _ids(distroless)
    else:
        assert "runtime-lacks-library" in _ids(distroless)
    slim = distroless.with_choice("runtime", "debian-slim")
    assert row.bundled_env not in values(needs(slim).build_env) or not row.bundled_env
    assert debian_name(row.apt.run[0], "bookworm") in values(needs(slim).runtime_packages)
    # Near miss: the slim builder has no -dev package, so the crate compiles its own copy.
    own = distroless.with_choice("builder", "debian-slim")
    assert "runtime-lacks-library" not in _ids(own)
    assert not values(needs(own).build_env)


PROTOC = [row for row in TESTED if row.unless_crates]


@pytest.mark.parametrize("row", PROTOC, ids=lambda r: r.crate)
def test_protox_or_a_vendored_protoc_removes_protoc(tmp_path, row):
    for companion in row.unless_crates:
        project = _project(tmp_path / companion, row, extra_lock=[(companion, "0.7.0", [])])
        project = write_project(
            tmp_path / companion,
            build_deps={row.crate: "1", companion: "0.7"},
            lock=[(row.crate, _version(row), []), (companion, "0.7.0", [])],
            build_rs="fn main() {}\n")
        assert sys_needs(make_plan(project)) == ()


def test_protoc_is_not_needed_where_cargo_config_sets_protoc(tmp_path):
    project = write_project(tmp_path, build_deps={"prost-build": "0.13"},
                            lock=[("prost-build", "0.13.5", [])], build_rs="fn main() {}\n",
                            files={".cargo/config.toml": '[env]\nPROTOC = "/opt/protoc"\n'})
    assert sys_needs(make_plan(project)) == ()


VERSIONED = [row for row in TESTED if row.since or row.until]


@pytest.mark.parametrize("row", VERSIONED, ids=lambda r: f"{r.crate}-{r.since or r.until}")
def test_versions_outside_the_row_are_no_need(tmp_path, row):
    outside = "0.7.2" if row.since else "0.99.0"
    plan = make_plan(_project(tmp_path, row, version=outside))
    assert row not in [n.row for n in sys_needs(plan)]


def test_well_known_proto_imports_add_protoc_s_include_files(tmp_path):
    kwargs = dict(build_deps={"tonic-build": "0.12"},
                  lock=[("tonic-build", "0.12.3", ["prost-build"]), ("prost-build", "0.13.5", [])],
                  build_rs='fn main() { tonic_build::compile_protos("proto/a.proto").unwrap(); }\n')
    plain = write_project(tmp_path / "plain", **kwargs,
                          files={"proto/a.proto": 'syntax = "proto3";\n'})
    wkt = write_project(tmp_path / "wkt", **kwargs, files={
        "proto/a.proto": 'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\n'})
    assert "libprotobuf-dev" not in values(needs(make_plan(plain)).builder_packages)
    found = {n.value: n.reason for n in needs(make_plan(wkt)).builder_packages}
    assert "protobuf-compiler" in found and "libprotobuf-dev" in found
    assert "build.rs" in found["protobuf-compiler"]  # the build script that uses it


# -- what decides: features, the lock, the images ---------------------------------------

def _diesel(tmp_path, features, app_features=None):
    return write_project(
        tmp_path, deps={"diesel": {"version": "2", "features": features}},
        features=app_features,
        lock=[("diesel", "2.2.4", ["pq-sys", "libsqlite3-sys", "mysqlclient-sys"]),
              ("pq-sys", "0.6.3", ["pkg-config"]), ("libsqlite3-sys", "0.30.1", ["pkg-config"]),
              ("mysqlclient-sys", "0.4.1", ["pkg-config"]), ("pkg-config", "0.3.30", [])])


def test_only_the_diesel_backend_the_build_enables_counts(tmp_path):
    plan = make_plan(_diesel(tmp_path, ["postgres"]))
    assert [n.crate for n in sys_needs(plan)] == ["pq-sys"]
    assert sys_needs(plan)[0].certain and sys_needs(plan)[0].bundled is False
    assert sys_needs(plan)[0].through == "diesel"


def test_a_backend_behind_a_feature_of_the_project_counts_once_it_is_on(tmp_path):
    project = _diesel(tmp_path, [], {"pg": ["diesel/postgres"], "lite": ["diesel/sqlite"]})
    assert sys_needs(make_plan(project)) == ()
    assert make_plan(project).libc == "musl"
    on = make_plan(project, overrides=["features=pg"])
    assert [n.crate for n in sys_needs(on)] == ["pq-sys"] and on.libc == "glibc"


def test_the_lock_tells_when_no_build_bundles_sqlite(tmp_path):
    project = write_project(
        tmp_path, deps={"sqlx": {"version": "0.8", "features": ["postgres"]}, "odd": "1"},
        lock=[("sqlx", "0.8.2", []), ("odd", "1.0.0", ["libsqlite3-sys"]),
              ("libsqlite3-sys", "0.30.1", ["pkg-config", "vcpkg"])])
    need = sys_needs(make_plan(project))[0]
    assert need.crate == "libsqlite3-sys" and need.bundled is False  # no cc in its deps


def test_sqlx_sqlite_bundles_sqlite(tmp_path):
    project = write_project(
        tmp_path, deps={"sqlx": {"version": "0.8", "features": ["sqlite"]}},
        lock=[("sqlx", "0.8.2", ["sqlx-sqlite"]), ("sqlx-sqlite", "0.8.2", ["libsqlite3-sys"]),
              ("libsqlite3-sys", "0.30.1", ["cc", "pkg-config"]), ("cc", "1.2.0", [])])
    plan = make_plan(project, overrides=["libc=glibc"])
    assert sys_needs(plan)[0].bundled is True
    assert "runtime-lacks-library" not in _ids(plan) and make_plan(project).libc == "musl"


def test_unknown_bundling_is_a_warning_that_says_why(tmp_path):
    # rusqlite surely pulls libsqlite3-sys in, but a feature that is off asks it for more:
    # whether the lock's `cc` (bundling) is this build's cannot be told.
    project = write_project(
        tmp_path, deps={"rusqlite": "0.32"}, features={"lite": ["rusqlite/bundled"]},
        lock=[("rusqlite", "0.32.1", ["libsqlite3-sys"]),
              ("libsqlite3-sys", "0.30.1", ["cc", "pkg-config"]), ("cc", "1.2.0", [])])
    plan = make_plan(project, overrides=["libc=glibc", "runtime=distroless-cc"])
    found = [f for f in check(plan) if f.rule == "runtime-lacks-library"]
    assert found and found[0].severity == "warning"
    assert "Cargo.lock does not record features" in found[0].message
    assert "`bundled` feature" in found[0].message


def test_a_project_feature_that_bundles_is_the_one_key_fix(tmp_path):
    project = write_project(
        tmp_path, deps={"libsqlite3-sys": {"version": "0.30"}},
        features={"bundled-sqlite": ["libsqlite3-sys/bundled"]},
        lock=[("libsqlite3-sys", "0.30.1", ["cc", "pkg-config"]), ("cc", "1.2.0", [])])
    plan = make_plan(project, overrides=["libc=musl"])
    found = next(f for f in check(plan) if f.rule == "static-cannot-link")
    assert "features=bundled-sqlite" in found.fix
    fixed = plan.with_choice("features", ("bundled-sqlite",))
    assert "static-cannot-link" not in _ids(fixed)


def test_distroless_debian13_has_zlib_where_debian12_does_not():
    assert "zlib1g" in RUNTIME_HAS[("distroless-cc", "trixie")]
    assert "zlib1g" not in RUNTIME_HAS[("distroless-cc", "bookworm")]
    assert "libpq5" not in RUNTIME_HAS[("distroless-cc", "bookworm")]


def test_zlib_is_linked_in_for_distroless_debian12_only(tmp_path):
    project = write_project(tmp_path, deps={"libz-sys": "1"},
                            lock=[("libz-sys", "1.1.22", ["cc", "pkg-config"])])
    twelve = make_plan(project, overrides=["libc=glibc", "runtime=distroless-cc"])
    assert "LIBZ_SYS_STATIC=1" in values(needs(twelve).build_env)
    why = {n.value: n.reason for n in needs(twelve).build_env}["LIBZ_SYS_STATIC=1"]
    assert "distroless-cc has no zlib1g" in why
    thirteen = twelve.with_choice("debian", "trixie")
    assert "LIBZ_SYS_STATIC=1" not in values(needs(thirteen).build_env)
    assert "runtime-lacks-library" not in _ids(thirteen)


def test_muslrust_and_alpine_link_what_debian_musl_cannot(tmp_path):
    project = write_project(tmp_path, deps={"pq-sys": "0.6"},
                            lock=[("pq-sys", "0.6.3", ["pkg-config"])])
    debian = make_plan(project, overrides=["libc=musl", "runtime=scratch"])
    assert "static-cannot-link" in _ids(debian)
    assert "static-cannot-link" not in _ids(debian.with_choice("builder", "muslrust"))
    sqlite = write_project(tmp_path / "lite", deps={"libsqlite3-sys": "0.30"},
                           lock=[("libsqlite3-sys", "0.30.1", ["pkg-config"])])
    alpine = make_plan(sqlite, overrides=["libc=musl", "builder=alpine", "runtime=scratch"])
    assert "static-cannot-link" not in _ids(alpine)
    assert {"sqlite-dev", "sqlite-static"} <= set(values(needs(alpine).builder_packages))


def test_a_cross_build_warns_about_system_libraries(tmp_path):
    project = write_project(tmp_path, deps={"pq-sys": "0.6"},
                            lock=[("pq-sys", "0.6.3", ["pkg-config"])])
    plan = make_plan(project, overrides=["platforms=amd64,arm64", "runtime=debian-slim"])
    assert _severities(plan, "cross-system-library") == {"warning"}
    assert "cross-system-library" not in _ids(plan.with_choice("platforms", "amd64"))


# -- the fixture projects of each class --------------------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"


def test_grpc_service_gets_protoc_and_its_include_files(capsys):
    from rustdock.wizard.cli import main
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(FIXTURES / "grpc-protoc"))
    found = {n.value: n.reason for n in needs(plan).builder_packages}
    assert "build.rs" in found["protobuf-compiler"] and "tonic-build" in found["protobuf-compiler"]
    assert "google/protobuf" in found["libprotobuf-dev"]
    assert main(["generate", str(FIXTURES / "grpc-protoc")]) == 0
    assert "protobuf-compiler" in capsys.readouterr().out


def test_diesel_on_postgres_is_glibc_on_debian_slim_and_refuses_distroless(capsys):
    """libpq5 is no part of distroless-cc: the default runtime is one that installs it
    (realworld-rust-rocket's default plan was refused by rustdock's own rule); asking
    for distroless-cc is refused with the way out."""
    from rustdock.wizard.cli import main
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(FIXTURES / "diesel-postgres"))
    assert (plan.libc, plan.runtime) == ("glibc", "debian-slim")
    assert "runtime-lacks-library" not in _ids(plan)
    assert main(["generate", str(FIXTURES / "diesel-postgres"), "--set", "runtime=distroless-cc"]) == 1
    assert "distroless-cc has no libpq5" in capsys.readouterr().err
    assert main(["generate", str(FIXTURES / "diesel-postgres")]) == 0
    dockerfile = capsys.readouterr().out
    runtime = dockerfile.split("AS runtime")[1]
    assert "libpq5" in runtime and "libpq-dev" not in dockerfile  # the debian builder has it


def test_rocksdb_is_glibc_with_libclang():
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(FIXTURES / "rocksdb-cpp"))
    assert plan.libc == "glibc" and "static-cannot-link" not in _ids(plan)
    assert "libclang-dev" in values(needs(plan).builder_packages)
    musl = plan.with_choice("libc", "musl")
    messages = [f.message for f in check(musl) if f.rule == "static-cannot-link"]
    assert any("C++" in m and "librocksdb-sys" in m for m in messages)


def test_linkers_cargo_config_names_are_installed_for_the_triple_built(tmp_path):
    config = ('[target.x86_64-unknown-linux-gnu]\nrustflags = ["-C", "linker=clang", "-C", '
              '"link-arg=-fuse-ld=lld"]\n[target.aarch64-apple-darwin]\nlinker = "mold"\n')
    project = write_project(tmp_path, lock=[], files={".cargo/config.toml": config})
    glibc = make_plan(project, overrides=["libc=glibc"])
    found = {n.value: n.reason for n in needs(glibc).builder_packages}
    assert {"clang", "lld"} <= set(found) and "mold" not in found
    assert "x86_64-unknown-linux-gnu" in found["clang"]
    musl = make_plan(project, overrides=["libc=musl"])  # another triple: its section is not read
    assert not {"clang", "lld"} & set(values(needs(musl).builder_packages))


def test_without_a_lock_the_table_s_own_edges_still_lead_to_the_sys_crate(tmp_path):
    # pastebin: rocksdb and no Cargo.lock; librocksdb-sys (C++, bindgen) is still certain.
    project = write_project(tmp_path, deps={"rocksdb": "0.21", "diesel": {
        "version": "2", "default-features": False, "features": ["sqlite"]}})
    (tmp_path / "Cargo.lock").unlink()
    plan = make_plan(detect(tmp_path))
    found = {n.crate: n for n in sys_needs(plan)}
    assert {"librocksdb-sys", "libsqlite3-sys"} <= set(found)
    assert "pq-sys" not in found  # diesel's postgres edge is a feature this build leaves off
    assert found["librocksdb-sys"].through == "rocksdb" and found["librocksdb-sys"].certain
    assert plan.libc == "glibc"  # C++ and libclang: no static musl build
    assert "libclang-dev" in values(needs(plan).builder_packages)
