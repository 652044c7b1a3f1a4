"""Which plans can be built on this machine, where no registry answers.

Builds reach deb.debian.org and crates.io (so apt-get, `cargo install` and crates the
plan adds work), but no image registry, no github.com, and rustup cannot download a
standard library. A plan that needs one of those is never built and never passed: tests
skip it with the reason this module gives, and RESULTS.md lists it as not measured.
"""

from __future__ import annotations

import re

from rustdock.wizard.plan import Plan

from .standins import NotOffline, from_refs, standin_for

#: Dockerfile steps that fetch from somewhere this machine cannot reach, with what they need.
_DOWNLOADS = (
    (r"\bapk add\b", "apk needs the Alpine archive"),
    (r"\brustup target add\b", "rustup downloads the target's standard library"),
    (r"^ADD\s+(?:--\S+\s+)*https?://", "ADD fetches a URL (github.com does not answer here)"),
)


def why_not_offline(plan: Plan, dockerfile: str) -> str:
    """"" when the plan builds offline here, else the reason it cannot."""
    return _joined(_plan_reason(plan), dockerfile)


def why_not_offline_file(dockerfile: str) -> str:
    """The same from a Dockerfile alone (the QA corpus's generated files, no Plan at hand):
    a musl target in a cargo build stands for libc=musl."""
    musl = re.search(r"--target[ =]\S*-linux-musl\b", dockerfile)
    return _joined(_plan_reason_musl() if musl else "", dockerfile)


def _joined(plan_reason: str, dockerfile: str) -> str:
    reasons = [r for r in (plan_reason, _dockerfile_reason(dockerfile)) if r]
    try:
        for ref in from_refs(dockerfile):
            standin_for(ref)
    except NotOffline as err:
        reasons.append(str(err))
    return "; ".join(reasons)


def _plan_reason_musl() -> str:
    return "libc=musl needs the x86_64-unknown-linux-musl standard library, which rustup downloads"


def _plan_reason(plan: Plan) -> str:
    if plan.libc == "musl":
        return _plan_reason_musl()
    if plan.platforms != "amd64":
        return f"platforms={plan.platforms} needs arm64's standard library (rustup) and a cross linker (apt)"
    if plan.private_registry or plan.private_git:
        return "private dependencies need their registry or an ssh agent"
    return ""


def _dockerfile_reason(dockerfile: str) -> str:
    for pattern, why in _DOWNLOADS:
        match = re.search(pattern, dockerfile, re.M)
        if match:
            line = dockerfile[: match.end()].rsplit("\n", 1)[-1].strip()
            return f"{why} ({line!r})"
    return ""
