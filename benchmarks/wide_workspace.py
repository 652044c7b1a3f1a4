"""A generated workspace of N member crates, shaped like the large real ones the wizard
must keep up with: a server binary, a CLI, libraries that depend on each other by path,
and registry dependencies (reqwest with native-tls in several members, so tls=rustls
edits many manifests), with a Cargo.lock that lists them all. Never built: the wizard
only reads it."""

from __future__ import annotations

import shutil
from pathlib import Path

_REGISTRY = 'source = "registry+https://github.com/rust-lang/crates.io-index"'
#: (crate, version) every member may depend on; the lock lists each once.
CRATES = (("serde", "1.0.219"), ("tokio", "1.47.1"), ("reqwest", "0.12.23"),
          ("native-tls", "0.2.14"), ("openssl-sys", "0.9.109"), ("axum", "0.8.4"),
          ("tracing", "0.1.41"), ("anyhow", "1.0.99"))


def _member(index: int, count: int) -> tuple[str, str]:
    """(Cargo.toml, main or lib source) of member `index`."""
    name = "server" if index == 0 else "cli" if index == 1 else f"lib{index:02d}"
    deps = ['serde = { version = "1", features = ["derive"] }', 'anyhow = "1"',
            'tracing = "0.1"  # logging everywhere']
    if index % 3 == 0:
        deps.append('reqwest = { version = "0.12", features = ["json"] }')
    if index == 0:
        deps += ['tokio = { version = "1", features = ["full"] }', 'axum = "0.8"']
    # Each crate uses the next two libraries by path, so the server reaches all of them.
    for other in (index + 1, index + 2):
        if 2 <= other < count:
            deps.append(f'lib{other:02d} = {{ path = "../lib{other:02d}" }}')
    manifest = (f'[package]\nname = "{name}"\nversion = "0.1.{index}"\nedition = "2021"\n'
                f'description = "member {index} of a generated workspace"\n\n'
                "# Dependencies kept in the order the team added them.\n"
                "[dependencies]\n" + "\n".join(deps) + "\n\n"
                "[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\"] }\n")
    source = "fn main() {}\n" if index < 2 else "pub fn it() {}\n"
    return manifest, source


def make_workspace(dest: Path, members: int = 60) -> Path:
    """Write the workspace at dest (replacing what is there); its root."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    names = []
    for index in range(members):
        manifest, source = _member(index, members)
        name = manifest.split('"')[1]
        names.append(name)
        folder = dest / "crates" / name
        (folder / "src").mkdir(parents=True)
        (folder / "Cargo.toml").write_text(manifest)
        (folder / "src" / ("main.rs" if index < 2 else "lib.rs")).write_text(source)
    (dest / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\ndefault-members = ["crates/server"]\n\n'
        '[profile.release]\nopt-level = 3\n'
    )
    lock = ["version = 4\n"]
    for index, name in enumerate(names):
        lock.append(f'[[package]]\nname = "{name}"\nversion = "0.1.{index}"\n')
    pulls = {"reqwest": '["native-tls", "serde", "tokio"]', "native-tls": '["openssl-sys"]',
             "axum": '["serde", "tokio", "tracing"]'}
    for crate, version in CRATES:
        deps = f"dependencies = {pulls[crate]}\n" if crate in pulls else ""
        lock.append(f'[[package]]\nname = "{crate}"\nversion = "{version}"\n{_REGISTRY}\n{deps}')
    (dest / "Cargo.lock").write_text("\n".join(lock))
    return dest
