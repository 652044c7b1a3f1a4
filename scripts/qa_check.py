#!/usr/bin/env python3
"""Check and import the corpus projects' own Dockerfiles; write qa/CHECK.md.

    python scripts/qa_check.py --src /tmp/qa/src             every corpus project with one
    python scripts/qa_check.py --src DIR --only dufs --no-write

For each project whose `upstream_dockerfile` is set in qa/corpus.toml: a copy of the checkout
(in --work, never the checkout itself) gets that file as its root Dockerfile, then
`rustdock check --format json` (findings, what import reads, what it leaves over) and
`rustdock generate -v` (the import as a user gets it) run on it. Whether each finding is
true is judged by hand, reading their Dockerfile, and kept in qa/check_review.toml.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from qa import rustdock  # noqa: E402

ROOT = HERE.parent
TRACE = ("Traceback (most recent call last)", "internal error")


def prepare(src: Path, upstream: str, work: Path) -> Path:
    """A copy of the checkout whose root Dockerfile is the upstream one."""
    if work.exists():
        shutil.rmtree(work)
    # .git too: a user's checkout has it, and build-script checks look for it
    shutil.copytree(src, work, symlinks=True, ignore=shutil.ignore_patterns("target"))
    if upstream != "Dockerfile":
        target = work / "Dockerfile"
        if target.exists() or target.is_symlink():
            target.unlink()
        shutil.copyfile(src / upstream, target)  # follows a symlink: its text is what counts
    return work


def run_one(truth: dict, src: Path, work: Path, exe: list[str]) -> dict:
    upstream = truth["upstream_dockerfile"]
    root = prepare(src, upstream, work)
    code, out, err = rustdock(["check", str(root), "--format", "json"], exe)
    row = {"name": truth["name"], "file": upstream, "check_exit": code,
           "traceback": any(t in err for t in TRACE), "check_err": err.strip().splitlines()[-1:]}
    try:
        data = json.loads(out) if out.strip() else {}
    except ValueError:
        data = {}
    row["findings"] = [f for f in data.get("findings", []) if f.get("severity") in ("error", "warning")]
    row["tips"] = [f for f in data.get("findings", []) if f.get("severity") not in ("error", "warning")]
    row["imported"] = data.get("imported", {})
    row["left_over"] = data.get("left_over", [])
    gcode, _, gerr = rustdock(["generate", str(root), "-v"], exe)
    row["generate_exit"] = gcode
    row["traceback"] = row["traceback"] or any(t in gerr for t in TRACE)
    row["generate_said"], row["generate_errors"] = import_said(gerr)
    return row


#: What `generate -v` says about the import (cli.py): where it started, what it read,
#: changed, replaced (a --set over an imported choice) and left out.
IMPORT_WORDS = ("starting from", "from your", "changed", "replaced", "not carried")


def import_said(stderr: str) -> tuple[list[str], list[str]]:
    """(lines about the import, error lines) of generate's stderr."""
    lines = [l.removeprefix("rustdock:").strip() for l in stderr.splitlines() if l.startswith("rustdock:")]
    return [l for l in lines if l.startswith(IMPORT_WORDS)], [l for l in lines if l.startswith("error")]


def _esc(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _verdict(review: dict, name: str, finding: dict) -> tuple[str, str]:
    for item in review.get(name, []):
        if item["rule"] == finding["rule"] and item.get("line", finding.get("line")) == finding.get("line"):
            return item["verdict"], item.get("why", "")
    return "", ""


def _fixed(review: dict, rows: list[dict]) -> list[tuple[str, dict]]:
    """False findings judged earlier that no longer appear (fixed since)."""
    seen = {(r["name"], f["rule"], f.get("line")) for r in rows for f in r["findings"]}
    names = {r["name"] for r in rows}
    return [(n, item) for n, items in review.items() if n in names for item in items
            if isinstance(item, dict) and item.get("verdict") == "FALSE" and item.get("state", "").startswith("fixed")
            and (n, item["rule"], item.get("line")) not in seen]


def _state(review: dict, name: str, finding: dict) -> str:
    for item in review.get(name, []):
        if item["rule"] == finding["rule"] and item.get("line") == finding.get("line"):
            return item.get("state", "left")
    return "left"


def render(rows: list[dict], review: dict, commit: str, date: str) -> str:
    out = [
        "# QA corpus: upstream Dockerfiles checked and imported",
        "",
        f"Made by `scripts/qa_check.py` on {date}, rustdock at `{commit}`: {len(rows)} real Rust projects' own "
        "Dockerfiles (listed in `qa/corpus.toml`, fetched, never committed), each as the root "
        "Dockerfile of a copy of the project: `rustdock check --format json` (findings, what import "
        "reads, what is left over) and `rustdock generate -v` (the import a user gets). Whether a "
        "finding is true was judged by reading their Dockerfile (`qa/check_review.toml`): `true`, "
        "`FALSE` (rustdock is wrong), `debatable`; unjudged findings show `?`.",
        "",
        "## Summary",
        "",
    ]
    n_trace = sum(r["traceback"] for r in rows)
    n_find = sum(len(r["findings"]) for r in rows)
    judged = [(r["name"], f, _verdict(review, r["name"], f)[0]) for r in rows for f in r["findings"]]
    false = [(n, f) for n, f, v in judged if v == "FALSE"]
    out += [
        f"- Dockerfiles: {len(rows)}; tracebacks: {n_trace}; `check` exit 0/1/2: "
        + "/".join(str(sum(r['check_exit'] == c for r in rows)) for c in (0, 1, 2))
        + f"; `generate` exit 0/1/2: " + "/".join(str(sum(r['generate_exit'] == c for r in rows)) for c in (0, 1, 2)) + ".",
        f"- Findings (errors and warnings): {n_find}; judged true {sum(v == 'true' for *_, v in judged)}, "
        f"FALSE {len(false)}, debatable {sum(v == 'debatable' for *_, v in judged)}, unjudged {sum(v == '' for *_, v in judged)}.",
        f"- Choices imported: {sum(len(r['imported']) for r in rows)}; lines left over: {sum(len(r['left_over']) for r in rows)}.",
        "",
        "## False findings",
        "",
        "| project | finding | why it is false | state |",
        "|---|---|---|---|",
        *[f"| {n} | {f['rule']}:{f.get('line')} | {_esc(_verdict(review, n, f)[1])} | {_esc(_state(review, n, f))} |"
          for n, f in false],
        *[f"| {n} | {item['rule']}:{item.get('line')} | {_esc(item.get('why', ''))} | {_esc(item['state'])} |"
          for n, item in _fixed(review, rows)],
        "",
        "## Per project",
        "",
        "| project | Dockerfile | check | imported (choices) | left over | errors / warnings (rule ids) | false | generate |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        imported = ", ".join(f"{k}={v}" for k, v in r["imported"].items()) or "nothing"
        rules = ", ".join(f"{'E' if f['severity'] == 'error' else 'W'} {f['rule']}:{f.get('line')}" for f in r["findings"]) or "none"
        wrong = [f"{f['rule']}:{f.get('line')}" for f in r["findings"] if _verdict(review, r["name"], f)[0] == "FALSE"]
        gen = f"exit {r['generate_exit']}" + (" TRACEBACK" if r["traceback"] else "")
        out.append(f"| {r['name']} | `{r['file']}` | exit {r['check_exit']} | {_esc(imported)} | {len(r['left_over'])} "
                   f"| {_esc(rules)} | {_esc(', '.join(wrong) or '—')} | {gen} |")
    out += ["", "## Details", ""]
    for r in rows:
        out += [f"### {r['name']} (`{r['file']}`)", ""]
        if r["check_err"] and r["check_exit"] == 2:
            out.append(f"- check exit 2: `{_esc(r['check_err'][0][:200])}`")
        if r["imported"]:
            out.append("- imported: " + _esc(", ".join(f"{k}={v}" for k, v in r["imported"].items())))
        for item in r["left_over"]:
            out.append(f"- left over, line {item.get('line')}: `{_esc(item.get('text', '')[:120])}` ({_esc(item.get('why', ''))})")
        for f in r["findings"]:
            verdict, why = _verdict(review, r["name"], f)
            out.append(f"- line {f.get('line')}: {f['severity']} {f['rule']}: {_esc(f['message'][:220])} "
                       f"— **{verdict or '?'}**" + (f": {_esc(why)}" if why else ""))
        for line in r["generate_said"]:
            out.append(f"- generate: {_esc(line[:240])}")
        for line in r["generate_errors"]:
            out.append(f"- generate {_esc(line[:240])}")
        for item in review.get("notes", {}).get(r["name"], []):
            out.append(f"- note: {_esc(item)}")
        out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="folder holding one checkout per project")
    parser.add_argument("--work", type=Path, default=Path("/tmp/qa/import"), help="where the copies go")
    parser.add_argument("--corpus", type=Path, default=ROOT / "qa" / "corpus.toml")
    parser.add_argument("--review", type=Path, default=ROOT / "qa" / "check_review.toml")
    parser.add_argument("--out", type=Path, default=ROOT / "qa" / "CHECK.md")
    parser.add_argument("--json", type=Path, default=Path("/tmp/qa/check.json"), help="raw results")
    parser.add_argument("--from-json", action="store_true", help="render --json again (after judging), run nothing")
    parser.add_argument("--only", default="")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--rustdock", default=str(Path(sys.executable).with_name("rustdock")))
    args = parser.parse_args(argv)
    corpus = tomllib.loads(args.corpus.read_text())["project"]
    review = tomllib.loads(args.review.read_text()) if args.review.exists() else {}
    only = {n for n in args.only.split(",") if n}
    rows = json.loads(args.json.read_text()) if args.from_json else []
    for truth in [] if args.from_json else corpus:
        upstream = truth.get("upstream_dockerfile", "")
        name = truth["name"]
        src = args.src / f"{name}+submodules"
        src = src if src.is_dir() else args.src / name
        if not upstream or (only and name not in only) or not (src / upstream).exists():
            continue
        print(f"qa_check: {name}", file=sys.stderr)
        rows.append(run_one(truth, src, args.work / name, [args.rustdock]))
    if not rows:
        print(f"qa_check: no corpus Dockerfile found under {args.src}", file=sys.stderr)
        return 2
    if not args.from_json:
        args.json.write_text(json.dumps(rows, indent=1))
    # the last commit of rustdock's own code: stays valid when the qa branch is rebased
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s", "--",
                             "wizard", "templates", "screens", "pyproject.toml"],
                            capture_output=True, text=True).stdout.strip()
    text = render(rows, review, commit, datetime.date.today().isoformat())
    if args.no_write:
        print(text)
    else:
        args.out.write_text(text + "\n")
        print(f"qa_check: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
