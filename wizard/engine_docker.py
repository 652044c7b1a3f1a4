"""docker and podman: engines with a container CLI of the same shape.

Builds go through BuildKit: `docker buildx build --load` where the buildx plugin is
there, `DOCKER_BUILDKIT=1 docker build` with a client older than 23 (which still carries
the BuildKit client), `podman build --format docker` (the OCI format drops HEALTHCHECK).
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from subprocess import PIPE, CompletedProcess, Popen, TimeoutExpired

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
    inspect_json,
    stream,
)


@dataclass(frozen=True)
class CliEngine(Engine):
    """docker or podman, driven through its command line."""

    name: str
    #: The client program (a path: several docker clients may be on PATH).
    program: str
    #: How a build starts, after the program: ("build",) or ("buildx", "build", "--load").
    build_command: tuple[str, ...] = ("build",)
    #: Extra environment for builds (DOCKER_BUILDKIT=1 for clients older than 23).
    build_env: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    def _cli(self, *args: str) -> list[str]:
        return [self.program, *args]

    def _call(self, *args: str, check: bool = True, timeout: float = 120, **kw) -> CompletedProcess:
        return call(self._cli(*args), check=check, timeout=timeout, **kw)

    # -- images --------------------------------------------------------------------------

    def build(self, context: Path, tag: str, *, dockerfile: Path | None = None,
              on_line: OnLine | None = None, no_cache: bool = False,
              flags: Sequence[str] = (), cancel: threading.Event | None = None,
              timeout: float | None = None) -> Build:
        argv = self._cli(*self.build_command, "-t", tag)
        argv += ["--format", "docker"] if self.name == "podman" else ["--progress=plain"]
        if dockerfile is not None:
            argv += ["-f", str(dockerfile)]
        if no_cache:
            argv.append("--no-cache")
        argv += [*flags, str(context)]
        code, log, seconds = stream(argv, env={**os.environ, **self.build_env},
                                    on_line=on_line, cancel=cancel, timeout=timeout)
        if code != 0:
            why = "stopped" if code == -1 else f"failed after {seconds:.0f} s: {first_line(log)}"
            raise BuildFailed(f"{self.name} build {why}", log, seconds)
        return Build(tag, seconds, log)

    def image(self, ref: str) -> ImageInfo:
        data = inspect_json(self._call("image", "inspect", ref).stdout)
        return image_info(data.get("Config") or {}, image_id=data.get("Id", ""),
                          size=int(data.get("Size") or 0))

    def exists(self, ref: str) -> bool:
        return self._call("image", "inspect", ref, check=False).returncode == 0

    def tag(self, ref: str, *names: str) -> None:
        for name in names:
            self._call("tag", ref, name)

    def rmi(self, *refs: str) -> None:
        if refs:
            self._call("rmi", *refs, check=False)

    def import_rootfs(self, rootfs: Path, ref: str, changes: Sequence[str]) -> None:
        argv = self._cli("import", *[a for c in changes for a in ("--change", c)], "-", ref)
        tar = Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", "-", "."], stdout=PIPE)
        try:
            importer = Popen(argv, stdin=tar.stdout, stdout=PIPE, stderr=PIPE, text=True)
            assert tar.stdout is not None
            tar.stdout.close()  # the importer holds the pipe now
            _, err = importer.communicate()
        finally:
            tar.wait()
        if importer.returncode != 0 or tar.returncode != 0:
            raise EngineError(f"importing {rootfs} as {ref} failed: {first_line(err)}", err)

    def files(self, ref: str) -> frozenset[str]:
        # `docker save`, not `export`: a container's export also holds what the runtime
        # adds (/.dockerenv, /etc/hosts, /etc/resolv.conf, ...), which the image has not.
        return saved_files(self._call("save", ref, text=False, timeout=600).stdout)

    # -- containers ----------------------------------------------------------------------

    def start(self, image: str, name: str, *, args: Sequence[str] | None = None,
              ports: Sequence[int] = ()) -> str:
        publish = [a for port in ports for a in ("-p", f"127.0.0.1::{port}/tcp")]
        argv = ["run", "-d", "--name", name, *publish, image, *(args or ())]
        return self._call(*argv, timeout=60).stdout.strip().splitlines()[-1]

    def state(self, container: str) -> State:
        data = inspect_json(self._call("container", "inspect", container).stdout)
        state = data.get("State") or {}
        return State(bool(state.get("Running")), int(state.get("ExitCode") or 0),
                     state.get("Error") or "")

    def address(self, container: str, port: int) -> tuple[str, int]:
        out = self._call("port", container, f"{port}/tcp").stdout.strip().splitlines()
        if not out:
            raise EngineError(f"port {port} of {container} is not published")
        host, _, number = out[0].rpartition(":")
        return (host.strip("[]") or "127.0.0.1"), int(number)

    def processes(self, container: str) -> tuple[Process, ...]:
        if self.name == "podman":
            # podman's own descriptors: "user" is the effective user inside the container.
            rows = self._call("top", container, "user", "comm").stdout.splitlines()[1:]
            return tuple(Process(_uid(user), comm) for user, comm in
                         (r.split(None, 1) for r in rows if r.strip()))
        # docker runs ps on the host and keeps the container's processes (it needs pid).
        rows = self._call("top", container, "-o", "pid,uid,comm").stdout.splitlines()[1:]
        return tuple(Process(int(uid), comm.strip()) for _, uid, comm in
                     (r.split(None, 2) for r in rows if r.strip()))

    def exec(self, container: str, argv: Sequence[str], timeout: float) -> CompletedProcess:
        return self._call("exec", container, *argv, check=False, timeout=timeout)

    def stop(self, container: str, timeout: float = 10) -> float:
        # What `docker stop` does (SIGTERM, SIGKILL after `timeout`), timed from the signal
        # to the exit time the daemon records: the CLI's own start-up and clean-up, which
        # grow with the machine's load (3.5 s seen at load 20), are left out.
        waiting = Popen(self._cli("wait", container), stdout=PIPE, stderr=PIPE)
        try:
            before = time.time()
            self._call("kill", "--signal", "TERM", container, check=False)
            sent = (before + time.time()) / 2
            try:
                waiting.wait(timeout)
            except TimeoutExpired:
                self._call("kill", container, check=False)
                waiting.wait(60)
        finally:
            if waiting.poll() is None:
                waiting.kill()
            waiting.communicate()
        state = inspect_json(self._call("container", "inspect", container).stdout).get("State") or {}
        finished = _timestamp(state.get("FinishedAt", ""))
        return max(0.0, finished - sent) if finished else time.time() - sent

    def logs(self, container: str) -> str:
        proc = self._call("logs", container, check=False)
        return proc.stdout + proc.stderr

    def read_tar(self, container: str, path: str) -> bytes:
        return self._call("cp", f"{container}:{path}", "-", text=False, timeout=300).stdout

    def rm(self, *containers: str) -> None:
        if containers:
            self._call("rm", "-f", *containers, check=False)

    def run(self, image: str, args: Sequence[str] = (), timeout: float = 60) -> CompletedProcess:
        return self._call("run", "--rm", image, *args, check=False, timeout=timeout)


def _timestamp(text: str) -> float:
    """Seconds since the epoch from docker's RFC 3339 time (nanoseconds cut to micro)."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    if not match or text.startswith("0001-"):
        return 0.0
    zone = "+00:00" if match.group(3) == "Z" else match.group(3)
    fraction = (match.group(2) or "0")[:6].ljust(6, "0")
    return datetime.fromisoformat(f"{match.group(1)}.{fraction}{zone}").timestamp()


def _uid(user: str) -> int:
    return int(user) if user.isdigit() else -1


def saved_files(saved: bytes) -> frozenset[str]:
    """The files and symlinks of an image, from `docker save`: its layers applied in
    order, whiteouts (.wh.NAME, .wh..wh..opq) removing what earlier layers added."""
    with tarfile.open(fileobj=io.BytesIO(saved)) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))[0]
        found: set[str] = set()
        for layer in manifest["Layers"]:
            with tarfile.open(fileobj=archive.extractfile(layer)) as tar:
                members = [(m.name.removeprefix("./").strip("/"), m) for m in tar]
            for name, member in members:
                folder, _, base = name.rpartition("/")
                prefix = f"{folder}/" if folder else ""
                if base == ".wh..wh..opq":
                    found = {f for f in found if not f.startswith(prefix)}
                elif base.startswith(".wh."):
                    gone = prefix + base.removeprefix(".wh.")
                    found = {f for f in found if f != gone and not f.startswith(gone + "/")}
                elif name and not member.isdir():
                    found.add(name)
        return frozenset(found)
