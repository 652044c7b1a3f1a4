"""render(plan): the Dockerfile, .dockerignore and probe it writes, line by line."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import dockerfile
import pytest
from test_render_cases import CASES, case_plan, native_tls_crate, single_crate, workspace

from rustdock.wizard import versions
from rustdock.wizard.meta import MARKER
from rustdock.wizard.plan import make_plan
from rustdock.wizard.project import Binary, Member
from rustdock.wizard.render import PROBE_FILE, render, tidy_dockerfile
from rustdock.wizard.quoting import quote
from rustdock.wizard.render_commands import registry_token_var
from rustdock.wizard.render_ignore import is_ignored, needed
from rustdock.wizard.render_runtime import program_dir
from rustdock.wizard.target import built_binary, release_dir, target_arg

ALL_CASES = sorted(CASES)


def shell_read(word: str) -> str:
    """What a double-quoted ENV/LABEL value means: Docker unquotes like POSIX sh does."""
    return subprocess.run(["sh", "-c", f"printf %s {word}"], capture_output=True,
                          text=True, check=True).stdout


def instructions(text: str) -> list[dockerfile.Command]:
    return list(dockerfile.parse_string(text))


def stages(text: str) -> list[list[dockerfile.Command]]:
    """Instructions grouped by stage (the FROM first)."""
    groups: list[list[dockerfile.Command]] = []
    for command in instructions(text):
        if command.cmd == "FROM":
            groups.append([])
        groups[-1].append(command)
    return groups


def stage_name(from_command: dockerfile.Command) -> str:
    words = [w for w in from_command.value if not w.startswith("--")]
    return words[2] if len(words) > 2 and words[1].upper() == "AS" else ""


def runtime(text: str) -> list[dockerfile.Command]:
    return stages(text)[-1]


def dockerfile_for(project=None, preset: str = "", **choices) -> str:
    plan = make_plan(project or single_crate(), preset_name=preset,
                     overrides=[f"{k}={v}" for k, v in choices.items()])
    return render(plan).dockerfile


# -- every case -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_CASES)
def test_header_is_syntax_line_then_marker(name):
    rendered = render(case_plan(name))
    lines = rendered.dockerfile.splitlines()
    assert lines[0] == "# syntax=docker/dockerfile:1"
    # save.py recognises its own files by the marker alone on a line.
    assert lines[1] == MARKER
    assert lines[2].startswith("# rustdock ") and "rustdock.toml" in lines[2]
    assert lines[3] == ""
    assert rendered.dockerignore.splitlines()[0] == MARKER


@pytest.mark.parametrize("name", ALL_CASES)
def test_output_is_deterministic_and_tidy(name):
    first, second = render(case_plan(name)), render(case_plan(name))
    assert dict(first.files) == dict(second.files)
    for path, text in first.files.items():
        assert text.endswith("\n") and not text.endswith("\n\n"), path
        assert not [line for line in text.splitlines() if line != line.rstrip()], path
        assert "\n\n\n" not in text, path


@pytest.mark.parametrize("name", ALL_CASES)
def test_buildkit_parses_it_and_stage_references_resolve(name):
    text = render(case_plan(name)).dockerfile
    seen: list[str] = []
    for stage in stages(text):
        base = [w for w in stage[0].value if not w.startswith("--")][0]
        assert base in seen or "/" in base or ":" in base or base == "scratch", base
        for command in stage[1:]:
            for flag in command.flags:
                if flag.startswith("--from="):
                    assert flag.removeprefix("--from=") in seen, (name, flag)
        seen.append(stage_name(stage[0]))
    assert seen[-1] == "runtime"


@pytest.mark.parametrize("name", ALL_CASES)
def test_every_image_comes_from_the_version_table(name):
    plan = case_plan(name)
    text = render(plan).dockerfile
    known = {versions.builder_image(plan.builder, plan.rust_version, plan.debian),
             versions.runtime_image(plan.runtime, plan.debian)}
    bases = {[w for w in stage[0].value if not w.startswith("--")][0] for stage in stages(text)}
    local = {stage_name(stage[0]) for stage in stages(text)}
    assert bases - local == known


@pytest.mark.parametrize("name", ALL_CASES)
def test_binary_copied_into_runtime_is_the_one_cargo_built(name):
    """The runtime's binary comes from cargo's output directory for the --target used,
    directly or via the cp in the same RUN as the build."""
    plan = case_plan(name)
    text = render(plan).dockerfile
    # /usr/local/bin when the working directory is writable (the user must not own it)
    copy = next(c for c in runtime(text) if c.cmd == "COPY" and c.value[-1] == f"{program_dir(plan)}/{plan.binary}")
    source = copy.value[0]
    builds = [c.original for c in instructions(text)
              if c.cmd == "RUN" and f"cargo build --release" in c.original]
    final = builds[-1]
    match = re.search(r'--target ("[^"]+"|\S+)', final)
    triple_dir = f"target/{match.group(1).strip(chr(34))}/release" if match else "target/release"
    if source.startswith("/app/bin/"):
        assert f'cp "{triple_dir}/{plan.binary}" /app/bin/' in final
    else:
        assert source == f"/app/{triple_dir}/{plan.binary}"
    assert source in (f"/app/bin/{plan.binary}", built_binary(plan))


@pytest.mark.parametrize("name", ALL_CASES)
def test_dockerignore_keeps_everything_the_dockerfile_copies(name):
    plan = case_plan(name)
    ignore = render(plan).dockerignore
    negated = {line[1:] for line in ignore.splitlines() if line.startswith("!")}
    for path in needed(plan):
        assert not is_ignored(path) or path in negated, path
    for path in ("Cargo.lock", ".cargo/config.toml", "vendor", ".sqlx", ".rustdock/healthprobe.rs",
                 "build.rs", "crates/server/build.rs"):
        assert not is_ignored(path), path


# -- caching strategies -----------------------------------------------------------------

def test_no_caching_builds_once_and_copies_from_cargos_directory():
    text = dockerfile_for(caching="none", libc="musl")
    runs = [c.original for c in instructions(text) if "cargo build" in c.original]
    assert len(runs) == 1 and "--mount" not in runs[0]
    assert "COPY --from=builder /app/target/x86_64-unknown-linux-musl/release/api /app/api" in text


def test_cache_mounts_copy_the_binary_out_in_the_same_run():
    text = dockerfile_for(caching="cache-mounts", libc="glibc", runtime="distroless-cc")
    run = next(c.original for c in instructions(text) if "cargo build" in c.original)
    assert "--mount=type=cache,target=/usr/local/cargo/registry" in run
    # The target cache is the project's own (id=), the registry shared by every build.
    assert "--mount=type=cache,id=api-target,target=/app/target" in run
    assert run.index("cargo build") < run.index('cp "target/release/api" /app/bin/')
    assert "COPY --from=builder /app/bin/api /app/api" in text


def test_dummy_main_stubs_every_member_and_removes_them_before_the_real_sources():
    text = dockerfile_for(workspace(), caching="dummy-main")
    runs = [c.original for c in instructions(text) if c.cmd == "RUN"]
    stub_run = next(r for r in runs if "fn main() {}" in r)
    for stub in ("crates/server/src/main.rs", "crates/core/src/lib.rs",
                 "crates/server/src/bin/admin.rs", "crates/server/build.rs"):
        assert stub in stub_run
    assert stub_run.index("cargo build") < stub_run.index("rm -f ")
    assert "crates/server/src/main.rs" in stub_run.split("rm -f ")[1]
    real = runs[-1]
    assert "touch" in real and real.index("touch") < real.index("cargo build")
    order = [c.original for c in instructions(text)]
    # The dependency build sees only manifests and inputs; the members come after it.
    assert order.index("COPY vendor vendor/") < order.index(stub_run)
    assert order.index(stub_run) < order.index("COPY crates/server crates/server/")


def test_cargo_chef_uses_one_rust_and_pinned_cargo_chef_in_every_stage():
    text = dockerfile_for(workspace(), caching="cargo-chef")
    names = [stage_name(stage[0]) for stage in stages(text)]
    assert names == ["chef", "planner", "builder", "runtime"]
    assert f"cargo install cargo-chef --locked --version {versions.CARGO_CHEF}" in text
    assert "FROM chef AS planner" in text and "FROM chef AS builder" in text
    assert "cargo chef prepare --recipe-path recipe.json --bin server" in text
    assert "COPY --from=planner /app/recipe.json recipe.json" in text
    cook = text.index("cargo chef cook --release --locked")
    assert cook < text.index("COPY crates/server crates/server/", cook)


def test_workspace_builds_the_package_of_the_binary():
    text = dockerfile_for(workspace(), binary="admin", caching="none")
    assert "-p server --bin admin" in text
    assert "/release/admin /app/admin" in text


def test_no_lockfile_means_no_locked_flag():
    text = dockerfile_for(single_crate(has_lockfile=False), caching="none")
    assert "--locked" not in text.replace("cargo-chef --locked", "")
    assert "COPY Cargo.toml ./" in text


# -- targets ----------------------------------------------------------------------------

def test_native_glibc_amd64_needs_no_rustup_and_no_target():
    text = dockerfile_for(native_tls_crate())
    assert "rustup" not in text and "--target" not in text
    assert "TARGETARCH" not in text and "--platform" not in text


def test_musl_on_debian_installs_musl_tools_and_the_target():
    text = dockerfile_for(libc="musl", builder="debian")
    assert "musl-tools" in text
    assert "RUN rustup target add x86_64-unknown-linux-musl" in text


def test_alpine_builder_needs_musl_dev_but_no_rustup():
    text = dockerfile_for(libc="musl", builder="alpine", runtime="scratch")
    assert "apk add --no-cache" in text and "musl-dev" in text
    assert "rustup" not in text
    assert "--target x86_64-unknown-linux-musl" in text


def test_glibc_static_sets_crt_static_with_an_explicit_target():
    plan = make_plan(single_crate(), overrides=["libc=glibc-static", "runtime=scratch"])
    text = render(plan).dockerfile
    assert 'RUSTFLAGS="-C target-feature=+crt-static"' in text
    assert target_arg(plan) == "--target x86_64-unknown-linux-gnu"
    assert release_dir(plan) == "target/x86_64-unknown-linux-gnu/release"


@pytest.mark.parametrize("platforms", ["arm64", "amd64,arm64"])
@pytest.mark.parametrize("builder", ["debian", "alpine"])
def test_cross_builds_run_on_the_build_platform_and_map_targetarch(platforms, builder):
    text = dockerfile_for(libc="musl", builder=builder, platforms=platforms, runtime="scratch")
    builder_from = stages(text)[0][0].original
    assert "--platform=$BUILDPLATFORM" in builder_from
    assert "ARG TARGETARCH" in text
    assert "amd64) echo x86_64-unknown-linux-musl" in text
    assert "arm64) echo aarch64-unknown-linux-musl" in text
    assert 'rustup target add "$(cat /tmp/rust-target)"' in text
    assert "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=" in text
    assert "--platform" not in runtime(text)[0].original
    if builder == "debian":
        assert "gcc-aarch64-linux-gnu" in text and "gcc-x86-64-linux-gnu" in text


# -- TLS, packages ----------------------------------------------------------------------

def test_openssl_system_on_slim_installs_headers_and_libssl_at_runtime():
    text = dockerfile_for(native_tls_crate(), builder="debian-slim", runtime="debian-slim",
                          tls="openssl-system")
    builder, final = stages(text)
    assert any("libssl-dev" in c.original and "pkg-config" in c.original for c in builder)
    assert any("libssl3" in c.original for c in final)


def test_openssl_system_on_trixie_uses_the_renamed_libssl():
    text = dockerfile_for(native_tls_crate(), runtime="debian-slim", debian="trixie")
    assert "libssl3t64" in text


def test_openssl_on_alpine_links_statically():
    text = dockerfile_for(native_tls_crate(), libc="musl", builder="alpine", tls="openssl-system",
                          runtime="scratch")
    assert "openssl-dev" in text and "openssl-libs-static" in text
    assert "OPENSSL_STATIC=1" in text


def test_vendored_openssl_gets_perl_and_make_on_slim():
    text = dockerfile_for(native_tls_crate(), builder="debian-slim", tls="openssl-vendored")
    assert re.search(r"install -y --no-install-recommends .*make.*perl", text)


def test_aws_lc_needs_cmake():
    text = dockerfile_for(single_crate(tls_crates=frozenset({"rustls", "aws-lc-sys"})),
                          builder="debian-slim")
    assert "cmake" in text


def test_full_debian_builder_installs_nothing_it_already_has():
    text = dockerfile_for(native_tls_crate(), builder="debian", tls="openssl-system",
                          runtime="distroless-cc")
    assert "apt-get" not in text


# -- certificates, time zones -----------------------------------------------------------

def test_scratch_gets_ca_bundle_and_zoneinfo_from_the_builder():
    text = dockerfile_for(runtime="scratch", libc="musl", ca_certs="true", tzdata="true")
    assert "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt" in text
    assert "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo" in text
    assert "tzdata" in stages(text)[0][1].original


def test_distroless_gets_nothing_it_already_has():
    text = dockerfile_for(runtime="distroless-static", libc="musl", ca_certs="true", tzdata="true")
    assert "ca-certificates" not in text and "zoneinfo" not in text


def test_alpine_runtime_installs_certs_and_tzdata():
    text = dockerfile_for(runtime="alpine", libc="musl", ca_certs="true", tzdata="true")
    assert any(c.original.endswith("apk add --no-cache ca-certificates tzdata")
               for c in runtime(text))


# -- users ------------------------------------------------------------------------------

def test_scratch_user_exists_through_a_copied_passwd():
    text = dockerfile_for(runtime="scratch", libc="musl", uid="10001")
    assert "app:x:10001:10001::/nonexistent:/sbin/nologin" in text
    assert "COPY --from=builder /rootfs/etc/passwd /rootfs/etc/group /etc/" in text
    assert [c.original for c in runtime(text) if c.cmd == "USER"] == ["USER 10001:10001"]


def test_distroless_default_uid_is_the_images_own_nonroot():
    text = dockerfile_for(runtime="distroless-static", libc="musl")
    assert "USER 65532:65532" in text and "passwd" not in text


def test_distroless_other_uid_keeps_the_images_accounts():
    text = dockerfile_for(runtime="distroless-cc", uid="4242")
    assert "nonroot:x:65532:65532" in text and "app:x:4242:4242" in text
    assert "USER 4242:4242" in text


def test_alpine_and_debian_make_the_user_with_their_own_tools():
    alpine = dockerfile_for(runtime="alpine", libc="musl", uid="1000")
    assert "adduser -S -D -H -u 1000 -G app" in alpine and "USER 1000:1000" in alpine
    slim = dockerfile_for(runtime="debian-slim", uid="1000")
    assert "useradd --system --no-log-init --uid 1000" in slim


def test_root_writes_no_user_line():
    assert "USER" not in dockerfile_for(user="root")


def test_the_binary_stays_root_owned():
    text = dockerfile_for(runtime="scratch", libc="musl", extra_files="templates")
    assert not [c for c in instructions(text) if any(f.startswith("--chown") for f in c.flags)]


# -- healthcheck, init, entrypoint ------------------------------------------------------

def healthcheck_command(text: str) -> list[str]:
    line = next(c.original for c in runtime(text) if c.cmd == "HEALTHCHECK")
    return json.loads(line.split(" CMD ", 1)[1])


def test_program_healthcheck_runs_the_binary_with_its_flag():
    text = dockerfile_for(healthcheck="program", health_args="health --timeout 2")
    assert healthcheck_command(text) == ["/app/api", "health", "--timeout", "2"]


def test_probe_is_written_built_static_and_copied():
    plan = make_plan(single_crate(), overrides=["healthcheck=probe", "libc=musl",
                                                "runtime=scratch", "port=9000"])
    rendered = render(plan)
    assert PROBE_FILE in rendered.files
    assert "fn main()" in rendered.files[PROBE_FILE]
    text = rendered.dockerfile
    assert "COPY .rustdock/healthprobe.rs .rustdock/healthprobe.rs" in text
    assert re.search(r"rustc -O .*\+crt-static --target x86_64-unknown-linux-musl -o /app/healthprobe", text)
    assert "COPY --from=builder /app/healthprobe /app/healthprobe" in text
    assert healthcheck_command(text) == ["/app/healthprobe", "127.0.0.1:9000", "/health"]


def test_no_probe_file_without_the_probe():
    assert PROBE_FILE not in render(make_plan(single_crate())).files


def test_wget_and_curl_healthchecks_use_the_runtimes_own_tools():
    alpine = dockerfile_for(runtime="alpine", libc="musl", healthcheck="wget", health_path="/up")
    assert healthcheck_command(alpine) == ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/up"]
    slim = dockerfile_for(runtime="debian-slim", healthcheck="curl")
    assert healthcheck_command(slim)[:2] == ["curl", "-fsS"]
    assert "curl" in [c for c in runtime(slim) if c.cmd == "RUN"][0].original


def test_tini_is_copied_static_and_wraps_the_program():
    text = dockerfile_for(init="tini", runtime="scratch", libc="musl")
    assert "COPY --from=builder /usr/bin/tini-static /tini" in text
    assert 'ENTRYPOINT ["/tini", "--", "/app/api"]' in text
    alpine_built = dockerfile_for(init="tini", builder="alpine", libc="musl", runtime="scratch")
    assert "tini-static" in stages(alpine_built)[0][1].original
    assert "COPY --from=builder /sbin/tini-static /tini" in alpine_built


def test_entrypoint_cmd_expose_and_env_are_exec_form_and_quoted():
    text = dockerfile_for(args="--bind '0.0.0.0:80' -v", port="80",
                          env="RUST_LOG=debug,MOTD=hi there $HOME,EMPTY=")
    commands = {c.cmd: c for c in runtime(text)}
    assert json.loads(commands["ENTRYPOINT"].original.split(" ", 1)[1]) == ["/app/api"]
    assert json.loads(commands["CMD"].original.split(" ", 1)[1]) == ["--bind", "0.0.0.0:80", "-v"]
    assert commands["EXPOSE"].value == ("80",)
    assert 'MOTD="hi there \\$HOME"' in text and 'EMPTY=""' in text
    env = dict(zip(commands["ENV"].value[::2], commands["ENV"].value[1::2]))
    assert shell_read(env["MOTD"]) == "hi there $HOME"


def test_port_zero_writes_no_expose():
    assert "EXPOSE" not in dockerfile_for(port="0")


def test_extra_files_are_copied_next_to_the_binary():
    text = dockerfile_for(extra_files="templates,config/app.toml")
    assert "COPY templates /app/templates" in text
    assert "COPY config/app.toml /app/config/app.toml" in text


# -- private dependencies ---------------------------------------------------------------

def test_registry_token_is_a_secret_mount_on_every_fetching_run():
    text = dockerfile_for(caching="dummy-main", private_registry="true", registry_name="my-corp")
    fetching = [c.original for c in instructions(text) if "cargo build" in c.original]
    assert len(fetching) == 2
    for run in fetching:
        assert "--mount=type=secret,id=cargo_registry_token" in run
        assert 'CARGO_REGISTRIES_MY_CORP_TOKEN="$(cat /run/secrets/cargo_registry_token)" cargo build' in run
    assert not [c for c in instructions(text) if c.cmd in {"ARG", "ENV"} and "TOKEN" in c.original]


def test_registry_name_becomes_cargos_variable():
    plan = make_plan(single_crate(), overrides=["private_registry=true", "registry_name=a-b_c"])
    assert registry_token_var(plan) == "CARGO_REGISTRIES_A_B_C_TOKEN"


def test_private_git_uses_the_ssh_agent_and_pinned_host_keys():
    text = dockerfile_for(caching="cargo-chef", private_git="true")
    cook = next(c.original for c in instructions(text) if "cargo chef cook" in c.original)
    assert cook.startswith("RUN --mount=type=ssh")
    assert "CARGO_NET_GIT_FETCH_WITH_CLI=true" in text
    assert "github.com ssh-ed25519 " in text
    assert "ssh-keyscan" not in text and "id_rsa" not in text


# -- labels, comments -------------------------------------------------------------------

def test_labels_come_from_package_metadata_and_skip_empty_ones():
    project = single_crate(description='Says "hi" for $5', repository="")
    text = dockerfile_for(project)
    label = next(c for c in runtime(text) if c.cmd == "LABEL")
    values = dict(zip(label.value[::2], label.value[1::2]))
    assert shell_read(values["org.opencontainers.image.description"]) == 'Says "hi" for $5'
    assert shell_read(values["org.opencontainers.image.licenses"]) == "MIT OR Apache-2.0"
    assert "org.opencontainers.image.source" not in values
    assert "LABEL" not in dockerfile_for(project, labels="false")


def test_comments_off_leaves_only_the_header_and_lint_pragmas():
    for name in ALL_CASES:
        plan = case_plan(name).with_choice("comments", False)
        comments = [line for line in render(plan).dockerfile.splitlines()[3:] if line.startswith("#")]
        assert all(line.startswith("# hadolint ignore=") for line in comments), (name, comments)


def test_comments_on_explain_non_obvious_lines():
    text = render(case_plan("musl-scratch-smallest")).dockerfile
    assert "# scratch has no CA bundle" in text
    assert "# cargo's registry and target directory persist" in text
    assert max(len(line) for line in text.splitlines() if line.startswith("#")) <= 88


def test_outside_path_dependencies_get_a_clear_comment():
    project = single_crate(members=(Member("api", ".", path_deps=("../shared",)),))
    rendered = render(make_plan(project))
    assert "../shared" in rendered.dockerfile
    assert "COPY ../shared" not in rendered.dockerfile


# -- helpers ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [("info", "info"), ("a b", '"a b"'), ('say "x"', '"say \\"x\\""'), ("$HOME", '"\\$HOME"'),
     ("a\\b", '"a\\\\b"'), ("line\nbreak", '"line break"')],
)
def test_quote_makes_docker_read_the_value_back(value, expected):
    assert quote(value) == expected
    parsed = dockerfile.parse_string(f"FROM scratch\nENV K={quote(value)}\n")[1]
    assert shell_read(parsed.value[1]) == " ".join(value.split())


def test_tidy_puts_one_blank_line_before_each_stage_and_its_comments():
    text = "# syntax=x\n# marker\n# version\n\n\nFROM a AS b\nRUN x   \n\n# why\nFROM c\n\n"
    assert tidy_dockerfile(text, 3) == (
        "# syntax=x\n# marker\n# version\n\nFROM a AS b\nRUN x\n\n# why\nFROM c\n"
    )


def test_args_survive_shell_quoting():
    args = "--name 'two words' --flag"
    text = dockerfile_for(args=args)
    cmd = next(c for c in runtime(text) if c.cmd == "CMD")
    assert list(cmd.value) == shlex.split(args)


def test_sources_cover_binaries_outside_src_and_skip_dirs_inside_members():
    project = workspace(
        is_virtual=False,
        binaries=(Binary("tool", "server", ".", "bin/tool.rs"),
                  *workspace().binaries),
        extra_dirs=("crates/server/static", ".sqlx"),
    )
    copies = [c.original for c in instructions(dockerfile_for(project, binary="tool", caching="none"))
              if c.cmd == "COPY" and not c.flags]
    assert "COPY bin bin/" in copies
    assert "COPY .sqlx .sqlx/" in copies
    assert not [c for c in copies if "crates/server/static" in c]


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts"])
def test_only_cache_mounts_copies_the_whole_context_in_one_step(caching):
    """Layer-order caching needs the manifests first; cache mounts cache in cargo's own
    target directory, so one COPY (quicker to check on a rebuild) is all they need."""
    copies = [c.original for c in instructions(dockerfile_for(workspace(), caching=caching))
              if c.cmd == "COPY" and not c.flags]
    if caching == "cache-mounts":
        assert copies == ["COPY . ."]
    else:
        assert "COPY . ." not in copies
        assert copies[0] == "COPY Cargo.toml Cargo.lock ./"


def test_dockerignore_keeps_the_toolchain_file_out_of_the_context():
    """With `COPY . .` a rust-toolchain.toml would reach /app, and rustup would download
    the toolchain it names in the middle of the build."""
    ignore = render(make_plan(single_crate(), overrides=["caching=cache-mounts"])).dockerignore
    lines = ignore.splitlines()
    assert "rust-toolchain.toml" in lines and "rust-toolchain" in lines


def test_cross_tini_is_the_target_cpus_own_and_never_downloaded_unchecked():
    text = dockerfile_for(init="tini", platforms="amd64,arm64", runtime="distroless-cc")
    builder = stages(text)[0]
    assert any('apt-get download "tini:$TARGETARCH"' in c.original for c in builder)
    assert "COPY --from=builder /tmp/tini/usr/bin/tini-static /tini" in text
    assert "ADD " not in text


# -- every target x caching x builder ---------------------------------------------------

@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts", "cargo-chef"])
@pytest.mark.parametrize("libc", ["musl", "glibc", "glibc-static"])
@pytest.mark.parametrize("platforms", ["amd64", "arm64", "amd64,arm64"])
@pytest.mark.parametrize("builder", ["debian", "debian-slim", "alpine", "muslrust"])
def test_binary_path_and_target_agree_for_every_combination(caching, libc, platforms, builder):
    plan = make_plan(workspace(), overrides=[
        f"caching={caching}", f"libc={libc}", f"platforms={platforms}", f"builder={builder}",
        "runtime=scratch", "healthcheck=probe", "init=tini"])
    text = render(plan).dockerfile
    build = [c.original for c in instructions(text) if "cargo build --release" in c.original][-1]
    copy = next(c for c in runtime(text) if c.cmd == "COPY" and c.value[-1] == "/app/server")
    assert f"--target {target_arg(plan).removeprefix('--target ')}" in build if target_arg(plan) \
        else "--target" not in build
    if copy.value[0].startswith("/app/bin/"):
        assert f'cp "{release_dir(plan)}/server" /app/bin/' in build
    else:
        assert copy.value[0] == f"/app/{release_dir(plan)}/server"
    probe = next(c.original for c in instructions(text) if "rustc " in c.original)
    assert (target_arg(plan) in probe) if target_arg(plan) else "--target" not in probe
    stage_names = [stage_name(s[0]) for s in stages(text)]
    for command in instructions(text):
        for flag in command.flags:
            if flag.startswith("--from="):
                assert flag.removeprefix("--from=") in stage_names


@pytest.mark.parametrize("path", [".env", ".env.local", "server.key", "tls.pem", "client.p12",
                                  "id_rsa", "id_ed25519.pub", ".netrc", ".ssh/config",
                                  ".cargo/credentials.toml"])
def test_dockerignore_keeps_local_secrets_out_of_the_copied_context(path):
    """caching=cache-mounts copies the whole context into the builder, whose layers stay in
    the local cache (and in an exported one): secrets must not be in it."""
    assert is_ignored(path)


def test_a_secret_looking_file_the_user_ships_is_kept_by_name():
    plan = make_plan(single_crate(), overrides=["caching=cache-mounts", "extra_files=identity.p12"])
    assert "!identity.p12" in render(plan).dockerignore.splitlines()


def test_dockerignore_drops_rustdocks_backups_but_keeps_the_probe():
    rendered = render(make_plan(single_crate(), overrides=["healthcheck=probe"]))
    assert ".rustdock/backup/" in rendered.dockerignore.splitlines()
    assert is_ignored(".rustdock/backup/20260101T000000Z/Dockerfile")
    assert not is_ignored(PROBE_FILE)


def test_c_builds_get_their_tools_on_small_builders():
    alpine = dockerfile_for(native_tls_crate(), libc="musl", builder="alpine",
                            tls="openssl-vendored", allocator="jemalloc", runtime="scratch")
    apk = next(c.original for c in stages(alpine)[0] if "apk add" in c.original)
    assert {"perl", "make", "linux-headers", "musl-dev", "gcc"} <= set(apk.split())
    slim = dockerfile_for(builder="debian-slim", allocator="jemalloc")
    assert "make" in next(c.original for c in stages(slim)[0] if "apt-get install" in c.original)
