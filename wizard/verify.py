"""`rustdock verify`: build the saved Dockerfile, run the image, check what the plan says.

The checks: the image builds; the program starts and stays up (a server) or exits 0 (a
command given with --command); it runs as the planned uid; every exposed TCP port
accepts a connection (an HTTP request to the health path where there is one); the
HEALTHCHECK passes, run the way docker runs it (exec in the container); `docker stop`
takes under 2 s; the writable path is writable; the image's size against the stripped
binary. Everything made (images, containers) is removed, on failure and Ctrl-C too.
The e2e tests call `check_image` on their own builds: users get the very same checks.
"""

from __future__ import annotations

import http.client
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .engine_base import BuildFailed, Engine, EngineError, ImageInfo
from .verify_checks import (
    BUILD_ADVICE,
    FAIL,
    PASS,
    SKIP,
    START_ADVICE,
    Check,
    Expect,
    advice,
    judge_configured_user,
    judge_size,
    judge_stop,
    judge_user,
    judge_writable,
    stripped_size,
    user_uid,
)
from .verify_plan import expect_from_plan, image_name, plan_flags, runtime_size, saved_plan
from .verify_progress import Progress

#: Called with each build log line, and with a one-line status (the progress line).
OnText = Callable[[str], None]


class VerifyError(Exception):
    """Nothing to verify (no Dockerfile, unreadable project): exit 2."""


@dataclass(frozen=True)
class Report:
    image: str
    engine: str
    checks: tuple[Check, ...]
    #: The end of the container's output, shown when a check failed.
    output: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == FAIL)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def to_json(self) -> dict:
        return {"image": self.image, "engine": self.engine, "ok": self.ok,
                "checks": [{"name": c.name, "status": c.status, "detail": c.detail, "fix": c.fix}
                           for c in self.checks]}


@dataclass
class Options:
    #: Arguments for a one-off command (replace CMD); None checks a server.
    command: Sequence[str] | None = None
    #: Seconds the program gets to start listening on its ports.
    start_wait: float = 30.0
    #: Seconds a program without ports must stay up to count as started.
    settle: float = 2.0
    on_line: OnText | None = None
    on_status: OnText | None = None
    cancel: threading.Event | None = None
    #: Prefix of the image and container names made.
    prefix: str = "rustdock-verify"
    token: str = field(default_factory=lambda: secrets.token_hex(4))


def _status(options: Options, text: str) -> None:
    if options.on_status is not None:
        options.on_status(text)


def verify_project(root: Path, engine: Engine, options: Options | None = None) -> Report:
    """Build `root`'s Dockerfile as saved, run it, check it; remove what was made."""
    options = options or Options()
    dockerfile = root / "Dockerfile"
    if not dockerfile.is_file():
        raise VerifyError(f"{dockerfile}: no Dockerfile (save one with rustdock first)")
    plan = saved_plan(root)
    text = dockerfile.read_text(encoding="utf-8", errors="replace")
    tag = f"{options.prefix}-{image_name(plan, root)}:{options.token}"
    progress = Progress()
    shown = [0.0]

    def on_line(line: str) -> None:
        if options.on_line is not None:
            options.on_line(line)
        # A new step, or a second later: the progress line's elapsed time moves on.
        if progress.feed(line) or time.monotonic() - shown[0] >= 1:
            shown[0] = time.monotonic()
            _status(options, progress.line())

    _status(options, f"building {root} with {engine.description}")
    try:  # the image goes away whatever happens, Ctrl-C included
        try:
            build = engine.build(root, tag, dockerfile=dockerfile, on_line=on_line,
                                 flags=plan_flags(text, plan), cancel=options.cancel)
        except BuildFailed as err:
            fix = advice(err.log, BUILD_ADVICE) or "read the build log above"
            return Report(tag, engine.name, (Check("build", FAIL, str(err), fix),))
        built = Check("build", PASS, f"built in {build.seconds:.0f} s")
        return check_image(engine, tag, expect_from_plan(plan), options, first=(built,))
    finally:
        engine.rmi(tag)


def check_image(engine: Engine, image: str, expect: Expect, options: Options | None = None,
                first: tuple[Check, ...] = ()) -> Report:
    """Run `image` and make every check on it; the container is removed afterwards."""
    options = options or Options()
    info = engine.image(image)
    name = f"{options.prefix}-{options.token}-{secrets.token_hex(2)}"
    server = options.command is None
    _status(options, f"starting {image}")
    ctr = engine.start(image, name, args=options.command, ports=info.tcp_ports if server else ())
    try:
        run = _Run(engine, ctr, info, expect, options)
        checks = [*first, *(run.server_checks() if server else run.command_checks())]
        checks.append(run.size_check())
        return Report(image, engine.name, tuple(checks),
                      output=run.output if any(c.status == FAIL for c in checks) else "")
    finally:
        engine.rm(ctr)


class _Run:
    """One container of the image under test, and what was seen of it."""

    def __init__(self, engine: Engine, ctr: str, info: ImageInfo, expect: Expect, options: Options):
        self.engine, self.ctr, self.info, self.expect, self.options = engine, ctr, info, expect, options
        self.output = ""

    def _logs(self) -> str:
        self.output = self.engine.logs(self.ctr)[-4000:]
        return self.output

    def _cancelled(self) -> bool:
        return self.options.cancel is not None and self.options.cancel.is_set()

    # -- a server --------------------------------------------------------------------------

    def server_checks(self) -> list[Check]:
        ports = self.info.tcp_ports
        _status(self.options, f"waiting for the program{' on port ' + ', '.join(map(str, ports)) if ports else ''}")
        start = time.monotonic()
        deadline = start + (self.options.start_wait if ports else self.options.settle)
        ready: dict[int, tuple[str, int]] = {}
        while not self._cancelled():
            state = self.engine.state(self.ctr)
            if not state.running:
                return [self._exited(state.exit_code, state.error, ports)]
            for port in ports:
                if port not in ready:
                    where = self.engine.address(self.ctr, port)
                    if _accepts(*where):
                        ready[port] = where
            if len(ready) == len(ports) and (ports or time.monotonic() >= deadline):
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        checks = [Check("start", PASS, f"running after {time.monotonic() - start:.1f} s")]
        checks += [self._port_check(port, ready.get(port)) for port in ports]
        checks.append(judge_user([p.uid for p in self.engine.processes(self.ctr)], self.expect, self.info.user))
        checks.append(self._health_check())
        checks += self._writable_checks()
        if not self.engine.state(self.ctr).running:
            state = self.engine.state(self.ctr)
            checks[0] = Check(
                "start", FAIL, f"exited with code {state.exit_code} while being checked",
                advice(self._logs(), START_ADVICE) or "read the program's output below")
            return checks
        _status(self.options, "stopping it (docker stop)")
        checks.append(judge_stop(self.engine.stop(self.ctr, 10), self.expect))
        return checks

    def _exited(self, code: int, error: str, ports: tuple[int, ...]) -> Check:
        log = self._logs() + "\n" + error
        if code == 0 and not ports:
            return Check("start", PASS, "exited 0 at once: a command, not a server "
                         "(--command ARGS checks a given command)")
        fix = advice(log, START_ADVICE) or "read the program's output below"
        last = next((line for line in reversed(log.strip().splitlines()) if line.strip()), "")
        return Check("start", FAIL, f"exited with code {code} at start" + (f": {last[:160]}" if last else ""), fix)

    def _port_check(self, port: int, where: tuple[str, int] | None) -> Check:
        name = f"port {port}"
        if where is None:
            return Check(name, FAIL, f"nothing answered on {port}/tcp within {self.options.start_wait:.0f} s",
                         f"the program must listen on 0.0.0.0:{port}, not 127.0.0.1; check ports=")
        if self.expect.health_path and port == self.expect.health_port:
            status = _http_status(*where, self.expect.health_path)
            seen = f"HTTP {status} on {self.expect.health_path}" if status else "no HTTP answer"
            if not status or status >= 400:
                return Check(name, FAIL, f"accepts connections, {seen}",
                             "check health_path= and that the program serves it")
            return Check(name, PASS, f"accepts connections, {seen}")
        return Check(name, PASS, "accepts connections")

    def _health_check(self) -> Check:
        argv = self.info.health_argv
        if not argv:
            return Check("healthcheck", SKIP, "the image has no HEALTHCHECK")
        proc = None
        for _attempt in range(3):  # docker's retries, without its 30 s interval
            proc = self.engine.exec(self.ctr, argv, timeout=self.info.health_timeout + 5)
            if proc.returncode == 0:
                return Check("healthcheck", PASS, f"{' '.join(argv)} exited 0")
            time.sleep(1)
        out = (proc.stdout + proc.stderr).strip().splitlines()
        return Check("healthcheck", FAIL, f"{' '.join(argv)} exited {proc.returncode}"
                     + (f": {out[-1][:120]}" if out else ""),
                     "check healthcheck=, ports= and health_path= against what the program serves")

    def _writable_checks(self) -> list[Check]:
        """One check per directory the plan made writable (rustdock.toml's `writable`)."""
        if not self.expect.writable:
            return [Check("writable", SKIP, "rustdock.toml names no writable path")]
        return [self._writable_check(path) for path in self.expect.writable]

    def _writable_check(self, path: str) -> Check:
        if not path.startswith("/"):
            path = f"{(self.info.workdir or '/').rstrip('/')}/{path}"
        try:
            tar = self.engine.read_tar(self.ctr, path)
        except EngineError:
            tar = None
        uid = user_uid(self.info.user) or 0
        gid_text = self.info.user.partition(":")[2]
        gid = int(gid_text) if gid_text.isdigit() else uid
        return judge_writable(tar, path, uid, gid)

    # -- a command -----------------------------------------------------------------------

    def command_checks(self) -> list[Check]:
        _status(self.options, f"running {' '.join(self.options.command or ())}")
        deadline = time.monotonic() + max(self.options.start_wait, 60)
        state = self.engine.state(self.ctr)
        while state.running and time.monotonic() < deadline and not self._cancelled():
            time.sleep(0.2)
            state = self.engine.state(self.ctr)
        if state.running:
            return [Check("start", FAIL, "the command was still running after "
                          f"{max(self.options.start_wait, 60):.0f} s", "check --command")]
        if state.exit_code != 0:
            return [self._exited(state.exit_code, state.error, (1,)),
                    judge_configured_user(self.info.user, self.expect)]
        return [Check("start", PASS, "the command exited 0"), judge_configured_user(self.info.user, self.expect)]

    # -- size ---------------------------------------------------------------------------

    def size_check(self) -> Check:
        binary = self.expect.binary or (self.info.argv[0] if self.info.argv else "")
        if not binary:
            return Check("size", SKIP, "no program named by ENTRYPOINT")
        try:
            folder = self.engine.read_tar(self.ctr, binary.rsplit("/", 1)[0] or "/")
        except EngineError:
            return Check("size", SKIP, f"{binary} cannot be read from the container")
        sizes, program = _tar_sizes(folder, binary.rsplit("/", 1)[-1])
        if program is None:
            return Check("size", SKIP, f"{binary} is not in the image")
        return judge_size(self.info.size, len(program), stripped_size(program),
                          sum(sizes) - len(program), self.expect.runtime, runtime_size(self.expect.runtime))


def _tar_sizes(tar: bytes, program: str) -> tuple[list[int], bytes | None]:
    import io
    import tarfile

    sizes, found = [], None
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive:
            if member.isfile():
                sizes.append(member.size)
                if member.name.rsplit("/", 1)[-1] == program and found is None:
                    found = archive.extractfile(member).read()
    return sizes, found


def _accepts(host: str, port: int) -> bool:
    """Whether a server answers there. docker's userland proxy accepts every connection
    and closes it at once when nothing listens behind it, so a connection that ends
    without a byte in 0.3 s counts as refused; one left open counts as served."""
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(0.3)
            try:
                return bool(sock.recv(1))
            except TimeoutError:
                return True
    except OSError:
        return False


def _http_status(host: str, port: int, path: str) -> int:
    try:
        conn = http.client.HTTPConnection(host, port, timeout=5)
        conn.request("GET", path, headers={"User-Agent": "rustdock-verify"})
        status = conn.getresponse().status
        conn.close()
        return status
    except (OSError, http.client.HTTPException):
        return 0
