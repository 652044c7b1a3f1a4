"""The root manifest, its workspace members and every local crate they reach by path."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cargo_bins import package_binaries
from .cargo_features import Feature, read_features
from .gitmodules import submodule_of
from .cargo_manifest import (
    DetectError,
    Dep,
    inherit,
    join,
    manifest_deps,
    needs_workspace,
    norm,
    read_toml,
    strings,
    table,
    workspace_dependencies,
)
from .project import Binary

_GLOB_CHARS = frozenset("*?[")
#: Fields of `[package]` a member may inherit with `key.workspace = true`.
_INHERITED = ("version", "description", "license", "repository", "authors", "rust-version", "edition")
#: Path dependencies of path dependencies are followed this many levels deep, no more.
_MAX_PATH_DEPTH = 16


@dataclass(frozen=True)
class Crate:
    """One local package: a workspace member or a path dependency."""

    name: str
    #: Directory relative to the root ("." for the root package).
    dir: str
    #: Its Cargo.toml relative to the root.
    manifest: str
    deps: tuple[Dep, ...] = ()
    binaries: tuple[Binary, ...] = ()
    has_build_rs: bool = False
    #: The build script relative to the root ("" when none).
    build_script: str = ""
    #: The library's root file relative to the root ("" when the package has no library).
    lib: str = ""
    #: `[features]` and the implicit features of optional dependencies.
    features: tuple[Feature, ...] = ()
    #: `[package]` fields after workspace inheritance: version, description, license,
    #: repository, authors, rust-version.
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Workspace:
    #: Absolute path of the root manifest, for messages.
    manifest: Path
    is_workspace: bool
    is_virtual: bool
    #: Workspace members, the root package first when there is one.
    members: tuple[Crate, ...]
    default_members: tuple[str, ...]
    #: `[workspace.package]`, for fallbacks such as `rust-version`.
    workspace_package: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    #: Every local crate read, members and path dependencies, by directory.
    crates: dict[str, Crate] = field(default_factory=dict, hash=False, compare=False)


def _rel(path: str, root: Path) -> str:
    return norm(os.path.relpath(path, root))


def _kept(rel: str, workspace: dict[str, Any]) -> bool:
    """Whether `exclude` leaves this directory in the workspace."""
    excluded = [join(".", e) for e in strings(workspace.get("exclude"))]
    return not any(rel == e or rel.startswith(e + "/") for e in excluded)


def _member_dirs(root: Path, manifest: Path, workspace: dict[str, Any]) -> list[str]:
    """Member directories relative to the root, globs expanded (sorted, like cargo),
    `exclude` applied, in the order `members` lists them."""

    def kept(rel: str) -> bool:
        return _kept(rel, workspace)

    dirs: list[str] = []
    members = workspace.get("members", [])
    if not isinstance(members, list):
        raise DetectError(f'{manifest}: [workspace] members must be a list of paths, like ["crates/*"]')
    for pattern in strings(members):
        if _GLOB_CHARS & set(pattern):
            matches = [
                _rel(m, root)
                for m in sorted(glob.glob(os.path.join(glob.escape(str(root)), pattern)))
                if os.path.isfile(os.path.join(m, "Cargo.toml"))
            ]
            if not matches:
                raise DetectError(
                    f'{manifest}: workspace member pattern "{pattern}" matches no directory with a '
                    "Cargo.toml; fix or remove it in [workspace] members"
                )
        else:
            rel = join(".", pattern)
            if kept(rel) and not (root / rel / "Cargo.toml").is_file():
                module = submodule_of(root, rel)
                if module:
                    raise DetectError(
                        f'{root / rel / "Cargo.toml"}: missing: workspace member "{pattern}" lives in '
                        f"the git submodule {module}, which is not checked out; run "
                        "`git submodule update --init --recursive`"
                    )
                raise DetectError(
                    f'{root / rel / "Cargo.toml"}: missing, but {manifest} lists "{pattern}" as a '
                    "workspace member; create the crate or remove it from [workspace] members"
                )
            matches = [rel]
        dirs += [m for m in matches if kept(m) and m not in dirs]
    return dirs


def _parent_workspace(root: Path) -> Path | None:
    for parent in list(root.parents)[:10]:
        candidate = parent / "Cargo.toml"
        if candidate.is_file():
            try:
                if isinstance(read_toml(candidate).get("workspace"), dict):
                    return parent
            except DetectError:
                return None
    return None


def _build_script(package: dict[str, Any], pkg_dir: Path) -> str:
    """The build script's path relative to the package ("" when there is none)."""
    build = package.get("build")
    if build is False:
        return ""
    if isinstance(build, str):
        return build
    if isinstance(build, list):
        return str(build[0]) if build else ""
    return "build.rs" if (pkg_dir / "build.rs").is_file() else ""


def _lib_root(data: dict[str, Any], pkg_dir: Path, rel: str) -> str:
    """`[lib] path`, else src/lib.rs when it exists (where binaries' shared code lives)."""
    lib = table(data.get("lib"))
    path = str(lib.get("path") or "src/lib.rs")
    return join(rel, path) if (pkg_dir / path).is_file() else ""


def _read_crate(
    root: Path,
    rel: str,
    data: dict[str, Any],
    ws_package: dict[str, Any],
    ws_deps: dict[str, Any],
) -> Crate:
    manifest = join(rel, "Cargo.toml")
    package = data.get("package")
    if not isinstance(package, dict) or not package.get("name"):
        raise DetectError(f"{root / manifest}: no [package] name; a crate needs [package] name = \"...\"")
    name = str(package["name"])
    pkg_dir = root / rel
    script = _build_script(package, pkg_dir)
    return Crate(
        name=name,
        dir=rel,
        manifest=manifest,
        deps=manifest_deps(data, manifest, rel, ws_deps),
        binaries=package_binaries(data, name, pkg_dir, rel),
        has_build_rs=bool(script),
        build_script=join(rel, script) if script else "",
        lib=_lib_root(data, pkg_dir, rel),
        features=read_features(data),
        meta={key: inherit(package, key, ws_package) for key in _INHERITED},
    )


def _path_crates(root: Path, crates: dict[str, Crate], ws_package: dict, ws_deps: dict) -> None:
    """Read the manifest of every path dependency not read yet (in place, bounded)."""
    frontier = [d.path for c in list(crates.values()) for d in c.deps if d.path]
    for _ in range(_MAX_PATH_DEPTH):
        found: list[str] = []
        for rel in frontier:
            if rel in crates or not (root / rel / "Cargo.toml").is_file():
                continue
            crate = _read_crate(root, rel, read_toml(root / rel / "Cargo.toml"), ws_package, ws_deps)
            crates[rel] = crate
            found += [d.path for d in crate.deps if d.path]
        if not found:
            return
        frontier = found


def path_closure(crate: Crate, crates: dict[str, Crate]) -> tuple[str, ...]:
    """Directories of every path dependency `crate` reaches, sorted, itself excluded."""
    seen: set[str] = set()
    todo = [d.path for d in crate.deps if d.path]
    while todo:
        rel = todo.pop()
        if rel in seen or rel == crate.dir:
            continue
        seen.add(rel)
        if rel in crates:
            todo += [d.path for d in crates[rel].deps if d.path]
    return tuple(sorted(seen))


def read_workspace(root: Path) -> Workspace:
    """The project at `root`; DetectError when it is not a readable Rust project."""
    manifest = root / "Cargo.toml"
    if not manifest.exists():
        raise DetectError(
            f"{root}: no Cargo.toml here; run rustdock inside a Rust project, or `rustdock --demo`"
        )
    data = read_toml(manifest)
    workspace = data.get("workspace")
    package = data.get("package")
    if not isinstance(workspace, dict) and not isinstance(package, dict):
        raise DetectError(f"{manifest}: neither [package] nor [workspace]; this is not a crate's manifest")
    workspace = workspace if isinstance(workspace, dict) else None
    ws_package = table((workspace or {}).get("package"))
    if isinstance(package, dict) and workspace is None and needs_workspace(package):
        parent = _parent_workspace(root)
        where = f"run rustdock in {parent}, the workspace root" if parent else "add a [workspace.package] table"
        raise DetectError(f"{manifest}: [package] inherits fields with `workspace = true`; {where}")
    ws_deps = workspace_dependencies(data)
    member_dirs = _member_dirs(root, manifest, workspace) if workspace else []
    crates: dict[str, Crate] = {}
    if isinstance(package, dict):
        crates["."] = _read_crate(root, ".", data, ws_package, ws_deps)
    for rel in member_dirs:
        if rel not in crates:
            crates[rel] = _read_crate(root, rel, read_toml(root / rel / "Cargo.toml"), ws_package, ws_deps)
    _path_crates(root, crates, ws_package, ws_deps)
    # Path dependencies inside a workspace's directory are members too, as cargo has it.
    members = tuple(
        c for rel, c in crates.items()
        if rel in member_dirs or rel == "." or (workspace and not rel.startswith("..") and _kept(rel, workspace))
    )
    default_members = tuple(join(".", m) for m in strings((workspace or {}).get("default-members")))
    return Workspace(
        manifest=manifest,
        is_workspace=workspace is not None,
        is_virtual=workspace is not None and not isinstance(package, dict),
        members=members,
        default_members=default_members,
        workspace_package=ws_package,
        crates=crates,
    )
