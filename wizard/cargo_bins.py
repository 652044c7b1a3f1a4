"""The binary targets of one package, found the way cargo finds them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .cargo_manifest import join, table
from .project import Binary


def _inferred(pkg_dir: Path, package: str) -> list[tuple[str, str]]:
    """(name, path relative to the package) of src/main.rs, src/bin/*.rs, src/bin/*/main.rs."""
    found: list[tuple[str, str]] = []
    if (pkg_dir / "src" / "main.rs").is_file():
        found.append((package, "src/main.rs"))
    bin_dir = pkg_dir / "src" / "bin"
    if bin_dir.is_dir():
        for entry in sorted(bin_dir.iterdir(), key=lambda p: p.name):
            if entry.suffix == ".rs" and entry.is_file():
                found.append((entry.stem, f"src/bin/{entry.name}"))
            elif entry.is_dir() and (entry / "main.rs").is_file():
                found.append((entry.name, f"src/bin/{entry.name}/main.rs"))
    return found


def _declared_path(pkg_dir: Path, package: str, name: str, inferred: list[tuple[str, str]]) -> str:
    """Where cargo looks for a `[[bin]]` without `path`."""
    for inferred_name, path in inferred:
        if inferred_name == name:
            return path
    if name == package and (pkg_dir / "src" / "main.rs").is_file():
        return "src/main.rs"
    if (pkg_dir / "src" / "bin" / name / "main.rs").is_file():
        return f"src/bin/{name}/main.rs"
    return f"src/bin/{name}.rs"


def package_binaries(data: dict[str, Any], package: str, pkg_dir: Path, pkg_rel: str) -> tuple[Binary, ...]:
    """Binaries of the package whose manifest is `data`, its `default-run` first.

    `[[bin]]` entries come first in their order, then inferred ones cargo adds because
    `autobins` is on and no declared target already uses their file."""
    meta = table(data.get("package"))
    autobins = meta.get("autobins", True) is not False
    inferred = _inferred(pkg_dir, package)
    entries: list[tuple[str, str, tuple[str, ...]]] = []
    declared = data.get("bin") or []
    for item in declared if isinstance(declared, list) else []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        name = str(item["name"])
        path = str(item.get("path") or _declared_path(pkg_dir, package, name, inferred))
        entries.append((name, join(".", path), _required_features(item)))
    if autobins:
        taken_paths = {path for _, path, _ in entries}
        taken_names = {name for name, _, _ in entries}
        entries += [(n, p, ()) for n, p in inferred if p not in taken_paths and n not in taken_names]
    default_run = meta.get("default-run")
    entries.sort(key=lambda entry: entry[0] != default_run)  # stable: only moves default-run up
    return tuple(
        Binary(name=name, package=package, package_dir=pkg_rel, path=join(pkg_rel, path),
               required_features=features, default_run=name == default_run)
        for name, path, features in entries
    )


def _required_features(item: dict[str, Any]) -> tuple[str, ...]:
    features = item.get("required-features")
    if not isinstance(features, list):
        return ()
    return tuple(dict.fromkeys(str(f) for f in features if isinstance(f, str) and f.strip()))
