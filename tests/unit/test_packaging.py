"""The wheel works installed into a fresh venv, templates and demo included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


# One worker builds the wheel once for the module's tests.
pytestmark = pytest.mark.xdist_group("packaging")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy of the files git knows, so setuptools' build/ folder never races
    # another build in the checkout and no stray local file slips into the wheel.
    source = tmp_path_factory.mktemp("source")
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, files):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (found,) = out.glob("rustdock-*.whl")
    return found


def test_wheel_carries_templates_demo_and_both_scripts(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("rustdock/templates/") and n.endswith(".j2") for n in names)
    assert any(n.startswith("rustdock/wizard/demo/") and n.endswith("Cargo.toml") for n in names)
    assert any(n.startswith("rustdock/screens/") for n in names)
    # No top-level package other than the rustdock namespace.
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"rustdock"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "rustdock = rustdock.wizard.cli:main" in text
    assert "cargo-rustdock = rustdock.wizard.cli:cargo_main" in text


def test_installed_wheel_generates_a_dockerfile_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # The runtime dependencies come from the index as a user's install would.
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    project = tmp_path / "app"
    (project / "src").mkdir(parents=True)
    (project / "Cargo.toml").write_text('[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n')
    (project / "src" / "main.rs").write_text('fn main() { println!("hi"); }\n')
    run = subprocess.run(
        [str(env_dir / "bin" / "rustdock"), "generate", str(project), "--stdout"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# syntax=docker/dockerfile:1\n")
    assert "target/x86_64-unknown-linux-musl/release/app" in run.stdout
    cargo = subprocess.run(
        [str(env_dir / "bin" / "cargo-rustdock"), "rustdock", "options", "--json"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert cargo.returncode == 0, cargo.stderr
    assert "runtime" in {row["key"] for row in json.loads(cargo.stdout)}
    # `rustdock check` needs BuildKit's parser at run time: it comes with the wheel's
    # dependencies, not from a test extra.
    (project / "Dockerfile").write_text(
        "FROM rust:1.95-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n"
        "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /src/target/release/app /app\n"
        "ENTRYPOINT [\"/app\"]\n"
    )
    check = subprocess.run(
        [str(env_dir / "bin" / "rustdock"), "check", str(project)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert check.returncode == 1, check.stderr
    assert "Dockerfile:4: error dynamic-in-static-runtime:" in check.stdout


def test_every_python_folder_is_a_listed_package():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    mapping = {v: k for k, v in config["package-dir"].items()}
    found = set()
    for top, name in mapping.items():
        for init in (REPO / top).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / top)
            found.add(".".join([name, *rel.parts]))
    assert found == listed
