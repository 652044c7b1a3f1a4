"""Rules about where the program listens: a listening address on localhost (from the code,
a config file, a framework default, or told so in env/args) that nothing in the image
moves to 0.0.0.0, with the place in the code to change it."""

from __future__ import annotations

import posixpath
import re

from .needs_net import argument_config_path, listen_env
from .plan import Plan
from .rules_base import Findings, env_items, warning

_LOCALHOST = re.compile(r"\b(127\.0\.0\.1|localhost)\b")
#: Where a listening address is given: a --listen/--bind/--host/--addr flag, or an
#: environment key naming a host, address or bind.
_LISTEN_FLAG = re.compile(
    r"(--?(?:listen|bind|host|addr|address|http-addr)[= ]+)(?:127\.0\.0\.1|localhost)\b"
)
_LISTEN_KEY = re.compile(r"HOST|ADDR|BIND|LISTEN")


def _listens_locally(key: str, value: str) -> bool:
    return bool(_LISTEN_KEY.search(key.upper()) and _LOCALHOST.search(value))


def _source_binds_localhost(plan: Plan) -> Findings:
    """The program listens on localhost by default, nothing the image sets moves it, and
    no env or argument of the plan overrides it: say where in the code to change it."""
    listen = plan.project.listen
    overridden = any(_LISTEN_KEY.search(key.upper()) for key, _ in env_items(plan)) or bool(
        re.search(r"--?(?:listen|bind|host|addr|address)\b", plan.args)
    )
    if not listen.localhost or not plan.ports or overridden or listen_env(plan):
        return ()
    where = f" ({listen.where})" if listen.where else ""
    if listen.flag:
        return warning(
            "args",
            f"the program listens on 127.0.0.1 by default{where}, which inside a container only "
            "the container itself can reach: `docker run -p` gets \"connection reset\".",
            f"pass {listen.flag} (args), or bind 0.0.0.0 in the code.",
            args=f"{plan.args} {listen.flag}".strip(),
        )
    return warning(
        "ports",
        f"the program listens on 127.0.0.1 by default{where}, which inside a container only the "
        "container itself can reach: `docker run -p` gets \"connection reset\".",
        f"bind 0.0.0.0 at {listen.where or 'its listening call'} (or read the address from an "
        "environment variable and set it in env).",
    )


def binds_localhost(plan: Plan) -> Findings:
    in_args = bool(_LISTEN_FLAG.search(plan.args))
    in_env = any(_listens_locally(key, value) for key, value in env_items(plan))
    if not in_args and not in_env:
        return _source_binds_localhost(plan)
    fixed_env = tuple(
        f"{key}={_LOCALHOST.sub('0.0.0.0', value)}" if _listens_locally(key, value) else item
        for item, (key, value) in zip(plan.env, env_items(plan))
    )
    return warning(
        "args" if in_args else "env",
        "the program is told to listen on 127.0.0.1, which inside a container only the "
        "container itself can reach.",
        "listen on 0.0.0.0 (docker run -p decides who can connect).",
        **({"args": _LISTEN_FLAG.sub(r"\g<1>0.0.0.0", plan.args)} if in_args else {}),
        **({"env": fixed_env} if in_env else {}),
    )


def config_argument(plan: Plan) -> Findings:
    """The program stops without a config file named on its command line (rathole's
    CONFIG), and the image's command gives none."""
    fact = plan.project.config
    if fact is None or not fact.positional or not fact.required or plan.args.strip():
        return ()
    dest = argument_config_path(fact)
    example = f"; the repository's {fact.source} is an example" if fact.source else ""
    return warning(
        "args",
        f"the program stops at start without a config file named on its command line "
        f"({fact.where}, <{fact.flag}>), and the image passes none.",
        f"set args={dest} and mount yours there (docker run -v ./{posixpath.basename(dest)}:{dest}:ro)"
        f"{example}.",
        args=dest,
    )
