"""Render on project shapes found by trying rustdock on real projects: each test pins a
Dockerfile line that was wrong or missing (ripgrep's layout, Rocket.toml, .sqlx in a
library member, multi-arch runtimes that would RUN under QEMU)."""

from __future__ import annotations

import os
import re
import subprocess
import shutil
from pathlib import Path

import pytest
from test_render_build import OLD, run_builder_stage

from rustdock.wizard.detect import detect
from rustdock.wizard.lint import lint
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render


def copy_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("COPY ") and "--from" not in line]


def final_stage(text: str) -> str:
    return text[text.index(" AS runtime"):]


def test_no_copy_of_a_missing_src_and_the_binary_dir_only(fixture_copy):
    """ripgrep: `COPY src` failed the build (there is none) and `COPY crates` repeated
    every member; the binary's own directory is what it needs."""
    root = fixture_copy("bin-outside-src")
    plan = make_plan(detect(root), overrides=["caching=dummy-main"])
    text = render(plan).dockerfile
    copies = copy_lines(text)
    assert "COPY crates/core crates/core/" in copies
    assert not any(line.startswith(("COPY src ", "COPY crates crates")) for line in copies)
    assert "COPY build.rs build.rs" in copies
    assert lint(text, plan, generated=(), dockerignore=render(plan).dockerignore) == []


@pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")
@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts"])
def test_binary_outside_src_builds_for_real(fixture_copy, tmp_path, caching):
    root = fixture_copy("bin-outside-src")
    subprocess.run(["cargo", "generate-lockfile", "--offline"], cwd=root, check=True, capture_output=True)
    for file in root.rglob("*"):
        os.utime(file, (OLD, OLD))
    plan = make_plan(detect(root), overrides=["libc=glibc", "runtime=distroless-cc", f"caching={caching}"])
    binary = run_builder_stage(render(plan).dockerfile, root, tmp_path / "work", "sg")
    output = subprocess.run([str(binary)], capture_output=True, text=True, check=True)
    assert output.stdout == "real true\n"


def test_rocket_toml_goes_into_the_runtime_image(fixture_copy):
    plan = make_plan(detect(fixture_copy("rocket-config")))
    rendered = render(plan)
    runtime = final_stage(rendered.dockerfile)
    assert "COPY Rocket.toml /app/Rocket.toml" in runtime
    assert "COPY Rocket.toml Rocket.toml" not in rendered.dockerfile  # not a build input
    assert "Rocket.toml" not in rendered.dockerignore


def test_sqlx_data_in_a_library_member_sets_offline_mode(fixture_copy):
    plan = make_plan(detect(fixture_copy("workspace-sqlx")), overrides=["caching=none"])
    text = render(plan).dockerfile
    assert "ENV SQLX_OFFLINE=true" in text
    # The member is copied whole, .sqlx and migrations with it: no second COPY.
    assert "COPY crates/db crates/db/" in copy_lines(text)
    assert not any(".sqlx" in line for line in copy_lines(text))


@pytest.mark.parametrize("preset", ["alpine-debug", "debian-slim"])
@pytest.mark.parametrize("platforms", ["amd64,arm64", "arm64"])
def test_multi_arch_runtime_runs_nothing(fixture_copy, preset, platforms):
    """A RUN in the runtime stage of a multi-arch build executes under QEMU: users, CA
    bundle and tzdata come from the builder instead."""
    root = fixture_copy("workspace-sqlx")
    plan = make_plan(detect(root), preset_name=preset,
                     overrides=[f"platforms={platforms}", "tzdata=true", "ca_certs=true"])
    rendered = render(plan)
    runtime = final_stage(rendered.dockerfile)
    assert "\nRUN " not in runtime
    assert "COPY --from=builder /rootfs/etc/passwd /rootfs/etc/group /etc/" in runtime
    assert "COPY --from=builder /etc/ssl/certs/ca-certificates.crt" in runtime
    assert "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo" in runtime
    assert "USER 10001:10001" in runtime
    builder = rendered.dockerfile[: rendered.dockerfile.index(" AS runtime")]
    assert "tzdata" in builder and "app:x:10001:10001" in builder
    assert lint(rendered.dockerfile, plan, generated=(), dockerignore=rendered.dockerignore) == []


@pytest.mark.parametrize("preset", ["alpine-debug", "debian-slim"])
def test_single_arch_runtime_keeps_its_own_tools(fixture_copy, preset):
    """amd64 alone runs natively: the image's own adduser and package manager are fine."""
    plan = make_plan(detect(fixture_copy("workspace-sqlx")), preset_name=preset,
                     overrides=["tzdata=true"])
    runtime = final_stage(render(plan).dockerfile)
    assert "\nRUN " in runtime and "/rootfs/etc/passwd" not in runtime


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts", "cargo-chef"])
def test_required_features_go_with_every_build_of_that_binary(fixture_copy, caching):
    """bin-rename's `server` needs the `http` feature: each cargo build and cook of it
    passes --features, and `admin` (no required features) passes none."""
    root = fixture_copy("bin-rename")
    gated = render(make_plan(detect(root), overrides=["binary=server", f"caching={caching}"])).dockerfile
    code = "\n".join(line for line in gated.splitlines() if not line.lstrip().startswith("#"))
    builds = re.findall(r"cargo (?:build|chef cook) [^\n&]*", code)
    assert builds and all("--features http" in b for b in builds)
    plain = render(make_plan(detect(root), overrides=["binary=admin", f"caching={caching}"])).dockerfile
    assert "--features" not in plain
