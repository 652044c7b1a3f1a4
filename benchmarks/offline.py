"""Which plans can be built on this machine, where nothing can be downloaded at build time.

A plan that cannot is never built and never passed: tests skip it with the reason this
module gives, and RESULTS.md lists it as not measured.
"""

from __future__ import annotations

import re

from rustdock.wizard.plan import Plan

from .standins import NotOffline, from_refs, standin_for

#: Dockerfile steps that fetch something at build time, with what they need.
_DOWNLOADS = (
    (r"\bapt-get (?:install|download)\b", "apt-get needs the Debian archive"),
    (r"\bapk add\b", "apk needs the Alpine archive"),
    (r"\brustup target add\b", "rustup downloads the target's standard library"),
    (r"\bcargo install\b", "cargo install fetches the crate from crates.io"),
    (r"^ADD\s+(?:--\S+\s+)*https?://", "ADD fetches a URL"),
)


def why_not_offline(plan: Plan, dockerfile: str) -> str:
    """"" when the plan builds offline here, else the reason it cannot."""
    reasons = [r for r in (_plan_reason(plan), _dockerfile_reason(dockerfile)) if r]
    try:
        for ref in from_refs(dockerfile):
            standin_for(ref)
    except NotOffline as err:
        reasons.append(str(err))
    return "; ".join(reasons)


def _plan_reason(plan: Plan) -> str:
    if plan.libc == "musl":
        return "libc=musl needs the x86_64-unknown-linux-musl standard library, which rustup downloads"
    if plan.platforms != "amd64":
        return f"platforms={plan.platforms} needs arm64's standard library (rustup) and a cross linker (apt)"
    if plan.allocator != "system":
        return f"allocator={plan.allocator} adds a crate that must come from crates.io"
    if plan.tls == "openssl-vendored":
        return "tls=openssl-vendored builds openssl-src, which comes from crates.io"
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
