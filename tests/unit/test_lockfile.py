"""Cargo.lock out of step with the manifests: told from the files, refreshed with cargo."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from patch_helpers import write
from rustdock.wizard.detect import detect
from rustdock.wizard.lockfile import missing, refresh

MANIFEST = '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
LOCK = ('version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n'
        'dependencies = ["itoa"]\n\n[[package]]\nname = "itoa"\nversion = "1.0.15"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n')


def project(root: Path, deps: str, lock: str = LOCK) -> Path:
    write(root, {"Cargo.toml": MANIFEST + deps, "Cargo.lock": lock, "src/main.rs": "fn main() {}\n"})
    return root


def test_a_lock_in_step_lacks_nothing(tmp_path):
    assert detect(project(tmp_path, 'itoa = "1"\n')).lock_missing == ()


def test_crates_the_manifest_adds_are_missing_from_the_lock(tmp_path):
    root = project(tmp_path, 'itoa = "1"\nmimalloc = "0.1"\n')
    assert detect(root).lock_missing == ("mimalloc",)


def test_features_that_pull_a_crate_count_too(tmp_path):
    root = project(tmp_path, 'itoa = "1"\nopenssl = { version = "0.10", features = ["vendored"] }\n',
                   LOCK.replace('"itoa"]', '"itoa", "openssl"]') + '\n[[package]]\nname = "openssl"\n'
                   'version = "0.10.70"\n')
    assert detect(root).lock_missing == ("openssl-src",)


def test_without_a_lock_nothing_is_missing(tmp_path):
    write(tmp_path, {"Cargo.toml": MANIFEST + 'mimalloc = "0.1"\n', "src/main.rs": "fn main() {}\n"})
    assert detect(tmp_path).lock_missing == ()
    assert missing([], None) == ()


@pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not on PATH")
def test_refresh_runs_cargo_update_and_the_lock_is_in_step_after(tmp_path):
    # A workspace member the lock does not list yet: cargo adds it without the network.
    write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["app", "lib"]\nresolver = "2"\n',
        "app/Cargo.toml": MANIFEST.replace("[dependencies]\n", '[dependencies]\nlib = { path = "../lib" }\n'),
        "app/src/main.rs": "fn main() {}\n",
        "lib/Cargo.toml": '[package]\nname = "lib"\nversion = "0.1.0"\nedition = "2021"\n',
        "lib/src/lib.rs": "",
        "Cargo.lock": 'version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n',
    })
    result = refresh(tmp_path)
    assert result.ok, result.output
    names = {p["name"] for p in tomllib.loads((tmp_path / "Cargo.lock").read_text())["package"]}
    assert names == {"app", "lib"}


def test_refresh_says_why_when_cargo_fails(tmp_path):
    if shutil.which("cargo") is None:
        result = refresh(tmp_path)
        assert not result.ok and "not on PATH" in result.output
        return
    result = refresh(tmp_path)  # no Cargo.toml here
    assert not result.ok and "Cargo.toml" in result.output
