"""What the wizard says when it asks before discarding choices, and after applying a fix."""

from __future__ import annotations

from rustdock.wizard.fixes import FixResult
from rustdock.wizard.plan import Plan
from rustdock.wizard.project import Project
from rustdock.wizard.wording import choices_words, in_words, where


def start_question(plan: Plan | None, target: str, saved: bool, unsaved: bool) -> str:
    """The question before starting over from `target` (in words: "your Dockerfile", a
    preset's label...); "" when nothing would be lost."""
    if plan is None or not plan.explicit:
        return ""
    if saved and not unsaved:
        return ""  # the plan is the saved answers already
    count = len(plan.explicit)
    what = f"your {count} choice{'s' * (count != 1)}"
    state = " (not saved yet)" if unsaved else ""
    return (f"Start over from {target}? This replaces {what}{state}. "
            "ctrl+z brings them back.")


def fix_toast(result: FixResult, project: Project | None) -> tuple[str, str, str]:
    """(title, text, severity) of the note after a fix."""
    first = result.applied[: len(result.applied) - sum(len(f.fix_choices) for f in result.follow_ups)]
    lines = [f"Set {choices_words(first, project)}."]
    for follow in result.follow_ups:
        lines.append(f"That raised a new error ({where(follow.option)}: "
                     f"{in_words(follow.message, project)}), so rustdock also set "
                     f"{choices_words(follow.fix_choices, project)}.")
    for left in result.left:
        lines.append(f"Still to fix: {where(left.option)}: {in_words(left.message, project)}")
    severity = "warning" if result.left else "information"
    return "Fix applied · ctrl+z undoes it", "\n".join(lines), severity
