"""The subcommand that runs a program's service, when its command line requires one.

A clap program whose top-level command is an enum of subcommands (`#[derive(Parser)]
enum Cmd { Start {..}, .. }`, or a `#[command(subcommand)] command: Command` field that
is not an Option) prints its help and exits when run without one: `docker run IMAGE`
needs the subcommand that serves (bore's `server`, atuin-server's `start`, warpgate's
`run`). Reads Sources (the shipped binary's code) and returns the subcommand's name as
clap spells it, with where it is declared."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cargo_sources import Sources
from .rust_text import item_end

#: Subcommand names that run the service, the most telling first.
SERVICE_COMMANDS = ("server", "serve", "start", "run", "daemon")

_PARSER_ENUM = re.compile(r"#\[derive\([^)]*\bParser\b[^)]*\)\][^{;]*?\benum\s+(\w+)\s*\{")
_SUBCOMMAND_FIELD = re.compile(
    r"#\[\s*(?:clap|command|structopt)\s*\(\s*subcommand\s*\)\s*\]\s*(?:pub(?:\([^)]*\))?\s+)?\w+\s*:\s*([\w:<>]+)")
_VARIANT = re.compile(r"(?:^|[,{])\s*(?P<attrs>(?:#\[[^\]]*\]\s*)*)(?P<name>[A-Z]\w*)\s*(?=[{(,}]|$)", re.M)
#: `#[command(name = "run")]` renames a variant on the command line.
_RENAMED = re.compile(r'\bname\s*=\s*"([\w-]+)"')


@dataclass(frozen=True)
class ServiceCommand:
    #: As clap spells it on the command line: "server", "start".
    name: str = ""
    #: "path:line" of the variant.
    where: str = ""


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _top_level(body: str) -> str:
    """`body` with what nested braces and parentheses hold blanked (offsets kept)."""
    out, depth = [], 0
    for ch in body:
        if ch in "})":
            depth -= 1
        out.append(ch if depth <= 0 or ch == "\n" else " ")
        if ch in "{(":
            depth += 1
    return "".join(out)


def _variants(text: str, enum: str) -> list[tuple[str, int]]:
    """(name on the command line, position) of `enum NAME { .. }`'s variants."""
    match = re.search(rf"\benum\s+{re.escape(enum)}\s*\{{", text)
    if match is None:
        return []
    end = item_end(text, match.end() - 1)
    raw = text[match.end():end - 1]
    found = []
    for m in _VARIANT.finditer(_top_level(raw)):
        renamed = _RENAMED.search(raw, m.start("attrs"), m.end("attrs"))
        found.append((renamed[1] if renamed else _kebab(m["name"]), match.end() + m.start("name")))
    return found


def service_command(sources: Sources) -> ServiceCommand:
    """The service's subcommand when the command line requires a subcommand, else none."""
    for path, text in sources.files:
        if "clap" not in text and "structopt" not in text and "Parser" not in text:
            continue
        required = [m[1] for m in _PARSER_ENUM.finditer(text)]
        required += [m[1].rsplit("::", 1)[-1] for m in _SUBCOMMAND_FIELD.finditer(text)
                     if not m[1].startswith("Option")]
        for enum in required:
            variants = dict(_variants(text, enum))
            for name in SERVICE_COMMANDS:
                if name in variants:
                    return ServiceCommand(name, f"{path}:{_line(text, variants[name])}")
    return ServiceCommand()
