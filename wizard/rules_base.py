"""Shared vocabulary of the rules: what each image has, and Finding builders.

A rule is a small pure function `Plan -> tuple[Finding, ...]`. It builds its findings
with `error`, `warning` or `tip` and leaves `rule` empty: `rules.check` stamps the id the
rule is registered under, so each id is spelled once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .findings import ERROR, TIP, WARNING, Finding
from .needs_sys import tls_in_build
from .plan import Plan

Findings = tuple[Finding, ...]
RuleFn = Callable[[Plan], Findings]

#: Runtimes with no C library at all: only a static binary starts there.
NO_LIBC_RUNTIMES = frozenset({"scratch", "distroless-static", "chainguard-static"})
#: Runtimes built around glibc (a dynamic glibc binary runs there).
GLIBC_RUNTIMES = frozenset({"distroless-cc", "chainguard-glibc", "debian-slim"})
#: Runtimes that already ship /etc/ssl/certs/ca-certificates.crt.
CA_RUNTIMES = frozenset(
    {"distroless-static", "distroless-cc", "chainguard-static", "chainguard-glibc", "alpine"}
)
#: Runtimes that already ship /usr/share/zoneinfo (debian-slim only up to bookworm,
#: where tzdata was still "required").
TZ_RUNTIMES = frozenset(
    {"distroless-static", "distroless-cc", "chainguard-static", "chainguard-glibc"}
)
#: Runtimes with the distroless/Chainguard `nonroot` user (65532).
NONROOT_RUNTIMES = frozenset(
    {"distroless-static", "distroless-cc", "chainguard-static", "chainguard-glibc"}
)
#: Builders based on the official Debian rust image: they cross-compile without QEMU.
DEBIAN_BUILDERS = frozenset({"debian", "debian-slim"})

OPENSSL_CRATES = frozenset({"openssl-sys", "native-tls"})
RUSTLS_CRATES = frozenset({"rustls", "ring", "aws-lc-sys"})

#: The port suggested whenever a fix needs one: unprivileged and the common default.
SUGGESTED_PORT = 8080


def _make(severity: str) -> Callable[..., Findings]:
    def build(option: str, message: str, fix: str = "", **fix_choices: Any) -> Findings:
        finding = Finding(
            rule="",
            severity=severity,
            option=option,
            message=message,
            fix=fix,
            fix_choices=tuple(fix_choices.items()),
        )
        return (finding,)

    build.__name__ = severity
    build.__doc__ = f"A rule's verdict: one {severity}; keyword arguments are its fix_choices."
    return build


error = _make(ERROR)
warning = _make(WARNING)
tip = _make(TIP)


def platforms(plan: Plan) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(plan.platforms).split(",") if p.strip())


def cross_arm64(plan: Plan) -> bool:
    """The image is (also) for arm64, which the builder cross-compiles."""
    return "arm64" in platforms(plan)


def tls_crates(plan: Plan) -> frozenset[str]:
    """The TLS crates this build compiles (its binary, its features)."""
    return tls_in_build(plan.project, plan.choices)


def links_openssl(plan: Plan) -> bool:
    """The build's dependencies link OpenSSL (openssl-sys or native-tls)."""
    return bool(tls_crates(plan) & OPENSSL_CRATES)


def has_zoneinfo(plan: Plan) -> bool:
    return plan.runtime in TZ_RUNTIMES or (
        plan.runtime == "debian-slim" and plan.debian == "bookworm"
    )


def env_items(plan: Plan) -> tuple[tuple[str, str], ...]:
    """plan.env as (key, value) pairs, in order."""
    pairs = []
    for item in plan.env:
        key, _, value = str(item).partition("=")
        pairs.append((key.strip(), value))
    return tuple(pairs)


def version_tuple(version: str) -> tuple[int, ...]:
    """"1.85.1" -> (1, 85, 1); anything unparsable -> ()."""
    try:
        return tuple(int(part) for part in version.strip().split("."))
    except ValueError:
        return ()
