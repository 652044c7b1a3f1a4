"""Run from src/ or a member, rustdock finds the project like cargo does."""

from __future__ import annotations

from patch_helpers import write
from rustdock.wizard import cli
from rustdock.wizard.project_root import find_root

PACKAGE = '[package]\nname = "{}"\nversion = "0.1.0"\nedition = "2021"\n'


def test_from_src_the_crate_root(tmp_path):
    write(tmp_path, {"Cargo.toml": PACKAGE.format("app"), "src/main.rs": "fn main() {}\n"})
    assert find_root(tmp_path / "src") == tmp_path.resolve()
    assert find_root(tmp_path) == tmp_path.resolve()


def test_from_a_member_the_workspace_that_lists_it(tmp_path):
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/skip"]\n',
        "crates/api/Cargo.toml": PACKAGE.format("api"),
        "crates/api/src/main.rs": "fn main() {}\n",
        "crates/skip/Cargo.toml": PACKAGE.format("skip"),
        "crates/skip/src/main.rs": "fn main() {}\n",
    })
    assert find_root(tmp_path / "crates/api/src") == tmp_path.resolve()
    # An excluded crate is a project of its own, as for cargo.
    assert find_root(tmp_path / "crates/skip/src") == (tmp_path / "crates/skip").resolve()


def test_nothing_above_leaves_the_folder_as_it_is(tmp_path):
    (tmp_path / "empty").mkdir()
    assert find_root(tmp_path / "empty") == (tmp_path / "empty").resolve()


def test_generate_from_src_writes_at_the_root(tmp_path, capsys):
    write(tmp_path, {"Cargo.toml": PACKAGE.format("app"), "src/main.rs": "fn main() {}\n"})
    assert cli.main(["generate", str(tmp_path / "src"), "--write"]) == 0
    assert (tmp_path / "Dockerfile").is_file() and not (tmp_path / "src" / "Dockerfile").exists()
    assert f"using the project at {tmp_path.resolve()}" in capsys.readouterr().err
