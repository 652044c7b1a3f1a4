"""Every image tag and crate version rustdock writes, in one table.

Templates and patches never spell a version themselves: they read it from here, so a
version bump is one line and one golden-file refresh. Checked against the registries'
tag lists as of late 2026; look them up again before changing a value.
"""

from __future__ import annotations

from types import MappingProxyType

#: The Rust release used when the project pins none (no rust-toolchain, no rust-version).
RUST_DEFAULT = "1.95"

#: Debian releases rustdock builds on, with the distroless suffix that matches each one.
#: Builder and runtime must share a release: a binary linked against trixie's glibc 2.41
#: does not start on bookworm's 2.36.
DEBIAN_RELEASES = MappingProxyType(
    {
        "bookworm": {"distroless": "debian12", "glibc": "2.36"},
        "trixie": {"distroless": "debian13", "glibc": "2.41"},
    }
)

ALPINE = "3.22"

#: Runtime images. `{debian}` and `{distroless}` are filled from DEBIAN_RELEASES.
RUNTIME_IMAGES = MappingProxyType(
    {
        "scratch": "scratch",
        "distroless-static": "gcr.io/distroless/static-{distroless}",
        "distroless-cc": "gcr.io/distroless/cc-{distroless}",
        "chainguard-static": "cgr.dev/chainguard/static:latest",
        "chainguard-glibc": "cgr.dev/chainguard/glibc-dynamic:latest",
        "alpine": "alpine:" + ALPINE,
        "debian-slim": "debian:{debian}-slim",
    }
)

#: The first Rust release whose official image has each variant: docker-library added
#: bookworm in 2023 (around 1.70) and trixie in 2025 (around 1.88), and Alpine 3.22
#: appeared in May 2025. A pin older than these names a tag that may not exist.
RUST_VARIANT_SINCE = MappingProxyType({"bookworm": "1.70", "trixie": "1.88", "alpine": "1.87"})

#: Builder images. `{rust}` is the Rust version, `{debian}` the Debian release.
BUILDER_IMAGES = MappingProxyType(
    {
        "debian": "rust:{rust}-{debian}",
        "debian-slim": "rust:{rust}-slim-{debian}",
        "alpine": "rust:{rust}-alpine" + ALPINE,
        # clux/muslrust ships musl builds of OpenSSL, zlib, curl, pq and sqlite.
        "muslrust": "clux/muslrust:{rust_full}-stable",
    }
)

#: Crates the patch step adds to Cargo.toml.
CRATES = MappingProxyType(
    {
        "tikv-jemallocator": "0.6",
        "mimalloc": "0.1",
        "openssl": "0.10",
    }
)

#: The Dockerfile frontend `# syntax=` asks BuildKit for (option frontend=dockerfile-1).
DOCKERFILE_FRONTEND = "docker/dockerfile:1"

#: Tools installed in the builder stage.
CARGO_CHEF = "0.1.73"
TINI = "0.19.0"

#: Distroless and Chainguard images ship this user; their `nonroot` tag runs as it.
DISTROLESS_NONROOT_UID = 65532
#: The uid rustdock suggests elsewhere: above the range distributions hand out to people,
#: so it cannot collide with a host account when volumes are shared.
DEFAULT_UID = 10001


def builder_image(family: str, rust: str, debian: str) -> str:
    """The builder image reference for a family, Rust version and Debian release."""
    # clux/muslrust tags always carry the patch release (1.95.0-stable, never 1.95-stable).
    rust_full = rust if rust.count(".") == 2 else f"{rust}.0"
    return BUILDER_IMAGES[family].format(rust=rust, rust_full=rust_full, debian=debian)


def runtime_image(runtime: str, debian: str) -> str:
    """The runtime image reference for a runtime choice and Debian release."""
    return RUNTIME_IMAGES[runtime].format(
        debian=debian, distroless=DEBIAN_RELEASES[debian]["distroless"]
    )
