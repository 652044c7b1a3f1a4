"""What every container engine offers rustdock, and the facts it reports.

`rustdock verify`, the wizard's "Build and verify" and the e2e tests drive docker, podman
and buildah through this one interface (wizard/engine.py finds which one to use), so a
check written once runs on all three. No Textual here: the core stays headless.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

#: Called with each line of a build's log as it arrives (no trailing newline).
OnLine = Callable[[str], None]


class EngineError(RuntimeError):
    """An engine command failed. The message is one line; `detail` holds the log's end."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class NoEngine(EngineError):
    """No usable engine here; the message says what is missing and what to install."""


class BuildFailed(EngineError):
    """The image did not build; `log` is the whole build log."""

    def __init__(self, message: str, log: str, seconds: float) -> None:
        super().__init__(message, tail(log))
        self.log = log
        self.seconds = seconds


@dataclass(frozen=True)
class Build:
    image: str
    seconds: float
    log: str


@dataclass(frozen=True)
class ImageInfo:
    """The parts of an image's config that decide how a container of it runs."""

    id: str
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    user: str = ""
    workdir: str = ""
    env: tuple[str, ...] = ()
    #: As the config spells them: "8080/tcp", "21116/udp".
    exposed: tuple[str, ...] = ()
    #: Docker's Healthcheck.Test: ("CMD", argv...), ("CMD-SHELL", "cmd") or ().
    healthcheck: tuple[str, ...] = ()
    #: Healthcheck.Timeout in seconds (docker's default 30 s when unset).
    health_timeout: float = 30.0
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Uncompressed size in bytes, as the engine reports it.
    size: int = 0

    @property
    def argv(self) -> tuple[str, ...]:
        return self.entrypoint + self.cmd

    @property
    def tcp_ports(self) -> tuple[int, ...]:
        ports = []
        for spec in self.exposed:
            number, _, proto = spec.partition("/")
            if (proto or "tcp") == "tcp" and number.isdigit():
                ports.append(int(number))
        return tuple(sorted(set(ports)))

    @property
    def health_argv(self) -> tuple[str, ...]:
        """The HEALTHCHECK as a command line, run the way docker runs it (exec in the
        container; CMD-SHELL through /bin/sh -c)."""
        kind, args = (self.healthcheck[:1] or ("",))[0], self.healthcheck[1:]
        if kind == "CMD-SHELL" and args:
            return ("/bin/sh", "-c", args[0])
        return tuple(args) if kind == "CMD" else ()


_NANO = 1_000_000_000


def image_info(config: Mapping, *, image_id: str = "", size: int = 0) -> ImageInfo:
    """An ImageInfo from a Docker image config ("Config" of `docker image inspect`)."""
    health = config.get("Healthcheck") or {}
    test = tuple(health.get("Test") or ())
    if test[:1] == ("NONE",):
        test = ()
    return ImageInfo(
        id=image_id,
        entrypoint=tuple(config.get("Entrypoint") or ()),
        cmd=tuple(config.get("Cmd") or ()),
        user=config.get("User") or "",
        workdir=config.get("WorkingDir") or "",
        env=tuple(config.get("Env") or ()),
        exposed=tuple(sorted(config.get("ExposedPorts") or {})),
        healthcheck=test,
        health_timeout=(health.get("Timeout") or 30 * _NANO) / _NANO,
        labels=MappingProxyType(dict(config.get("Labels") or {})),
        size=size,
    )


@dataclass(frozen=True)
class State:
    running: bool
    exit_code: int = 0
    #: What the engine said went wrong starting it ("" when nothing did).
    error: str = ""


@dataclass(frozen=True)
class Process:
    uid: int
    command: str


class Engine(ABC):
    """One container engine. Containers are named by the caller, who removes them."""

    #: "docker", "podman" or "buildah".
    name: str
    #: One line for humans: which program, which version, how it builds.
    description: str

    # -- images --------------------------------------------------------------------------

    @abstractmethod
    def build(self, context: Path, tag: str, *, dockerfile: Path | None = None,
              on_line: OnLine | None = None, no_cache: bool = False,
              flags: Sequence[str] = (), cancel: threading.Event | None = None,
              timeout: float | None = None) -> Build:
        """Build `context` into `tag`, streaming the log. Raises BuildFailed."""

    @abstractmethod
    def image(self, ref: str) -> ImageInfo:
        """The image's config and size. Raises EngineError when it does not exist."""

    @abstractmethod
    def exists(self, ref: str) -> bool: ...

    @abstractmethod
    def tag(self, ref: str, *names: str) -> None: ...

    @abstractmethod
    def rmi(self, *refs: str) -> None:
        """Remove images by name or id; missing ones are not an error."""

    @abstractmethod
    def import_rootfs(self, rootfs: Path, ref: str, changes: Sequence[str]) -> None:
        """Make image `ref` from a directory tree, with Dockerfile-style `changes`
        (ENV, USER, WORKDIR, CMD, LABEL), like `docker import --change`."""

    @abstractmethod
    def files(self, ref: str) -> frozenset[str]:
        """Every file and symlink in the image (directories left out), relative paths."""

    # -- containers ----------------------------------------------------------------------

    @abstractmethod
    def start(self, image: str, name: str, *, args: Sequence[str] | None = None,
              ports: Sequence[int] = ()) -> str:
        """Start a container of `image` in the background (args replace CMD), with each
        TCP port in `ports` reachable from here. Returns its id."""

    @abstractmethod
    def state(self, container: str) -> State: ...

    @abstractmethod
    def address(self, container: str, port: int) -> tuple[str, int]:
        """Where this machine reaches the container's TCP `port`."""

    @abstractmethod
    def processes(self, container: str) -> tuple[Process, ...]:
        """The container's processes with their uid as the kernel sees them."""

    @abstractmethod
    def exec(self, container: str, argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess:
        """Run argv inside the running container, as the image's USER, like a
        HEALTHCHECK (buildah: in a second container of the same image)."""

    @abstractmethod
    def stop(self, container: str, timeout: float = 10) -> float:
        """Send SIGTERM, SIGKILL after `timeout` seconds; returns the seconds it took."""

    @abstractmethod
    def logs(self, container: str) -> str: ...

    @abstractmethod
    def read_tar(self, container: str, path: str) -> bytes:
        """`path` in the container as a tar stream (file modes and owners kept)."""

    @abstractmethod
    def rm(self, *containers: str) -> None:
        """Remove containers, running or not; missing ones are not an error."""

    @abstractmethod
    def run(self, image: str, args: Sequence[str] = (), timeout: float = 60) -> subprocess.CompletedProcess:
        """Run the image once in the foreground (args replace CMD) and remove it."""


# -- running commands ----------------------------------------------------------------------


def call(argv: Sequence[str], *, env: Mapping[str, str] | None = None, check: bool = True,
         timeout: float = 120, input: bytes | None = None, text: bool = True) -> subprocess.CompletedProcess:
    """Run an engine command, capturing its output; EngineError (one line) on failure."""
    try:
        proc = subprocess.run(list(argv), capture_output=True, env=env, timeout=timeout,
                              input=input, text=text if input is None else False)
    except FileNotFoundError:
        raise EngineError(f"{argv[0]}: not found") from None
    except subprocess.TimeoutExpired:
        raise EngineError(f"`{' '.join(argv[:3])}` did not finish within {timeout:.0f} s") from None
    if check and proc.returncode != 0:
        err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode(errors="replace")
        raise EngineError(f"`{' '.join(argv[:3])}` failed: {first_line(err)}", tail(err))
    return proc


def stream(argv: Sequence[str], *, env: Mapping[str, str] | None = None,
           on_line: OnLine | None = None, cancel: threading.Event | None = None,
           timeout: float | None = None) -> tuple[int, str, float]:
    """Run a command, handing each output line (stdout and stderr merged) to on_line.

    Returns (exit code, the whole output, seconds). Setting `cancel` or passing
    `timeout` stops the command (SIGTERM, then SIGKILL); it then returns code -1.
    """
    start = time.monotonic()
    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, text=True, errors="replace", bufsize=1)
    stopped = threading.Event()
    done = threading.Event()

    def watch() -> None:
        deadline = None if timeout is None else start + timeout
        while not done.wait(0.2):
            late = deadline is not None and time.monotonic() > deadline
            if late or (cancel is not None and cancel.is_set()):
                stopped.set()
                # SIGINT first: what Ctrl-C sends, and what makes a build client cancel
                # the build in the daemon rather than just go away.
                for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
                    proc.send_signal(stop)
                    try:
                        proc.wait(5)
                        return
                    except subprocess.TimeoutExpired:
                        continue
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.rstrip("\n")
            lines.append(line)
            if on_line is not None:
                on_line(line)
        code = proc.wait()
    finally:
        done.set()
        if proc.poll() is None:  # an exception in on_line, or Ctrl-C: never leave it running
            proc.terminate()
            proc.wait()
    return (-1 if stopped.is_set() else code), "\n".join(lines), time.monotonic() - start


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def inspect_json(text: str) -> dict:
    """The first object of an `inspect` answer (docker and podman print a list)."""
    data = json.loads(text)
    return data[0] if isinstance(data, list) else data
