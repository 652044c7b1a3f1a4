"""Find the container engine to build and run images with: docker, podman or buildah.

docker must build with BuildKit (the generated Dockerfiles use cache and secret mounts).
A docker client with the buildx plugin does; a client older than 23 does with
DOCKER_BUILDKIT=1; a newer client without buildx cannot (it stops with "BuildKit is
enabled but the buildx component is missing"), so every docker client on PATH is tried
before giving up with what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .engine_base import Engine, NoEngine
from .engine_buildah import BuildahEngine
from .engine_docker import CliEngine

#: In the order they are tried when none is named.
ENGINES = ("docker", "podman", "buildah")

#: The first docker client whose `docker build` needs the buildx plugin for BuildKit.
BUILDX_REQUIRED_FROM = 23

INSTALL_BUILDX = ("install the buildx plugin (docker-buildx-plugin from Docker's apt "
                  "repository, or Debian's docker-buildx), or use --engine podman")


def find_engine(name: str = "") -> Engine:
    """The engine named (docker, podman, buildah), or the first that works here.

    Raises NoEngine with one line saying what was found and what to install.
    """
    if name and name not in ENGINES:
        raise NoEngine(f"--engine takes {', '.join(ENGINES)}; not {name!r}")
    reasons = []
    for candidate in (name,) if name else ENGINES:
        try:
            return _PROBES[candidate]()
        except NoEngine as err:
            reasons.append(str(err))
    if name:
        raise NoEngine(reasons[0])
    raise NoEngine("no container engine can build here: " + "; ".join(reasons))


def on_path(program: str) -> list[str]:
    """Every executable named `program` on PATH, in PATH order, each real file once."""
    found, seen = [], set()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = Path(folder or ".") / program
        if path.is_file() and os.access(path, os.X_OK):
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                found.append(str(path))
    return found


def _run(argv: list[str], timeout: float = 20) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None


def docker_versions(program: str) -> tuple[str, str]:
    """(client version, daemon version or "" when no daemon answers)."""
    proc = _run([program, "version", "--format", "{{json .}}"])
    if proc is None or not proc.stdout.strip():
        return "", ""
    try:
        data = json.loads(proc.stdout.splitlines()[0])
    except json.JSONDecodeError:
        return "", ""
    return (data.get("Client") or {}).get("Version", ""), (data.get("Server") or {}).get("Version", "")


def major(version: str) -> int:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else 0


def _docker() -> Engine:
    clients = on_path("docker")
    if not clients:
        raise NoEngine("docker is not installed")
    notes = []
    for program in clients:
        client, daemon = docker_versions(program)
        if not client:
            continue
        if not daemon:
            notes.append(f"the Docker daemon does not answer {program} (is it running, "
                         "and may this user reach its socket?)")
            continue
        described = f"docker {client} ({program}), daemon {daemon}"
        if (_run([program, "buildx", "version"]) or subprocess.CompletedProcess([], 1)).returncode == 0:
            return CliEngine("docker", program, ("buildx", "build", "--load"),
                             description=f"{described}, BuildKit through buildx")
        if major(client) < BUILDX_REQUIRED_FROM:
            return CliEngine("docker", program, ("build",), {"DOCKER_BUILDKIT": "1"},
                             description=f"{described}, BuildKit (DOCKER_BUILDKIT=1)")
        notes.append(f"docker {client} ({program}) cannot build with BuildKit: its buildx "
                     f"plugin is missing; {INSTALL_BUILDX}")
    raise NoEngine(notes[-1] if notes else "docker answers no `docker version`")


def _podman() -> Engine:
    program = shutil.which("podman")
    if program is None:
        raise NoEngine("podman is not installed")
    proc = _run([program, "version", "--format", "{{.Client.Version}}"])
    if proc is None or proc.returncode != 0:
        raise NoEngine(f"podman does not run: {(proc.stderr if proc else '').strip()[:200]}")
    return CliEngine("podman", program, ("build",),
                     description=f"podman {proc.stdout.strip()} ({program})")


def _buildah() -> Engine:
    if shutil.which("buildah") is None:
        raise NoEngine("buildah is not installed")
    proc = _run(["buildah", "version"])
    if proc is None or proc.returncode != 0:
        raise NoEngine("buildah does not run")
    version = next((line.split(":", 1)[1].strip() for line in proc.stdout.splitlines()
                    if line.startswith("Version:")), "")
    return BuildahEngine(description=f"buildah {version} (no daemon)")


_PROBES: dict[str, Callable[[], Engine]] = {"docker": _docker, "podman": _podman, "buildah": _buildah}
