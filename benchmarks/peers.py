"""The peers measured beside rustdock: `docker init`'s Rust Dockerfile, cargo-chef's README
Dockerfile, and the five seeds (listed as not buildable here, with the reason)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rustdock.wizard.versions import RUST_DEFAULT

#: Where docker init's Dockerfile comes from. `docker init` itself ships inside Docker
#: Desktop (no CLI on this machine); Docker's Rust guide prints the file it writes.
DOCKER_INIT_SOURCE = ("docker/docs content/guides/rust/build-images.md at 0ed6c96eb61f, "
                      "tab \"Using the Docker Official Images\" (the Dockerfile `docker init` "
                      "writes for Rust)")
#: What was changed, and why: nothing else differs from the guide's file.
DOCKER_INIT_CHANGES = (
    "its Alpine images (`rust:${RUST_VERSION}-alpine`, `alpine:3.18`) have no stand-in and apk "
    "has no archive here, so the builder is the Debian flavour of the same official image "
    "(`rust:<ver>-slim-bookworm`), the runtime `debian:bookworm-slim`, and its `apk add clang "
    "lld musl-dev git` step is the same packages through apt-get (musl-dev dropped: the "
    "build is glibc now); no `# syntax=` line (nothing can be pulled); RUST_VERSION and "
    "APP_NAME filled in as docker init fills them"
)

#: docker/docs content/guides/rust/build-images.md (0ed6c96eb61f), "Using the Docker
#: Official Images", with the changes DOCKER_INIT_CHANGES lists. {extra} is where bind
#: mounts a project needs beyond src/Cargo.toml/Cargo.lock go (see docker_init_dockerfile).
_DOCKER_INIT = """ARG RUST_VERSION={rust}
ARG APP_NAME={app}

FROM rust:${{RUST_VERSION}}-slim-bookworm AS build
ARG APP_NAME
WORKDIR /app

# Install host build dependencies.
RUN apt-get update && apt-get install -y --no-install-recommends clang lld git && \\
    rm -rf /var/lib/apt/lists/*

RUN --mount=type=bind,source=src,target=src \\
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \\
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \\{extra}
    --mount=type=cache,target=/app/target/ \\
    --mount=type=cache,target=/usr/local/cargo/git/db \\
    --mount=type=cache,target=/usr/local/cargo/registry/ \\
    cargo build --locked --release && \\
    cp ./target/release/$APP_NAME /bin/server

FROM debian:bookworm-slim AS final
ARG UID=10001
RUN adduser \\
    --disabled-password \\
    --gecos "" \\
    --home "/nonexistent" \\
    --shell "/sbin/nologin" \\
    --no-create-home \\
    --uid "${{UID}}" \\
    appuser
USER appuser
COPY --from=build /bin/server /bin/
ENV ROCKET_ADDRESS=0.0.0.0
EXPOSE 8000
CMD ["/bin/server"]
"""


def docker_init_dockerfile(root: Path, extra_mounts: tuple[str, ...] = ()) -> str:
    """docker init's Dockerfile for the project at `root`. `extra_mounts` are directories
    its build needs besides src/ (a user adds them by hand: docker init mounts only src/,
    Cargo.toml and Cargo.lock)."""
    app = tomllib.loads((root / "Cargo.toml").read_text())["package"]["name"]
    extra = "".join(f"\n    --mount=type=bind,source={d},target={d} \\" for d in extra_mounts)
    return _DOCKER_INIT.format(rust=RUST_DEFAULT, app=app, extra=extra)


CHEF_SOURCE = ("LukeMathWalker/cargo-chef README.md at 52669eb4df1d (2026-03-03), section "
               "\"Without the pre-built image\"")
CHEF_CHANGES = (
    "`rust:1` -> `rust:1-bookworm` and `debian:trixie-slim` -> `debian:bookworm-slim` (the "
    "stand-ins are Debian bookworm only); `--bin app` names the project's binary"
)

#: cargo-chef's README Dockerfile without the pre-built image (no registry to pull
#: lukemathwalker/cargo-chef from), with the changes CHEF_CHANGES lists.
_CHEF = """FROM rust:1-bookworm AS chef
# We only pay the installation cost once,
# it will be cached from the second build onwards
RUN cargo install --locked cargo-chef
WORKDIR app

FROM chef AS planner
COPY . .
RUN cargo chef prepare  --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
# Build dependencies - this is the caching Docker layer!
RUN cargo chef cook --release --recipe-path recipe.json
# Build application
COPY . .
RUN cargo build --release --bin {app}

# We do not need the Rust toolchain to run the binary!
FROM debian:bookworm-slim AS runtime
WORKDIR app
COPY --from=builder /app/target/release/{app} /usr/local/bin
ENTRYPOINT ["/usr/local/bin/{app}"]
"""


def chef_dockerfile(root: Path) -> str:
    app = tomllib.loads((root / "Cargo.toml").read_text())["package"]["name"]
    return _CHEF.format(app=app)


#: Each seed's final Dockerfile, and why it cannot build on a machine without a registry.
SEEDS = (
    ("000 (rust:1.40, musl, scratch)", "`rustup target add x86_64-unknown-linux-musl` downloads the "
     "target; rust:1.40 is not this machine's toolchain"),
    ("001 (rust:1.73 + musl-tools, alpine)", "rustup target add and `apt install musl-tools` download; "
     "alpine has no stand-in; it also copies from a path it never built (/usr/app/my_app)"),
    ("002 (rust:latest + musl-tools, alpine)", "`apt-get install musl-tools` and `rustup target add` "
     "download; alpine has no stand-in"),
    ("003 (rust:1.75-alpine, musl, scratch)", "Alpine builder image and `apk add musl-dev`"),
    ("004 (clux/muslrust, scratch)", "clux/muslrust comes from a registry; `apt install "
     "ca-certificates` downloads"),
)
