"""Fault tests of the atomic save: all files or none, backups, refusals."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from patch_helpers import crate, plan
from rustdock.wizard import save as save_module
from rustdock.wizard.changes import FileChange
from rustdock.wizard.meta import MARKER
from rustdock.wizard.patch import patch_project
from rustdock.wizard.save import BACKUP_DIR, SaveError, save

MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n'
OURS = f"# syntax=docker/dockerfile:1\n{MARKER}\nFROM scratch\n"


def _project(tmp_path):
    crate(tmp_path, MANIFEST)
    (tmp_path / "Dockerfile").write_text(OURS)
    return [
        FileChange("Cargo.toml", MANIFEST, MANIFEST + '\n[profile.release]\nlto = true\n'),
        FileChange("Dockerfile", OURS, OURS + "USER 10001\n"),
        FileChange(".dockerignore", None, f"{MARKER}\ntarget/\n"),
    ]


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_writes_every_file_with_backups_and_modes(tmp_path):
    changes = _project(tmp_path)
    os.chmod(tmp_path / "Dockerfile", 0o640)
    result = save(tmp_path, changes + [FileChange("src/main.rs", "fn main() {}\n", "fn main() {}\n")])
    assert result.written == ("Cargo.toml", "Dockerfile", ".dockerignore")
    assert result.unchanged == ("src/main.rs",)
    assert (tmp_path / "Dockerfile").read_text().endswith("USER 10001\n")
    assert stat.S_IMODE((tmp_path / "Dockerfile").stat().st_mode) == 0o640
    assert len(result.backups) == 2 and all(b.startswith(BACKUP_DIR + "/") for b in result.backups)
    assert (tmp_path / result.backups[0]).read_text() == MANIFEST
    assert not list(tmp_path.rglob("*.rustdock-tmp"))


def test_a_failure_after_the_first_rename_leaves_every_file_as_it_was(tmp_path, monkeypatch):
    changes = _project(tmp_path)
    before = _snapshot(tmp_path)
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(save_module.os, "replace", flaky)
    probe = FileChange(".rustdock/healthprobe.rs", None, "fn main() {}\n")
    with pytest.raises(SaveError, match="put back"):
        save(tmp_path, changes + [probe])
    assert len(calls) == 2
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / ".rustdock").exists()


def test_a_file_edited_since_it_was_read_is_named(tmp_path):
    changes = _project(tmp_path)
    (tmp_path / "Cargo.toml").write_text(MANIFEST + "# my edit\n")
    before = _snapshot(tmp_path)
    with pytest.raises(SaveError, match="Cargo.toml changed on disk.*re-run"):
        save(tmp_path, changes)
    assert _snapshot(tmp_path) == before


def test_a_foreign_dockerfile_needs_force(tmp_path):
    changes = _project(tmp_path)
    foreign = "FROM rust\n"
    (tmp_path / "Dockerfile").write_text(foreign)
    changes[1] = FileChange("Dockerfile", foreign, OURS)
    with pytest.raises(SaveError, match="not written by rustdock.*--force"):
        save(tmp_path, changes)
    assert (tmp_path / "Dockerfile").read_text() == foreign
    result = save(tmp_path, changes, force=True)
    assert (tmp_path / "Dockerfile").read_text() == OURS
    assert any(b.endswith("/Dockerfile") for b in result.backups)


def test_non_utf8_file_is_refused(tmp_path):
    changes = _project(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(b"FROM \xff\n")
    with pytest.raises(SaveError, match="Dockerfile is not UTF-8"):
        save(tmp_path, changes)


CARGO = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")


@pytest.mark.parametrize(("new", "message"), [
    ("[package\n", "Cargo.toml: the new text is not valid TOML"),
    pytest.param(MANIFEST.replace('"app"', '"a b"'), "cargo rejects", marks=CARGO),
])
def test_a_bad_manifest_is_refused_and_nothing_is_written(tmp_path, new, message):
    changes = _project(tmp_path)
    changes[0] = FileChange("Cargo.toml", MANIFEST, new)
    before = _snapshot(tmp_path)
    with pytest.raises(SaveError, match=message):
        save(tmp_path, changes)
    assert _snapshot(tmp_path) == before


def test_read_only_folder_is_reported_up_front(tmp_path, monkeypatch):
    # Root ignores permission bits, so the check itself is exercised by answering "no".
    changes = _project(tmp_path)
    monkeypatch.setattr(save_module.os, "access", lambda path, mode: False)
    with pytest.raises(SaveError, match="read-only"):
        save(tmp_path, changes)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into 0o555 folders anyway")
def test_read_only_folder_for_real(tmp_path):
    changes = _project(tmp_path)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="read-only"):
            save(tmp_path, changes)
    finally:
        tmp_path.chmod(0o755)


def test_a_folder_where_the_file_goes_is_refused(tmp_path):
    changes = _project(tmp_path)
    (tmp_path / ".dockerignore").mkdir()
    with pytest.raises(SaveError, match=".dockerignore is a folder"):
        save(tmp_path, changes)
    assert (tmp_path / "Cargo.toml").read_text() == MANIFEST


def test_a_file_in_the_way_of_a_folder_stops_even_root(tmp_path):
    changes = _project(tmp_path)
    (tmp_path / ".rustdock").write_text("not a folder")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        save(tmp_path, changes + [FileChange(".rustdock/healthprobe.rs", None, "fn main() {}\n")])


def test_without_cargo_validation_is_skipped_and_said(tmp_path, monkeypatch):
    changes = _project(tmp_path)
    monkeypatch.setattr(save_module.shutil, "which", lambda name: None)
    assert "not checked" in save(tmp_path, changes).validation


@CARGO
def test_cargo_metadata_accepts_a_saved_patch(tmp_path):
    project = crate(tmp_path, MANIFEST + '\n[dependencies]\nreqwest = { version = "0.12" }\n')
    result = patch_project(plan(project, "profile=size", "allocator=jemalloc", "tls=rustls"))
    saved = save(tmp_path, result.changes)
    assert saved.validation == "cargo metadata accepted the patched manifests"
    done = subprocess.run(["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@CARGO
def test_validation_follows_path_dependencies_outside_the_project(tmp_path):
    # path-outside/app depends on ../shared, which is not under the project root.
    from rustdock.wizard.patch.validate import cargo_check

    app = tmp_path / "app"
    crate(app, MANIFEST + '\n[dependencies]\nshared = { path = "../shared" }\n')
    crate(tmp_path / "shared", MANIFEST.replace('"app"', '"shared"'))
    lock = (app / "Cargo.lock")
    lock.write_text("# lock\n")
    cargo_check(app, {"Cargo.toml": (app / "Cargo.toml").read_text() + "\n[profile.release]\nlto = true\n"})
    assert lock.read_text() == "# lock\n"


@CARGO
def test_validation_resolves_member_globs_and_names_the_real_path(tmp_path):
    from rustdock.wizard.patch.validate import CargoCheckError, cargo_check

    crate(tmp_path / "crates" / "api", MANIFEST)
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    with pytest.raises(CargoCheckError) as err:
        cargo_check(tmp_path, {"crates/api/Cargo.toml": MANIFEST.replace('"app"', '"a b"')})
    assert str(tmp_path / "crates" / "api") in str(err.value)
    assert "rustdock-check-" not in str(err.value)
