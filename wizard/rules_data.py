"""Rules about what the running program needs from its container: directories it can
write, and a way to stop it (signals). Facts come from code_writes.py and
code_signals.py; the plan's answers are the `writable` and `init` options."""

from __future__ import annotations

from .code_writes import top_dirs
from .plan import Plan
from .rules_base import Findings, tip, warning

#: What each init choice is, for messages.
_INIT_WORDS = {"none": "no init", "tini": "tini", "sigint": "STOPSIGNAL SIGINT"}


def _covered(path: str, writable: tuple[str, ...]) -> bool:
    """Whether one of the writable option's directories covers a directory the code writes."""
    for given in writable:
        rel = given.strip().removeprefix("./").rstrip("/") or "."
        if rel == "/app":
            rel = "."
        elif rel.startswith("/app/"):
            rel = rel.removeprefix("/app/")
        if rel == "." or path == rel or path.startswith(rel + "/"):
            return True
    return False


def writes_not_writable(plan: Plan) -> Findings:
    """The code writes under the working directory, but the plan leaves it root's."""
    if plan.user == "root":
        return ()
    project = plan.project
    reasons = dict(project.writes)
    missing = [path for path in top_dirs(reasons) if not _covered(path, tuple(plan.writable))]
    if not missing:
        return ()
    where = "; ".join(f"{'/app' if p == '.' else p + '/'} ({reasons.get(p, '').split(';')[0]})"
                      for p in missing)
    make = warning if project.serves else tip
    return make(
        "writable",
        f"the program writes {where}, which belongs to root in the image: a non-root "
        f"program fails there with \"Permission denied\".",
        f"set writable={','.join(missing)} (an empty directory owned by uid {plan.uid}), "
        "or pass a writable path at run time.",
        writable=tuple(dict.fromkeys([*plan.writable, *missing])),
    )


def pid1_signals(plan: Plan) -> Findings:
    """As PID 1 a program ignores signals it has no handler for: docker stop waits 10 s."""
    project = plan.project
    if plan.init == "none" and project.sigint_only:
        return warning(
            "init",
            f"the program handles only Ctrl-C's SIGINT ({project.signals_why}); as PID 1 it "
            "ignores docker stop's SIGTERM, so every stop waits 10 s and kills it.",
            "set init=sigint (STOPSIGNAL SIGINT, its own graceful stop), or handle SIGTERM too.",
            init="sigint",
        )
    if plan.init != "none" or project.handles_signals:
        return ()
    # A server runs until stopped, so every deploy waits out the 10 s; a command-line
    # tool usually exits by itself, and only long-running jobs care.
    make = warning if project.serves else tip
    who = "the server" if project.serves else "if it runs long (a worker, a daemon), the program"
    return make(
        "init",
        f"as PID 1 {who} ignores SIGTERM ({project.signals_why or 'no handler found'}), "
        "so `docker stop` waits 10 s and kills it.",
        "set init=tini (or run it with `docker run --init`), or handle SIGTERM "
        "(tokio::signal, signal-hook).",
        init="tini",
    )


def init_misses_signal(plan: Plan) -> Findings:
    """An init choice that does not fit what the program handles."""
    project = plan.project
    if plan.init == "tini" and project.sigint_only:
        return tip(
            "init",
            "tini passes SIGTERM on to a program that handles only SIGINT: it is killed at "
            "once, skipping its Ctrl-C shutdown.",
            "set init=sigint so docker stop sends the signal it handles.",
            init="sigint",
        )
    if plan.init == "sigint" and not project.sigint_only and not project.handles_signals:
        return warning(
            "init",
            "STOPSIGNAL SIGINT, but no SIGINT handler was found: as PID 1 the program "
            "ignores it too, so `docker stop` waits 10 s and kills it.",
            "set init=tini.",
            init="tini",
        )
    return ()
