"""The wizard's steps, in order: the project, one step per option group, review, save, done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rustdock.wizard.findings import Finding
from rustdock.wizard.options import GROUPS, OPTIONS, Option
from rustdock.wizard.wording import step_number

if TYPE_CHECKING:  # the pipeline loads on the first plan, after the first frame
    from rustdock.wizard.generate import Outcome

PROJECT = "project"
REVIEW = "review"
SAVE = "save"
DONE = "done"

#: (step id, label), in the order the wizard walks them.
STEPS: tuple[tuple[str, str], ...] = (
    (PROJECT, "Start"),
    *GROUPS,
    (REVIEW, "Review"),
    (SAVE, "Save"),
    (DONE, "Done"),
)
STEP_IDS: tuple[str, ...] = tuple(step for step, _ in STEPS)
LABELS: dict[str, str] = dict(STEPS)
GROUP_IDS: tuple[str, ...] = tuple(group for group, _ in GROUPS)


def number(step: str) -> int:
    """The step's number: the option groups are steps 1 to N; the others have none (0)."""
    return step_number(step)


def heading(step: str) -> str:
    """How every place names a step: "Step 2 of 8 · Caching and profile", or its label."""
    if number(step):
        return f"Step {number(step)} of {len(GROUP_IDS)} · {LABELS[step]}"
    return LABELS[step]


def options_of(step: str) -> tuple[Option, ...]:
    """The options a step asks, in table order."""
    return tuple(opt for opt in OPTIONS if opt.group == step)


def group_of(key: str) -> str:
    """The step that asks an option ("" for a key that is not in the table)."""
    return next((opt.group for opt in OPTIONS if opt.key == key), "")


def next_step(step: str) -> str:
    index = STEP_IDS.index(step)
    return STEP_IDS[min(index + 1, len(STEP_IDS) - 1)]


def previous_step(step: str) -> str:
    index = STEP_IDS.index(step)
    return STEP_IDS[max(index - 1, 0)]


def concerns(step: str, finding: Finding) -> bool:
    """Whether a finding belongs on a step: its option's group, or any on the other steps."""
    return step not in GROUP_IDS or group_of(finding.option) == step


def first_fix(outcome: Outcome | None, step: str) -> Finding | None:
    """The finding the fix key applies on a step: errors first, this step's first."""
    if outcome is None:
        return None
    fixable = [f for f in outcome.findings if f.fix_choices]
    mine = [f for f in fixable if concerns(step, f)]
    ranked = [f for f in mine if f.is_error] + [f for f in fixable if f.is_error] + mine
    return ranked[0] if ranked else None
