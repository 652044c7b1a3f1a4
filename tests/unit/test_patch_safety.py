"""Cargo.toml edits that cannot hurt: findings about OpenSSL only for crates that pull it,
no second global allocator, no panic=abort where code catches unwinds, no new dependency
in the default plan."""

from __future__ import annotations

from sys_projects import write_project

from rustdock.wizard.patch import patch_project
from rustdock.wizard.plan import make_plan


def _unswitched(plan) -> list[str]:
    return [f.message for f in patch_project(plan).findings if f.rule == "tls-unswitched"]


def test_a_crate_that_only_pulls_rustls_is_not_said_to_link_openssl(tmp_path):
    project = write_project(
        tmp_path, deps={"actix-files": "0.6", "webby": "1"},
        lock=[("actix-files", "0.6.6", ["actix-web"]), ("actix-web", "4.9.0", ["rustls"]),
              ("webby", "1.0.0", ["rustls"]), ("rustls", "0.23.20", ["ring"]),
              ("ring", "0.17.8", [])])
    plan = make_plan(project, overrides=["tls=rustls"])
    assert _unswitched(plan) == []


def test_a_crate_that_really_pulls_openssl_sys_is_named(tmp_path):
    project = write_project(
        tmp_path, deps={"webby": "1"},
        lock=[("webby", "1.0.0", ["native-tls"]), ("native-tls", "0.2.12", ["openssl"]),
              ("openssl", "0.10.68", ["openssl-sys"]), ("openssl-sys", "0.9.104", [])])
    plan = make_plan(project, overrides=["tls=rustls"])
    assert any("webby" in m for m in _unswitched(plan))


# -- one global allocator ----------------------------------------------------------------

def _workspace_with_allocator(tmp_path, allocator_in_common=True):
    from pathlib import Path

    root = Path(tmp_path)
    (root / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/common", "crates/server"]\n'
                                     'resolver = "2"\n')
    common = root / "crates" / "common"
    (common / "src").mkdir(parents=True)
    deps = 'tikv-jemallocator = "0.6"\n' if allocator_in_common else ""
    (common / "Cargo.toml").write_text('[package]\nname = "common"\nversion = "0.1.0"\n'
                                       f'edition = "2021"\n\n[dependencies]\n{deps}')
    lib = ("#[global_allocator]\nstatic GLOBAL: tikv_jemallocator::Jemalloc = "
           "tikv_jemallocator::Jemalloc;\n" if allocator_in_common else "pub fn f() {}\n")
    (common / "src" / "lib.rs").write_text(lib)
    server = root / "crates" / "server"
    (server / "src").mkdir(parents=True)
    (server / "Cargo.toml").write_text('[package]\nname = "server"\nversion = "0.1.0"\n'
                                       'edition = "2021"\n\n[dependencies]\n'
                                       'common = { path = "../common" }\n')
    (server / "src" / "main.rs").write_text("fn main() { }\n")
    from rustdock.wizard.detect import detect

    return detect(root)


def test_a_global_allocator_in_another_workspace_crate_is_kept_not_doubled(tmp_path):
    project = _workspace_with_allocator(tmp_path)
    assert project.build.global_allocators == ("crates/common/src/lib.rs:1",)
    plan = make_plan(project)
    assert plan.allocator == "jemalloc"  # the crate the project already has
    result = patch_project(plan)
    assert result.changes == ()
    found = next(f for f in result.findings if f.rule == "allocator-exists")
    assert "crates/common/src/lib.rs:1" in found.message and found.severity == "tip"


def test_without_one_the_chosen_allocator_is_added(tmp_path):
    plan = make_plan(_workspace_with_allocator(tmp_path, False), overrides=["allocator=mimalloc"])
    paths = {c.path for c in patch_project(plan).changes} - {"rustdock.toml"}  # the record
    assert paths == {"crates/server/Cargo.toml", "crates/server/src/main.rs"}


# -- no panic=abort where code catches unwinds -------------------------------------------

def test_catch_unwind_keeps_panic_unwind_and_says_why(tmp_path):
    project = write_project(tmp_path, lock=[], files={
        "src/main.rs": "fn main() { let _ = std::panic::catch_unwind(|| 1); }\n"})
    result = patch_project(make_plan(project, overrides=["profile=size"]))
    manifest = next(c for c in result.changes if c.path == "Cargo.toml").after
    assert 'opt-level = "z"' in manifest and "panic" not in manifest
    tip = next(f for f in result.findings if f.rule == "profile-keeps-unwind")
    assert "src/main.rs:1" in tip.message


def test_without_catch_unwind_the_size_profile_aborts(tmp_path):
    result = patch_project(make_plan(write_project(tmp_path, lock=[]), overrides=["profile=size"]))
    assert 'panic = "abort"' in next(c for c in result.changes if c.path == "Cargo.toml").after


# -- an existing vendoring feature instead of a new dependency --------------------------

def test_the_package_s_vendoring_feature_is_used_instead_of_adding_openssl(tmp_path):
    from rustdock.wizard.need import values
    from rustdock.wizard.needs import needs

    project = write_project(tmp_path, deps={"openssl": "0.10"},
                            features={"vendored-tls": ["openssl/vendored"]},
                            lock=[("openssl", "0.10.68", ["openssl-sys"]),
                                  ("openssl-sys", "0.9.104", [])])
    plan = make_plan(project, overrides=["tls=openssl-vendored", "libc=musl"])
    assert [c.path for c in patch_project(plan).changes] == []
    assert "--features vendored-tls" in values(needs(plan).cargo_flags)


def test_without_one_the_openssl_crate_is_added_with_vendored(tmp_path):
    project = write_project(tmp_path, deps={"openssl": "0.10"},
                            lock=[("openssl", "0.10.68", ["openssl-sys"]),
                                  ("openssl-sys", "0.9.104", [])])
    plan = make_plan(project, overrides=["tls=openssl-vendored", "libc=musl"])
    manifest = next(c for c in patch_project(plan).changes if c.path == "Cargo.toml").after
    assert "vendored" in manifest


# -- the default plan adds no dependency ---------------------------------------------------

def test_the_default_plan_of_every_fixture_adds_no_dependency(tmp_path):
    import shutil
    from pathlib import Path

    from rustdock.wizard.detect import DetectError, detect
    from rustdock.wizard.patch import _dependencies_differ

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    checked = 0
    for source in sorted(fixtures.iterdir()):
        root = Path(shutil.copytree(source, tmp_path / source.name, symlinks=True))
        root = root / "app" if (root / "app" / "Cargo.toml").is_file() else root
        try:
            project = detect(root)
        except DetectError:
            continue  # the broken-input fixtures
        changes = patch_project(make_plan(project)).changes
        assert not [c.path for c in changes if _dependencies_differ(c)], source.name
        checked += 1
    assert checked >= 15
