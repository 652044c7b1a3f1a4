"""Each Dockerfile check, with the near miss that must stay silent."""

from __future__ import annotations

from check_helpers import check_text, rules, rules_at

GOOD = """
    FROM rust:1.95-bookworm AS build
    WORKDIR /src
    COPY . .
    RUN cargo build --release --locked --target x86_64-unknown-linux-musl
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
    USER 65532:65532
    ENTRYPOINT ["/app"]
"""


def test_a_sound_dockerfile_has_no_error_or_warning(tmp_path):
    report = check_text(tmp_path, GOOD)
    assert [f.text() for f in report.findings if f.severity != "tip"] == []


def test_copy_from_another_workdir_names_where_cargo_wrote(tmp_path):
    report = check_text(tmp_path, GOOD.replace("/src/target", "/app/target"))
    (finding,) = [f for f in report.findings if f.rule == "copy-never-built"]
    assert finding.line == 6
    assert "runs in /src (WORKDIR)" in finding.finding.message
    assert "/src/target/x86_64-unknown-linux-musl/release/app" in finding.finding.fix


def test_copy_of_the_host_folder_after_a_target_build(tmp_path):
    report = check_text(tmp_path, GOOD.replace("/src/target/x86_64-unknown-linux-musl/release/app", "/src/target/release/app"))
    (finding,) = [f for f in report.findings if f.rule == "copy-never-built"]
    assert "--target x86_64-unknown-linux-musl" in finding.finding.message


def test_copy_of_another_binary_name(tmp_path):
    report = check_text(tmp_path, GOOD.replace("release/app /app", "release/server /app"))
    assert ("copy-never-built", 6) in rules_at(report, "error")
    assert "builds the binary app" in next(f.finding.message for f in report.findings if f.rule == "copy-never-built")


def test_a_binary_copied_out_of_a_cache_mount_is_fine(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN --mount=type=cache,target=/src/target \\
            cargo build --release --locked && cp target/release/app /usr/local/bin/
        FROM debian:bookworm-slim
        COPY --from=build /usr/local/bin/app /usr/local/bin/app
        USER 10001
        ENTRYPOINT ["app"]
    """)
    assert "copy-never-built" not in rules(report)
    assert "program-missing" not in rules(report)


def test_a_binary_left_in_a_cache_mount_is_not_in_the_image(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN --mount=type=cache,target=/src/target cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /usr/local/bin/app
        ENTRYPOINT ["app"]
    """)
    finding = next(f for f in report.findings if f.rule == "copy-never-built")
    assert "inside a cache mount" in finding.finding.message and finding.line == 6


def test_dependency_build_for_another_profile(tmp_path):
    text = """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY Cargo.toml Cargo.lock ./
        RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --locked
        COPY src src
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """
    report = check_text(tmp_path, text)
    (finding,) = [f for f in report.findings if f.rule == "cache-other-target"]
    assert finding.line == 4 and "profile debug" in finding.finding.message
    same = check_text(tmp_path / "same", text.replace("cargo build --locked\n", "cargo build --release --locked\n"))
    assert "cache-other-target" not in rules(same)


def test_program_run_from_where_nothing_was_copied(tmp_path):
    report = check_text(tmp_path, GOOD.replace('ENTRYPOINT ["/app"]', 'ENTRYPOINT ["/usr/local/bin/app"]'))
    assert ("program-missing", 8) in rules_at(report, "error")
    found = check_text(tmp_path / "ok", GOOD.replace('COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app',
                                                      'COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /usr/local/bin/'
                                                      ).replace('ENTRYPOINT ["/app"]', 'ENTRYPOINT ["app"]'))
    assert "program-missing" not in rules(found)


def test_named_user_the_runtime_lacks(tmp_path):
    report = check_text(tmp_path, GOOD.replace("USER 65532:65532", "USER appuser"))
    assert ("user-missing", 7) in rules_at(report, "error")
    distroless = check_text(tmp_path / "nonroot", GOOD.replace("USER 65532:65532", "USER nonroot:nonroot"))
    assert "user-missing" not in rules(distroless)


def test_user_created_in_the_final_stage_exists(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-alpine AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM alpine:3.22
        RUN adduser -D -u 10001 app
        COPY --from=build /src/target/release/app /usr/local/bin/app
        USER app
        ENTRYPOINT ["app"]
    """)
    assert "user-missing" not in rules(report)
    assert "root-user" not in rules(report)


def test_no_user_runs_as_root_at_the_final_stage(tmp_path):
    report = check_text(tmp_path, GOOD.replace("USER 65532:65532\n", ""))
    assert ("root-user", 5) in rules_at(report, "warning")


def test_shell_form_entrypoint(tmp_path):
    report = check_text(tmp_path, GOOD.replace('ENTRYPOINT ["/app"]', "ENTRYPOINT /app --serve"))
    # distroless has no /bin/sh: the container cannot even start.
    assert ("shell-form", 8) in rules_at(report, "error")
    alpine = check_text(tmp_path / "alpine", GOOD.replace("gcr.io/distroless/static-debian12", "alpine:3.22")
                        .replace('ENTRYPOINT ["/app"]', "ENTRYPOINT /app --serve"))
    assert ("shell-form", 8) in rules_at(alpine, "warning")


def test_healthcheck_with_curl_on_alpine_without_curl(tmp_path):
    text = GOOD.replace("gcr.io/distroless/static-debian12", "alpine:3.22") + \
        '    HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]\n'
    report = check_text(tmp_path, text)
    assert ("healthcheck-tool-missing", 9) in rules_at(report, "error")
    installed = check_text(tmp_path / "apk", text.replace("USER 65532:65532", "RUN apk add --no-cache curl\n    USER 65532:65532"))
    assert {"healthcheck-tool-missing", "healthcheck-tool-absent"} & rules(installed) == set()


def test_healthcheck_with_curl_on_debian_slim_that_never_installs_it(tmp_path):
    text = GOOD.replace("gcr.io/distroless/static-debian12", "debian:bookworm-slim") + \
        '    HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]\n'
    assert ("healthcheck-tool-absent", 9) in rules_at(check_text(tmp_path, text), "error")


def test_unpinned_images(tmp_path):
    report = check_text(tmp_path, GOOD.replace("rust:1.95-bookworm", "rust:latest"))
    assert ("unpinned-image", 1) in rules_at(report, "warning")
    assert ("unpinned-image", 5) not in rules_at(report)  # distroless' release is in its name


def test_builder_newer_than_runtime(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-trixie AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """)
    assert ("release-mismatch", 5) in rules_at(report, "error")
    same = check_text(tmp_path / "same", """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM debian:bookworm-slim
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """)
    assert "release-mismatch" not in rules(same)


def test_builder_newer_than_an_ubuntu_runtime_names_images_that_exist(tmp_path):
    # there is no rust:...-noble: the fix names a Debian runtime or an older builder
    report = check_text(tmp_path, """
        FROM rust:1.93 AS build
        WORKDIR /src
        COPY . .
        RUN cargo build --release --locked
        FROM ubuntu:24.04
        COPY --from=build /src/target/release/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """)
    (finding,) = [f.finding for f in report.findings if f.rule == "release-mismatch"]
    assert finding.severity == "error" and "noble" not in finding.fix
    assert "debian:trixie-slim" in finding.fix and "rust:...-bookworm" in finding.fix


def test_secrets_in_arg_and_env(tmp_path):
    report = check_text(tmp_path, GOOD.replace("WORKDIR /src", "WORKDIR /src\n    ARG GITHUB_TOKEN\n    ARG RUST_LOG=info")
                        .replace("USER 65532:65532", "USER 65532:65532\n    ENV API_KEY=abc123 LOG=debug"))
    assert ("secret-build-arg", 3) in rules_at(report, "warning")
    assert ("secret-build-arg", 4) not in rules_at(report)
    secret_env = [f for f in report.findings if f.rule == "secret-in-env"]
    assert [f.line for f in secret_env] == [10] and "API_KEY" in secret_env[0].finding.message


def test_dockerignore_that_drops_the_lock(tmp_path):
    report = check_text(tmp_path, GOOD, files={".dockerignore": "target/\n*.lock\n"})
    (finding,) = [f for f in report.findings if f.rule == "dockerignore-drops"]
    assert (finding.path, finding.line, finding.severity) == (".dockerignore", 2, "error")
    kept = check_text(tmp_path / "kept", GOOD, files={".dockerignore": "target/\n*.lock\n!Cargo.lock\n"})
    assert "dockerignore-drops" not in rules(kept)


def test_cargo_install_without_locked(tmp_path):
    report = check_text(tmp_path, """
        FROM rust:1.95-bookworm AS build
        WORKDIR /src
        COPY . .
        RUN cargo install --path . --locked
        RUN cargo install --path . --root /out
        FROM debian:bookworm-slim
        COPY --from=build /out/bin/app /app
        USER 10001
        ENTRYPOINT ["/app"]
    """)
    assert {(r, n) for r, n in rules_at(report) if r == "build-not-locked"} == {("build-not-locked", 5)}
    assert "copy-never-built" not in rules(report)


def test_no_lock_file_no_locked_finding(tmp_path):
    report = check_text(tmp_path, GOOD.replace(" --locked", ""), lock=False)
    assert "build-not-locked" not in rules(report)
    assert "no-lockfile" in rules(report)


def test_rust_older_than_the_edition(tmp_path):
    report = check_text(tmp_path, GOOD.replace("rust:1.95-bookworm", "rust:1.50-buster"), edition="2021")
    assert ("rust-older-than-edition", 1) in rules_at(report, "error")
    assert "rust-older-than-edition" not in rules(check_text(tmp_path / "ok", GOOD, edition="2021"))


def test_rust_older_than_rust_version(tmp_path):
    (tmp_path / "p").mkdir()
    report = check_text(tmp_path / "p", GOOD, deps="")
    assert "rust-older-than-msrv" not in rules(report)
    text = (tmp_path / "p" / "Cargo.toml").read_text().replace('edition = "2021"', 'edition = "2021"\nrust-version = "1.99"')
    (tmp_path / "p" / "Cargo.toml").write_text(text)
    from rustdock.wizard.check import check_dockerfile

    assert ("rust-older-than-msrv", 1) in rules_at(check_dockerfile(tmp_path / "p"), "error")


def test_tls_without_ca_certificates_in_scratch(tmp_path):
    # a TLS client: rustls with the system's roots (rustls alone may only serve HTTPS)
    lock_deps = 'rustls = "0.23"\nrustls-native-certs = "0.8"\n'
    report = check_text(tmp_path, GOOD.replace("gcr.io/distroless/static-debian12", "scratch"), deps=lock_deps)
    assert ("no-ca-roots", 5) in rules_at(report, "warning")
    copied = check_text(tmp_path / "certs", GOOD.replace("gcr.io/distroless/static-debian12", "scratch").replace(
        "USER 65532:65532", "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n    USER 65532:65532"), deps=lock_deps)
    assert "no-ca-roots" not in rules(copied)


def test_glibc_binary_in_scratch(tmp_path):
    report = check_text(tmp_path, GOOD.replace(" --target x86_64-unknown-linux-musl", "").replace(
        "x86_64-unknown-linux-musl/", "").replace("gcr.io/distroless/static-debian12", "scratch"))
    assert ("dynamic-in-static-runtime", 4) in rules_at(report, "error")
    alpine_builder = check_text(tmp_path / "alpine", GOOD.replace(" --target x86_64-unknown-linux-musl", "").replace(
        "x86_64-unknown-linux-musl/", "").replace("rust:1.95-bookworm", "rust:1.95-alpine3.22"))
    assert "dynamic-in-static-runtime" not in rules(alpine_builder)  # alpine builds musl by default


def test_a_toolchain_file_copied_where_cargo_runs_is_installed_by_rustup(tmp_path):
    """warpgate: `COPY . /opt/warpgate` brings rust-toolchain.toml to where cargo runs, and
    the official image's rustup installs the nightly it pins: the build does not use the
    image's stable Rust. A Dockerfile that copies only src/ leaves the file out."""
    toolchain = {"rust-toolchain.toml": '[toolchain]\nchannel = "nightly-2026-07-09"\n'}
    copied = check_text(tmp_path / "copied", GOOD, files=toolchain)
    assert "toolchain-file-differs" not in rules(copied)
    parent = check_text(tmp_path / "parent", GOOD.replace("WORKDIR /src\n    COPY . .", "COPY . /src\n    WORKDIR /src/app"),
                        files=toolchain)
    assert "toolchain-file-differs" not in rules(parent)
    left_out = check_text(tmp_path / "left-out", GOOD.replace("COPY . .", "COPY Cargo.toml Cargo.lock ./\n    COPY src src"),
                          files=toolchain)
    assert "toolchain-file-differs" in rules(left_out)


def test_a_dockerfile_that_compiles_nothing_gets_no_cargo_build_findings(tmp_path):
    """static-web-server's docker/debian/Dockerfile downloads a release binary: its
    build.rs reading git (or the caching, profile, features) is no concern there."""
    files = {"build.rs": 'fn main() { std::process::Command::new("git").arg("describe").output().unwrap(); }\n',
             ".dockerignore": ".git\ntarget\n"}
    built = check_text(tmp_path / "built", GOOD, files=files)
    assert "build-script-git" in rules(built)
    downloaded = check_text(tmp_path / "downloaded", """
        FROM debian:bookworm-slim AS build
        RUN curl -Lo /tmp/app.tar.gz https://example.com/app.tar.gz && tar xzf /tmp/app.tar.gz -C /usr/local/bin
        FROM gcr.io/distroless/static-debian12
        COPY --from=build /usr/local/bin/app /app
        USER 65532:65532
        ENTRYPOINT ["/app"]
    """, files=files)
    assert rules(downloaded) & {"build-script-git", "no-caching", "scratch-keeps-profile", "musl-system-allocator"} == set()


def test_a_path_the_repo_lacks_but_the_final_stage_copies_in_is_no_finding(tmp_path):
    """sshx serves build/ (an npm build's output, not in the repo); its Dockerfile builds it
    in a node stage and copies it to WORKDIR/build: the image has it."""
    files = {"src/main.rs": 'fn main() { let spa = tower_http::services::ServeFile::new("build/spa.html"); }\n'}
    deps = 'tower-http = { version = "0.6", features = ["fs"] }\n'
    lacking = check_text(tmp_path / "lacking", GOOD.replace("/app", "/srv/app").replace(
        "ENTRYPOINT", "WORKDIR /srv\n    ENTRYPOINT"), files=files, deps=deps)
    assert "runtime-path-absent" in rules(lacking)
    built = check_text(tmp_path / "built", GOOD.replace("FROM gcr.io/distroless/static-debian12", (
        "FROM node:22 AS web\n    WORKDIR /web\n    RUN mkdir build && echo x > build/spa.html\n"
        "    FROM gcr.io/distroless/static-debian12\n    WORKDIR /srv\n    COPY --from=web /web/build build")),
        files=files, deps=deps)
    assert "runtime-path-absent" not in rules(built)
