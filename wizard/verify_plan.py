"""What verify reads from the saved plan (rustdock.toml): the expectations, the image's
name and the build flags the Dockerfile's mounts need."""

from __future__ import annotations

import re
from pathlib import Path

from .detect import DetectError, detect
from .needs import needs
from .options import OptionError, option
from . import port_spec
from .plan import Plan, make_plan
from .render_runtime import program_dir
from .verify_checks import Expect


class PlanError(Exception):
    """rustdock.toml or the project cannot be read: one line, exit 2."""


def saved_plan(root: Path) -> Plan | None:
    """The plan rustdock.toml describes, or None when the project has none."""
    try:
        project = detect(root.resolve())
    except DetectError:
        return None  # a Dockerfile without a readable Cargo project: check the image alone
    saved = project.saved_answers or {}
    if not saved:
        return None
    try:
        return make_plan(project, preset_name=saved.get("preset", ""),
                         answers=dict(saved.get("answers", {})))
    except OptionError as err:
        raise PlanError(f"{root / 'rustdock.toml'}: {err}") from None


def tcp_ports(plan: Plan) -> tuple[int, ...]:
    """The plan's TCP ports (verify connects to TCP only; a UDP port cannot be probed)."""
    return port_spec.tcp_ports(plan.choices.get("ports", ()))


def expect_from_plan(plan: Plan | None) -> Expect:
    if plan is None:
        return Expect()
    ports = tcp_ports(plan)
    http_health = plan.healthcheck in {"probe", "wget", "curl"} and bool(ports)
    return Expect(
        uid=int(plan.uid) if plan.user == "nonroot" else 0,
        health_path=str(plan.health_path) if http_health else "",
        health_port=ports[0] if http_health else 0,
        # The directories rustdock made writable: the needs step's, so a plan that runs
        # as root (nothing made) expects nothing.
        writable=tuple(n.path for n in needs(plan).writable),
        init=str(plan.init),
        runtime=str(plan.runtime),
        binary=f"{program_dir(plan)}/{plan.binary}",
    )


def runtime_size(runtime: str) -> str:
    """The runtime option's own size note ("binary + ~23 MB"), "" when unknown."""
    value = option("runtime").value_help(runtime)
    return value.size if value else ""


def image_name(plan: Plan | None, root: Path | None = None) -> str:
    """A valid image name from the binary's name (lower case, [a-z0-9._-])."""
    source = str(plan.binary) if plan is not None else (root.resolve().name if root else "")
    name = re.sub(r"[^a-z0-9._-]+", "-", source.lower()).strip("-._")
    return name or "app"


def build_flags(dockerfile: str, plan: Plan) -> list[str]:
    """--secret/--ssh flags for the mounts the Dockerfile actually uses."""
    flags = []
    for secret in dict.fromkeys(re.findall(r"--mount=type=secret,id=([\w.-]+)", dockerfile)):
        registry = re.sub(r"[^A-Z0-9]", "_", str(plan.registry_name).upper())
        flags.append(f"--secret id={secret},env=CARGO_REGISTRIES_{registry}_TOKEN")
    if "--mount=type=ssh" in dockerfile:
        flags.append("--ssh default")
    return flags


def plan_flags(dockerfile: str, plan: Plan | None) -> list[str]:
    """build_flags as separate arguments for the engine's command line."""
    if plan is None:
        return []
    return [word for flag in build_flags(dockerfile, plan) for word in flag.split(" ", 1)]
