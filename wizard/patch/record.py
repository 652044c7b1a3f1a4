"""The record of rustdock's own edits, kept in the manifest it edited.

Scheme: every manifest rustdock changes ends with one table, `[workspace.metadata.rustdock]`
when the manifest has a `[workspace]`, else `[package.metadata.rustdock]` (cargo ignores
both). It lists each value rustdock set, by key path, with the value it replaced (`was`,
absent when the key was new; `text` keeps how the user wrote a replaced list or inline
table when that differs from the plain form), and each table it created (`table = true`):

    [package.metadata.rustdock]
    edits = [
        { path = ["profile", "release", "opt-level"], set = "z" },
        { path = ["dependencies", "reqwest", "features"], set = ["rustls-tls"], was = ["native-tls"] },
    ]

The next run first takes those edits back (only where the value is still the one rustdock
set: a value the user changed since is theirs), then applies the plan again. So switching
jemalloc to mimalloc removes what was added for jemalloc and nothing the user wrote, and
the same plan twice gives the same bytes. Deleting the table makes every value the user's.
The record is always the file's last table; rustdock cuts it out as text before editing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .toml_text import inline_text

Path_ = tuple[str, ...]

HEADERS = ("[package.metadata.rustdock]", "[workspace.metadata.rustdock]")
_COMMENT = (
    "# rustdock's edits to this file (value set, and the value it replaced). rustdock changes\n"
    "# or undoes exactly these on its next run; delete this table to keep them as your own.\n"
)
#: Marks a key that did not exist (a `was` that is absent).
ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()


@dataclass(frozen=True)
class Edit:
    path: Path_
    set: Any = ABSENT
    was: Any = ABSENT
    #: True when the entry records a table rustdock created.
    table: bool = False
    #: The replaced value as the user wrote it (lists and inline tables), to restore it.
    text: str = ""


def split(text: str) -> tuple[str, tuple[Edit, ...]]:
    """(the manifest without its record, the edits the record lists)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() in HEADERS), None)
    if start is None:
        return text, ()
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    chunk = "".join(lines[start + 1 : end])
    rest = lines[:start] + lines[end:]
    # The blank line rustdock put before its record goes with it.
    if start > 0 and start == len(rest) and rest[start - 1].strip() == "":
        rest = rest[: start - 1]
    try:
        data = tomllib.loads(chunk)
    except tomllib.TOMLDecodeError:
        return text, ()
    if set(data) - {"edits"}:
        return text, ()  # the user keeps something of their own there: not rustdock's record
    edits = tuple(_edit(entry) for entry in data.get("edits", ()) if _valid(entry))
    return "".join(rest), edits


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), list)
        and all(isinstance(p, str) for p in entry["path"])
        and ("set" in entry or entry.get("table") is True)
    )


def _edit(entry: dict) -> Edit:
    return Edit(
        tuple(entry["path"]),
        entry.get("set", ABSENT),
        entry.get("was", ABSENT),
        entry.get("table") is True,
        entry.get("text", "") if isinstance(entry.get("text"), str) else "",
    )


def render(edits: tuple[Edit, ...], header: str) -> str:
    """The record's text, "" when there is nothing to record."""
    if not edits:
        return ""
    rows = []
    for edit in edits:
        row: dict[str, Any] = {"path": list(edit.path)}
        if edit.table:
            row["table"] = True
        else:
            row["set"] = edit.set
            if edit.was is not ABSENT:
                row["was"] = edit.was
            if edit.text and edit.text != inline_text(edit.was):
                row["text"] = edit.text
        rows.append(f"    {inline_text(row)},\n")
    return f"{header}\n{_COMMENT}edits = [\n{''.join(rows)}]\n"


def attach(text: str, record: str) -> str:
    """The manifest with the record as its last table, after one blank line."""
    if not record:
        return text
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{body}\n{record}" if body else record


def header_for(data: dict) -> str:
    return HEADERS[1] if "workspace" in data else HEADERS[0]


_HEADER_RE = re.compile(r"^\s*\[")


def is_header(line: str) -> bool:
    return bool(_HEADER_RE.match(line))
