"""The peers measured beside rustdock: `docker init`'s Rust Dockerfile and the five seeds."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rustdock.wizard.versions import RUST_DEFAULT

DOCKER_INIT = "rebuilt from its documented structure in shared/KNOWLEDGE.md"

#: docker init's Rust Dockerfile: ARG RUST_VERSION/APP_NAME, bind mounts for the sources and
#: cache mounts for target and the registry, debian-slim runtime, `appuser` 10001. Its
#: build step is a heredoc; buildah 1.28 has none, so the same commands sit on one RUN.
#: Its builder is rust:<ver>-slim-bookworm; the stand-in for the full image carries the
#: same toolchain, so the builder is rust:<ver>-bookworm here. Its bind mounts name
#: relative targets (target=src), which buildah 1.28 rejects ("must be an absolute path"),
#: so they are spelled under its WORKDIR /app.
_DOCKER_INIT = """# syntax=docker/dockerfile:1
ARG RUST_VERSION={rust}
ARG APP_NAME={app}
FROM rust:${{RUST_VERSION}}-bookworm AS build
ARG APP_NAME
WORKDIR /app
RUN --mount=type=bind,source=src,target=/app/src \\
    --mount=type=bind,source=Cargo.toml,target=/app/Cargo.toml \\
    --mount=type=bind,source=Cargo.lock,target=/app/Cargo.lock \\{extra}
    --mount=type=cache,target=/app/target/ \\
    --mount=type=cache,target=/usr/local/cargo/registry/ \\
    set -e && cargo build --locked --release && cp ./target/release/$APP_NAME /bin/server

FROM debian:bookworm-slim AS final
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" \\
    --no-create-home --uid "${{UID}}" appuser
USER appuser
COPY --from=build /bin/server /bin/
EXPOSE 8000
CMD ["/bin/server"]
"""

_VENDOR_MOUNTS = """
    --mount=type=bind,source=.cargo,target=/app/.cargo \\
    --mount=type=bind,source=vendor,target=/app/vendor \\"""


def docker_init_dockerfile(root: Path, *, vendored: bool) -> str:
    app = tomllib.loads((root / "Cargo.toml").read_text())["package"]["name"]
    return _DOCKER_INIT.format(rust=RUST_DEFAULT, app=app, extra=_VENDOR_MOUNTS if vendored else "")


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
