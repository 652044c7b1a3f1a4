"""What the running image needs: files, writable paths, ports and environment.

The run-time half of the needs step. Each function is a Plan -> Needs_ hook that needs.py
calls; detection of ports, listen addresses, writable data and config files fills them.
"""

from __future__ import annotations

from . import needs_net
from .need import Need, Needs_
from .plan import Plan
from .quoting import quote


#: The reason of the env option's own entries (the others get a comment in the Dockerfile).
ENV_OPTION = "the env option"
def split_entry(entry: str) -> tuple[str, str]:
    """An extra_files entry as (path in the project, path relative to the working
    directory): "templates" is ("templates", "templates"), "web/templates:templates" moves it."""
    source, _, dest = entry.strip().partition(":")
    source = source.strip().removeprefix("./").rstrip("/")
    dest = dest.strip().removeprefix("./").rstrip("/")
    return source, dest or source


def runtime_files(plan: Plan) -> Needs_:
    """Files and directories copied into the working directory, where the program reads
    them (option extra_files), each with the code that reads it when detect found it."""
    project = plan.project
    why = {r.source: r.reason for r in project.runtime_reads}
    found = []
    for entry in plan.extra_files:
        source, dest = split_entry(entry)
        slash = "/" if (project.root / source).is_dir() else ""
        reason = why.get(source, "extra_files: the program reads it at run time")
        found.append(Need(source + slash, reason, dest=dest + slash))
    return tuple(found)


#: The program's working directory in the image (the runtime stage's WORKDIR).
WORKDIR = "/app"


def image_path(path: str) -> str:
    """Where a writable option's path lives in the image: relative ones under WORKDIR."""
    path = path.strip().rstrip("/") or "."
    if path.startswith("/"):
        return path
    rel = path.removeprefix("./")
    return WORKDIR if rel in {"", "."} else f"{WORKDIR}/{rel}"


def config_files(plan: Plan) -> Needs_:
    """The config file the program reads at start, copied where it looks (needs_net)."""
    return needs_net.config_copy(plan)


def writable(plan: Plan) -> Needs_:
    """Directories the program's user must be able to write ("/app/data/"), each with the
    places in the code that write there; none when the program runs as root."""
    if plan.user == "root":
        return ()
    found = dict(plan.project.writes)
    result = []
    for path in plan.writable:
        rel = path.strip().removeprefix("./").rstrip("/") or "."
        why = [reason for written, reason in found.items()
               if written == rel or rel == "." or written.startswith(rel + "/")]
        reason = "; ".join(why) if why else "the writable option"
        result.append(Need(image_path(path) + "/", reason))
    return tuple(result)


def ports(plan: Plan) -> Needs_:
    """Ports the image EXPOSEs, "/udp" on UDP ones, each with where it was found."""
    found = {p.spec: p.source for p in plan.project.ports}
    return tuple(Need(spec, f"the ports option: {found.get(spec) or 'the program listens there'}")
                 for spec in plan.ports)


def env(plan: Plan) -> Needs_:
    """The runtime ENV, as KEY=VALUE with the value quoted for a Dockerfile: what the
    program needs to be reachable (needs_net), then the env option."""
    result = list(needs_net.listen_env(plan))
    for item in plan.env:
        key, _, value = item.partition("=")
        result.append(Need(f"{key}={quote(value) if value else chr(34) * 2}",
                           ENV_OPTION))
    return tuple(result)
