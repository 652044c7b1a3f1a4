"""Plan -> Findings. (Owned by the rules work; signature is fixed.)"""

from __future__ import annotations

from .findings import Finding
from .plan import Plan


def check(plan: Plan) -> tuple[Finding, ...]:
    """Every finding for the plan, errors first."""
    raise NotImplementedError("rules are being written")
