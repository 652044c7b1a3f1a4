"""Projects detect cannot read: one clear line naming the file (and line) and the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rustdock.wizard.detect import DetectError, detect

MAIN = "fn main() {}\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def error_of(root: Path) -> str:
    with pytest.raises(DetectError) as caught:
        detect(root)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def package(name: str = "app", extra: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n{extra}'


def test_no_cargo_toml(tmp_path):
    message = error_of(tmp_path)
    assert message == (
        f"{tmp_path}: no Cargo.toml here; run rustdock inside a Rust project, or `rustdock --demo`"
    )


def test_not_a_directory(tmp_path):
    file = write(tmp_path, {"notes.txt": "hi"}) / "notes.txt"
    assert error_of(file).startswith(f"{file}: not a directory")


def test_broken_toml_names_file_and_line(fixture_copy):
    root = fixture_copy("broken-toml")
    message = error_of(root)
    assert message.startswith(f"{root / 'Cargo.toml'}:4: invalid TOML at line 4, column 15")
    assert message.endswith("fix that line")


def test_toml_broken_at_end_of_file(tmp_path):
    write(tmp_path, {"Cargo.toml": '[package]\nname = "x"\ndescription = """never closed\n'})
    message = error_of(tmp_path)
    assert f"{tmp_path / 'Cargo.toml'}:" in message and "invalid TOML" in message


def test_non_utf8_manifest_names_the_line(tmp_path):
    write(tmp_path, {"Cargo.toml": b'[package]\nname = "app"\ndescription = "caf\xe9"\n'})
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path / 'Cargo.toml'}:3: not UTF-8 text")
    assert "save the file as UTF-8" in message


def test_unreadable_manifest(tmp_path):
    (tmp_path / "Cargo.toml").mkdir()  # a directory where a file belongs: unreadable even as root
    assert error_of(tmp_path).startswith(f"{tmp_path / 'Cargo.toml'}: cannot read it")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_manifest_without_permission(tmp_path):
    write(tmp_path, {"Cargo.toml": package(), "src/main.rs": MAIN})
    (tmp_path / "Cargo.toml").chmod(0)
    try:
        assert "Permission denied" in error_of(tmp_path)
    finally:
        (tmp_path / "Cargo.toml").chmod(0o644)


def test_member_with_bad_toml_names_the_member_manifest(tmp_path):
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
        "crates/good/Cargo.toml": package("good"),
        "crates/good/src/main.rs": MAIN,
        "crates/bad/Cargo.toml": '[package]\nname = "bad"\nversion = 0.1.0\n',
    })
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path / 'crates/bad/Cargo.toml'}:3: invalid TOML at line 3")


def test_member_glob_matching_nothing(tmp_path):
    write(tmp_path, {"Cargo.toml": '[workspace]\nmembers = ["services/*"]\n'})
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path / 'Cargo.toml'}: workspace member pattern \"services/*\"")
    assert "[workspace] members" in message


def test_listed_member_without_manifest(tmp_path):
    write(tmp_path, {"Cargo.toml": '[workspace]\nmembers = ["api"]\n', "api/src/main.rs": MAIN})
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path / 'api/Cargo.toml'}: missing")
    assert "remove it from [workspace] members" in message


def test_library_only_workspace(fixture_copy):
    root = fixture_copy("library-only")
    message = error_of(root)
    assert message.startswith(f"{root / 'Cargo.toml'}: no binary target")
    assert "not a library" in message


def test_library_crate(tmp_path):
    write(tmp_path, {"Cargo.toml": package(), "src/lib.rs": "pub fn f() {}\n"})
    assert "no binary target" in error_of(tmp_path)


def test_manifest_that_is_neither_package_nor_workspace(tmp_path):
    write(tmp_path, {"Cargo.toml": '[dependencies]\nserde = "1"\n'})
    assert "neither [package] nor [workspace]" in error_of(tmp_path)


def test_member_inheriting_without_workspace_points_to_the_root(tmp_path):
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["app"]\n[workspace.package]\nversion = "1.0.0"\n',
        "app/Cargo.toml": '[package]\nname = "app"\nversion.workspace = true\n',
        "app/src/main.rs": MAIN,
    })
    message = error_of(tmp_path / "app")
    assert message.startswith(f"{tmp_path / 'app/Cargo.toml'}: [package] inherits fields")
    assert f"run rustdock in {tmp_path}" in message


@pytest.mark.parametrize(
    "rel",
    ["Cargo.lock", "rust-toolchain.toml", ".cargo/config.toml", "rustdock.toml", "shared/Cargo.toml"],
)
def test_every_toml_file_read_reports_its_own_name(tmp_path, rel):
    files = {
        "Cargo.toml": package(extra='\n[dependencies]\nshared = { path = "shared" }\n'),
        "src/main.rs": MAIN,
        "shared/Cargo.toml": package("shared"),
        "shared/src/lib.rs": "",
    }
    files[rel] = "[oops\n"
    write(tmp_path, files)
    message = error_of(tmp_path)
    assert message.startswith(f"{tmp_path / rel}:1: invalid TOML") or (
        rel == "rustdock.toml" and message.startswith(f"{tmp_path / rel}: invalid TOML")
    )
    assert "line 1" in message
