"""The run-side judges: ports, listen address, runtime files, config, writable data, signals."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from qa_facts import Facts
from qa_judge import ANY_ADDR, MISSING, OK, WRONG, Generated, Verdict


def ports(truth: dict, g: Generated) -> Verdict:
    have = set(g.facts.final.expose)
    want = {p if "/" in p else f"{p}/tcp" for p in truth.get("ports", [])}
    short = lambda s: " ".join(sorted(p.removesuffix("/tcp") for p in s))  # noqa: E731
    said = g.facts.final.said.get("EXPOSE", "")
    source = f" [rustdock: {said[:80]}]" if said else ""
    invented, missing = have - want, want - have
    if invented and (not want or truth.get("cli")):
        return Verdict(WRONG, f"EXPOSE {short(invented)}; {truth.get('ports_why', 'no fixed port')}{source}")
    if invented:
        return Verdict(WRONG, f"EXPOSE {short(have)}, the program listens on {short(want)}{source}")
    if missing:
        return Verdict(MISSING, short(missing))
    return Verdict(OK, (short(have) or "none") + source)


def _opens(fix: str, g: Generated) -> bool:
    f = g.facts
    if "=" in fix:
        key = fix.split("=")[0]
        return key in f.final.env and (bool(ANY_ADDR.search(f.final.env[key])) or key == "APP_ENVIRONMENT"
                                        and f.final.env[key] == fix.split("=")[1])
    if fix.startswith("--"):
        cmd = f.command
        return any(w.startswith(fix) and (ANY_ADDR.search(w) or (i + 1 < len(cmd) and ANY_ADDR.search(cmd[i + 1])))
                   for i, w in enumerate(cmd))
    return False


def listen(truth: dict, g: Generated) -> Verdict:
    kind = truth.get("listen", "all")
    loud = g.findings("127.0.0.1", "localhost", "::1", "listen address", "loopback", comments=False)
    if kind in ("all", "config"):
        if loud and (kind == "all" or not any(":" + p.split("/")[0] in loud[0] for p in truth.get("ports", []))):
            return Verdict(WRONG, f"warns about localhost: {loud[0][:100]}")
        return Verdict(OK, kind)
    if kind == "loopback":
        opened = [fix for fix in truth.get("listen_fix", []) if _opens(fix, g)]
        if opened:
            return Verdict(OK, f"loopback, opened by {opened[0]}")
        how = " or ".join(truth.get("listen_fix", []))
        return Verdict(MISSING, f"{'warned only' if loud else 'silent'}; needs {how}")
    return Verdict(OK, "loopback-fixed, warned") if loud else Verdict(MISSING, f"hard-coded loopback, no warning ({truth.get('listen_why', '')[:60]})")


def _runtime_copies(f: Facts) -> list[tuple[str, str]]:
    """(repo path, destination) of what the final stage copies besides the binary."""
    out = []
    for copy in f.final.copies:
        for src in copy["src"]:
            if copy["from"] and (copy["chown"] or not re.match(r"/app/|/build/|/usr/src/", src)):
                continue  # CA bundles, passwd, tini, empty writable dirs: not the project's files
            if copy["from"] and (src.rstrip("/").endswith("/bin") or "/bin/" in src or "target/" in src):
                continue
            rel = re.sub(r"^/(app|build|usr/src/[^/]+)/", "", src) if copy["from"] else src
            out.append((rel.strip("./") or ".", copy["dest"]))
    return out


def runtime_files(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    copied = _runtime_copies(f)
    names = {src.rstrip("/") for src, _ in copied}
    config = (truth.get("config") or {}).get("example", "").rstrip("/")
    want = [p.rstrip("/") for p in truth.get("runtime_files", [])]
    problems = []
    for path in want:
        spot = [dest for src, dest in copied if src.rstrip("/") == path]
        if not spot:
            problems.append((MISSING, f"no {path}"))
        elif not any(dest.rstrip("/") in (str(PurePosixPath(f.final.workdir, path)),) or
                     (dest.endswith("/") and dest.rstrip("/") == f.final.workdir) for dest in spot):
            problems.append((WRONG, f"{path} copied to {spot[0]}, read from {f.final.workdir}/{path}"))
    extra = sorted(n for n in names - set(want) - {config} if n and n != ".")
    if extra:
        problems.append((WRONG, f"ships {' '.join(extra)} (not read at run time)"))
    for path in truth.get("runtime_absent", []):
        if not g.findings(path, "npm"):
            problems.append((MISSING, f"{path} is not in the repo (frontend build): no note"))
    if not problems:
        return Verdict(OK, " ".join(want) or "none needed")
    status = WRONG if any(s == WRONG for s, _ in problems) else MISSING
    return Verdict(status, "; ".join(d for _, d in problems))


def config(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    problems = []
    cfg = truth.get("config") or {}
    if cfg.get("required"):
        path, example = cfg.get("path", ""), cfg.get("example", "")
        dests = {c["dest"].rstrip("/") for c in f.final.copies}
        where = str(PurePosixPath(f.final.workdir, path)) if path and not path.startswith("/") else path
        copied = where in dests or any(where.startswith(d + "/") for d in dests if d != f.final.workdir)
        passed = any(path and path in w for w in f.command)
        said = g.findings(PurePosixPath(path).name or "config", "config file")
        if not (copied or passed or said):
            problems.append(f"needs {path or 'a config argument'} (example {example or 'none'}): not shipped, not mentioned")
    for setting in truth.get("required_env", []):
        key = setting.split()[0]
        if key not in f.final.env and not g.findings(key):
            problems.append(f"{key} unmentioned")
    return Verdict(MISSING, "; ".join(problems)) if problems else Verdict(OK)


def _owned(path: str, f: Facts) -> bool:
    target = PurePosixPath(f.final.workdir, path)
    for copy in f.final.copies:
        if copy["chown"]:
            dest = PurePosixPath(copy["dest"])
            if target == dest or dest in target.parents:
                return True
    for run in f.final.runs:
        if "chown" in run and (str(target) in run or f" {path}" in run):
            return True
    return False


def writable(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    want = truth.get("writable", [])
    if not want:
        return Verdict(OK, "nothing written")
    user = f.final.user.split(":")[0]
    if user in ("", "0", "root"):
        return Verdict(OK, "runs as root")
    missing = []
    for path in want:
        if path.startswith(("~", "$")):
            if not ("distroless" in f.final.base or "chainguard" in f.final.base) or user != "65532":
                missing.append(f"{path} (home of uid {user})")
        elif not _owned(path, f):
            missing.append(f"{path} under {f.final.workdir} not writable by uid {user}")
    return Verdict(MISSING, "; ".join(missing)) if missing else Verdict(OK, " ".join(want))


def signals(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    init = any(w.endswith(("tini", "dumb-init")) for w in f.final.entrypoint)
    warned = g.findings("SIGTERM", "--init", "init=", comments=False)
    kind = truth.get("signals", "handles")
    if kind == "handles" or truth.get("cli"):
        if warned and not truth.get("cli"):
            return Verdict(WRONG, f"false warning: {warned[0][:90]}")
        return Verdict(OK, "tini" if init else "")
    if init or (kind == "sigint-only" and f.final.stopsignal.upper() in ("SIGINT", "INT", "2")):
        return Verdict(OK, "tini" if init else "STOPSIGNAL SIGINT")
    if warned:
        return Verdict(OK, "warned (docker run --init)")
    return Verdict(MISSING, f"{kind}: no init, no STOPSIGNAL, no warning")
