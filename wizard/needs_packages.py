"""Which system packages the builder and the runtime image install, each with its reason.

Pure functions of a Plan. Packages an image already carries are left out, so a plan that
needs nothing extra renders no package-manager line at all (and builds offline).
"""

from __future__ import annotations

from . import needs_scripts, needs_syslibs
from .need import Need, Needs_, merged
from .plan import Plan
from .runtime_stage import copies_system_files
from .sys_table import BUILDER_HAS, debian_name
from .target import is_cross, is_musl


#: Debian names -> Alpine names, where they differ ([] where Alpine needs nothing).
ALPINE_NAMES = {
    "libssl-dev": ["openssl-dev", "openssl-libs-static"],
    "pkg-config": ["pkgconf"],
    "tini": ["tini-static"],
    "musl-tools": [],
    "golang": ["go"],
}


def _wants(names: list[str], why: str) -> list[Need]:
    return [Need(name, why) for name in names]


def _builder_wants(plan: Plan) -> list[Need]:
    """Every package the build needs, in Debian names (alpine ones are mapped later)."""
    wanted: list[Need] = []
    if plan.builder == "alpine":
        wanted += _wants(["musl-dev", "gcc"], "a C compiler and musl's headers for C code and linking")
    if is_musl(plan) and plan.builder in {"debian", "debian-slim"} and not is_cross(plan):
        wanted += _wants(["musl-tools"], "musl-gcc, for C code in a static musl build")
    if plan.tls == "openssl-vendored":
        # openssl-src runs OpenSSL's Configure (perl) and make; on Alpine its build also
        # includes kernel headers that musl-dev lacks.
        wanted += _wants(["perl", "make"] + (["linux-headers"] if plan.builder == "alpine" else []),
                         "tls=openssl-vendored compiles OpenSSL from source")
    if plan.allocator == "jemalloc":
        wanted += _wants(["make"], "allocator=jemalloc compiles jemalloc from source")
    if plan.tls == "openssl-system":
        wanted += _wants(["pkg-config", "libssl-dev"], "tls=openssl-system links the image's OpenSSL")
    if "aws-lc-sys" in plan.project.tls_crates and plan.project.build.lock is None:
        # Without a lock file its version is unknown: before 0.16 it needed cmake.
        wanted += _wants(["cmake", "make"], "aws-lc-sys builds AWS-LC with cmake")
    wanted += needs_syslibs.builder_needs(plan)
    wanted += needs_syslibs.linker_needs(plan)
    wanted += needs_scripts.builder_packages(plan)
    if copies_system_files(plan) and plan.ca_certs:
        wanted += _wants(["ca-certificates"], f"the CA bundle copied into {plan.runtime}")
    if copies_system_files(plan) and plan.tzdata:
        wanted += _wants(["tzdata"], f"time-zone data copied into {plan.runtime}")
    if plan.init == "tini" and not is_cross(plan):
        wanted += _wants(["tini"], "init=tini: its static build is copied into the image")
    if plan.private_git:
        wanted += _wants(["git", "openssh-client"], "private git dependencies fetched over ssh")
    return wanted


def builder_packages(plan: Plan) -> Needs_:
    """Packages to install in the builder, sorted, without what the image already has."""
    have = BUILDER_HAS[plan.builder]
    wanted = [need for need in _builder_wants(plan) if need.value not in have]
    if plan.builder == "alpine":
        wanted = [Need(alias, need.reason) for need in wanted
                  for alias in ALPINE_NAMES.get(need.value, [need.value])]
    return tuple(sorted(merged(wanted), key=lambda n: n.value))


def runtime_packages(plan: Plan) -> Needs_:
    """Packages the runtime image installs (alpine and debian-slim only)."""
    if plan.runtime not in {"alpine", "debian-slim"}:
        return ()
    wanted: list[Need] = []
    if plan.ca_certs and not copies_system_files(plan):
        wanted.append(Need("ca-certificates", "TLS connections verify servers against it"))
    if plan.tzdata and not copies_system_files(plan):
        wanted.append(Need("tzdata", "the program looks time zones up"))
    if plan.runtime == "debian-slim":
        if plan.tls == "openssl-system" and not is_musl(plan) and plan.libc != "glibc-static":
            wanted.append(Need(debian_name("libssl3", plan.debian), "the program links OpenSSL dynamically"))
        if plan.healthcheck == "curl":
            wanted.append(Need("curl", "healthcheck=curl runs it"))
        wanted += needs_syslibs.runtime_needs(plan)
    return tuple(sorted(merged(wanted), key=lambda n: n.value))
