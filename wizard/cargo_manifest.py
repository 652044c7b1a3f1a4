"""Read Cargo.toml files (and other TOML) into plain values, with errors that name the file."""

from __future__ import annotations

import posixpath
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DetectError(Exception):
    """A project rustdock cannot read. The message names the file (and line) and the fix."""


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")

#: Dependency tables of a manifest, in the order cargo documents them.
DEP_TABLES = ("dependencies", "build-dependencies", "dev-dependencies")


def read_text(path: Path) -> str:
    """A text file's contents; DetectError naming the file (and line) when it is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise DetectError(f"{path}: cannot read it ({reason}); check that it is a readable file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DetectError(f"{path}:{line}: not UTF-8 text (byte {err.start}); save the file as UTF-8") from None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; DetectError "<file>:<line>: invalid TOML: ..." when it is bad."""
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        at = _AT_LINE.search(message)
        if at:
            reason = message[: at.start()]
            raise DetectError(
                f"{path}:{at[1]}: invalid TOML at line {at[1]}, column {at[2]}: {reason}; fix that line"
            ) from None
        line = text.count("\n") + 1
        reason = _AT_END.sub("", message)
        raise DetectError(f"{path}:{line}: invalid TOML at end of file: {reason}; fix the file") from None


def strings(value: Any) -> list[str]:
    """A TOML array of strings as a list; anything else (a typo cargo rejects) as []."""
    return [str(v) for v in value] if isinstance(value, list) else []


def table(value: Any) -> dict[str, Any]:
    """A TOML table, or {} when the key holds something else."""
    return value if isinstance(value, dict) else {}


def norm(path: str) -> str:
    """A relative posix path in normal form ("." for the root), ".." kept when it leaves it."""
    return posixpath.normpath(path.replace("\\", "/")) if path else "."


def join(base: str, rel: str) -> str:
    """`rel` (relative to directory `base`, both relative to the root) relative to the root."""
    return norm(posixpath.join(base, rel))


@dataclass(frozen=True)
class Dep:
    """One dependency entry of a manifest, after `workspace = true` is resolved."""

    #: The crate's real name (`package = "..."` renames are undone).
    name: str
    #: "dependencies", "build-dependencies" or "dev-dependencies".
    kind: str
    #: The manifest declaring it, relative to the root.
    manifest: str
    features: tuple[str, ...] = ()
    default_features: bool = True
    #: Directory of a path dependency, relative to the root ("" when not a path dependency).
    path: str = ""
    git: str = ""
    registry: str = ""
    #: `workspace = true`: the root's [workspace.dependencies] holds its source and
    #: default-features, so edits to those belong in the root Cargo.toml.
    inherited: bool = False
    #: `optional = true`: only built when a feature turns it on.
    optional: bool = False
    #: The key the manifest uses for it (differs from `name` when renamed with `package`);
    #: features name dependencies by this key.
    key: str = ""


def _default_features(spec: dict[str, Any]) -> bool:
    return bool(spec.get("default-features", spec.get("default_features", True)))


def _spec_dep(key: str, spec: Any, kind: str, manifest: str, base: str, ws_deps: dict[str, Any]) -> Dep:
    if not isinstance(spec, dict):
        return Dep(name=key, kind=kind, manifest=manifest, key=key)
    optional = spec.get("optional") is True
    features = strings(spec.get("features"))
    default = _default_features(spec)
    inherited = spec.get("workspace") is True
    if inherited:
        # The workspace entry supplies the source; the member may only add features.
        spec = table(ws_deps.get(key))
        features = [*strings(spec.get("features")), *features]
        default = _default_features(spec)
        base = "."  # workspace paths are already relative to the root
    path = spec.get("path", "")
    return Dep(
        name=str(spec.get("package", key)),
        kind=kind,
        manifest=manifest,
        features=tuple(str(f) for f in features),
        default_features=default,
        path=join(base, str(path)) if path else "",
        git=str(spec.get("git", "")),
        registry=str(spec.get("registry", "")),
        inherited=inherited,
        optional=optional,
        key=key,
    )


def dependency_tables(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(kind, table) for every dependency table, `[target.'cfg(..)'.*]` ones included."""
    scopes = [data, *(t for t in table(data.get("target")).values() if isinstance(t, dict))]
    return [
        (kind, deps)
        for scope in scopes
        for kind in DEP_TABLES
        if isinstance(deps := scope.get(kind) or scope.get(kind.replace("-", "_")), dict)
    ]


def manifest_deps(data: dict[str, Any], manifest: str, base: str, ws_deps: dict[str, Any]) -> tuple[Dep, ...]:
    """Every dependency of one manifest. `base` is its directory, `ws_deps` the
    workspace's `[workspace.dependencies]` with paths already relative to the root."""
    return tuple(
        _spec_dep(key, spec, kind, manifest, base, ws_deps)
        for kind, table in dependency_tables(data)
        for key, spec in table.items()
    )


def workspace_dependencies(data: dict[str, Any]) -> dict[str, Any]:
    """`[workspace.dependencies]` of the root manifest, path entries made root-relative."""
    workspace = data.get("workspace")
    table = workspace.get("dependencies") if isinstance(workspace, dict) else None
    if not isinstance(table, dict):
        return {}
    out: dict[str, Any] = {}
    for key, spec in table.items():
        if isinstance(spec, dict) and spec.get("path"):
            spec = {**spec, "path": join(".", str(spec["path"]))}
        out[key] = spec
    return out


def inherit(package: dict[str, Any], key: str, workspace_package: dict[str, Any]) -> Any:
    """A `[package]` field, following `key.workspace = true` to `[workspace.package]`."""
    value = package.get(key)
    if isinstance(value, dict) and value.get("workspace") is True:
        return workspace_package.get(key)
    return value


def needs_workspace(package: dict[str, Any]) -> bool:
    """Whether any `[package]` field says `workspace = true`."""
    return any(isinstance(v, dict) and v.get("workspace") is True for v in package.values())
