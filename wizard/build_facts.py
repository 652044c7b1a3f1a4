"""Facts about how a project builds that the rest of Project does not say: the feature
gates its sources hit. Read by detect, used by the needs step and the build rules."""

from __future__ import annotations

from dataclasses import dataclass

from .feature_gates import Gate


@dataclass(frozen=True)
class BuildFacts:
    #: `compile_error!` behind a cfg on features, in the shipped packages' build scripts
    #: and crate roots.
    gates: tuple[Gate, ...] = ()
