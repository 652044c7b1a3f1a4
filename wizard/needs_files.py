"""The files the build reads from the build context, each with its reason.

Pure functions of a Project. Builds that cache by layer order (dummy main, cargo-chef) and
caching=none copy these named paths, so the Dockerfile shows what the build depends on;
caching=cache-mounts copies `COPY . .` in one step, and the .dockerignore keeps every one
of them in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .memo import per_project
from .need import Need, Needs_
from .project import Project


@dataclass(frozen=True)
class BuildFiles:
    manifests: Needs_
    build_inputs: Needs_
    sources: Needs_
    #: Path dependencies outside the project root: not in the build context at all.
    outside: Needs_


def clean(path: str) -> str:
    path = path.strip().removeprefix("./").rstrip("/")
    return path or "."


def _inside(path: str) -> bool:
    return not (path.startswith("../") or path == ".." or path.startswith("/"))


def _dir(path: str) -> str:
    return path + "/"


def member_dirs(project: Project) -> tuple[str, ...]:
    """Member directories other than the root, in project order, without duplicates."""
    dirs = [clean(m.dir) for m in project.members]
    return tuple(dict.fromkeys(d for d in dirs if d != "."))


def has_root_package(project: Project) -> bool:
    return not project.is_virtual


@per_project
def _path_deps(project: Project) -> dict[str, str]:
    """Path dependency directory -> the first member that depends on it."""
    found: dict[str, str] = {}
    for member in project.members:
        for dep in member.path_deps:
            found.setdefault(clean(dep), member.name)
    return found


def outside_path_deps(project: Project) -> Needs_:
    return tuple(
        Need(dep, f"a path dependency of {member}")
        for dep, member in _path_deps(project).items()
        if not _inside(dep)
    )


def _path_dep_dirs(project: Project) -> Needs_:
    """Path dependencies inside the root that are not workspace members."""
    members = set(member_dirs(project)) | {"."}
    return tuple(
        Need(_dir(dep), f"a path dependency of {member}, built with the dependencies")
        for dep, member in _path_deps(project).items()
        if _inside(dep) and dep not in members
    )


def _root_member(project: Project):
    return next((m for m in project.members if clean(m.dir) == "."), None)


def manifests(project: Project) -> Needs_:
    """Every manifest cargo reads to resolve the workspace, plus the lock file."""
    files = [Need("Cargo.toml", "the root manifest")]
    if project.has_lockfile:
        files.append(Need("Cargo.lock", "--locked builds exactly the versions it records"))
    by_dir = {clean(m.dir): m.name for m in project.members}
    files += [Need(f"{d}/Cargo.toml", f"the manifest of workspace member {by_dir[d]}")
              for d in member_dirs(project)]
    return tuple(files)


def build_inputs(project: Project) -> Needs_:
    """What the dependency build already needs: local config, vendored sources and path
    dependencies that are not members (cargo builds them with the dependencies)."""
    copies: list[Need] = []
    if project.has_cargo_config:
        # Only config.toml: .cargo/ may also hold credentials.toml, which must never ship.
        copies.append(Need(".cargo/config.toml", "cargo's own configuration for this project "
                                                  "(credentials stay out)"))
    if project.vendor_dir:
        copies.append(Need(_dir(clean(project.vendor_dir)),
                           "vendored crates: .cargo/config.toml builds from them, offline"))
    copies += _path_dep_dirs(project)
    return tuple({c.value: c for c in copies}.values())


def covered(path: str, copies: list[Need] | tuple[Need, ...]) -> bool:
    """Whether a copy already brings `path` (itself, or a directory holding it)."""
    return any(path == c.path or (c.is_dir and path.startswith(c.path + "/")) for c in copies)


def sources(project: Project) -> Needs_:
    """The workspace's own code: the root package's src and build.rs, every member, the
    root package's binaries outside src/, and the directories its compilation reads
    (.sqlx, migrations, templates...)."""
    copies: list[Need] = []
    root = _root_member(project)
    if has_root_package(project) and root is not None:
        if root.has_src:
            copies.append(Need("src/", f"the sources of {root.name}"))
        if root.has_build_rs:
            copies.append(Need("build.rs", f"the build script of {root.name}"))
    by_dir = {clean(m.dir): m.name for m in project.members}
    copies += [Need(_dir(d), f"workspace member {by_dir[d]}") for d in member_dirs(project)]
    for binary in project.binaries:
        path = clean(binary.path)
        if not covered(path, copies):
            # The binary's own directory holds its modules (ripgrep: crates/core/main.rs
            # and crates/core/flags/); copying the top directory would repeat members.
            parent, _, _ = path.rpartition("/")
            copies.append(Need(_dir(parent) if parent else path,
                               f"the sources of binary {binary.name}"))
    for extra in project.extra_dirs:
        if not covered(clean(extra), copies):
            copies.append(Need(_dir(clean(extra)), "read when the program is compiled or run"))
    return tuple(copies)


def build_files(project: Project) -> BuildFiles:
    return BuildFiles(manifests(project), build_inputs(project), sources(project),
                      outside_path_deps(project))
