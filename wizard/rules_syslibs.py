"""Rules from the system-needs table: libraries the runtime image cannot provide, crates
a static build cannot link, and system libraries a cross build would need."""

from __future__ import annotations

from .findings import ERROR, WARNING, Finding
from .needs_sys import SysNeed
from .needs_syslibs import cross_system_libraries, missing_libraries, unlinkable_static
from .plan import Plan
from .rules_base import Findings, warning

_UNKNOWN = " Cargo.lock does not record features: with its `{feature}` feature on, this does not apply."


_MAYBE = " Cargo.lock holds it for some feature of the workspace; this build may not use it."


def _feature_fix(plan: Plan, need: SysNeed) -> str:
    """A feature of the shipped package that bundles the crate's library, "" for none."""
    row = need.row
    wanted = {f"{row.crate}/{b}" for b in row.bundled_by}
    wanted |= {f"{c}/{f}" for c, f in row.bundled_via}
    for feature in plan.project.features_of(plan.binary):
        entries = {e.replace("?/", "/") for e in feature.enables}
        if entries & wanted and feature.name not in plan.features:
            return feature.name
    return ""


def _finding(severity: str, option: str, message: str, fix: str, **choices) -> Finding:
    return Finding("", severity, option, message, fix, tuple(choices.items()))


def runtime_lacks_library(plan: Plan) -> Findings:
    found = []
    for missing in missing_libraries(plan):
        need = missing.need
        libs = ", ".join(missing.packages)
        bundle = need.row.bundled_by[0] if need.row.bundled_by else ""
        feature = _feature_fix(plan, need)
        ways = ["set runtime=debian-slim, which installs " + libs]
        if feature:
            ways.append(f"features={','.join((*plan.features, feature))} (it bundles "
                        f"{need.crate}'s library)")
        elif bundle:
            ways.append(f"turn on {need.crate}'s `{bundle}` feature in Cargo.toml")
        certain = need.certain and (need.bundled is False or need.row.link == "prefers-system")
        message = (f"the binary links {libs} ({need.row.does}: {need.origin}), and "
                   f"{plan.runtime} has no {libs}: it stops at start with \"cannot open "
                   "shared object file\".")
        if not need.certain:
            message += _MAYBE
        elif not certain and bundle:
            message += _UNKNOWN.format(feature=bundle)
        found.append(_finding(ERROR if certain else WARNING, "runtime", message,
                              "; or ".join(ways) + ".", runtime="debian-slim"))
    return tuple(found)


def static_cannot_link(plan: Plan) -> Findings:
    found = []
    for need in unlinkable_static(plan):
        row = need.row
        if row.cpp:
            why = "its C++ code needs a C++ compiler for musl, which the builder lacks"
        elif row.link == "system":
            why = "it links a system library, and there is no static musl build of it here"
        else:
            why = "it needs glibc's headers and toolchain"
        feature = _feature_fix(plan, need)
        fix = "set libc=glibc (a glibc binary on distroless-cc)"
        if feature:
            fix += f", or features={','.join((*plan.features, feature))} to bundle it"
        elif row.link == "system" and row.bundled_by:
            fix += f", or turn on {row.crate}'s `{row.bundled_by[0]}` feature"
        certain = need.certain and (need.bundled is False or row.link != "system")
        message = f"a static musl build cannot build {row.crate} ({need.origin}): {why}."
        if not need.certain:
            message += _MAYBE
        elif not certain:
            message += _UNKNOWN.format(feature=row.bundled_by[0])
        found.append(_finding(ERROR if certain else WARNING, "libc", message, fix + ".",
                              libc="glibc"))
    return tuple(found)


def cross_system_library(plan: Plan) -> Findings:
    needs = cross_system_libraries(plan)
    if not needs:
        return ()
    crates = ", ".join(n.crate for n in needs)
    return warning(
        "platforms",
        f"{crates} link system libraries, which a cross build needs for the target's "
        "architecture (Debian multiarch -dev packages); rustdock sets that up for OpenSSL "
        "only.",
        "build each architecture on its own runner (platforms=amd64 here), or bundle them.",
        platforms="amd64",
    )
