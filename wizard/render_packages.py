"""Which system packages the builder and the runtime image need, by family.

Pure functions of a Plan. Packages an image already carries are left out, so a plan that
needs nothing extra renders no package-manager line at all (and builds offline).
"""

from __future__ import annotations

from .plan import Plan
from .render_runtime import copies_system_files
from .render_target import is_cross, is_musl

#: What each builder image ships that a build may need.
_BUILDER_HAS = {
    # buildpack-deps: compilers, make, perl, pkg-config, libssl-dev, git, ssh, certs.
    "debian": {"gcc", "make", "perl", "pkg-config", "libssl-dev", "ca-certificates",
               "git", "openssh-client"},
    "debian-slim": {"gcc", "ca-certificates"},
    "alpine": set(),
    # muslrust also has musl builds of OpenSSL (static), zlib, curl, pq and sqlite.
    "muslrust": {"gcc", "make", "perl", "pkg-config", "libssl-dev", "git", "ca-certificates"},
}

#: libssl's package name per Debian release (trixie renamed it for 64-bit time_t).
_LIBSSL = {"bookworm": "libssl3", "trixie": "libssl3t64"}


def package_manager(image_family: str) -> str:
    """"apk" for alpine images, "apt" for Debian and Ubuntu ones, "" for none."""
    if image_family == "alpine":
        return "apk"
    if image_family in {"debian", "debian-slim", "muslrust"}:
        return "apt"
    return ""


def _uses_openssl_system(plan: Plan) -> bool:
    return plan.tls == "openssl-system"


def _builder_wants(plan: Plan) -> list[str]:
    """Every package the build needs, in Debian names (alpine ones are mapped later)."""
    wanted: list[str] = []
    if plan.builder == "alpine":
        wanted += ["musl-dev", "gcc"]
    if is_musl(plan) and plan.builder in {"debian", "debian-slim"} and not is_cross(plan):
        wanted.append("musl-tools")
    if plan.tls == "openssl-vendored":
        # openssl-src runs OpenSSL's Configure (perl) and make; on Alpine its build also
        # includes kernel headers that musl-dev lacks.
        wanted += ["perl", "make"] + (["linux-headers"] if plan.builder == "alpine" else [])
    if plan.allocator == "jemalloc":
        wanted.append("make")
    if _uses_openssl_system(plan):
        wanted += ["pkg-config", "libssl-dev"]
    if "aws-lc-sys" in plan.project.tls_crates:
        wanted += ["cmake", "make"]
    if copies_system_files(plan) and plan.ca_certs:
        wanted.append("ca-certificates")
    if copies_system_files(plan) and plan.tzdata:
        wanted.append("tzdata")
    if plan.init == "tini" and not is_cross(plan):
        wanted.append("tini")
    if plan.private_git:
        wanted += ["git", "openssh-client"]
    return wanted


_ALPINE_NAMES = {
    "libssl-dev": ["openssl-dev", "openssl-libs-static"],
    "pkg-config": ["pkgconf"],
    "tini": ["tini-static"],
    "musl-tools": [],
}


def builder_packages(plan: Plan) -> tuple[str, ...]:
    """Packages to install in the builder, sorted, without what the image already has."""
    have = _BUILDER_HAS[plan.builder]
    wanted = [name for name in _builder_wants(plan) if name not in have]
    if plan.builder == "alpine":
        wanted = [alias for name in wanted for alias in _ALPINE_NAMES.get(name, [name])]
    return tuple(sorted(set(wanted)))


def runtime_packages(plan: Plan) -> tuple[str, ...]:
    """Packages the runtime image installs (alpine and debian-slim only)."""
    if plan.runtime not in {"alpine", "debian-slim"}:
        return ()
    wanted: list[str] = []
    if plan.ca_certs and not copies_system_files(plan):
        wanted.append("ca-certificates")
    if plan.tzdata and not copies_system_files(plan):
        wanted.append("tzdata")
    if plan.runtime == "debian-slim":
        if _uses_openssl_system(plan) and not is_musl(plan) and plan.libc != "glibc-static":
            wanted.append(_LIBSSL[plan.debian])
        if plan.healthcheck == "curl":
            wanted.append("curl")
    return tuple(sorted(wanted))


#: Where a cross build unpacks the target architecture's tini package.
CROSS_TINI_ROOT = "/tmp/tini"


def cross_tini_from_debian(plan: Plan) -> bool:
    """Cross builds on Debian take tini from the target architecture's .deb (unpacked,
    never run), so the image gets a tini for its own CPU."""
    return plan.init == "tini" and is_cross(plan) and plan.builder in {"debian", "debian-slim"}


def tini_path(plan: Plan) -> str:
    """Where the builder has the static tini the runtime image copies."""
    if cross_tini_from_debian(plan):
        return CROSS_TINI_ROOT + "/usr/bin/tini-static"
    return "/sbin/tini-static" if plan.builder == "alpine" else "/usr/bin/tini-static"
