"""The command line: `rustdock [DIR]`, `generate`, `check`, `verify`, `options`, `presets`.

Exit codes: 0 ok, 1 the plan breaks a rule or a verify check fails (the message names
the option and the fix), 2 bad usage, a project that cannot be read or written, or no
container engine. Every error is one line on stderr; RUSTDOCK_DEBUG=1 shows the
traceback of an unexpected one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .answers import AnswersError, read_answers
from .detect import DetectError, detect
from .findings import ERROR, TIP, WARNING
from .generate import Outcome, outcome
from .meta import __version__
from .options import OPTIONS, OptionError, plain
from .plan import Plan, make_plan
from .presets import PRESETS
from .project import Project
from .project_root import find_root
from .save import SaveError, save

OK, RULE_ERROR, USAGE = 0, 1, 2
SUBCOMMANDS = ("generate", "check", "verify", "options", "presets")


class UsageError(Exception):
    """Bad arguments or an unreadable project: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit itself
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _wizard_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rustdock",
        description="A terminal wizard that writes a small, fast-building, safe Dockerfile "
        "for a Rust project. Subcommands: generate, check, verify, options, presets.",
        epilog="`rustdock generate --help` for the non-interactive mode.",
    )
    parser.add_argument("project_dir", nargs="?", default=".", help="the Rust project (default: here)")
    parser.add_argument("--demo", action="store_true", help="open a bundled sample project in a temporary folder")
    parser.add_argument("--version", action="version", version=f"rustdock {__version__}")
    return parser


def _generate_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rustdock generate",
        description="Write the Dockerfile, .dockerignore, rustdock.toml and Cargo.toml edits "
        "without the wizard. Choices come from --preset, then the answers file "
        "(rustdock.toml, or --answers), then each --set.",
    )
    parser.add_argument("project_dir", nargs="?", default=".")
    parser.add_argument("--answers", metavar="FILE", type=Path, help="answers file to use instead of PROJECT_DIR/rustdock.toml")
    parser.add_argument("--preset", metavar="NAME", help="start from a preset (`rustdock presets`)")
    parser.add_argument("--set", metavar="KEY=VALUE", action="append", default=[], dest="overrides", help="set one option (`rustdock options`); repeatable")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print the Dockerfile only (the default)")
    mode.add_argument("--write", action="store_true", help="write every file, like the wizard's save")
    parser.add_argument("--diff", action="store_true", help="show what would change in each file")
    parser.add_argument("--force", action="store_true", help="with --write: replace a Dockerfile or .dockerignore rustdock did not write (a backup is kept)")
    parser.add_argument("--no-import", action="store_true", help="ignore a Dockerfile rustdock did not write (by default a project without rustdock.toml starts from what it says)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print tips")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rustdock check",
        description="Check a Dockerfile rustdock did not write for Rust-specific bugs: "
        "binaries copied from where cargo never wrote them, glibc binaries on musl or empty "
        "images, caching steps that never help, missing users, tools and CA certificates, "
        "unpinned images. One finding per line: PATH:LINE: severity rule: message. Exit 0 "
        "without errors, 1 with errors, 2 when nothing can be read.",
    )
    parser.add_argument("project_dir", nargs="?", default=".")
    parser.add_argument("--dockerfile", metavar="PATH", type=Path, help="the Dockerfile to check (default: Dockerfile or Containerfile in PROJECT_DIR or its docker/ folder)")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="text lines (default), JSON, or SARIF 2.1.0 for code scanning")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print tips")
    return parser


def _listing_parser(name: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"rustdock {name}", description=f"List every {name[:-1]}.")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


# -- generate ---------------------------------------------------------------------------


def _project_root(directory: str) -> Path:
    """The project `directory` belongs to, looked for upwards like cargo (run from src/)."""
    given = Path(directory).expanduser()
    if not given.is_dir():
        raise UsageError(f"{given}: no such directory")
    root = find_root(given)
    if root != given.resolve():
        print(f"rustdock: using the project at {root}", file=sys.stderr)
    return root


def _read_project(directory: str) -> Project:
    root = _project_root(directory)
    try:
        return detect(root)
    except DetectError as err:
        raise UsageError(str(err)) from None


def _plan_for(project: Project, args: argparse.Namespace) -> Plan:
    preset_name, answers = "", {}
    saved = project.saved_answers or {}
    if args.answers is not None:
        try:
            preset_name, answers = read_answers(args.answers)
        except AnswersError as err:
            raise UsageError(str(err)) from None
    elif saved:
        preset_name, answers = saved.get("preset", ""), dict(saved.get("answers", {}))
    elif project.foreign_dockerfile and not args.no_import:
        started = _start_from_dockerfile(project, args)
        if started is not None:
            return started
    try:
        return make_plan(
            project,
            preset_name=args.preset or preset_name,
            answers=answers,
            overrides=args.overrides,
        )
    except OptionError as err:
        source = f" (in {args.answers})" if args.answers else ""
        raise UsageError(f"{err}{source}") from None


def _start_from_dockerfile(project: Project, args: argparse.Namespace) -> Plan | None:
    """The plan from the project's own Dockerfile, said on stderr; None when unreadable."""
    from .check import CheckError
    from .import_review import dockerfile_start, kept, origin_words

    try:
        start = dockerfile_start(project, args.preset or "", args.overrides)
    except CheckError as err:
        print(f"rustdock: {err}; starting from the project's defaults", file=sys.stderr)
        return None
    except OptionError as err:
        raise UsageError(str(err)) from None
    if start is None:
        return None
    say = lambda text: print(f"rustdock: {text}", file=sys.stderr)  # noqa: E731
    say(f"starting from your {start.path} ({start.summary()}); --no-import ignores it")
    held = kept(start)
    read = ", ".join(f"{k}={_shown(v)} ({origin_words(k, line)})" for k, v, line in held)
    say(f"  from your {start.path}: {read or 'nothing rustdock can use'}")
    changes = {change.key for change in start.changes}
    for change in start.changes:
        say(f"  changed {change.key}: {_shown(change.theirs)} -> {_shown(change.ours)} "
            f"({change.finding.rule}: {change.finding.message})")
    held_keys = {k for k, _, _ in held}
    for key, value in start.imported.answers.items():
        if key not in held_keys and key not in changes:
            say(f"  replaced {key}: {_shown(value)} ({origin_words(key, start.imported.answer_line(key))}) "
                f"-> {_shown(start.plan.choices[key])} (your --set)")
    for left in start.imported.left_over:
        say(f"  not carried over: line {left.line}: {left.text} ({left.why})")
    return start.plan


def _shown(value: Any) -> str:
    value = plain(value)
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _report(result: Outcome, verbose: bool) -> None:
    shown = {ERROR, WARNING} | ({TIP} if verbose else set())
    for finding in result.findings:
        if finding.severity in shown:
            print(f"rustdock: {finding.line()}", file=sys.stderr)


def _generate(argv: Sequence[str]) -> int:
    args = _generate_parser().parse_args(argv)
    if args.force and not args.write:
        raise UsageError("--force only goes with --write")
    project = _read_project(args.project_dir)
    result = outcome(_plan_for(project, args))
    _report(result, args.verbose)
    if result.errors:
        count = len(result.errors)
        print(
            f"rustdock: {count} error{'s' * (count > 1)} in the plan; nothing written. "
            "Change the options named above (--set KEY=VALUE).",
            file=sys.stderr,
        )
        return RULE_ERROR
    if args.diff:
        from .changes import unified_diff

        sys.stdout.write(unified_diff(result.changes))
    if args.write:
        try:
            saved = save(project.root, result.changes, force=args.force)
        except SaveError as err:
            raise UsageError(str(err)) from None
        for path in saved.written:
            print(f"wrote {path}", file=sys.stderr)
        for path in saved.backups:
            print(f"kept a backup: {path}", file=sys.stderr)
        if not saved.written:
            print("rustdock: every file is already up to date", file=sys.stderr)
    elif not args.diff:
        sys.stdout.write(result.rendered.dockerfile)
    return OK


# -- check --------------------------------------------------------------------------------


def _check(argv: Sequence[str]) -> int:
    from . import check_formats as formats
    from .check import CheckError, check_dockerfile

    args = _check_parser().parse_args(argv)
    root = Path(args.project_dir).expanduser()
    dockerfile = args.dockerfile
    if dockerfile is not None and not dockerfile.is_absolute() and not (dockerfile.exists() or dockerfile.is_symlink()):
        dockerfile = root / dockerfile  # relative to the project, as `docker build -f` in it
    if dockerfile is not None and not (dockerfile.exists() or dockerfile.is_symlink()):
        raise UsageError(f"{args.dockerfile}: no such file")
    try:
        report = check_dockerfile(root, dockerfile)
    except CheckError as err:
        raise UsageError(str(err)) from None
    if report.project_note:
        print(f"rustdock: {report.project_note}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(formats.as_json(report))
    elif args.format == "sarif":
        sys.stdout.write(formats.as_sarif(report))
    else:
        sys.stdout.write(formats.text(report, args.verbose))
        print(f"rustdock: {formats.summary(report)}", file=sys.stderr)
    return RULE_ERROR if report.errors else OK


# -- options and presets ----------------------------------------------------------------


def _default_text(opt: Any) -> str:
    if opt.derived:
        return f"derived: {opt.derived}"
    return json.dumps(plain(opt.default(None, {})))


def _options(argv: Sequence[str]) -> int:
    args = _listing_parser("options").parse_args(argv)
    if args.json:
        rows = []
        for opt in OPTIONS:
            row = opt.to_json()
            if not opt.derived:
                row["default"] = plain(opt.default(None, {}))
            rows.append(row)
        print(json.dumps(rows, indent=2))
        return OK
    for opt in OPTIONS:
        values = " | ".join(v.value for v in opt.values) if opt.values else opt.kind
        if opt.dynamic_values:
            values = "a binary of the project" if opt.kind == "choice" else f"list of {opt.expects}"
        print(f"{opt.key}  ({values})")
        print(f"    {opt.label}. {opt.help}")
        print(f"    default: {_default_text(opt)}")
    return OK


def _presets(argv: Sequence[str]) -> int:
    args = _listing_parser("presets").parse_args(argv)
    if args.json:
        rows = [
            {"name": p.name, "label": p.label, "help": p.help, "choices": dict(p.choices)}
            for p in PRESETS
        ]
        print(json.dumps(rows, indent=2))
        return OK
    for p in PRESETS:
        sets = " ".join(f"{k}={plain(v)}" for k, v in p.choices.items())
        print(f"{p.name}  {p.label}\n    {p.help}\n    sets: {sets}")
    return OK


# -- the wizard -------------------------------------------------------------------------


def _wizard(argv: Sequence[str]) -> int:
    args = _wizard_parser().parse_args(argv)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError(
            "the wizard needs a terminal; use `rustdock generate` in scripts and CI"
        )
    # Textual is imported only here, so `generate` and the tests of the core stay headless.
    from rustdock.screens.app import run_app

    if args.demo:
        from .demo import copy_demo

        with tempfile.TemporaryDirectory(prefix="rustdock-demo-") as tmp:
            return run_app(copy_demo(Path(tmp)), demo=True)
    return run_app(_project_root(args.project_dir), demo=False)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            from .cli_verify import verify_command

            command = {"generate": _generate, "check": _check, "verify": verify_command,
                       "options": _options, "presets": _presets}
            return command[argv[0]](argv[1:])
        return _wizard(argv)
    except UsageError as err:
        print(f"rustdock: {err}", file=sys.stderr)
        return USAGE
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return OK
    except Exception as err:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("RUSTDOCK_DEBUG"):
            traceback.print_exc()
        print(
            f"rustdock: internal error: {type(err).__name__}: {err} "
            "(RUSTDOCK_DEBUG=1 shows the traceback; please report it)",
            file=sys.stderr,
        )
        return USAGE


def cargo_main() -> int:
    """`cargo rustdock ...`: cargo runs `cargo-rustdock rustdock ...`."""
    argv = sys.argv[1:]
    if argv[:1] == ["rustdock"]:
        argv = argv[1:]
    return main(argv)
