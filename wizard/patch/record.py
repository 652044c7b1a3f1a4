"""The record of rustdock's own edits to the manifests, kept in rustdock.toml.

Scheme: rustdock.toml ends with one table, `[edits]`, holding for each manifest rustdock
changed (by its path from the project root) each value rustdock set, by key path, with the
value it replaced (`was`, absent when the key was new; `text` keeps how the user wrote a
replaced list or inline table when that differs from the plain form), and each table it
created (`table = true`):

    [edits]
    "Cargo.toml" = [
        { path = ["profile", "release", "opt-level"], set = "z" },
        { path = ["dependencies", "reqwest", "features"], set = ["rustls-tls"], was = ["native-tls"] },
    ]

The next run first takes those edits back (only where the value is still the one rustdock
set: a value the user changed since is theirs), then applies the plan again. So switching
jemalloc to mimalloc removes what was added for jemalloc and nothing the user wrote, and
the same plan twice gives the same bytes. Deleting the table makes every value the user's.

Older rustdock versions kept the record in the manifest itself, as its last table
(`[package.metadata.rustdock]` or `[workspace.metadata.rustdock]`); `split` still reads that
one, and the next save moves it out of the user's Cargo.toml into rustdock.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .toml_text import inline_text

Path_ = tuple[str, ...]

#: Where older versions kept the record, in the manifest itself.
HEADERS = ("[package.metadata.rustdock]", "[workspace.metadata.rustdock]")
#: The table of rustdock.toml that holds the record now.
TABLE = "edits"
_COMMENT = (
    "# rustdock's edits to your Cargo.toml files (value set, and the value it replaced).\n"
    "# rustdock changes or undoes exactly these on its next run; delete this table to keep\n"
    "# them as your own.\n"
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


_ROWS: dict[str, str] = {}


def _rows(edits: tuple[Edit, ...]) -> str:
    """The record's lines for one manifest (worked out once per set of edits: the preview
    renders the record on every change)."""
    key = repr(edits)
    if key not in _ROWS:
        if len(_ROWS) > 512:
            _ROWS.clear()
        _ROWS[key] = _render_rows(edits)
    return _ROWS[key]


def _render_rows(edits: tuple[Edit, ...]) -> str:
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
    return "".join(rows)


def section(records: dict[str, tuple[Edit, ...]]) -> str:
    """The `[edits]` table of rustdock.toml, "" when nothing is recorded. Sorted by path,
    so the same edits give the same bytes."""
    kept = {rel: edits for rel, edits in sorted(records.items()) if edits}
    if not kept:
        return ""
    files = "".join(f"{inline_text(rel)} = [\n{_rows(edits)}]\n" for rel, edits in kept.items())
    return f"[{TABLE}]\n{_COMMENT}{files}"


def read_section(text: str | None) -> dict[str, tuple[Edit, ...]]:
    """The record in rustdock.toml's text, by manifest path ({} when there is none)."""
    try:
        data = tomllib.loads(text or "")
    except tomllib.TOMLDecodeError:
        return {}
    table = data.get(TABLE)
    if not isinstance(table, dict):
        return {}
    return {
        rel: tuple(_edit(entry) for entry in entries if _valid(entry))
        for rel, entries in table.items()
        if isinstance(entries, list)
    }


def with_section(text: str | None, new: str) -> str:
    """rustdock.toml's text with its `[edits]` table replaced by `new` (cut as text: the
    table runs from its header to the next header, and is the file's last one)."""
    text = text or ""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == f"[{TABLE}]"), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if is_header(lines[i])), len(lines))
        while start > 0 and not lines[start - 1].strip():
            start -= 1  # the blank line rustdock put before it goes with it
        lines = lines[:start] + lines[end:]
    body = "".join(lines)
    if not new:
        return body
    if body and not body.endswith("\n"):
        body += "\n"
    return f"{body}\n{new}" if body else new


_HEADER_RE = re.compile(r"^\s*\[")


def is_header(line: str) -> bool:
    return bool(_HEADER_RE.match(line))
