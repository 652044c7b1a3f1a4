"""Rules about cargo features: names the package does not have, and builds that a
`compile_error!` behind a feature cfg stops."""

from __future__ import annotations

from .cargo_features import resolve, unknown
from .findings import ERROR, Finding
from .need import values
from .needs import needs
from .plan import Plan
from .rules_base import Findings, error


def unknown_feature(plan: Plan) -> Findings:
    features = plan.project.features_of(plan.binary)
    binary = plan.target_binary
    if binary is None:
        return ()
    wrong = unknown(features, plan.features)
    if not wrong:
        return ()
    offered = [f.name for f in features if f.name != "default"]
    has = f"its features are {', '.join(offered)}" if offered else "it has no features"
    return error(
        "features",
        f"package {binary.package} has no feature {', '.join(wrong)}; {has}.",
        "remove it from features" + (f", or pick one of {', '.join(offered)}." if offered else "."),
        features=tuple(f for f in plan.features if f not in wrong),
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _env(plan: Plan) -> str:
    return "musl" if plan.libc == "musl" else "gnu"


def _ways(plan: Plan, on: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each feature that is off -> every feature on once it is added to the plan's."""
    features = plan.project.features_of(plan.binary)
    valid = [f for f in plan.features if f not in unknown(features, plan.features)]
    return {
        f.name: resolve(features, [*valid, f.name], defaults=not plan.no_default_features).features
        for f in features if f.name not in on and f.name != "default"
    }


def feature_gate(plan: Plan) -> Findings:
    """One error per way out: each names the gate and offers one feature as its fix, so
    the wizard can apply any of them with one key."""
    binary = plan.target_binary
    if binary is None:
        return ()
    on = frozenset(values(needs(plan).features))
    found: list[Finding] = []
    for gate in plan.project.build.gates:
        if gate.package != binary.package or gate.fails(on, _env(plan)) is not True:
            continue
        said = f" (\"{_short(gate.message)}\")" if gate.message else ""
        fixes = gate.fixes(_ways(plan, on), _env(plan))
        if not fixes:
            found += error(
                "features",
                f"{gate.where}: compile_error!{said} stops the build with the features "
                f"on now ({', '.join(sorted(on)) or 'none'}): cfg({gate.cfg}).",
                "turn off one of the features it names (features, no_default_features, "
                "all_features).",
                **({"all_features": False} if plan.all_features else {}),
            )
            continue
        valid = tuple(f for f in plan.features if f not in unknown(
            plan.project.features_of(plan.binary), plan.features))
        for feature in fixes:
            found.append(Finding(
                rule="", severity=ERROR, option="features",
                message=f"{gate.where}: compile_error!{said} stops the build unless one of "
                f"the features {', '.join(fixes)} is on.",
                fix=f"set features={','.join((*valid, feature))}.",
                fix_choices=(("features", (*valid, feature)),),
            ))
    return tuple(found)
