"""Applying a finding's fix, and the follow-up fixes it calls for.

A fix can raise a new error (runtime=distroless-cc fixes a dynamic binary in scratch, but a
plan that then also needs libssl...). `apply_fix` applies the fix, then, while the plan has
errors it did not have before that carry a fix of their own, applies those too, so one key
never leaves the user with a broken plan they did not have. Each step is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .findings import Finding
from .plan import Plan
from .rules import errors

#: Follow-up fixes applied at most, so two rules that disagree cannot loop.
MAX_FOLLOW_UPS = 3


@dataclass(frozen=True)
class FixResult:
    plan: Plan
    #: Every (key, value) set, in order: the fix's own first, then the follow-ups'.
    applied: tuple[tuple[str, Any], ...]
    #: The findings whose fixes were applied after the first (new errors it raised).
    follow_ups: tuple[Finding, ...] = ()
    #: New errors left that no fix can resolve ("" rule ids are never shown).
    left: tuple[Finding, ...] = ()


def _key(finding: Finding) -> tuple[str, str, str]:
    return finding.rule, finding.option, finding.message


def apply_fix(plan: Plan, finding: Finding) -> FixResult:
    """The plan with the finding's fix applied, plus the follow-up fixes of new errors."""
    before = {_key(f) for f in errors(plan)}
    applied = list(finding.fix_choices)
    touched = {key for key, _ in finding.fix_choices}
    plan = plan.with_choices(dict(finding.fix_choices))
    follow_ups: list[Finding] = []
    for _ in range(MAX_FOLLOW_UPS):
        new = [f for f in errors(plan) if _key(f) not in before]
        # A follow-up that would undo the fix itself is no follow-up: leave that error shown.
        fixable = [f for f in new if f.fix_choices and not touched & {k for k, _ in f.fix_choices}]
        if not fixable:
            break
        follow = fixable[0]
        plan = plan.with_choices(dict(follow.fix_choices))
        applied.extend(follow.fix_choices)
        touched |= {key for key, _ in follow.fix_choices}
        follow_ups.append(follow)
    left = tuple(f for f in errors(plan) if _key(f) not in before)
    return FixResult(plan, tuple(applied), tuple(follow_ups), left)
