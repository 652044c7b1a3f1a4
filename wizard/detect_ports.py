"""The ports a program listens on, each with where it was found.

In order, the first that finds any wins: the default config files the repository ships
(yaml/toml/json at the root and under config/), clap/structopt `default_value`s of
port/address arguments, listening calls and port constants in the code, and last the
framework's default. Test code never counts (cargo_sources blanks it; tests/, benches/
and examples/ are never read)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from . import code_net
from .cargo_manifest import join
from .cargo_sources import Sources
from .config_text import Setting, settings
from .net_facts import PortFact
from .net_table import (
    ADDRESS_KEY,
    CONFIG_DIRS,
    CONFIG_SUFFIXES,
    DEFAULT_CONFIG_NAMES,
    FRAMEWORK_LISTEN,
    NOT_LISTEN_ARG,
    NOT_PROGRAM_CONFIG,
    outbound,
    PORT_KEY,
    TEST_WORDS,
)

MAX_CONFIG_FILES = 12


def _rank(rel: str) -> tuple[int, str]:
    stem = Path(rel).stem.lower()
    base = re.split(r"[._-]", stem)[0]
    best = DEFAULT_CONFIG_NAMES.index(base) if base in DEFAULT_CONFIG_NAMES else len(DEFAULT_CONFIG_NAMES)
    return best, rel


def config_files(root: Path, bases: list[str]) -> tuple[str, ...]:
    """Configuration files the repository ships for the program, relative to the root,
    default ones first: *.toml/yaml/json at each base and in its config/ (or conf/, etc/)
    directory, never tools' files, test or CI configs."""
    found: dict[str, None] = {}
    for base in dict.fromkeys(bases):
        for sub in CONFIG_DIRS:
            folder = root / base / sub
            if not folder.is_dir():
                continue
            try:
                names = sorted(p.name for p in folder.iterdir() if p.is_file())
            except OSError:
                continue
            for name in names:
                stem, suffix = Path(name).stem, Path(name).suffix.lower()
                if suffix not in CONFIG_SUFFIXES or NOT_PROGRAM_CONFIG.match(stem):
                    continue
                if TEST_WORDS.search(stem) or (not sub and stem.startswith(".")):
                    continue
                found[join(join(base, sub) if sub else base, name)] = None
    return tuple(sorted(found, key=_rank)[:MAX_CONFIG_FILES])


def _disabled(path: str, values: dict[str, str]) -> bool:
    """A setting inside a section switched off (`cluster.enabled: false`)."""
    parts = path.split(".")
    return any(values.get(".".join(parts[:i] + [word])) == "false" for i in range(1, len(parts))
               for word in ("enabled", "enable"))


def setting_ports(rel: str, found: list[Setting], own: str = "") -> list[PortFact]:
    """Ports a config file sets for the program to listen on."""
    values = {k: v for k, v, _ in found}
    ports = []
    for key, value, line in found:
        last = key.rsplit(".", 1)[-1]
        if outbound(key, own) or _disabled(key, values):
            continue
        number = 0
        if PORT_KEY.match(last) and value.split("/")[0].isdigit():
            number = int(value.split("/")[0])
        elif ADDRESS_KEY.search(last) and ":" in value:  # "0.0.0.0:8080", never a bare count
            number = code_net.split_address(value)[1]
        if 0 < number < 65536:
            proto = "udp" if "udp" in key.lower() or value.endswith("/udp") else "tcp"
            ports.append(PortFact(number, proto, f"{rel}:{line}"))
    return ports


def _from_config(root: Path, files: tuple[str, ...], sources: Sources, own: str) -> list[PortFact]:
    """The first (default) file that sets ports speaks for the program, then the defaults
    the code gives its settings (config-rs set_default)."""
    for rel, found in config_settings(root, files, sources):
        ports = setting_ports(rel, found, own)
        if ports:
            return ports
    return []


def config_settings(root: Path, files: tuple[str, ...], sources: Sources) -> Iterator[tuple[str, list[Setting]]]:
    """(where, settings) of each config file, then of each source file that sets defaults."""
    for rel in files:
        yield rel, settings(root / rel)
    for path, rows in code_net.code_defaults(sources):
        yield path, list(rows)


def _arg_proto(name: str) -> str:
    return "udp" if "udp" in name.lower() else "tcp"


def _from_args(args: tuple[code_net.Arg, ...], own: str) -> list[PortFact]:
    ports = []
    for arg in args:
        if (not code_net.NET_ARG.search(arg.name) or outbound(arg.name, own) or not arg.default
                or NOT_LISTEN_ARG.search(arg.name)):
            continue
        _, number = code_net.split_address(arg.default)
        if 0 < number < 65536:
            ports.append(PortFact(number, _arg_proto(arg.name), f"{arg.where} clap default"))
    return ports


def _from_code(sources: Sources, skip: set[str], own: str) -> list[PortFact]:
    ports = []
    for found in code_net.listen_literals(sources):
        _, number = code_net.split_address(found.value)
        if found.where not in skip and 0 < number < 65536:
            ports.append(PortFact(number, found.extra, found.where))
    for found in code_net.port_constants(sources):
        if not outbound(found.extra, own) and not NOT_LISTEN_ARG.search(found.extra) and 0 < int(found.value) < 65536:
            ports.append(PortFact(int(found.value), _arg_proto(found.extra), f"{found.where} {found.extra}"))
    return ports


def _unique(ports: list[PortFact]) -> tuple[PortFact, ...]:
    seen: dict[tuple[int, str], PortFact] = {}
    for port in ports:
        seen.setdefault((port.number, port.proto), port)
    return tuple(seen.values())


def detect_ports(root: Path, files: tuple[str, ...], sources: Sources, frameworks: tuple[str, ...],
                 rocket_port: int = 0, own: str = "") -> tuple[PortFact, ...]:
    """The program's ports, the primary (first TCP) one first. `own`: the program's names
    (net_table.own_words), whose words are never outbound."""
    args = code_net.args(sources)
    arg_places = {a.where for a in args}
    for found in (
        _from_config(root, files, sources, own),
        [PortFact(rocket_port, "tcp", "Rocket.toml")] if rocket_port else [],
        _from_args(args, own),
        _from_code(sources, arg_places, own),
    ):
        if found:
            ports = _unique(found)
            return tuple(sorted(ports, key=lambda p: p.proto != "tcp"))  # stable: TCP first
    framework = next((f for f in frameworks if FRAMEWORK_LISTEN.get(f, (0,))[0]), "")
    if framework:
        return (PortFact(FRAMEWORK_LISTEN[framework][0], "tcp", f"{framework} default"),)
    return ()
