"""Where cargo puts the binary: Rust target triples, cross linkers and output paths.

Pure functions of a Plan. The rule the whole Dockerfile hangs on: the path copied into the
runtime image is exactly the one cargo wrote for the target it was asked to build.
"""

from __future__ import annotations

from dataclasses import dataclass

from .plan import Plan

#: Files the cross set-up writes in the builder, read by every later cargo/rustc call.
TARGET_FILE = "/tmp/rust-target"
LINKER_FILE = "/tmp/rust-linker"
#: Where builds that cannot name the release directory statically leave the binary.
BIN_DIR = "/app/bin"

_GNU_ARCH = {"amd64": "x86_64", "arm64": "aarch64"}
#: Debian's cross C compilers, by the architecture they compile for.
_DEBIAN_CROSS_GCC = {
    "amd64": ("gcc-x86-64-linux-gnu", "libc6-dev-amd64-cross"),
    "arm64": ("gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"),
}


@dataclass(frozen=True)
class Target:
    """One Docker architecture and what building for it takes."""

    arch: str
    triple: str
    #: The linker cargo and rustc use when cross-compiling to it.
    linker: str
    #: The C compiler for C dependencies (ring, openssl-src, jemalloc) of that triple.
    cc: str

    @property
    def env_suffix(self) -> str:
        """The triple as cargo spells it in CARGO_TARGET_<TRIPLE>_LINKER."""
        return self.triple.upper().replace("-", "_")


def is_musl(plan: Plan) -> bool:
    return plan.libc == "musl"


def architectures(plan: Plan) -> tuple[str, ...]:
    return tuple(plan.platforms.split(","))


def is_cross(plan: Plan) -> bool:
    """Anything but a single amd64 image builds on $BUILDPLATFORM for $TARGETARCH."""
    return architectures(plan) != ("amd64",)


def triple(plan: Plan, arch: str) -> str:
    env = "musl" if is_musl(plan) else "gnu"
    return f"{_GNU_ARCH[arch]}-unknown-linux-{env}"


def _debian_family(plan: Plan) -> bool:
    return plan.builder in {"debian", "debian-slim"}


def cross_target(plan: Plan, arch: str) -> Target:
    gnu = f"{_GNU_ARCH[arch]}-linux-gnu-gcc"
    if _debian_family(plan) or not is_musl(plan):
        return Target(arch, triple(plan, arch), gnu, gnu)
    # Alpine and muslrust have no cross gcc packages; Rust's own lld links musl targets
    # (pure-Rust crates; C dependencies need a cross C compiler of their own).
    return Target(arch, triple(plan, arch), "rust-lld", "cc")


def cross_targets(plan: Plan) -> tuple[Target, ...]:
    """Every architecture the TARGETARCH switch knows, both always, so one Dockerfile
    serves `--platform linux/amd64`, `linux/arm64` or both."""
    return tuple(cross_target(plan, arch) for arch in ("amd64", "arm64"))


def other_arch(build_arch: str) -> str:
    return "arm64" if build_arch == "amd64" else "amd64"


def cross_links_openssl(plan: Plan) -> bool:
    """A glibc cross build that links the system OpenSSL needs the target's libssl-dev
    (Debian multiarch) and pkg-config pointed at it."""
    return is_cross(plan) and plan.tls == "openssl-system" and not is_musl(plan)


def cross_packages(plan: Plan, build_arch: str) -> tuple[str, ...]:
    """Debian packages that cross-compile from `build_arch` to the other architecture."""
    other = other_arch(build_arch)
    packages = _DEBIAN_CROSS_GCC[other]
    if cross_links_openssl(plan):
        packages += (f"libssl-dev:{other}",)
    return packages


def pkg_config_dir(arch: str) -> str:
    return f"/usr/lib/{_GNU_ARCH[arch]}-linux-gnu/pkgconfig"


def static_triple(plan: Plan) -> str:
    """The triple passed to --target when it is known when rendering, else ""."""
    if is_cross(plan):
        return ""
    if is_musl(plan) or plan.libc == "glibc-static":
        # glibc-static needs an explicit --target so crt-static reaches the program only,
        # not build scripts and proc-macros (which cannot be static).
        return triple(plan, "amd64")
    return ""


def needs_rustup_target(plan: Plan) -> str:
    """The triple `rustup target add` must install for a single-arch build, else ""."""
    wanted = static_triple(plan)
    if not wanted or plan.builder in {"alpine", "muslrust"}:
        # Alpine's host target is x86_64 musl; muslrust ships the musl target.
        return ""
    return wanted if is_musl(plan) else ""


def target_arg(plan: Plan) -> str:
    if is_cross(plan):
        return f'--target "$(cat {TARGET_FILE})"'
    wanted = static_triple(plan)
    return f"--target {wanted}" if wanted else ""


def release_dir(plan: Plan) -> str:
    """cargo's output directory for the release build, relative to /app."""
    if is_cross(plan):
        return f"target/$(cat {TARGET_FILE})/release"
    wanted = static_triple(plan)
    return f"target/{wanted}/release" if wanted else "target/release"


def built_binary(plan: Plan) -> str:
    """The path cargo writes the binary to (may contain the shell lookup when cross)."""
    return f"/app/{release_dir(plan)}/{plan.binary}"


def copies_out(plan: Plan) -> bool:
    """The build copies the binary to BIN_DIR in the same RUN: a cache-mounted target
    directory is gone after that RUN, and a cross build's triple is only known in the
    shell."""
    return plan.caching == "cache-mounts" or is_cross(plan)


def binary_source(plan: Plan) -> str:
    """The builder path the runtime stage copies the binary from."""
    return f"{BIN_DIR}/{plan.binary}" if copies_out(plan) else built_binary(plan)
