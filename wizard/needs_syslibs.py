"""What the system-needs table means for one Plan: builder packages, runtime libraries,
build environment, and the libraries a chosen image cannot provide.

Reads the rows a build meets (needs_sys) and the plan's image choices; every entry says
which crate asked for it and through what.
"""

from __future__ import annotations

from dataclasses import dataclass

from .need import Need, Needs_
from .needs_sys import SysNeed, for_choices
from .plan import Plan
from .sys_table import BUILDER_HAS, INSTALLING_RUNTIMES, debian_name, lacks
from .target import cross_targets, is_cross, is_musl, static_triple, triple

#: The Protocol Buffers include files protoc needs for google/protobuf/*.proto imports.
_WKT = {"apt": ("libprotobuf-dev",), "apk": ()}


def sys_needs(plan: Plan) -> tuple[SysNeed, ...]:
    """The table rows this plan's build meets (the tls option decides OpenSSL's row). A
    row reached through another that does the same (prost-build through tonic-build) is
    said once, by the crate the project names."""
    found = [n for n in for_choices(plan.project, plan.choices) if not n.row.decided_by]
    same = {(n.crate, n.row.does) for n in found}
    return tuple(n for n in found if (n.through, n.row.does) not in same)


def _family(plan: Plan) -> str:
    return "apk" if plan.builder == "alpine" else "apt"


def _dynamic(plan: Plan) -> bool:
    """The binary links shared libraries (a glibc build that is not crt-static)."""
    return plan.libc == "glibc"


def _builder_has_dev(plan: Plan, need: SysNeed) -> bool:
    dev = need.row.apt.build[:1]
    return bool(dev) and dev[0] in BUILDER_HAS[plan.builder]


def _forced_static(plan: Plan, need: SysNeed) -> bool:
    """A prefers-system crate made to compile its own copy, because the runtime image
    could not provide the library it would otherwise link."""
    row = need.row
    return (row.link == "prefers-system" and bool(row.bundled_env) and _dynamic(plan)
            and _builder_has_dev(plan, need) and bool(_lacking(plan, need, row.apt.run)))


def _links_dynamically(plan: Plan, need: SysNeed) -> bool:
    row = need.row
    if not _dynamic(plan):
        return False
    if row.link == "system":
        return need.bundled is not True
    if row.link == "prefers-system":
        return need.bundled is not True and _builder_has_dev(plan, need) and not _forced_static(plan, need)
    return False


def _lacking(plan: Plan, need: SysNeed, packages: tuple[str, ...]) -> tuple[str, ...]:
    """Of the runtime libraries, those the runtime image neither has nor installs."""
    if plan.runtime in INSTALLING_RUNTIMES:
        return ()
    return lacks(packages, plan.runtime, plan.debian)


def _reason(need: SysNeed) -> str:
    return f"{need.row.does} ({need.origin})"


def builder_needs(plan: Plan) -> list[Need]:
    """Builder packages in the builder's own family's names."""
    family = _family(plan)
    wanted: list[Need] = []
    for need in sys_needs(plan):
        row = need.row
        names: list[str] = []
        packages = row.apk if family == "apk" else row.apt
        if row.link == "tool":
            names += packages.build
            if plan.project.build.proto_wkt and "protobuf-compiler" in row.apt.build:
                wanted += [Need(name, "protoc's include files for the google/protobuf/*.proto "
                                f"a .proto of the project imports ({need.origin})")
                           for name in _WKT[family]]
        elif row.link == "system" and need.bundled is not True and not is_musl(plan):
            names += packages.build
        elif row.link == "system" and need.bundled is not True and family == "apk":
            names += packages.build + row.apk_static
        names += row.tools
        wanted += [Need(name, _reason(need)) for name in names]
    return wanted


#: Linkers .cargo/config.toml may name, and the package that has each (same name in
#: Debian and Alpine).
LINKER_PACKAGES = {"clang": "clang", "lld": "lld", "ld.lld": "lld", "mold": "mold"}


def _triples(plan: Plan) -> tuple[str, ...]:
    """The target triples cargo compiles the program for (the host's when no --target)."""
    if is_cross(plan):
        return tuple(t.triple for t in cross_targets(plan))
    return (static_triple(plan) or triple(plan, "amd64"),)


def linker_needs(plan: Plan) -> list[Need]:
    """Linkers .cargo/config.toml names for a triple this build compiles for."""
    found = []
    for target, program in plan.project.build.linkers:
        package = LINKER_PACKAGES.get(program) or (program if program.startswith("clang-") else "")
        if package and target in _triples(plan):
            found.append(Need(package, f".cargo/config.toml links {target} with {program}"))
    return found


def runtime_needs(plan: Plan) -> list[Need]:
    """Libraries the binary links dynamically, for runtimes that install packages."""
    if plan.runtime not in INSTALLING_RUNTIMES:
        return []
    return [Need(debian_name(p, plan.debian), _reason(need))
            for need in sys_needs(plan) if _links_dynamically(plan, need)
            for p in need.row.apt.run]


def build_env(plan: Plan) -> Needs_:
    """Variables that make a crate compile its own copy of a library the runtime lacks."""
    return tuple(
        Need(need.row.bundled_env,
             f"{plan.runtime} has no {', '.join(_lacking(plan, need, need.row.apt.run))}: "
             f"{need.crate} compiles its own copy into the binary")
        for need in sys_needs(plan) if _forced_static(plan, need)
    )


@dataclass(frozen=True)
class Missing:
    """A library the binary links that the runtime image does not carry."""

    need: SysNeed
    packages: tuple[str, ...]


def missing_libraries(plan: Plan) -> tuple[Missing, ...]:
    found = []
    for need in sys_needs(plan):
        if _links_dynamically(plan, need):
            lacking = _lacking(plan, need, need.row.apt.run)
            if lacking:
                found.append(Missing(need, lacking))
    return tuple(found)


def unlinkable_static(plan: Plan) -> tuple[SysNeed, ...]:
    """Rows a static musl build on this builder cannot build or link."""
    if not is_musl(plan):
        return ()
    found = []
    for need in sys_needs(plan):
        row = need.row
        if plan.builder == "muslrust" and row.muslrust:
            continue
        if plan.builder == "alpine":
            ok = not (row.link == "system" and need.bundled is not True and not row.apk_static)
        else:
            ok = row.musl_static(need.bundled is True)
        if not ok:
            found.append(need)
    return tuple(found)


def cross_system_libraries(plan: Plan) -> tuple[SysNeed, ...]:
    """System libraries a cross build would need for the target's architecture."""
    if not is_cross(plan) or is_musl(plan):
        return ()
    return tuple(n for n in sys_needs(plan) if n.row.link == "system" and n.bundled is not True)
