"""The other sample projects: a workspace, run-time assets, and vendored dependencies."""

from __future__ import annotations

import re
import uuid

import pytest

from benchmarks.containers import rootfs_files, run_image
from benchmarks.pipeline import copy_project

pytestmark = pytest.mark.e2e


def test_workspace_member_with_path_dependency_and_build_rs(build, engine, verify):
    built = build("workspace", ["libc=glibc", "runtime=debian-slim", "caching=cache-mounts",
                                "user=nonroot", "uid=10001"])
    ran = run_image(engine, built.image, ["e2e"])
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "hello, e2e, from the greeter crate (made by build.rs)"
    report = verify(built, command=["e2e"])
    assert report.ok, report.failed
    assert report.check("start").detail == "the command exited 0"
    assert report.check("user").detail == "USER 10001:10001 in the image config"


def test_runtime_assets_reach_a_scratch_image(build, engine, verify):
    built = build("assets", ["libc=glibc-static", "runtime=scratch", "caching=none",
                             "user=nonroot", "uid=10001"])
    ran = run_image(engine, built.image)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["<h1>rustdock assets</h1>", "static/style.css: 29 bytes"]
    files = rootfs_files(engine, built.image)
    assert {"app/templates/page.html", "app/static/style.css"} <= files
    assert not any(f.endswith((".rs", "Cargo.toml", "Cargo.lock")) for f in files)
    # No port, exits 0 at once: verify takes it for a command and checks the rest.
    report = verify(built)
    assert report.ok, report.failed
    assert "a command, not a server" in report.check("start").detail


def test_dummy_main_keeps_vendored_dependencies_across_a_source_change(build, engine, tmp_path):
    sets = ["libc=glibc", "runtime=distroless-cc", "caching=dummy-main", "user=nonroot"]
    # Earlier runs (and the bench) leave layers of this very project in the build cache: a
    # manifest no run has seen before makes this run's chain its own, from the first COPY.
    root = copy_project("vendored", tmp_path / "vendored")
    manifest = root / "Cargo.toml"
    run_id = uuid.uuid4().hex[:8]
    manifest.write_text(manifest.read_text().replace(
        'description = "', f'description = "run {run_id}: ', 1))
    cold = build("vendored", sets, root=root)
    assert len(re.findall(r"Compiling rdk-heavy-\d+", cold.log)) == 10
    main = cold.root / "src/main.rs"
    main.write_text(main.read_text().replace("crates, checksum", "crates; checksum"))

    warm = build("vendored", sets, root=cold.root)
    assert "Compiling rdk-heavy" not in warm.log, "a src/ change rebuilt the dependencies"
    assert "Compiling vendored-app" in warm.log
    ran = run_image(engine, warm.image)
    assert ran.returncode == 0, ran.stderr
    assert re.fullmatch(r"vendored-app: 10 crates; checksum \d+\n", ran.stdout)
    assert warm.seconds < cold.seconds / 2
