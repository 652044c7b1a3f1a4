"""`rustdock verify [DIR] [--engine docker|podman|buildah] [--command ARGS] [--json]`.

Exit codes: 0 every check passed, 1 a check failed (each failure names what to change),
2 no container engine, no Dockerfile, or an unreadable rustdock.toml.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .cli import OK, RULE_ERROR, UsageError, _Parser
from .engine import ENGINES, find_engine
from .engine_base import EngineError, NoEngine
from .verify import Options, VerifyError, verify_project
from .verify_plan import PlanError
from .verify_report import Console, failures, table


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rustdock verify",
        description="Build the saved Dockerfile, run the image and check it: it starts "
        "(and stays up, or exits 0 with --command), runs as the planned user, every exposed "
        "TCP port answers, the HEALTHCHECK passes, `docker stop` takes under 2 s, the "
        "writable path is writable, and its size against the stripped binary. Removes "
        "every image and container it made.",
    )
    parser.add_argument("project_dir", nargs="?", default=".", help="the project with the saved Dockerfile (default: here)")
    parser.add_argument("--engine", choices=ENGINES, help="the engine to use (default: the first of docker, podman, buildah that can build)")
    parser.add_argument("--command", metavar="ARGS", help="check a command, not a server: run the image with ARGS (replacing CMD) and expect exit 0")
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout (the build log still goes to stderr)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not stream the build log")
    return parser


def _terminated(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def verify_command(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.project_dir).expanduser()
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory")
    try:
        command = shlex.split(args.command) if args.command is not None else None
    except ValueError as err:
        raise UsageError(f"--command: {err}") from None
    if not (root / "Dockerfile").is_file():
        raise UsageError(f"{root / 'Dockerfile'}: no Dockerfile (save one with rustdock first)")
    try:
        engine = find_engine(args.engine or "")
    except NoEngine as err:
        raise UsageError(str(err)) from None
    console = Console(sys.stderr, log=not args.quiet)
    options = Options(command=command, on_line=console.line, on_status=console.status)
    # `kill` (SIGTERM) cleans up like Ctrl-C: the finally blocks remove what was made.
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        report = verify_project(root.resolve(), engine, options)
    except (VerifyError, PlanError) as err:
        raise UsageError(str(err)) from None
    except EngineError as err:
        raise UsageError(f"{engine.name}: {err}") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        console.done()
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        sys.stdout.write(table(report))
    for line in failures(report):
        print(line, file=sys.stderr)
    return OK if report.ok else RULE_ERROR
