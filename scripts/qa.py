#!/usr/bin/env python3
"""Run rustdock's own `generate` (and `check`) on the QA corpus and compare with the truth.

    python scripts/qa.py --src /tmp/qa/src            every corpus project found there
    python scripts/qa.py --src DIR --only sonic,bore  a few
    python scripts/qa.py --src DIR --no-write         print the table, leave qa/RESULTS.md

Checkouts are the user's (see qa/corpus.toml for how to bring them); this script only reads
them, never builds anything and never writes into them. The generated files land in
--out (default /tmp/qa/generated/<project>/) for a look or a build by hand. Build results
are data kept in qa/builds.toml and merged into the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))  # benchmarks/ (offline.py: what can build here)

import qa_judge  # noqa: E402
import qa_judge_run as run  # noqa: E402
from qa_facts import parse  # noqa: E402
from qa_report import render  # noqa: E402

from benchmarks.offline import why_not_offline_file  # noqa: E402

ROOT = HERE.parent
TIMEOUT = 300
#: The facts judged, in the table's order (each judge takes the truth and a Generated).
COLUMNS = [
    ("binary", qa_judge.binary), ("features", qa_judge.features), ("rust", qa_judge.rust_version),
    ("builder pkgs", qa_judge.builder_packages), ("runtime pkgs", qa_judge.runtime_packages),
    ("build needs", qa_judge.build_needs), ("ports", run.ports), ("listen", run.listen),
    ("runtime files", run.runtime_files), ("config", run.config), ("writable", run.writable),
    ("signals", run.signals), ("edits", qa_judge.edits), ("findings", qa_judge.false_findings),
]


def apply_diff(diff: str, root: Path) -> dict[str, tuple[str, str]]:
    """`generate --diff` output -> {path: (new content, that file's diff)}."""
    files: dict[str, tuple[str, str]] = {}
    chunks = [c for c in ("\n" + diff).split("\n--- ") if c.strip()]
    for chunk in chunks:
        lines = ("--- " + chunk.lstrip("\n")).splitlines()
        if len(lines) < 2 or not lines[1].startswith("+++ "):
            continue
        old, new = lines[0][4:].strip(), lines[1][4:].strip()
        path = new[2:] if new.startswith("b/") else new
        original = [] if old == "/dev/null" else _read(root / path).splitlines()
        out, pos, i = [], 0, 2
        while i < len(lines):
            head = lines[i]
            if not head.startswith("@@"):
                i += 1
                continue
            start = int(head.split()[1].split(",")[0].lstrip("-") or 1)
            start = max(start - 1, 0)
            out += original[pos:start]
            pos = start
            i += 1
            while i < len(lines) and not lines[i].startswith("@@"):
                mark, text = lines[i][:1], lines[i][1:]
                if mark == " ":
                    out.append(text)
                    pos += 1
                elif mark == "-":
                    pos += 1
                elif mark == "+":
                    out.append(text)
                i += 1
        out += original[pos:]
        files[path] = ("\n".join(out) + "\n", "\n".join(lines))
    return files


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def rustdock(cmd: list[str], exe: list[str]) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RUSTDOCK_DEBUG"}
    try:
        done = subprocess.run([*exe, *cmd], capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {TIMEOUT} s"
    return done.returncode, done.stdout, done.stderr


def capabilities(exe: list[str]) -> dict[str, bool]:
    code, out, _ = rustdock(["options", "--json"], exe)
    keys = set()
    if code == 0:
        keys = {row["key"] for row in json.loads(out)}
    # `rustdock check --help` would also print the wizard's help: ask for the subcommand's own
    code, out, _ = rustdock(["check", "--help"], exe)
    check = code == 0 and "rustdock check" in out
    return {"frontend": "frontend" in keys, "check": check}


def generate(directory: Path, sets: list[str], exe: list[str],
             flags: tuple[str, ...] = ()) -> tuple[qa_judge.Generated, dict]:
    args = ["generate", str(directory), "--diff", "-v", *flags] + [x for s in sets for x in ("--set", s)]
    code, out, err = rustdock(args, exe)
    files = apply_diff(out, directory) if code == 0 else {}
    text = files.get("Dockerfile", ("", ""))[0]
    facts = None
    if code == 0 and text:
        try:
            facts = parse(text)
        except Exception as exc:  # a Dockerfile BuildKit's parser rejects is itself a finding
            err += f"\nqa: the generated Dockerfile does not parse: {exc}"
            code = 97
    ignore = files.get(".dockerignore", (_read(directory / ".dockerignore"), ""))[0]
    edits = {p: d for p, (_, d) in files.items()
             if p not in ("Dockerfile", ".dockerignore", "rustdock.toml") and (directory / p).exists()}
    return qa_judge.Generated(code, err, facts, ignore, edits), {p: c for p, (c, _) in files.items()}


def run_status(g: qa_judge.Generated) -> qa_judge.Verdict:
    if "Traceback (most recent call last)" in g.stderr:
        return qa_judge.Verdict(qa_judge.WRONG, "traceback")
    errors = [l for l in g.stderr.splitlines() if l.startswith("rustdock: error") or
              (l.startswith("rustdock:") and g.exit == 2)]
    if g.exit == 0:
        return qa_judge.Verdict(qa_judge.OK)
    if g.exit in (1, 2) and "submodule" in g.stderr:
        return qa_judge.Verdict(qa_judge.OK, f"exit {g.exit}: names the submodule")
    first = (errors or g.stderr.strip().splitlines() or ["?"])[0].removeprefix("rustdock: ")
    return qa_judge.Verdict(qa_judge.WRONG if g.exit not in (1,) else qa_judge.MISSING,
                            f"exit {g.exit}: {first[:160]}")


def judge_project(truth: dict, directory: Path, exe: list[str], caps: dict, out: Path,
                  flags: tuple[str, ...] = ()) -> dict:
    """One project's row; `flags` go to every `generate` (`--no-import`: rustdock's own
    detection, without what the project's Dockerfile says)."""
    row: dict = {"name": truth["name"], "shape": truth.get("shape", ""), "cells": {}, "notes": []}
    g, files = generate(directory, [], exe, flags)
    plain = None  # the plain clone's verdict when it stops at a submodule
    full = directory.parent / f"{truth['name']}+submodules"
    if g.exit in (1, 2) and "submodule" in g.stderr and (full / "Cargo.toml").exists():
        # the plain clone stops at the submodule (judged ok in `run`); the other facts are
        # judged on a checkout with its submodules, as a user who ran the fix would have
        plain = run_status(g)
        row["notes"].append(f"plain clone: {plain.cell()}; the facts judged with submodules checked out")
        directory = full
        # the plain clone's verdict covers the submodule: the full checkout has nothing to say
        truth = {**truth, "build_needs": [n for n in truth.get("build_needs", []) if not n.startswith("submodule:")]}
        g, files = generate(directory, [], exe, flags)
    blocked = ""
    fix_sets: list[str] = []  # what the judged plan sets to get past an expected rule error
    one_of = truth.get("features_one_of", [])
    if g.exit == 1 and one_of:
        named = [l for l in g.stderr.splitlines() if "error" in l and any(f in l for f in one_of)]
        if named:
            blocked = named[0].removeprefix("rustdock: ")[:120]
            row["notes"].append(f"default plan stops at a rule error; judged with --set features={one_of[0]}")
            fix_sets = [f"features={one_of[0]}"]
            g, files = generate(directory, fix_sets, exe, flags)
    rust_max = truth.get("rust_max", "")
    if not blocked and g.exit == 1 and rust_max:
        # Its lock pins a crate newer Rust rejects: the default plan must stop and say so;
        # the other facts are judged on the plan its one-key fix gives.
        named = [l for l in g.stderr.splitlines() if "error: rust_version" in l and "Cargo.lock pins" in l]
        if named:
            blocked = named[0].removeprefix("rustdock: ")[:120]
            row["notes"].append(f"default plan stops at a rule error (lock too old for the default Rust); "
                                f"judged with --set rust_version={rust_max}")
            fix_sets = [f"rust_version={rust_max}"]
            g, files = generate(directory, fix_sets, exe, flags)
    row["cells"]["run"] = run_status(g) if not blocked else qa_judge.Verdict(qa_judge.OK, "rule error, as it must")
    if plain is not None and not blocked:
        row["cells"]["run"] = plain
    _save(out, "default" + "".join(flags), files, g.stderr)
    # Whether this default Dockerfile can build on this machine at all, and if not why
    # (the e2e tier's own test: no registry, no rustup download): the build column's "why".
    text = files.get("Dockerfile", "")
    # git dependencies are in the lock, not the Dockerfile: rustdock's own tip says so.
    git = "Cargo.lock fetches crates from git (github.com does not answer here)" \
        if "fetches crates from git" in g.stderr else ""
    reasons = "; ".join(r for r in (why_not_offline_file(text) if text else "", git) if r)
    row["offline"] = (reasons or "buildable here") if text else "no Dockerfile generated"
    if flags:  # the second pass: only the facts
        for key, judge in COLUMNS:
            row["cells"][key] = _judge(key, judge, truth, g, blocked)
        return row
    if caps["frontend"]:
        gb, filesb = generate(directory, ["frontend=builtin"] + fix_sets, exe)
        _save(out, "builtin", filesb, gb.stderr)
        if gb.exit != g.exit:
            row["notes"].append(f"frontend=builtin exits {gb.exit} (default plan {g.exit})")
    for key, judge in COLUMNS:
        row["cells"][key] = _judge(key, judge, truth, g, blocked)
    if g.facts is not None and g.facts.musl and truth.get("musl_ok") is False:
        # the musl verdict hides whether the packages would be right: judge a glibc plan too
        gg, _ = generate(directory, ["libc=glibc"] + fix_sets, exe)
        if gg.facts is not None:
            for key, judge in (("builder pkgs", qa_judge.builder_packages), ("runtime pkgs", qa_judge.runtime_packages)):
                row["notes"].append(f"with --set libc=glibc, {key}: {judge(truth, gg).cell()}")
    row["said"] = [l.removeprefix("rustdock: ") for l in g.stderr.splitlines() if l.startswith("rustdock:")]
    row["check"] = check(truth, directory, exe, caps, out)
    return row


def _judge(key: str, judge, truth: dict, g: qa_judge.Generated, blocked: str) -> qa_judge.Verdict:
    if g.facts is None:
        return qa_judge.Verdict(qa_judge.NA, "no Dockerfile")
    try:
        return judge(truth, g, blocked) if key == "features" else judge(truth, g)
    except Exception as exc:  # the runner's own bug: say so in the cell, keep going
        return qa_judge.Verdict(qa_judge.NA, f"qa runner error: {exc!r}")


def check(truth: dict, directory: Path, exe: list[str], caps: dict, out: Path) -> dict | None:
    upstream = truth.get("upstream_dockerfile", "")
    if not upstream or not caps["check"]:
        return None
    code, stdout, stderr = rustdock(["check", str(directory), "--dockerfile", str(directory / upstream),
                                     "--format", "json"], exe)
    out.mkdir(parents=True, exist_ok=True)
    (out / "check.json").write_text(f"exit {code}\n{stdout}\n{stderr}")
    try:
        findings = json.loads(stdout)["findings"] if stdout.strip() else []
    except (ValueError, KeyError):
        findings = []
    shown = [f for f in findings if f.get("severity") in ("error", "warning")]
    return {"exit": code, "errors": sum(f["severity"] == "error" for f in shown),
            "warnings": sum(f["severity"] == "warning" for f in shown),
            "traceback": "Traceback (most recent call last)" in stderr or "internal error" in stderr,
            "stderr": stderr.strip().splitlines()[-1:] if code == 2 else [],
            "lines": [f"{upstream}:{f.get('line')}: {f['severity']} {f['rule']}: {f['message']}" for f in shown]}


def _save(out: Path, variant: str, files: dict[str, str], stderr: str) -> None:
    target = out / variant
    target.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        dest = target / path.replace("/", "__")
        dest.write_text(content)
    (target / "stderr.txt").write_text(stderr)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="folder holding one checkout per project")
    parser.add_argument("--corpus", type=Path, default=ROOT / "qa" / "corpus.toml")
    parser.add_argument("--builds", type=Path, default=ROOT / "qa" / "builds.toml")
    parser.add_argument("--results", type=Path, default=ROOT / "qa" / "RESULTS.md")
    parser.add_argument("--out", type=Path, default=Path("/tmp/qa/generated"))
    parser.add_argument("--only", default="", help="comma-separated project names")
    parser.add_argument("--no-write", action="store_true", help="print the table instead of writing RESULTS.md")
    parser.add_argument("--import-only", action="store_true", help="skip the --no-import pass (faster)")
    parser.add_argument("--rustdock", default=str(Path(sys.executable).with_name("rustdock")))
    args = parser.parse_args(argv)
    corpus = tomllib.loads(args.corpus.read_text())["project"]
    builds = tomllib.loads(args.builds.read_text()) if args.builds.exists() else {}
    only = {n for n in args.only.split(",") if n}
    exe = [args.rustdock]
    caps = capabilities(exe)
    rows = []
    for truth in corpus:
        directory = args.src / truth["name"] / truth.get("dir", "")
        if (only and truth["name"] not in only) or not (directory / "Cargo.toml").exists():
            continue
        print(f"qa: {truth['name']}", file=sys.stderr)
        out = args.out / truth["name"]
        row = judge_project(truth, directory, exe, caps, out)
        if truth.get("upstream_dockerfile") and not args.import_only:
            # generate starts from the project's own Dockerfile: judge rustdock's detection alone too
            row["own"] = judge_project(truth, directory, exe, caps, out, ("--no-import",))["cells"]
        rows.append(row)
    if not rows:
        print(f"qa: no corpus project found under {args.src}", file=sys.stderr)
        return 2
    # the last commit of rustdock's own code: stays valid when the qa branch is rebased
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s", "--",
                             "wizard", "templates", "screens", "pyproject.toml"],
                            capture_output=True, text=True).stdout.strip()
    text = render(rows, builds, corpus, ["run"] + [key for key, _ in COLUMNS], commit=commit, caps=caps,
                  date=datetime.date.today().isoformat())
    if args.no_write:
        print(text)
    else:
        args.results.write_text(text)
        print(f"qa: wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
