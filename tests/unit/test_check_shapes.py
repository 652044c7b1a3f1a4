"""Shapes met in real projects' Dockerfiles (written here from scratch): each once gave a
false finding, a wrong import or a crash."""

from __future__ import annotations

from check_helpers import check_text, rules, rules_at

from rustdock.wizard.dockerfile.parse import UNKNOWN
from rustdock.wizard.dockerfile.shell import commands
from rustdock.wizard.rules_project import is_secret_env


def test_variables_with_spaces_and_branches_are_read_as_the_shell_would():
    script = 'X=1 ${JEM:+env JEM="${JEM}"} cargo build ${FEAT:+--features} $FEAT --bin api'
    (command,) = commands(script, {"JEM": UNKNOWN, "FEAT": UNKNOWN})
    assert command.words[:2] == ("cargo", "build") and "--features" not in command.words
    case = 'case "$ARCH" in amd64) T=x86_64 ;; arm64) T=aarch64 ;; esac && cargo build --target "$T"-unknown-linux-musl'
    build = commands(case, {"ARCH": UNKNOWN})[-1]
    assert build.words[-1].startswith("$") or build.words[-1].startswith("${"), build.words


def test_a_wasm_dependency_build_serves_the_wasm_build_not_the_server(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        RUN cargo install cargo-chef --locked
        COPY recipe.json recipe.json
        RUN cargo chef cook --release --locked --target wasm32-unknown-unknown --recipe-path recipe.json
        COPY . .
        RUN cargo build --release --locked --target wasm32-unknown-unknown -p app
        RUN cargo build --release --locked --bin app
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """, files={"recipe.json": "{}"})
    assert "cache-other-target" not in rules(report)
    assert ("build-not-locked", 3) not in rules_at(report)  # a tool from crates.io is not the project


def test_a_wasm_cook_for_a_frontend_a_script_builds_is_not_a_wasted_cache(tmp_path):
    # The frontend is built by wasm-pack from a script the check cannot follow; the same
    # RUN cooks the server's dependencies for the real build.
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY recipe.json recipe.json
        RUN cargo chef cook --release --locked -p web --target wasm32-unknown-unknown \\
            && cargo chef cook --release --locked -p app
        COPY . .
        RUN cargo build --release --locked -p app && ./web/build.sh
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """, files={"recipe.json": "{}"})
    assert "cache-other-target" not in rules(report)


def test_a_wasm_cook_alone_before_a_native_build_is_still_wasted(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY recipe.json recipe.json
        RUN cargo chef cook --release --locked --target wasm32-unknown-unknown
        COPY . .
        RUN cargo build --release --locked -p app
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """, files={"recipe.json": "{}"})
    assert ("cache-other-target", 4) in rules_at(report)


def test_a_stub_package_without_your_manifest_caches_nothing(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        RUN cargo new --bin app
        WORKDIR /app
        COPY crates/core/Cargo.toml crates/core/Cargo.toml
        RUN cargo build --release --locked
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /app/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """, files={"crates/core/Cargo.toml": "[package]\nname='core'\n"})
    (finding,) = [f for f in report.findings if f.rule == "cache-other-target"]
    assert finding.line == 5 and "`cargo new` made" in finding.finding.message


def test_an_init_with_a_shell_form_cmd_is_a_tip_and_a_program_with_one_a_warning(tmp_path):
    base = """
        FROM rust:1.95-alpine3.22 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM alpine:3.22
        RUN apk add --no-cache tini
        COPY --from=build /src/target/release/app /bin/app
        USER 10001
    """
    tini = check_text(tmp_path / "tini", base + '    ENTRYPOINT ["tini", "--"]\n    CMD /bin/app\n')
    assert {(f.rule, f.severity) for f in tini.findings if f.rule == "shell-form"} == {("shell-form", "tip")}
    app = check_text(tmp_path / "app", base + '    ENTRYPOINT ["/bin/app"]\n    CMD --port 80\n')
    assert {(f.rule, f.severity) for f in app.findings if f.rule == "shell-form"} == {("shell-form", "warning")}


def test_quoted_destinations_digests_and_copied_folders(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm@sha256:0123456789abcdef AS build
        WORKDIR /src
        COPY . .
        RUN cargo install --path . --locked --root /out
        FROM debian:bookworm-slim
        ARG APP=/srv
        COPY --from=build /out/bin "$APP"/bin
        USER 10001
        ENTRYPOINT ["/srv/bin/app"]
    """)
    assert {"unpinned-image", "program-missing", "copy-never-built"} & rules(report) == set()
    assert report.imported.answers["binary"] == "app"


def test_secret_names_are_whole_words():
    assert not is_secret_env("TOKENSERVER_DATABASE_BACKEND", "postgres")
    assert is_secret_env("GITHUB_TOKEN", "")
    assert is_secret_env("KELLNR_SETUP__ADMIN_PWD", "admin")
    assert not is_secret_env("PWD", "/app")


def test_sourced_env_files_may_define_what_a_run_uses(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        RUN echo "export TRIPLE=x86_64-unknown-linux-gnu" > /env
        COPY . .
        RUN . /env && cargo build --release --locked --target "$TRIPLE" && awk '{print $NF}' Cargo.toml
        FROM debian:bookworm-slim
        COPY --from=build /src/target/x86_64-unknown-linux-gnu/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """)
    assert "unset-variable" not in rules(report)


def test_run_time_folders_are_not_what_the_build_reads(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """, files={"static/app.css": "", ".dockerignore": "target\nstatic\n"})
    assert "dockerignore-drops" not in rules(report)


def test_a_prebuilt_binary_copied_from_the_context_is_judged_on_its_runtime(tmp_path):
    report = check_text(tmp_path, """
        FROM debian:bookworm-slim
        COPY app /usr/local/bin/
        USER 10001
        ENTRYPOINT ["/usr/local/bin/app"]
    """, files={"app": "binary"})
    assert {"static-on-glibc-runtime", "dynamic-in-static-runtime"} & rules(report) == set()
