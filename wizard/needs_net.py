"""What the running image needs to be reachable and configured: the variables that move
a localhost listener to 0.0.0.0 (detect_listen found them), with their reasons."""

from __future__ import annotations

import posixpath

from .code_net import LOOPBACK
from .detect_config import config_mount
from .net_facts import ConfigFact, EnvSetting, Setting
from .net_table import FRAMEWORK_LISTEN
from .need import Need, Needs_
from .plan import Plan
from .quoting import quote
from .rules_base import env_items


def listen_env(plan: Plan) -> Needs_:
    """ENV lines that make a program listening on localhost by default listen on every
    interface; a variable the env option already sets is left to it."""
    listen = plan.project.listen
    settings = listen.env if listen.localhost else _unshipped_config(plan)
    taken = {key for key, _ in env_items(plan)}
    return tuple(Need(f"{s.name}={quote(s.value)}", s.reason) for s in settings if s.name not in taken)


def _unshipped_config(plan: Plan) -> tuple[EnvSetting, ...]:
    """A config file moves the address off localhost (Rocket.toml's `address`), but the
    image does not carry it: the framework's default applies again, so its variable."""
    where = plan.project.listen.where.rsplit(":", 1)[0]
    if not where or "/" not in where and "." not in where or where.endswith(".rs"):
        return ()
    shipped = {p.strip("./").rstrip("/") for p in plan.extra_files}
    if any(where == p or where.startswith(p + "/") for p in shipped):
        return ()
    for name in plan.project.frameworks:
        default_port, address, var, value = FRAMEWORK_LISTEN.get(name, (0, "", "", ""))
        if var and address in LOOPBACK:
            return (EnvSetting(var, value.format(port=plan.port or default_port),
                               f"{where} moves {name} off {address}, but the image does not carry "
                               f"it: {var} does"),)
    return ()


def config_copy(plan: Plan) -> Needs_:
    """The config file copied where the program looks ("SOURCE DEST", DEST under /app),
    unless extra_files already copies it there."""
    fact = plan.project.config
    if fact is None or not fact.path or not fact.source or plan.choices.get("config_file") != "copy":
        return ()
    dest = config_mount(fact)
    shipped = {p.strip().removeprefix("./").rstrip("/") for p in plan.extra_files}
    if any(fact.source == dest.removeprefix("/app/") and (fact.source == p or fact.source.startswith(p + "/"))
           for p in shipped):
        return ()  # extra_files copies it to the same place
    names = " or ".join(n for n in (fact.env, fact.flag) if n)
    how = f" (or the file {names} names)" if names else ""
    return (Need(f"{fact.source} {dest}",
                 f"{fact.where} reads {fact.path} at start{how}: the repository's {fact.source}, "
                 "where it looks"),)


def config_notes(plan: Plan) -> tuple[str, ...]:
    """Comments for the Dockerfile: where to mount the config file, what the program
    cannot start without."""
    notes = []
    fact = plan.project.config
    if fact is not None and fact.path and plan.choices.get("config_file") == "mount":
        dest = config_mount(fact)
        other = f"; {fact.env or fact.flag} can name another path" if fact.env or fact.flag else ""
        notes.append(f"{fact.where} reads {fact.path} at start{' and stops without it' if fact.required else ''}: "
                     f"mount yours, docker run -v ./{posixpath.basename(fact.path)}:{dest}:ro{other}.")
    if fact is not None and fact.positional and fact.required:
        given = plan.args.split()[0] if plan.args.strip().startswith("/") else ""
        dest = given or argument_config_path(fact)
        example = f" ({fact.source} is an example)" if fact.source else ""
        notes.append(f"{fact.where} reads the config file its argument names and stops without one: "
                     f"mount yours where args points, docker run -v ./{posixpath.basename(dest)}:{dest}:ro"
                     f"{example}.")
    missing = required(plan)
    if missing:
        notes.append("The program stops without these settings; pass them with docker run -e: "
                     + ", ".join(f"{s.name} ({s.where})" for s in missing) + ".")
    return tuple(notes)


def argument_config_path(fact: ConfigFact) -> str:
    """Where the image expects a config file given as the program's argument."""
    suffix = posixpath.splitext(fact.source)[1] or ".toml"
    return f"/app/config{suffix}"


def required(plan: Plan) -> tuple[Setting, ...]:
    """Settings the program cannot start without that the image does not set."""
    taken = {key for key, _ in env_items(plan)}
    return tuple(s for s in plan.project.required_settings if s.name not in taken)
