"""The `#[global_allocator]` lines in the binary's root source file.

rustdock's block starts with its own marker comment; a later run removes exactly a block it
could have written (any allocator, any scope) and nothing else, so a block the user edited
becomes theirs.
"""

from __future__ import annotations

MARKER = "// Global allocator chosen with rustdock (rustdock.toml)."
MUSL_CFG = '#[cfg(target_env = "musl")]'

#: allocator -> the static that installs it.
STATICS = {
    "jemalloc": "static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;",
    "mimalloc": "static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;",
}


def block(allocator: str, musl_only: bool) -> str:
    cfg = [MUSL_CFG] if musl_only else []
    return "\n".join([MARKER, *cfg, "#[global_allocator]", STATICS[allocator]]) + "\n"


def _blocks() -> list[str]:
    return [block(a, m) for a in STATICS for m in (True, False)]


def remove_block(text: str) -> str:
    """The source without rustdock's allocator block (and the blank line it brought)."""
    for candidate in _blocks():
        at = text.find(candidate)
        if at < 0 or (at > 0 and text[at - 1] != "\n"):
            continue
        end = at + len(candidate)
        if at == 0 and text[end : end + 1] == "\n":
            return text[end + 1 :]
        if text[max(0, at - 2) : at] == "\n\n":
            return text[: at - 1] + text[end:]
        return text[:at] + text[end:]
    return text


def has_global_allocator(text: str) -> bool:
    return "#[global_allocator]" in text


def insert_block(text: str, allocator: str, musl_only: bool) -> str:
    """The source with the block after its inner attributes and leading comments."""
    lines = text.splitlines(keepends=True)
    at = _after_header(lines)
    head, tail = "".join(lines[:at]), "".join(lines[at:])
    if at == 0:
        return block(allocator, musl_only) + "\n" + tail
    if not head.endswith("\n"):
        head += "\n"
    return head + "\n" + block(allocator, musl_only) + tail


def _after_header(lines: list[str]) -> int:
    """Index of the first line after `//!` docs, `#![...]` attributes and leading comments."""
    end = 0
    i = 0
    depth = 0
    in_comment = False
    while i < len(lines):
        line = lines[i].strip()
        if in_comment:
            in_comment = "*/" not in line
            i += 1
            end = i if not in_comment else end
            continue
        if depth:
            depth += line.count("[") - line.count("]")
            i += 1
            end = i if depth <= 0 else end
            depth = max(depth, 0)
            continue
        if line.startswith("#!["):
            depth = line.count("[") - line.count("]")
            i += 1
            end = i if depth <= 0 else end
            depth = max(depth, 0)
        elif line.startswith("//"):
            i += 1
            end = i
        elif line.startswith("/*"):
            in_comment = "*/" not in line[2:]
            i += 1
            end = i if not in_comment else end
        elif line == "":
            i += 1
        else:
            break
    return end
