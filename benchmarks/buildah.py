"""A thin wrapper over the buildah command line: vfs storage, chroot isolation, no daemon.

Both the e2e tests and the benchmarks build and run images through this one module, in a
storage of their own (never the machine's default one), so they cannot disturb other
images on the machine and a warm cache survives between runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: Where stand-in images, the .deb cache and buildah's storage live between runs.
CACHE_DIR = Path(os.environ.get("RUSTDOCK_E2E_CACHE", "/var/cache/rustdock-e2e"))


@cache
def storage_driver() -> str:
    """overlay when the kernel mounts it for us, else vfs (RUSTDOCK_E2E_DRIVER forces one).

    vfs copies the whole parent tree for every layer: with a ~0.9 GB builder that is
    20-25 s per Dockerfile step on this machine's disk (a 7-step build took 190 s against
    6 s on overlay), which no test budget survives. overlay needs no daemon either.
    """
    forced = os.environ.get("RUSTDOCK_E2E_DRIVER", "")
    if forced:
        return forced
    with tempfile.TemporaryDirectory(prefix="rustdock-ovl-") as tmp:
        dirs = [Path(tmp, d) for d in ("lower", "upper", "work", "merged")]
        for d in dirs:
            d.mkdir()
        opts = f"lowerdir={dirs[0]},upperdir={dirs[1]},workdir={dirs[2]}"
        probe = subprocess.run(["mount", "-t", "overlay", "overlay", "-o", opts, str(dirs[3])],
                               capture_output=True)
        if probe.returncode != 0:
            return "vfs"
        subprocess.run(["umount", str(dirs[3])], capture_output=True)
        return "overlay"


class BuildahError(RuntimeError):
    """A buildah command failed; the message carries the command and the end of its log."""


@dataclass(frozen=True)
class Build:
    image: str
    seconds: float
    log: str


@dataclass(frozen=True)
class Buildah:
    driver: str = field(default_factory=storage_driver)

    @property
    def root(self) -> Path:
        # One storage per driver: a storage cannot change driver once made.
        return CACHE_DIR / f"storage-{self.driver}"

    @property
    def runroot(self) -> Path:
        return Path(f"/run/rustdock-e2e-{self.driver}")

    @staticmethod
    def available() -> str:
        """Why image builds cannot run here, or "" when they can."""
        if shutil.which("buildah") is None:
            return "buildah is not installed (make system-deps installs it as root)"
        if os.geteuid() != 0:
            return "image builds need root (buildah with vfs storage and chroot isolation)"
        return ""

    def argv(self, *args: str) -> list[str]:
        return [
            "buildah",
            "--root", str(self.root),
            "--runroot", str(self.runroot),
            "--storage-driver", self.driver,
            *args,
        ]

    def env(self) -> dict[str, str]:
        return {**os.environ, "BUILDAH_ISOLATION": "chroot", "BUILDAH_FORMAT": "docker"}

    def call(self, *args: str, check: bool = True, timeout: float = 600) -> str:
        proc = subprocess.run(
            self.argv(*args), capture_output=True, text=True, env=self.env(), timeout=timeout
        )
        if check and proc.returncode != 0:
            raise BuildahError(f"buildah {' '.join(args[:3])} failed:\n{_tail(proc.stderr)}")
        return proc.stdout

    # -- images ------------------------------------------------------------------------

    def exists(self, image: str) -> bool:
        proc = subprocess.run(
            self.argv("inspect", "--type", "image", image),
            capture_output=True, env=self.env(),
        )
        return proc.returncode == 0

    def inspect(self, image: str) -> dict:
        return json.loads(self.call("inspect", "--type", "image", image))

    def config(self, image: str) -> dict:
        """The image's Docker config: Entrypoint, Cmd, User, Env, WorkingDir, Healthcheck."""
        return self.inspect(image)["Docker"]["config"]

    def labels(self, image: str) -> Mapping[str, str]:
        return self.config(image).get("Labels") or {}

    def size(self, image: str) -> int:
        """The image's size in bytes: its layers' uncompressed tars, summed."""
        manifest = json.loads(self.inspect(image)["Manifest"])
        return sum(int(layer["size"]) for layer in manifest["layers"])

    def tag(self, image: str, *names: str) -> None:
        if names:
            self.call("tag", image, *names)

    def rmi(self, *images: str) -> None:
        if images:
            self.call("rmi", "--force", *images, check=False)

    def prune(self) -> None:
        """Drop dangling intermediate layers (vfs keeps a full copy of each)."""
        self.call("rmi", "--prune", check=False)

    def build(
        self,
        context: Path,
        tag: str,
        *,
        dockerfile: Path | None = None,
        layers: bool = True,
        no_cache: bool = False,
        args: Sequence[str] = (),
        timeout: float = 1200,
    ) -> Build:
        cmd = self.argv(
            "build", "--pull=never", "--isolation", "chroot", "--format", "docker",
            f"--layers={str(layers).lower()}", "-t", tag,
            *(["--no-cache"] if no_cache else []),
            *(["-f", str(dockerfile)] if dockerfile else []),
            *args, str(context),
        )
        start = time.monotonic()
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=self.env(), timeout=timeout
        )
        seconds = time.monotonic() - start
        log = proc.stdout + proc.stderr
        if proc.returncode != 0:
            raise BuildahError(f"building {context} failed after {seconds:.0f}s:\n{_tail(log)}")
        return Build(tag, seconds, log)

    # -- working containers --------------------------------------------------------------

    def container(self, image: str) -> str:
        return self.call("from", "--pull=never", image).strip()

    def mount(self, container: str) -> Path:
        return Path(self.call("mount", container).strip())

    def rm(self, *containers: str) -> None:
        if containers:
            self.call("rm", *containers, check=False)

    def run_argv(
        self,
        container: str,
        argv: Sequence[str],
        *,
        user: str = "",
        env: Iterable[str] = (),
        workdir: str = "",
    ) -> list[str]:
        opts = ["--isolation", "chroot", "--network", "host"]
        if user:
            opts += ["--user", user]
        if workdir:
            opts += ["--workingdir", workdir]
        for item in env:
            opts += ["--env", item]
        return self.argv("run", *opts, container, "--", *argv)

    def run(self, container: str, argv: Sequence[str], *, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.run_argv(container, argv, **kw),
            capture_output=True, text=True, env=self.env(), timeout=timeout,
        )

    def spawn(self, container: str, argv: Sequence[str], **kw) -> subprocess.Popen:
        """Start a long-running process (a server) in its own process group."""
        return subprocess.Popen(
            self.run_argv(container, argv, **kw),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=self.env(), start_new_session=True,
        )


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
