"""A hand-written Dockerfile -> answers (each with its line) and what is left over."""

from __future__ import annotations

from check_helpers import make_project

from rustdock.wizard.detect import detect
from rustdock.wizard.import_dockerfile import foreign_dockerfile, import_dockerfile, starting_plan
from rustdock.wizard.meta import MARKER

SERVICE = """
FROM rust:1.88-slim-bookworm AS builder
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y pkg-config libssl-dev protobuf-compiler
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \\
    --mount=type=cache,target=/usr/src/app/target \\
    cargo build --release --locked --bin server && cp target/release/server /usr/local/bin/server
RUN ./scripts/build-assets.sh
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y ca-certificates curl libpq5 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 1500 --no-create-home svc
COPY --from=builder /usr/local/bin/server /usr/local/bin/server
COPY static /srv/static
COPY --from=busybox:1.36 /bin/busybox /bin/busybox
ENV RUST_LOG=info APP_PORT=3000
EXPOSE 3000 9100
USER svc
HEALTHCHECK --interval=10s CMD curl -fsS http://localhost:3000/healthz || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "server"]
CMD ["--listen", "0.0.0.0:3000"]
"""

SERVER_BINS = '[[bin]]\nname = "server"\npath = "src/main.rs"\n\n[[bin]]\nname = "cli"\npath = "src/cli.rs"\n'


def imported_service(tmp_path):
    root = make_project(tmp_path, SERVICE, files={"static/app.css": "", "src/cli.rs": "fn main() {}\n"})
    (root / "Cargo.toml").write_text((root / "Cargo.toml").read_text() + SERVER_BINS)
    project = detect(root)
    return project, import_dockerfile(project)


def test_every_choice_comes_with_its_line(tmp_path):
    _, imported = imported_service(tmp_path)
    expected = {
        "binary": ("server", 12),
        "rust_version": ("1.88", 1),
        "builder": ("debian-slim", 1),
        "debian": ("bookworm", 9),
        "libc": ("glibc", 5),
        "caching": ("cache-mounts", 5),
        "runtime": ("debian-slim", 9),
        "ca_certs": (True, 10),
        "user": ("nonroot", 17),
        "uid": (1500, 17),
        "init": ("tini", 19),
        "args": ("--listen 0.0.0.0:3000", 20),
        "port": (3000, 16),
        "healthcheck": ("curl", 18),
        "health_path": ("/healthz", 18),
        "env": (("RUST_LOG=info", "APP_PORT=3000"), 15),
        "extra_files": (("static",), 13),
    }
    got = {key: (imported.answers[key], imported.lines[key]) for key in expected}
    assert got == expected


def test_what_cannot_be_mapped_is_listed_with_its_line(tmp_path):
    _, imported = imported_service(tmp_path)
    left = {item.line: item.why for item in imported.left_over}
    assert "./scripts/build-assets.sh" in left[8]
    assert "protobuf-compiler" in left[3] and "libssl-dev" not in left[3]
    assert "libpq5" in left[10] and "curl" not in left[10]
    assert "busybox:1.36" in left[14]
    assert "9100" in left[16]
    # What became a choice is not listed again.
    assert not {5, 9, 12, 13, 15, 17, 19, 20} & set(left)


def test_the_starting_plan_keeps_the_answers_when_nothing_is_wrong(tmp_path):
    project, imported = imported_service(tmp_path)
    plan, changes = starting_plan(project, imported)
    assert changes == ()
    assert {k: plan.choices[k] for k in ("binary", "runtime", "uid", "port")} == {
        "binary": "server", "runtime": "debian-slim", "uid": 1500, "port": 3000}
    assert "runtime" in plan.explicit and "allocator" not in plan.explicit


def test_absences_are_judged_but_never_become_answers(tmp_path):
    root = make_project(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        CMD ["/app"]
    """)
    imported = import_dockerfile(detect(root))
    assert imported.faithful["user"] == "root" and "user" not in imported.answers
    assert imported.faithful["healthcheck"] == "none" and "healthcheck" not in imported.answers
    assert imported.faithful["ca_certs"] is False


def test_rustdock_own_dockerfile_is_not_imported(tmp_path):
    root = make_project(tmp_path, f"# syntax=docker/dockerfile:1\n{MARKER}\nFROM scratch\n")
    assert foreign_dockerfile(detect(root)) is None
    (root / "Dockerfile").write_text("FROM scratch\n")
    assert foreign_dockerfile(detect(root)) == root / "Dockerfile"


def test_curl_installed_on_alpine_becomes_the_check_rustdock_writes_there(tmp_path):
    root = make_project(tmp_path, """
        FROM rust:1.95-alpine3.22 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM alpine:3.22
        RUN apk add --no-cache curl
        COPY --from=build /src/target/release/app /app
        HEALTHCHECK CMD curl -f http://localhost:8080/
        ENTRYPOINT ["/app"]
    """)
    imported = import_dockerfile(detect(root))
    assert imported.answers["healthcheck"] == "wget"
    assert imported.answers["port"] == 8080
