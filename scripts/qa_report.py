"""qa/RESULTS.md: one row per project, a column per fact, totals, then the details."""

from __future__ import annotations

from qa_judge import MISSING, NA, OK, WRONG


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


#: Issue 11's run-side facts: their cells say what was found even when it is right.
SHOW_FOUND = ("binary", "ports", "listen", "runtime files", "writable", "signals")


def _short(verdict, key: str = "") -> str:
    cell = verdict.cell()
    if key in SHOW_FOUND and verdict.status == OK and verdict.detail:
        cell = f"ok: {verdict.detail}"
    return _esc(cell if len(cell) <= 70 else cell[:67] + "...")


def _build_cell(build: dict | None, offline: str = "") -> str:
    if not build or build.get("result") == "not run":
        # Not tried: say whether the default Dockerfile could build here at all, and why not.
        why = (offline or (build or {}).get("class", "")).split("; ")[0]
        return _esc(f"not tried: {why}"[:100] if why else "not tried")
    result = build.get("result", "?")
    if result == "ok":
        return "ok" + (f" ({build['variant']})" if build.get("variant") else "")
    return _esc(f"{result}: {build.get('class', '')}")


def _check_cell(check: dict | None) -> str:
    if check is None:
        return "—"
    if check["traceback"]:
        return "WRONG: internal error"
    return f"exit {check['exit']}: {check['errors']}E {check['warnings']}W"


def _perfect(rows: list[dict], columns: list[str], side: str) -> list[str]:
    """Projects whose every judged fact is right on one side (`own` falls back like
    _counts); a row whose every fact is n/a (no Dockerfile came out) is only unjudged."""
    found = []
    for r in rows:
        cells = {k: r.get(side, r["cells"]).get(k, r["cells"][k]) for k in columns}
        if all(c.status in (OK, NA) for c in cells.values()) and any(
                cells[k].status == OK for k in columns if k != "run"):
            found.append(r["name"])
    return found


def _counts(rows: list[dict], key: str, side: str) -> dict[str, int]:
    """Verdicts per status; `own` falls back to the import run's where there was no second run."""
    cells = [r.get(side, r["cells"]).get(key, r["cells"][key]) for r in rows]
    return {s: sum(1 for c in cells if c.status == s) for s in (OK, WRONG, MISSING, NA)}


def render(rows: list[dict], builds: dict, corpus: list[dict], columns: list[str], *, commit: str,
           caps: dict, date: str) -> str:
    out = [
        "# QA corpus: results",
        "",
        f"Made by `scripts/qa.py` on {date}, rustdock at `{commit}`; {len(rows)} of the "
        f"{len(corpus)} projects in `qa/corpus.toml` were found. The truth per project (with "
        "file:line evidence) is in `qa/corpus.toml`; the upstream Dockerfiles' check and import "
        "in `qa/CHECK.md`. Builds are recorded in `qa/builds.toml` (built by hand "
        "on the machine's Docker daemon against stand-in images; the runner never builds).",
        "",
        "Cells: `ok`, `WRONG: ...` (rustdock chose something false), `missing: ...` (the "
        "project needs something rustdock left out), `n/a`. `run` is `rustdock generate` with "
        "the default plan" + (" (and `--set frontend=builtin`)" if caps.get("frontend") else "")
        + "; `check` is `rustdock check` on the upstream Dockerfile"
        + ("" if caps.get("check") else " (not on main yet)") + ".",
        "",
        "## Totals",
        "",
        "`generate` starts from a project's own Dockerfile when it has one (import); the right-hand "
        "columns judge rustdock's own detection alone (`generate --no-import`), the same as the "
        "left for projects without a Dockerfile.",
        "",
        "| fact | ok | WRONG | missing | n/a | own: ok | WRONG | missing | n/a |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key in columns:
        counts = _counts(rows, key, "cells")
        own = _counts(rows, key, "own") if key != "run" else None
        right = [str(own[s]) for s in (OK, WRONG, MISSING, NA)] if own else [""] * 4
        out.append(f"| {key} | " + " | ".join([str(counts[s]) for s in (OK, WRONG, MISSING, NA)] + right) + " |")
    perfect, perfect_own = _perfect(rows, columns, "cells"), _perfect(rows, columns, "own")
    built = [r["name"] for r in rows if builds.get(r["name"], {}).get("result") == "ok"]
    tried = [r["name"] for r in rows if builds.get(r["name"], {}).get("result") not in (None, "not run")]
    out += [
        "",
        f"Projects with every judged fact right: {len(perfect)} of {len(rows)}"
        + (f" ({', '.join(perfect)})" if perfect else "") + "; "
        f"with `--no-import`: {len(perfect_own)} of {len(rows)}"
        + (f" ({', '.join(perfect_own)})" if perfect_own else "") + ".",
        f"Dockerfiles that build here: {len(built)} of {len(tried)} tried"
        + (" (" + ", ".join(f"{n}: {builds[n].get('variant', 'default')} variant" for n in built) + ")" if built else "")
        + "; the build column says why the others do not, qa/builds.toml why a default plan cannot build here.",
        "",
        "## Per project",
        "",
        "| project | " + " | ".join(columns) + " | check | build |",
        "|---" * (len(columns) + 3) + "|",
    ]
    for r in rows:
        cells = [_short(r["cells"][k], k) for k in columns]
        out.append(f"| {r['name']} | " + " | ".join(cells)
                   + f" | {_check_cell(r['check'])} | {_build_cell(builds.get(r['name']), r.get('offline', ''))} |")
    out += ["", "## Details", ""]
    for r in rows:
        out += [f"### {r['name']}", "", f"{r['shape']}", ""]
        for key in columns:
            verdict = r["cells"][key]
            if verdict.status not in (OK, NA) or (verdict.detail and verdict.status == NA):
                out.append(f"- **{key}**: {_esc(verdict.cell())}")
        for key in columns:
            own = r.get("own", {}).get(key)
            if own is not None and own.cell() != r["cells"][key].cell():
                out.append(f"- {key} with --no-import: {_esc(own.cell())}")
        for note in r["notes"]:
            out.append(f"- note: {_esc(note)}")
        build = builds.get(r["name"])
        if build and build.get("result") != "ok":
            error = f": `{_esc(build['error'])}`" if build.get("error") else ""
            out.append(f"- **build**: {_esc(build.get('result', ''))}: {_esc(build.get('class', ''))}{error}"
                       + (f" ({_esc(build['note'])})" if build.get("note") else ""))
        if r["check"] and r["check"]["stderr"]:
            out.append(f"- **check** exit {r['check']['exit']}: `{_esc(r['check']['stderr'][0][:200])}`")
        if r["check"] and r["check"]["lines"]:
            out.append(f"- check ({r['check']['errors']} errors, {r['check']['warnings']} warnings):")
            out += [f"  - `{_esc(l[:200])}`" for l in r["check"]["lines"][:12]]
        if r["said"]:
            out.append("- rustdock said:")
            out += [f"  - {_esc(l[:220])}" for l in r["said"][:10]]
        out.append("")
    return "\n".join(out)
