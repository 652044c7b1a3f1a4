"""The ports option's values: "8080", "21116/udp". Parsing with one clear message per
mistake, and the TCP ports (verify and the healthcheck only reach TCP)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .option_model import OptionError

_SPEC = re.compile(r"(\d{1,5})(?:/(tcp|udp))?", re.IGNORECASE)


def parse_ports(items: Iterable[object]) -> tuple[str, ...]:
    """Specs from a list, "6333, 6334", "8080 21116/udp" or an old `port = N` answer
    (0 meaning none); each port once, "/tcp" dropped."""
    words = [w for item in items for w in re.split(r"[\s,]+", str(item).strip()) if w]
    if words == ["0"]:
        return ()
    specs: list[str] = []
    for word in words:
        match = _SPEC.fullmatch(word)
        if match is None:
            raise OptionError(f"ports: {word!r} is not a port; write 8080, 6333,6334 or 21116/udp")
        number = int(match[1])
        if not 0 < number < 65536:
            raise OptionError(f"ports: {number} is not a port number; use 1 to 65535")
        spec = f"{number}/udp" if (match[2] or "").lower() == "udp" else str(number)
        if spec in specs:
            raise OptionError(f"ports: {spec} is listed twice; list each port once")
        specs.append(spec)
    return tuple(specs)


def tcp_ports(specs: Iterable[object]) -> tuple[int, ...]:
    """The TCP ports of a list of specs, in order."""
    return tuple(int(s) for s in map(str, specs) if s.isdigit())


def udp_ports(specs: Iterable[object]) -> tuple[int, ...]:
    return tuple(int(s.split("/")[0]) for s in map(str, specs) if s.endswith("/udp"))
