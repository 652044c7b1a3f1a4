"""A hand-written Dockerfile -> answers (each with its line) and what is left over."""

from __future__ import annotations

from check_helpers import make_project

from rustdock.wizard.detect import detect
from rustdock.wizard.dockerfile.find import foreign_dockerfile
from rustdock.wizard.import_dockerfile import import_dockerfile, starting_plan
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
        "ports": (("3000", "9100"), 16),
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
    # static/ ships, but to WORKDIR/static, not their /srv/static: said, not lost.
    assert "not /srv/static" in left[13]
    # What became a choice is not listed again.
    assert not {5, 9, 12, 15, 16, 17, 19, 20} & set(left)  # both EXPOSEd ports are kept


def test_copies_into_their_workdir_keep_the_place_the_program_reads(tmp_path):
    """COPY into the final WORKDIR maps to extra_files at the same place relative to it,
    renames included (config/prod.toml becomes ./config.toml)."""
    dockerfile = SERVICE.replace("COPY static /srv/static\n", "WORKDIR /srv\nCOPY static ./static\n"
                                 "COPY config/prod.toml /srv/config.toml\nCOPY templates /srv/web/templates\n")
    root = make_project(tmp_path, dockerfile, files={"static/app.css": "", "config/prod.toml": "",
                                                     "templates/a.html": ""})
    imported = import_dockerfile(detect(root))
    assert imported.answers["extra_files"] == ("static", "config/prod.toml:config.toml",
                                               "templates:web/templates")
    assert not [item for item in imported.left_over if "WORKDIR/" in item.why]


def test_the_starting_plan_keeps_the_answers_when_nothing_is_wrong(tmp_path):
    project, imported = imported_service(tmp_path)
    plan, changes = starting_plan(project, imported)
    assert changes == ()
    assert {k: plan.choices[k] for k in ("binary", "runtime", "uid", "ports")} == {
        "binary": "server", "runtime": "debian-slim", "uid": 1500, "ports": ("3000", "9100")}
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
    assert foreign_dockerfile(root) is None and detect(root).foreign_dockerfile == ""
    (root / "Dockerfile").write_text("FROM scratch\n")
    assert foreign_dockerfile(root) == root / "Dockerfile"
    assert detect(root).foreign_dockerfile == "Dockerfile"


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
    assert imported.answers["ports"] == ("8080",)


def test_generate_starts_from_the_dockerfile_and_says_so(tmp_path, capsys):
    from rustdock.wizard.cli import main

    _, _ = imported_service(tmp_path)
    assert main(["generate", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "starting from your Dockerfile" in err
    assert "binary=server (line 12)" in err and "ports=3000,9100 (line 16)" in err
    assert "not carried over: line 8: RUN ./scripts/build-assets.sh" in err
    assert "EXPOSE 3000 9100\n" in out and "USER 1500:1500" in out
    assert main(["generate", str(tmp_path), "--no-import"]) == 0
    out, err = capsys.readouterr()
    assert "starting from" not in err and "USER 1500" not in out


def test_an_answers_file_wins_over_the_dockerfile(tmp_path, capsys):
    from rustdock.wizard.cli import main

    imported_service(tmp_path)
    (tmp_path / "rustdock.toml").write_text('[rustdock]\npreset = ""\n[answers]\nport = 9000\n')
    assert main(["generate", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "starting from" not in err and "EXPOSE 9000" in out


def test_set_overrides_the_dockerfile_and_the_mark_follows_the_value(tmp_path):
    project, imported = imported_service(tmp_path)
    plan, _ = starting_plan(project, imported, overrides=("port=4000",))
    assert plan.choices["ports"] == ("4000",) and plan.dockerfile_line("ports") == 0
    assert plan.dockerfile_line("runtime") == 9
    assert plan.with_choice("runtime", "alpine").dockerfile_line("runtime") == 0
    assert plan.with_choice("port", 8080).dockerfile_line("binary") == 12


def test_an_unreadable_dockerfile_does_not_stop_generate(tmp_path, capsys):
    from rustdock.wizard.cli import main

    make_project(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(b"\x00\x01binary")
    assert main(["generate", str(tmp_path)]) == 0
    _, err = capsys.readouterr()
    assert "a binary file" in err and "defaults" in err
