"""buildah: builds without a daemon, and runs containers the only way it can.

`buildah run` starts a process in a working container and takes its command line
literally, so ENTRYPOINT, CMD, USER and WORKDIR are read from the image and passed.
With chroot isolation the container shares this machine's network: a server is reached
on 127.0.0.1, and a HEALTHCHECK runs in a second container of the same image (there is
no `exec` into a running one).
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import signal
import subprocess
import tarfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .engine_base import (
    Build,
    BuildFailed,
    Engine,
    EngineError,
    ImageInfo,
    OnLine,
    Process,
    State,
    call,
    first_line,
    image_info,
    stream,
)


class BuildahEngine(Engine):
    name = "buildah"

    def __init__(self, *, storage: Sequence[str] = (), pull: bool = True,
                 isolation: str = "chroot", description: str = "") -> None:
        #: Global options placing images in a storage of their own (the e2e harness).
        self.storage = tuple(storage)
        self.pull = pull
        self.isolation = isolation
        self.description = description or "buildah (no daemon)"
        self._running: dict[str, _Running] = {}

    def _cli(self, *args: str) -> list[str]:
        return ["buildah", *self.storage, *args]

    def _env(self) -> dict[str, str]:
        return {**os.environ, "BUILDAH_ISOLATION": self.isolation, "BUILDAH_FORMAT": "docker"}

    def _call(self, *args: str, check: bool = True, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
        return call(self._cli(*args), env=self._env(), check=check, timeout=timeout, **kw)

    # -- images --------------------------------------------------------------------------

    def build(self, context: Path, tag: str, *, dockerfile: Path | None = None,
              on_line: OnLine | None = None, no_cache: bool = False,
              flags: Sequence[str] = (), cancel: threading.Event | None = None,
              timeout: float | None = None) -> Build:
        argv = self._cli("build", f"--pull={'true' if self.pull else 'never'}",
                         "--isolation", self.isolation, "--format", "docker", "--layers", "-t", tag)
        if dockerfile is not None:
            argv += ["-f", str(dockerfile)]
        if no_cache:
            argv.append("--no-cache")
        argv += [*flags, str(context)]
        code, log, seconds = stream(argv, env=self._env(), on_line=on_line, cancel=cancel,
                                    timeout=timeout)
        if code != 0:
            why = "stopped" if code == -1 else f"failed after {seconds:.0f} s: {first_line(log)}"
            raise BuildFailed(f"buildah build {why}", log, seconds)
        return Build(tag, seconds, log)

    def _inspect(self, ref: str) -> dict:
        return json.loads(self._call("inspect", "--type", "image", ref).stdout)

    def image(self, ref: str) -> ImageInfo:
        data = self._inspect(ref)
        layers = json.loads(data.get("Manifest") or "{}").get("layers") or []
        return image_info(data["Docker"]["config"], image_id=data.get("FromImageID", ""),
                          size=sum(int(layer.get("size", 0)) for layer in layers))

    def exists(self, ref: str) -> bool:
        return self._call("inspect", "--type", "image", ref, check=False).returncode == 0

    def tag(self, ref: str, *names: str) -> None:
        if names:
            self._call("tag", ref, *names)

    def rmi(self, *refs: str) -> None:
        if refs:
            self._call("rmi", "--force", *refs, check=False)

    def prune(self) -> None:
        """Drop dangling layers (vfs keeps a full copy of each)."""
        self._call("rmi", "--prune", check=False)

    def import_rootfs(self, rootfs: Path, ref: str, changes: Sequence[str]) -> None:
        ctr = self._call("from", "scratch").stdout.strip()
        try:
            mnt = self._call("mount", ctr).stdout.strip()
            subprocess.run(["cp", "-a", f"{rootfs}/.", f"{mnt}/"], check=True)
            self._call("config", *config_flags(changes), ctr)
            self._call("commit", "--rm", "--format", "docker", ctr, ref)
            ctr = ""
        finally:
            if ctr:
                self._call("rm", ctr, check=False)

    def files(self, ref: str) -> frozenset[str]:
        ctr = self._call("from", "--pull=never", ref).stdout.strip()
        try:
            root = self._call("mount", ctr).stdout.strip()
            found = set()
            for dirpath, dirnames, filenames in os.walk(root):
                links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
                for name in filenames + links:
                    found.add(os.path.relpath(os.path.join(dirpath, name), root))
            return frozenset(found)
        finally:
            self._call("rm", ctr, check=False)

    # -- containers ----------------------------------------------------------------------

    def _run_argv(self, ctr: str, info: ImageInfo, argv: Sequence[str]) -> list[str]:
        opts = ["--isolation", self.isolation, "--network", "host"]
        if info.user:
            opts += ["--user", info.user]
        if info.workdir:
            opts += ["--workingdir", info.workdir]
        return self._cli("run", *opts, ctr, "--", *argv)

    def start(self, image: str, name: str, *, args: Sequence[str] | None = None,
              ports: Sequence[int] = ()) -> str:
        info = self.image(image)
        ctr = self._call("from", "--pull=never", "--name", name, image).stdout.strip()
        argv = info.entrypoint + (tuple(args) if args is not None else info.cmd)
        proc = subprocess.Popen(self._run_argv(ctr, info, argv), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace",
                                env=self._env(), start_new_session=True)
        self._running[ctr] = _Running(proc, image)
        return ctr

    def _proc(self, container: str) -> _Running:
        try:
            return self._running[container]
        except KeyError:
            raise EngineError(f"{container} was not started here") from None

    def state(self, container: str) -> State:
        code = self._proc(container).process.poll()
        return State(code is None, code or 0)

    def address(self, container: str, port: int) -> tuple[str, int]:
        return "127.0.0.1", port

    def processes(self, container: str) -> tuple[Process, ...]:
        found = []
        for pid in _descendants(self._proc(container).process.pid):
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if _is_buildah(pid):
                continue  # buildah and its chroot helpers (run from a memfd) stay root
            uid = re.search(r"^Uid:\s+(\d+)", status, re.M)
            found.append(Process(int(uid.group(1)) if uid else -1, comm))
        return tuple(found)

    def exec(self, container: str, argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess:
        return self.run(self._proc(container).image, argv, timeout=timeout, replace_entrypoint=True)

    def stop(self, container: str, timeout: float = 10) -> float:
        proc = self._proc(container).process
        start = time.monotonic()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return time.monotonic() - start

    def logs(self, container: str) -> str:
        return self._proc(container).output()

    def read_tar(self, container: str, path: str) -> bytes:
        root = Path(self._call("mount", container).stdout.strip())
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as archive:
            archive.add(root / path.lstrip("/"), arcname=Path(path).name or ".")
        return buf.getvalue()

    def rm(self, *containers: str) -> None:
        for ctr in containers:
            running = self._running.pop(ctr, None)
            if running and running.process.poll() is None:
                os.killpg(running.process.pid, signal.SIGKILL)
                running.process.wait()
        if containers:
            self._call("rm", *containers, check=False)

    def run(self, image: str, args: Sequence[str] = (), timeout: float = 60,
            replace_entrypoint: bool = False) -> subprocess.CompletedProcess:
        info = self.image(image)
        if replace_entrypoint:
            argv = tuple(args)
        else:
            argv = info.entrypoint + (tuple(args) or info.cmd)
        ctr = self._call("from", "--pull=never", image).stdout.strip()
        try:
            return subprocess.run(self._run_argv(ctr, info, argv), capture_output=True,
                                  text=True, env=self._env(), timeout=timeout)
        finally:
            self._call("rm", ctr, check=False)


class _Running:
    """A `buildah run` in the background, its output collected as it comes."""

    def __init__(self, process: subprocess.Popen, image: str) -> None:
        self.process = process
        self.image = image
        self._lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line)

    def output(self) -> str:
        return "".join(self._lines)


def config_flags(changes: Sequence[str]) -> list[str]:
    """`buildah config` options for `docker import --change` lines (ENV, USER, WORKDIR,
    CMD, ENTRYPOINT, LABEL, EXPOSE)."""
    flags: list[str] = []
    for change in changes:
        word, _, rest = change.strip().partition(" ")
        word, rest = word.upper(), rest.strip()
        if word in {"ENV", "LABEL"}:
            key, _, value = rest.partition("=")
            flags += [f"--{word.lower()}", f"{key}={value.strip(chr(34))}"]
        elif word in {"USER", "WORKDIR"}:
            flags += ["--user" if word == "USER" else "--workingdir", rest]
        elif word in {"CMD", "ENTRYPOINT"}:
            value = json.dumps(json.loads(rest)) if rest.startswith("[") else json.dumps(shlex.split(rest))
            flags += [f"--{word.lower()}", value]
        elif word == "EXPOSE":
            flags += ["--port", rest]
        else:
            raise EngineError(f"buildah: unsupported image change {change!r}")
    return flags


def _is_buildah(pid: int) -> bool:
    """buildah itself, or its chroot helpers: /memfd:buildah-chroot-runtime (deleted)."""
    try:
        return "buildah" in os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return False


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
