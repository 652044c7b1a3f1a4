"""Run a built image the way a container runtime would, and look inside it.

`buildah run` takes the command line literally, so the image's ENTRYPOINT, CMD, USER and
WORKDIR are read from its config and passed explicitly. chroot isolation shares the
host's network namespace: a server in the container is reached on 127.0.0.1 from here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .buildah import Buildah


@dataclass(frozen=True)
class ImageConfig:
    argv: tuple[str, ...]
    user: str
    workdir: str
    healthcheck: tuple[str, ...]
    env: tuple[str, ...]
    ports: tuple[int, ...]


def image_config(buildah: Buildah, image: str) -> ImageConfig:
    cfg = buildah.config(image)
    test = tuple((cfg.get("Healthcheck") or {}).get("Test") or ())
    if test[:1] == ("CMD-SHELL",):
        health = ("/bin/sh", "-c", test[1])
    else:
        health = test[1:] if test[:1] == ("CMD",) else ()
    return ImageConfig(
        argv=tuple((cfg.get("Entrypoint") or []) + (cfg.get("Cmd") or [])),
        user=cfg.get("User") or "",
        workdir=cfg.get("WorkingDir") or "",
        healthcheck=health,
        env=tuple(cfg.get("Env") or ()),
        ports=tuple(int(p.split("/")[0]) for p in (cfg.get("ExposedPorts") or {})),
    )


@contextmanager
def container(buildah: Buildah, image: str) -> Iterator[str]:
    name = buildah.container(image)
    try:
        yield name
    finally:
        buildah.rm(name)


def run_image(buildah: Buildah, image: str, args: Sequence[str] = (), timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the image's entrypoint once (args replace CMD), as its USER, in its WORKDIR."""
    cfg = buildah.config(image)
    argv = (cfg.get("Entrypoint") or []) + (list(args) or cfg.get("Cmd") or [])
    conf = image_config(buildah, image)
    with container(buildah, image) as ctr:
        return buildah.run(ctr, argv, user=conf.user, workdir=conf.workdir, timeout=timeout)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    program: str

    def pid_of_program(self) -> int:
        """The program's own pid among the buildah process's descendants."""
        name = Path(self.program).name[:15]
        for pid in _descendants(self.process.pid):
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                    return pid
            except OSError:
                continue
        raise LookupError(f"{name} is not running under buildah pid {self.process.pid}")

    def uid(self) -> int:
        status = Path(f"/proc/{self.pid_of_program()}/status").read_text()
        line = next(x for x in status.splitlines() if x.startswith("Uid:"))
        return int(line.split()[1])


@contextmanager
def serve(buildah: Buildah, image: str, port: int, wait: float = 20) -> Iterator[Server]:
    """Start the image's program and wait until 127.0.0.1:port answers."""
    conf = image_config(buildah, image)
    with container(buildah, image) as ctr:
        proc = buildah.spawn(ctr, conf.argv, user=conf.user, workdir=conf.workdir)
        server = Server(proc, port, conf.argv[0])
        try:
            _wait_for_port(proc, port, wait)
            yield server
        finally:
            _stop(proc)


def http_get(port: int, path: str = "/", timeout: float = 5) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as reply:
        return reply.status, reply.read().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rootfs_files(buildah: Buildah, image: str) -> frozenset[str]:
    """Every file and symlink in the image (directories left out), as relative paths."""
    with container(buildah, image) as ctr:
        root = buildah.mount(ctr)
        found = set()
        for dirpath, dirnames, filenames in os.walk(root):
            for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                found.add(os.path.relpath(os.path.join(dirpath, name), root))
        return frozenset(found)


def _wait_for_port(proc: subprocess.Popen, port: int, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"the program exited with {proc.returncode} before serving:\n{out}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {wait:.0f}s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
