"""What the builder copies from the build context, and the stubs a dummy-main build uses.

Pure functions of a Project (via the Plan). Builds that cache by layer order (dummy main,
cargo-chef) and caching=none copy these named paths, so the Dockerfile shows what the build
depends on; caching=cache-mounts copies `COPY . .` in one step, which is quicker to check on
a rebuild (the .dockerignore keeps a stray rust-toolchain.toml out, or rustup would download
its toolchain mid-build).
"""

from __future__ import annotations

from dataclasses import dataclass

from .plan import Plan
from .project import Project


@dataclass(frozen=True)
class Copy:
    """One COPY into /app of the builder: the same relative path on both sides."""

    path: str
    #: A directory (copied as a whole) rather than a single file.
    is_dir: bool = False

    @property
    def dest(self) -> str:
        return self.path + "/" if self.is_dir else self.path


def _clean(path: str) -> str:
    path = path.strip().removeprefix("./").rstrip("/")
    return path or "."


def _inside(path: str) -> bool:
    return not (path.startswith("../") or path == ".." or path.startswith("/"))


def member_dirs(project: Project) -> tuple[str, ...]:
    """Member directories other than the root, in project order, without duplicates."""
    dirs = [_clean(m.dir) for m in project.members]
    return tuple(dict.fromkeys(d for d in dirs if d != "."))


def outside_path_deps(project: Project) -> tuple[str, ...]:
    """Path dependencies outside the project root: not in the build context at all."""
    deps = [_clean(d) for m in project.members for d in m.path_deps]
    return tuple(dict.fromkeys(d for d in deps if not _inside(d)))


def path_dep_dirs(project: Project) -> tuple[str, ...]:
    """Path dependencies inside the root that are not workspace members."""
    members = set(member_dirs(project)) | {"."}
    deps = [_clean(d) for m in project.members for d in m.path_deps]
    return tuple(dict.fromkeys(d for d in deps if _inside(d) and d not in members))


def has_root_package(project: Project) -> bool:
    return not project.is_virtual


def root_has_src(project: Project) -> bool:
    return any(_clean(m.dir) == "." and m.has_src for m in project.members)


def root_has_build_rs(project: Project) -> bool:
    return any(_clean(m.dir) == "." and m.has_build_rs for m in project.members)


def manifests(project: Project) -> tuple[str, ...]:
    """Every manifest cargo reads to resolve the workspace, plus the lock file."""
    files = ["Cargo.toml"]
    if project.has_lockfile:
        files.append("Cargo.lock")
    files += [f"{d}/Cargo.toml" for d in member_dirs(project)]
    return tuple(files)


def build_inputs(project: Project) -> tuple[Copy, ...]:
    """What the dependency build already needs: local config, vendored sources and path
    dependencies that are not members (cargo builds them with the dependencies)."""
    copies: list[Copy] = []
    if project.has_cargo_config:
        # Only config.toml: .cargo/ may also hold credentials.toml, which must never ship.
        copies.append(Copy(".cargo/config.toml"))
    if project.vendor_dir:
        copies.append(Copy(_clean(project.vendor_dir), is_dir=True))
    copies += [Copy(d, is_dir=True) for d in path_dep_dirs(project)]
    return tuple(dict.fromkeys(copies))


def _covered(path: str, copies: list[Copy]) -> bool:
    return any(path == c.path or (c.is_dir and path.startswith(c.path + "/")) for c in copies)


def sources(project: Project) -> tuple[Copy, ...]:
    """The workspace's own code: the root package's src and build.rs, every member, the
    root package's binaries outside src/, and the directories its compilation reads
    (.sqlx, migrations, templates...)."""
    copies: list[Copy] = []
    if has_root_package(project):
        if root_has_src(project):
            copies.append(Copy("src", is_dir=True))
        if root_has_build_rs(project):
            copies.append(Copy("build.rs"))
    copies += [Copy(d, is_dir=True) for d in member_dirs(project)]
    for binary in project.binaries:
        path = _clean(binary.path)
        if not _covered(path, copies):
            # The binary's own directory holds its modules (ripgrep: crates/core/main.rs
            # and crates/core/flags/); copying the top directory would repeat members.
            parent, _, _ = path.rpartition("/")
            copies.append(Copy(parent, is_dir=True) if parent else Copy(path))
    for extra in project.extra_dirs:
        if not _covered(_clean(extra), copies):
            copies.append(Copy(_clean(extra), is_dir=True))
    return tuple(copies)


@dataclass(frozen=True)
class Stub:
    path: str
    #: "main" (fn main() {}) or "lib" (empty file).
    kind: str


def stubs(project: Project) -> tuple[Stub, ...]:
    """Stand-in sources so cargo can build every dependency before the real code is in.

    Every binary gets an empty main at its own path, every package a lib.rs (so each
    has a target; whichever it really has replaces it later) and every build script a
    no-op. No src/main.rs beyond the known binaries: an extra one would add a binary
    named after the package, which clashes with a src/bin/<package>.rs.
    """
    found: dict[str, Stub] = {}
    packages = ["."] if has_root_package(project) else []
    packages += list(member_dirs(project))
    for package in packages:
        path = "src/lib.rs" if package == "." else f"{package}/src/lib.rs"
        found[path] = Stub(path, "lib")
    for binary in project.binaries:
        found[_clean(binary.path)] = Stub(_clean(binary.path), "main")
    for member in project.members:
        if member.has_build_rs:
            path = "build.rs" if _clean(member.dir) == "." else f"{_clean(member.dir)}/build.rs"
            found[path] = Stub(path, "main")
    return tuple(sorted(found.values(), key=lambda s: s.path))


def stub_dirs(project: Project) -> tuple[str, ...]:
    """The directories the stubs need, deepest only (mkdir -p makes the parents)."""
    dirs = {s.path.rpartition("/")[0] for s in stubs(project)} - {""}
    return tuple(sorted(d for d in dirs if not any(o.startswith(d + "/") for o in dirs)))


def package_flag(plan: Plan) -> str:
    """`-p <package>` in workspaces, so cargo builds only what the binary needs."""
    binary = plan.target_binary
    if plan.project.is_workspace and binary is not None:
        return f"-p {binary.package}"
    return ""
