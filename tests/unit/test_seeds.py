"""Each seed write-up's final Dockerfile, reproduced from a preset plus --set values,
without the seed's bug. (The seeds are in the shared folder; KNOWLEDGE.md tabulates them.)
"""

from __future__ import annotations

import re

from test_render import healthcheck_command, instructions, runtime, stages
from test_render_cases import single_crate

from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check
from rustdock.wizard.target import built_binary, copies_out

STATIC_RUNTIMES = {"scratch", "distroless-static", "chainguard-static"}


def seed(project, preset: str, *overrides: str) -> tuple[Plan, str]:
    plan = make_plan(project, preset_name=preset, overrides=list(overrides))
    return plan, render(plan).dockerfile


def runtime_binary_source(plan: Plan, text: str) -> str:
    return next(c.value[0] for c in runtime(text)
                if c.cmd == "COPY" and c.value[-1] == f"/app/{plan.binary}")


def assert_copies_what_cargo_built(plan: Plan, text: str) -> None:
    """Seed 001's bug: it built one path and copied another, then ran a third."""
    source = runtime_binary_source(plan, text)
    if copies_out(plan):
        final = [c.original for c in instructions(text) if "cargo build" in c.original][-1]
        assert f'cp "{built_binary(plan).removeprefix("/app/")}" /app/bin/' in final
    else:
        assert source == built_binary(plan)
    entrypoint = next(c for c in runtime(text) if c.cmd == "ENTRYPOINT")
    assert f"/app/{plan.binary}" in entrypoint.value


def assert_static_where_there_is_no_libc(plan: Plan, text: str) -> None:
    """Seed 002's bug (a glibc binary on musl Alpine) and the dynamic-binary-in-scratch
    bug: only a musl or crt-static build reaches a runtime without glibc."""
    no_glibc = plan.runtime in STATIC_RUNTIMES | {"alpine"}
    build = [c.original for c in instructions(text) if "cargo build" in c.original][-1]
    if no_glibc:
        assert plan.libc in {"musl", "glibc-static"}
        assert "-linux-musl" in build or "rust-target" in build or "crt-static" in text


# -- 000: rust:1.40, musl, scratch, cargo-new dummy, USER 1000, CMD args ------------------

def seed_000() -> tuple[Plan, str]:
    project = single_crate("deciduously-com", extra_dirs=("templates",), port_guess=8080)
    return seed(project, "smallest", "rust_version=1.40", "caching=dummy-main", "uid=1000",
                "profile=keep", "args=-a 0.0.0.0 -p 8080")


def test_seed_000_static_site_in_scratch():
    plan, text = seed_000()
    builder, final = stages(text)
    assert builder[0].value[0] == "rust:1.40-bookworm"
    assert "--target x86_64-unknown-linux-musl" in text
    assert final[0].value[0] == "scratch"
    assert "printf 'fn main() {}\\n' > src/main.rs" in text
    assert "USER 1000:1000" in text
    assert next(c for c in final if c.cmd == "CMD").value == ("-a", "0.0.0.0", "-p", "8080")
    # Askama templates are compiled in: copied for the build, not shipped.
    order = [c.original for c in builder]
    assert order.index("COPY templates templates/") < len(order) - 1
    assert not [c for c in final if c.cmd == "COPY" and c.value[0] == "templates"]


def test_seed_000_without_its_bugs():
    plan, text = seed_000()
    assert_copies_what_cargo_built(plan, text)
    assert_static_where_there_is_no_libc(plan, text)


# -- 001: rust:1.73 + musl-tools, alpine, dummy main, user 10001, jemalloc, rustls ------

def seed_001() -> tuple[Plan, str]:
    project = single_crate("api_gateway", tls_crates=frozenset({"rustls"}), port_guess=8000)
    return seed(project, "alpine-debug", "rust_version=1.73", "caching=dummy-main",
                "uid=10001", "allocator=jemalloc", "allocator_scope=musl-only", "tls=rustls",
                "healthcheck=wget")


def test_seed_001_alpine_with_jemalloc_and_a_real_healthcheck():
    plan, text = seed_001()
    builder, final = stages(text)
    assert builder[0].value[0] == "rust:1.73-bookworm"
    assert "musl-tools" in text and "rustup target add x86_64-unknown-linux-musl" in text
    assert final[0].value[0].startswith("alpine:")
    assert "adduser -S -D -H -u 10001" in text and "USER 10001:10001" in text
    assert plan.allocator == "jemalloc" and plan.allocator_scope == "musl-only"
    assert plan.tls == "rustls" and plan.ca_certs
    # The seed left its HEALTHCHECK commented out: curl is missing on alpine. wget is not.
    assert healthcheck_command(text) == ["wget", "-q", "-O", "/dev/null",
                                         "http://127.0.0.1:8000/health"]
    assert "libc6-compat" not in text


def test_seed_001_copies_the_path_it_built_and_runs_it():
    plan, text = seed_001()
    assert_copies_what_cargo_built(plan, text)
    assert "api_gateway" in built_binary(plan)
    assert "/usr/app/my_app" not in text


# -- 002: rust + musl-tools, alpine, dummy main, adduser 1000, .dockerignore -------------

def seed_002() -> tuple[Plan, str]:
    return seed(single_crate("myapp", port_guess=0), "alpine-debug", "caching=dummy-main",
                "uid=1000", "builder=debian", "tls=none", "ca_certs=false")


def test_seed_002_alpine_user_and_dockerignore():
    plan, text = seed_002()
    assert "musl-tools" in text
    assert "addgroup -S -g 1000 app" in text and "USER 1000:1000" in text
    ignore = render(plan).dockerignore.splitlines()
    assert "target/" in ignore and "Cargo.lock" not in ignore


def test_seed_002_runs_no_glibc_binary_on_alpine():
    plan, text = seed_002()
    assert plan.libc == "musl"
    assert runtime_binary_source(plan, text).startswith("/app/target/x86_64-unknown-linux-musl/")
    assert_static_where_there_is_no_libc(plan, text)
    assert_copies_what_cargo_built(plan, text)


# -- 003: rust:1.75-alpine + musl-dev, scratch, cache mounts, 1000:1000, CA, secret -----

def seed_003(*extra: str) -> tuple[Plan, str]:
    project = single_crate("app", port_guess=8080, private_registry=True,
                           registry_names=("private",))
    return seed(project, "smallest", "builder=alpine", "rust_version=1.75", "uid=1000",
                "tls=rustls", "ca_certs=true", *extra)


def test_seed_003_alpine_builder_scratch_with_secret_and_size_profile():
    plan, text = seed_003()
    builder, final = stages(text)
    assert builder[0].value[0] == "rust:1.75-alpine3.22"
    assert "apk add --no-cache" in text and "musl-dev" in text
    assert "--target x86_64-unknown-linux-musl" in text
    assert "--mount=type=cache,id=app-target,target=/app/target" in text
    assert "--mount=type=secret,id=cargo_registry_token" in text
    assert 'CARGO_REGISTRIES_PRIVATE_TOKEN="$(cat /run/secrets/cargo_registry_token)"' in text
    assert final[0].value[0] == "scratch"
    assert "COPY --from=builder /etc/ssl/certs/ca-certificates.crt" in text
    assert "USER 1000:1000" in text and "EXPOSE 8080" in text
    # opt-level z, LTO, one codegen unit, strip, panic=abort go to Cargo.toml (patch).
    assert plan.profile == "size"


def test_seed_003_multi_arch_cross_compiles_on_the_build_platform():
    # The seed's TARGETARCH variant, on the builder that has cross C compilers: without
    # --platform=$BUILDPLATFORM the seed's own version compiles under QEMU.
    plan, text = seed_003("builder=debian", "platforms=amd64,arm64")
    assert stages(text)[0][0].original.startswith("FROM --platform=$BUILDPLATFORM rust:1.75-")
    assert 'case "$TARGETARCH" in' in text
    assert "amd64) echo x86_64-unknown-linux-musl" in text
    assert "arm64) echo aarch64-unknown-linux-musl" in text
    assert "gcc-aarch64-linux-gnu" in text
    assert_copies_what_cargo_built(plan, text)


def test_seed_003_distroless_variant_uses_its_nonroot_user():
    plan, text = seed_003("runtime=distroless-static", "uid=65532")
    assert stages(text)[-1][0].value[0] == "gcr.io/distroless/static-debian12"
    assert "USER 65532:65532" in text and "passwd" not in text
    assert "ca-certificates.crt" not in text


def test_seed_003_without_dynamic_binaries_or_secret_leaks():
    plan, text = seed_003()
    assert_static_where_there_is_no_libc(plan, text)
    assert_copies_what_cargo_built(plan, text)
    assert not re.search(r"^(ARG|ENV) .*TOKEN", text, re.M)


# -- 004: clux/muslrust, musl with static OpenSSL, scratch, USER 1000, CA bundle ---------

def seed_004() -> tuple[Plan, str]:
    project = single_crate("rmq_monitor", port_guess=0,
                           tls_crates=frozenset({"openssl-sys", "native-tls"}))
    return seed(project, "smallest", "builder=muslrust", "tls=openssl-system",
                "caching=dummy-main", "uid=1000", "profile=keep", "ca_certs=true")


def test_seed_004_muslrust_links_openssl_statically_into_scratch():
    plan, text = seed_004()
    builder, final = stages(text)
    assert builder[0].value[0].startswith("clux/muslrust:")
    assert "libssl-dev" not in text and "rustup" not in text
    assert "--target x86_64-unknown-linux-musl" in text
    assert final[0].value[0] == "scratch"
    assert "COPY --from=builder /etc/ssl/certs/ca-certificates.crt" in text
    assert "USER 1000:1000" in text and "EXPOSE" not in text


def test_seed_004_without_a_dynamic_binary_in_scratch():
    plan, text = seed_004()
    assert_static_where_there_is_no_libc(plan, text)
    assert_copies_what_cargo_built(plan, text)
    assert "/root/.cargo/bin" not in text


SEEDS = (seed_000, seed_001, seed_002, seed_003, lambda: seed_003("builder=debian",
         "platforms=amd64,arm64"), seed_004)


def test_no_seed_plan_is_blocked_by_a_rule():
    """`rustdock generate` with these --set values exits 0: no rule error fires."""
    for make in SEEDS:
        plan, _ = make()
        errors = [f"{f.rule}: {f.message}" for f in check(plan) if f.is_error]
        assert not errors, errors
