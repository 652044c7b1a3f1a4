"""Reading dependency tables of a manifest's plain data (the user's own values)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .record import Path_

MUSL = 'cfg(target_env = "musl")'


def dependency_tables(data: dict) -> Iterator[Path_]:
    """Paths of the tables that hold the shipped build's dependencies (not dev/build)."""
    if isinstance(data.get("dependencies"), dict):
        yield ("dependencies",)
    for cfg, table in (data.get("target") or {}).items():
        if isinstance(table, dict) and isinstance(table.get("dependencies"), dict):
            yield ("target", cfg, "dependencies")
    workspace = data.get("workspace") or {}
    if isinstance(workspace.get("dependencies"), dict):
        yield ("workspace", "dependencies")


def table_at(data: dict, path: Path_) -> dict:
    for key in path:
        data = data.get(key) or {}
    return data


def dependencies(data: dict) -> Iterator[tuple[Path_, str, Any]]:
    """(table path, key, spec) for every dependency; the crate name honours `package =`."""
    for table in dependency_tables(data):
        for key, spec in table_at(data, table).items():
            yield table, key, spec


def crate_name(key: str, spec: Any) -> str:
    if isinstance(spec, dict) and isinstance(spec.get("package"), str):
        return spec["package"]
    return key


def inherits(spec: Any) -> bool:
    return isinstance(spec, dict) and spec.get("workspace") is True


def uses_inheritance(member: dict, root: dict) -> bool:
    """The member takes versions from the root's [workspace.dependencies]."""
    if not isinstance(table_at(root, ("workspace", "dependencies")), dict):
        return False
    if not table_at(root, ("workspace", "dependencies")):
        return False
    return any(inherits(spec) for _, _, spec in dependencies(member))


def version_of(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict) and isinstance(spec.get("version"), str):
        return spec["version"]
    return ""
