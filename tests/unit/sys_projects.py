"""Small projects written on the fly with a Cargo.toml and a Cargo.lock, for the
system-needs table's tests: one package `app` and whatever the lock should hold."""

from __future__ import annotations

import json
from pathlib import Path

from rustdock.wizard.detect import detect
from rustdock.wizard.project import Project


def _spec(spec) -> str:
    if isinstance(spec, str):
        return json.dumps(spec)
    parts = []
    for key, value in spec.items():
        parts.append(f"{key} = {json.dumps(value)}")
    return "{ " + ", ".join(parts) + " }"


def write_project(
    root: Path,
    *,
    deps: dict | None = None,
    build_deps: dict | None = None,
    dev_deps: dict | None = None,
    features: dict | None = None,
    lock: list[tuple[str, str, list[str]]] = (),
    build_rs: str = "",
    files: dict[str, str] | None = None,
) -> Project:
    """A crate `app` with these dependency tables and a Cargo.lock holding `app` (its
    dependencies from every table) and each (name, version, dependencies) of `lock`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "main.rs").write_text("fn main() {}\n")
    lines = ['[package]', 'name = "app"', 'version = "0.1.0"', 'edition = "2021"', ""]
    for title, table in (("dependencies", deps), ("build-dependencies", build_deps),
                         ("dev-dependencies", dev_deps), ("features", features)):
        if table:
            lines.append(f"[{title}]")
            for key, spec in table.items():
                value = json.dumps(spec) if title == "features" else _spec(spec)
                lines.append(f"{json.dumps(key)} = {value}")
            lines.append("")
    (root / "Cargo.toml").write_text("\n".join(lines))
    if build_rs:
        (root / "build.rs").write_text(build_rs)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    direct = []
    for table in (deps, build_deps, dev_deps):
        for key, spec in (table or {}).items():
            name = spec.get("package", key) if isinstance(spec, dict) else key
            direct.append(name)
    packages = [("app", "0.1.0", direct, False), *((n, v, d, True) for n, v, d in lock)]
    text = ["version = 3", ""]
    for name, version, dependencies, registry in packages:
        text += ["[[package]]", f'name = "{name}"', f'version = "{version}"']
        if registry:
            text.append('source = "registry+https://github.com/rust-lang/crates.io-index"')
        if dependencies:
            text.append("dependencies = [" + ", ".join(json.dumps(d) for d in dependencies) + "]")
        text.append("")
    (root / "Cargo.lock").write_text("\n".join(text))
    return detect(root)
