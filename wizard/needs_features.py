"""The features a plan builds with, and the cargo flags that ask for them.

Every cargo command of every caching strategy (the dummy-main and cargo-chef dependency
builds, the final build) passes the same flags, so the cached dependencies are the ones
the final build needs.
"""

from __future__ import annotations

import shlex

from .cargo_features import Enabled, Feature, resolve
from .need import Need, Needs_
from .needs_sys import bundling_feature, enabled_for
from .plan import Plan


def _package_features(plan: Plan) -> tuple[Feature, ...]:
    return plan.project.features_of(plan.binary)


def vendoring(plan: Plan) -> str:
    """For tls=openssl-vendored, the package's own feature that vendors OpenSSL (used
    instead of adding a dependency), "" when it has none."""
    if plan.tls != "openssl-vendored":
        return ""
    return bundling_feature(plan.project, plan.binary, "openssl-sys")


def chosen(plan: Plan) -> tuple[str, ...]:
    """The features named on the command line: required-features first, then the plan's,
    then the package's own OpenSSL-vendoring feature when tls=openssl-vendored."""
    binary = plan.target_binary
    required = binary.required_features if binary is not None else ()
    return tuple(dict.fromkeys([*required, *plan.features, *filter(None, [vendoring(plan)])]))


def enabled(plan: Plan) -> Enabled:
    """What the build turns on in the shipped package."""
    return enabled_for(plan.project, plan.choices)[1]


def features(plan: Plan) -> Needs_:
    """Each feature the build compiles the package with, and why it is on."""
    binary = plan.target_binary
    required = set(binary.required_features) if binary is not None else set()
    direct = set(chosen(plan))
    defaults = set()
    if not plan.no_default_features:
        defaults = resolve(_package_features(plan), (), defaults=True).features
    result = []
    for feature in _package_features(plan):
        if feature.name not in enabled(plan).features:
            continue
        if plan.all_features:
            why = "all_features: every feature is on"
        elif feature.name in required:
            why = f"required-features of binary {plan.binary}"
        elif feature.name == vendoring(plan):
            why = "tls=openssl-vendored: the package's own feature that vendors OpenSSL"
        elif feature.name in direct:
            why = "the features option"
        elif feature.name in defaults:
            why = "a default feature of the package"
        else:
            why = "turned on by another enabled feature"
        result.append(Need(feature.name, why))
    return tuple(result)


def cargo_flags(plan: Plan) -> Needs_:
    """The feature flags of every cargo build and cook of the binary."""
    flags: list[Need] = []
    names = chosen(plan)
    if names and not plan.all_features:
        binary = plan.target_binary
        required = binary.required_features if binary is not None else ()
        why = " and ".join(part for part in (
            f"required-features of binary {plan.binary}" if required else "",
            "the features option" if set(plan.features) - set(required) else "",
            "tls=openssl-vendored (the package's own vendoring feature)" if vendoring(plan) else "",
        ) if part)
        # Without its required-features cargo refuses the binary ("requires the features").
        flags.append(Need("--features " + shlex.quote(",".join(names)), why))
    if plan.no_default_features and not plan.all_features:
        flags.append(Need("--no-default-features", "no_default_features: the package's "
                                                    "default features stay off"))
    if plan.all_features:
        flags.append(Need("--all-features", "all_features: every feature of the package"))
    return tuple(flags)
