"""Apply a set of wanted values to one Cargo.toml, changing nothing else.

The caller says which key paths should hold which values (`desired`); everything rustdock
set before and no longer wants goes back to what the user had (see record.py). Existing
tables are edited in place with tomlkit, so comments, order and inline style survive; a
table that does not exist yet is appended at the end of the file as `[header]` text.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import tomlkit
from tomlkit.items import Array, InlineTable, Table

from . import record
from .record import ABSENT, Edit, Path_
from .toml_text import inline_text


class ManifestError(ValueError):
    """A manifest rustdock cannot edit; the message names the file."""


def same(a: Any, b: Any) -> bool:
    """Equal as TOML values: 1 is not true, 1 is not 1.0."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def lookup(data: Any, path: Path_) -> Any:
    for key in path:
        if not isinstance(data, Mapping) or key not in data:
            return ABSENT
        data = data[key]
    return data


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


@dataclass(frozen=True)
class Manifest:
    """One manifest as read: its text without the record, rustdock's past edits, and the
    user's own data (the text with those edits taken back), which plans are computed from."""

    path: str
    text: str
    body: str
    edits: tuple[Edit, ...]
    base: dict

    @classmethod
    def read(cls, path: str, text: str, recorded: tuple[Edit, ...] = ()) -> Manifest:
        """`recorded`: rustdock's past edits of this file, from rustdock.toml. A record an
        older rustdock kept in the file itself wins (the next apply moves it out).

        The preview reads every manifest the plan touches on every change: a text read
        before is not parsed again, and its `base` is shared (nothing may change it)."""
        key = (path, text, repr(recorded))
        if key not in _READ:
            _READ[key] = _read(path, text, recorded)
            _bound(_READ)
        body, edits, base = _READ[key]
        return cls(path, text, body, edits, base)

    @property
    def keeps_layout(self) -> bool:
        """False when tomlkit cannot write this file back unchanged (it re-orders some
        out-of-order tables), so an edit would move lines the plan does not touch."""
        return _round_trips(self.body)

    def owned(self) -> dict[Path_, Edit]:
        """rustdock's past value edits that still hold the value rustdock set."""
        current = _data(self.body)
        return {
            e.path: e
            for e in self.edits
            if not e.table and same(lookup(current, e.path), e.set)
        }

    def _original_text(self, path: Path_, owned: dict[Path_, Edit], doc: Any) -> str:
        """How the user wrote the value rustdock replaces (lists and tables), to restore it."""
        if path in owned:
            return owned[path].text
        item = lookup(doc, path)
        if isinstance(item, Array | InlineTable):
            return item.as_string().strip()
        return ""

    def apply(self, desired: Mapping[Path_, Any]) -> tuple[str, tuple[Edit, ...]]:
        """(the manifest's new text, the record of rustdock's edits in it): `desired`
        applied on top of the user's own values. The same edit of the same text is worked
        out once (a change of the runtime image re-renders, but edits no manifest)."""
        key = (self.path, self.text, repr(self.edits), repr(list(desired.items())))
        if key not in _APPLIED:
            if not desired and not self.edits:
                _APPLIED[key] = (self.body, ())  # nothing wanted, nothing to take back
            else:
                _APPLIED[key] = self._apply(desired)
            _bound(_APPLIED)
        return _APPLIED[key]

    def _apply(self, desired: Mapping[Path_, Any]) -> tuple[str, tuple[Edit, ...]]:
        owned = self.owned()
        created = {e.path for e in self.edits if e.table}
        body = self.body
        for table in sorted(created, key=len, reverse=True):
            if not any(p[: len(table)] == table for p in desired):
                body = _cut_own_table(body, table, owned)
        doc = tomlkit.parse(body)
        # Shorter paths first (a whole dependency before its keys); otherwise the plan's order.
        paths = sorted(dict.fromkeys([*desired, *owned]), key=len)
        appended: dict[Path_, dict[str, Any]] = {}
        originals = {p: self._original_text(p, owned, doc) for p in desired}
        for path in paths:
            target = desired[path] if path in desired else lookup(self.base, path)
            if same(lookup(doc.unwrap(), path), target):
                continue
            if path not in desired and path in owned and isinstance(target, list | dict):
                # Put the user's value back exactly as they wrote it.
                source = owned[path].text or inline_text(target)
                target = tomlkit.parse(f"x = {source}")["x"]
            if not _doc_write(doc, path, target):
                appended.setdefault(path[:-1], {})[path[-1]] = target
        text = _drop_empty_tables(doc, created - set(appended))
        for table, values in appended.items():
            text = _append_table(text, table, values)
        kept_tables = tuple(
            Edit(p, table=True)
            for p in sorted(created | set(appended))
            if _header_at(text, p) >= 0
        )
        values = tuple(
            Edit(p, set=v, was=lookup(self.base, p), text=originals[p])
            for p, v in desired.items()
            if not same(lookup(self.base, p), v)
        )
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            # A layout rustdock does not handle; refuse rather than write a broken file.
            raise ManifestError(f"{self.path}: rustdock's edit would not be valid TOML ({err})") from None
        return text, kept_tables + values


#: Parsed manifests and worked-out edits, by text: bounded, oldest dropped first.
_READ: dict[tuple[str, str, str], tuple[str, tuple[Edit, ...], dict]] = {}
_APPLIED: dict[tuple[str, str, str, str], tuple[str, tuple[Edit, ...]]] = {}
_LIMIT = 512


def _bound(cache: dict) -> None:
    while len(cache) > _LIMIT:
        del cache[next(iter(cache))]


@lru_cache(maxsize=_LIMIT)
def _data(text: str) -> dict:
    """A manifest's plain data (callers only read it)."""
    return tomllib.loads(text)


@lru_cache(maxsize=_LIMIT)
def _round_trips(text: str) -> bool:
    return tomlkit.dumps(tomlkit.parse(text)) == text


def _read(path: str, text: str, recorded: tuple[Edit, ...]) -> tuple[str, tuple[Edit, ...], dict]:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ManifestError(f"{path}: invalid TOML: {err}") from None
    body, edits = record.split(text)
    edits = edits or recorded
    base = copy.deepcopy(_data(body))
    for edit in reversed(edits):
        if not edit.table and same(lookup(base, edit.path), edit.set):
            _plain_write(base, edit.path, edit.was)
    return body, edits, base


def _plain_write(data: dict, path: Path_, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    if value is ABSENT:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = copy.deepcopy(value)


def _doc_write(doc: Any, path: Path_, value: Any) -> bool:
    """Write into an existing table; False when the table does not exist (to append)."""
    grand, parent = None, doc
    dotted = False
    for key in path[:-1]:
        if key not in parent or not isinstance(parent[key], Table | InlineTable | dict):
            return value is ABSENT  # nothing to delete
        dotted = dotted or _is_dotted(parent, key)
        grand, parent = parent, parent[key]
    if isinstance(parent, Table) and parent.is_super_table() and not dotted and value is not ABSENT:
        # Only sub-tables define it ([profile.release.package.x]): give it its own header.
        return False
    key = path[-1]
    if value is ABSENT:
        if key in parent and isinstance(parent, InlineTable) and grand is not None:
            grand[path[-2]] = _without_key(parent, key)
        elif key in parent:
            del parent[key]
        return True
    current = parent.get(key) if key in parent else None
    if isinstance(current, Array) and isinstance(value, list) and not isinstance(value, Array):
        _edit_array(current, value)
        if same(current.unwrap(), value):
            return True
    if isinstance(parent, InlineTable) and key not in parent and grand is not None:
        grand[path[-2]] = _with_key(parent, key, value)
        return True
    parent[key] = _item(value)
    return True


def _is_dotted(container: Any, key: str) -> bool:
    """True when `key` lives in `container` as a dotted key (`profile.release.lto = true`)."""
    body = getattr(container, "body", None) or getattr(getattr(container, "value", None), "body", [])
    return any(k is not None and k.key == key and k.is_dotted() for k, _ in body)


def _item(value: Any) -> Any:
    """Dependency specs are written as `{ a = 1 }` inline tables, the way people write them."""
    if not isinstance(value, dict):
        return value
    return tomlkit.parse(f"x = {inline_text(value)}")["x"]


def _edit_array(array: Array, wanted: list) -> None:
    """Turn the array into `wanted` in place, item by item, so its layout survives."""
    have = [_plain(x) for x in array]
    ops = difflib.SequenceMatcher(a=[repr(x) for x in have], b=[repr(x) for x in wanted]).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        for i in reversed(range(i1, i2)):
            del array[i]
        for offset, item in enumerate(wanted[j1:j2]):
            array.insert(i1 + offset, item)


def _with_key(table: InlineTable, key: str, value: Any) -> InlineTable:
    """The inline table plus one key, keeping its `{ a = 1 }` spacing (tomlkit drops it)."""
    text = table.as_string().strip()
    if "\n" in text:
        table[key] = _item(value)
        return table
    inner = text[1:-1].rstrip().rstrip(",")
    pad = " " if text.endswith(" }") else ""
    pair = tomlkit.inline_table()
    pair[key] = _item(value)
    added = pair.as_string().strip()[1:-1].strip()
    sep = ", " if inner.strip() else " "
    rebuilt = tomlkit.parse(f"x = {{{inner}{sep}{added}{pad}}}")["x"]
    _copy_trivia(table, rebuilt)
    return rebuilt


def _without_key(table: InlineTable, key: str) -> InlineTable:
    """The inline table minus one key, undoing `_with_key` exactly when it can."""
    text = table.as_string().strip()
    pair = tomlkit.inline_table()
    pair[key] = table[key]
    added = pair.as_string().strip()[1:-1].strip()
    for piece in (f", {added}", f" {added}"):
        if piece in text and "\n" not in text:
            rebuilt = tomlkit.parse(f"x = {text.replace(piece, '', 1)}")["x"]
            if key not in rebuilt:
                _copy_trivia(table, rebuilt)
                return rebuilt
    del table[key]
    return table


def _copy_trivia(old: InlineTable, new: InlineTable) -> None:
    new.trivia.comment_ws = old.trivia.comment_ws
    new.trivia.comment = old.trivia.comment
    new.trivia.trail = old.trivia.trail


def _header(path: Path_) -> str:
    return ".".join(tomlkit.key(k).as_string() if _bare(k) else _literal(k) for k in path)


def _bare(key: str) -> bool:
    return key.replace("-", "").replace("_", "").isalnum() and key.isascii()


def _literal(key: str) -> str:
    return f"'{key}'" if "'" not in key else tomlkit.key(key).as_string()


def _append_table(text: str, table: Path_, values: Mapping[str, Any]) -> str:
    body = tomlkit.table()
    for key, value in values.items():
        body[key] = _item(value)
    block = f"[{_header(table)}]\n{body.as_string()}"
    # Before its first sub-table ([profile.release.package.x]) if one exists: tomlkit
    # re-orders such out-of-order tables on the next run.
    sub = f"[{_header(table)}."
    at = text.find("\n" + sub) + 1 if not text.startswith(sub) else 0
    if at > 0 or text.startswith(sub):
        sep = "\n" if text[max(0, at - 2) : at] == "\n\n" else ""
        return text[:at] + block + sep + text[at:]
    base = text if text.endswith("\n") or not text else text + "\n"
    return f"{base}\n{block}" if base else block


def _cut_own_table(body: str, table: Path_, owned: dict[Path_, Edit]) -> str:
    """The text without a table rustdock appended, when every key in it is still rustdock's.

    Cut as text, with the blank line rustdock put before it: tomlkit would leave that line.
    """
    at = _header_at(body, table)
    if at < 0:
        return body
    lines = body[at:].splitlines(keepends=True)
    end = next((i for i in range(1, len(lines)) if record.is_header(lines[i])), len(lines))
    while end > 1 and not lines[end - 1].strip():
        end -= 1  # blank lines before the next header separate it; they stay
    section = "".join(lines[:end])
    try:
        keys = tomllib.loads(section)
    except tomllib.TOMLDecodeError:
        return body
    own = lookup(keys, table)
    if not isinstance(own, dict) or any((*table, k) not in owned for k in own):
        return body
    if any(line.strip().startswith("#") for line in lines[1:end]):
        return body  # the user wrote a comment there
    start = at - 1 if body[max(0, at - 2) : at] == "\n\n" else at
    return body[:start] + body[at + len(section) :]


def _header_at(text: str, table: Path_) -> int:
    """Where the table's own `[header]` line starts, -1 when it has none."""
    line = f"[{_header(table)}]\n"
    at = text.find(line)
    while at > 0 and text[at - 1] != "\n":
        at = text.find(line, at + 1)
    return at


def _drop_empty_tables(doc: Any, tables: set[Path_]) -> str:
    """The document's text without the headers of tables rustdock created and emptied."""
    text = tomlkit.dumps(doc)
    for table in sorted(tables, key=len, reverse=True):
        at = _header_at(text, table)
        if at < 0:
            continue
        end = at + len(f"[{_header(table)}]\n")
        rest = text[end:].splitlines(keepends=True)
        body = next((i for i, line in enumerate(rest) if record.is_header(line)), len(rest))
        if any(line.strip() for line in rest[:body]):
            continue  # keys (or the user's comments) still live there
        # The header goes with the blank line rustdock put before it; trailing blank lines
        # of the emptied table go too when nothing follows.
        start = at - 1 if text[max(0, at - 2) : at] == "\n\n" else at
        tail = "".join(rest[body:]) if body < len(rest) else ""
        text = text[:start] + ("".join(rest[:body]) if tail else "") + tail
    return text
