"""The stand-in sources of caching=dummy-main, and the commands that use them.

Pure functions of a Project: every binary gets an empty main at its own path, every package
a lib.rs and every build script a no-op, so cargo builds the dependencies alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .memo import per_project
from .needs_files import clean, has_root_package, member_dirs
from .project import Project


@dataclass(frozen=True)
class Stub:
    path: str
    #: "main" (fn main() {}) or "lib" (empty file).
    kind: str


@per_project
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
        found[clean(binary.path)] = Stub(clean(binary.path), "main")
    for member in project.members:
        if member.has_build_rs:
            path = "build.rs" if clean(member.dir) == "." else f"{clean(member.dir)}/build.rs"
            found[path] = Stub(path, "main")
    return tuple(sorted(found.values(), key=lambda s: s.path))


@per_project
def stub_dirs(project: Project) -> tuple[str, ...]:
    """The directories the stubs need, deepest only (mkdir -p makes the parents)."""
    dirs = {s.path.rpartition("/")[0] for s in stubs(project)} - {""}
    return tuple(sorted(d for d in dirs if not any(o.startswith(d + "/") for o in dirs)))


def stub_commands(project: Project, build: str) -> list[str]:
    """Create the stubs, run `build` (the dependency build) against them, delete them."""
    found = stubs(project)
    mains = [s.path for s in found if s.kind == "main"]
    libs = [s.path for s in found if s.kind == "lib"]
    commands = []
    if stub_dirs(project):
        commands.append("mkdir -p " + " ".join(stub_dirs(project)))
    if len(mains) == 1:
        commands.append(f"printf 'fn main() {{}}\\n' > {mains[0]}")
    else:
        commands.append(
            f"for f in {' '.join(mains)}; do printf 'fn main() {{}}\\n' > \"$f\"; done"
        )
    if libs:
        commands.append("touch " + " ".join(libs))
    commands.append(build)
    commands.append("rm -f " + " ".join(s.path for s in found))
    return commands


def touch_commands(project: Project) -> list[str]:
    paths = " ".join(s.path for s in stubs(project))
    return [f'for f in {paths}; do if [ -e "$f" ]; then touch "$f"; fi; done']
