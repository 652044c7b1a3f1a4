"""Whether a program listens on localhost by default, and what moves it to 0.0.0.0.

The first place that gives an address decides: a clap argument's default (its `env`
moves it), an env var read with a loopback fallback, the default config file (a config
layer's variable moves it: config-rs `SERVER__ADDRESS`, figment/envy prefixes), a
listening call in the code, and last the framework (Rocket's ROCKET_ADDRESS, ...)."""

from __future__ import annotations

from pathlib import Path

from . import code_net
from .cargo_sources import Sources
from .detect_ports import config_settings
from .net_facts import EnvSetting, ListenFact
from .net_table import ADDRESS_KEY, FRAMEWORK_LISTEN, NOT_LISTEN_ARG, outbound

ANY = "0.0.0.0"


def _moved(value: str) -> str:
    """The same address on every interface: "127.0.0.1:8080" -> "0.0.0.0:8080"."""
    host, port = code_net.split_address(value)
    if port and host:
        return f"{ANY}:{port}" if "[" not in host and host != "::1" else f"[::]:{port}"
    return ANY


def _is_loopback(value: str) -> bool:
    host, _ = code_net.split_address(value)
    return host in code_net.LOOPBACK or value.strip() in code_net.LOOPBACK


def _from_args(sources: Sources, own: str) -> ListenFact | None:
    for arg in code_net.args(sources):
        if (not code_net.NET_ARG.search(arg.name) or outbound(arg.name, own) or not arg.default
                or NOT_LISTEN_ARG.search(arg.name)):
            continue
        host, _ = code_net.split_address(arg.default)
        if not host and arg.default not in code_net.LOOPBACK:
            continue  # a bare port: no address here
        if not _is_loopback(arg.default):
            return ListenFact(False, arg.where)
        env = ()
        if arg.env:
            env = (EnvSetting(arg.env, _moved(arg.default),
                              f"--{arg.long or arg.name} (default {arg.default}, {arg.where}) reads "
                              f"{arg.env}: listen on every interface so -p reaches it"),)
        flag = f"--{arg.long} {_moved(arg.default)}" if arg.long else ""
        return ListenFact(True, arg.where, env, flag)
    return None


def _from_env_reads(sources: Sources) -> ListenFact | None:
    for found in code_net.env_addresses(sources):
        if _is_loopback(found.value):
            return ListenFact(True, found.where, (EnvSetting(
                found.extra, _moved(found.value),
                f"{found.where} reads {found.extra} (default {found.value}): listen on every "
                "interface so -p reaches it"),))
        if code_net.split_address(found.value)[0] or found.value == ANY:
            return ListenFact(False, found.where)
    return None


def _from_config(root: Path, files: tuple[str, ...], sources: Sources, own: str) -> ListenFact | None:
    layers = code_net.config_layers(sources)
    for rel, found in config_settings(root, files, sources):
        for key, value, line in found:
            last = key.rsplit(".", 1)[-1]
            if not ADDRESS_KEY.search(last) or outbound(key, own):
                continue
            if not _is_loopback(value):
                if value == ANY or code_net.split_address(value)[0]:
                    return ListenFact(False, f"{rel}:{line}")
                continue
            where = f"{rel}:{line}"
            env = tuple(
                EnvSetting(var, _moved(value),
                           f"{layer.crate} ({layer.where}) maps {var} onto {key}, which {where} sets "
                           f"to {value}: listen on every interface so -p reaches it")
                for layer in layers[:1] if (var := layer.var(key))
            )
            return ListenFact(True, where, env)
    return None


def _from_code(sources: Sources) -> ListenFact | None:
    for found in code_net.listen_literals(sources):
        return ListenFact(_is_loopback(found.value), found.where)
    return None


def _from_framework(frameworks: tuple[str, ...], port: int, rocket_address: str) -> ListenFact:
    for name in frameworks:
        default_port, address, var, value = FRAMEWORK_LISTEN.get(name, (0, "", "", ""))
        if name == "rocket" and rocket_address:
            address = rocket_address  # Rocket.toml's address, when it sets one
        if address in code_net.LOOPBACK:
            env = (EnvSetting(var, value.format(port=port or default_port),
                              f"{name} listens on {address} by default: {var} moves it to every "
                              "interface so -p reaches it"),) if var else ()
            return ListenFact(True, f"{name} default", env)
    return ListenFact()


def detect_listen(root: Path, files: tuple[str, ...], sources: Sources, frameworks: tuple[str, ...],
                  port: int = 0, rocket_address: str = "", own: str = "") -> ListenFact:
    framework = _from_framework(frameworks, port, rocket_address)
    for found in (_from_args(sources, own), _from_env_reads(sources), _from_config(root, files, sources, own),
                  _from_code(sources)):
        if found is not None:
            if found.localhost and not found.env and not found.flag and framework.env:
                # The framework's own variable still moves it (ROCKET_ADDRESS over Rocket.toml).
                return ListenFact(True, found.where, framework.env, found.flag)
            return found
    return framework
