"""Rust source text, scanned just enough to drop test-only code: `#[cfg(test)]` and
`#[test]` items are blanked (newlines kept, so every "path:line" stays right) before any
detector reads a file. Test code is no evidence of what the program does in production:
a port in a test module is a test server's. So is code behind a feature the build leaves
off: hickory-dns' `#[cfg(feature = "__tls")] fn default_tls_port() -> u16 { 853 }`."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .feature_gates import holds

#: Attributes that make the next item exist only in test builds.
_TEST_ATTR = re.compile(
    r"#\[\s*(?:cfg\s*\(\s*(?:test|all\s*\(\s*test\b[^\]]*)\s*\)|(?:tokio::|async_std::|actix_rt::|actix_web::)?test)\s*\]"
)
_ATTR = re.compile(r"\s*#\[[^\]]*\]")
#: `#[cfg(test)] mod tests;`: the module lives in its own file.
_TEST_MOD_FILE = re.compile(r"\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;")


def _skip_literal(text: str, i: int) -> int:
    """The index after a string, char literal or comment starting at i (i when none)."""
    c = text[i]
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    raw = re.match(r'b?r(#*)"', text[i:i + 40])
    if raw and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
        close = '"' + raw[1]
        end = text.find(close, i + raw.end())
        return len(text) if end < 0 else end + len(close)
    if c == '"':
        j = i + 1
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == '"':
                return j + 1
            j += 1
        return len(text)
    if c == "'":
        lit = re.match(r"'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'", text[i:i + 12])
        if lit:
            return i + lit.end()
    return i


def item_end(text: str, start: int) -> int:
    """The end of the item starting at `start`: after its matching `}` or its `;`."""
    depth = 0
    i = start
    while i < len(text):
        after = _skip_literal(text, i)
        if after != i:
            i = after
            continue
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth <= 0:
                return i + 1
        elif c == ";" and depth == 0:
            return i + 1
        i += 1
    return len(text)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def strip_tests(text: str) -> tuple[str, tuple[str, ...]]:
    """(text with test-only items blanked, names of `#[cfg(test)] mod x;` files)."""
    return _blank_items(text, _TEST_ATTR.finditer(text))


def _blank_items(text: str, attributes: Iterable[re.Match]) -> tuple[str, tuple[str, ...]]:
    """(text with the item after each attribute blanked, names of `mod x;` files among
    them). Attributes inside an item already blanked are passed over."""
    out: list[str] = []
    files: list[str] = []
    pos = 0
    for match in attributes:
        if match.start() < pos:
            continue
        start = match.end()
        while (attr := _ATTR.match(text, start)) is not None:
            start = attr.end()
        mod_file = _TEST_MOD_FILE.match(text, start)
        if mod_file:
            files.append(mod_file[1])
        end = item_end(text, start)
        out += [text[pos:match.start()], _blank(text[match.start():end])]
        pos = end
    if not out:
        return text, ()
    out.append(text[pos:])
    return "".join(out), tuple(files)


#: `#[cfg(PRED)]` (one level of nested parentheses and more), and the inner `#![cfg(..)]`.
_CFG_ATTR = re.compile(
    r"#(!?)\[\s*cfg\s*\((?P<pred>(?:[^()\]]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*)\)\s*\]")


def strip_disabled(text: str, enabled: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """(text with items behind a feature predicate that is false for `enabled` blanked,
    names of `mod x;` files gated that way). A file whose inner `#![cfg(..)]` is false is
    blanked whole. Predicates that cannot be told (target_env, unknown names) keep the item."""
    enabled = enabled | _entry_features(text)
    off = [m for m in _CFG_ATTR.finditer(text)
           if "feature" in m["pred"] and holds(" ".join(m["pred"].split()), enabled) is False]
    if any(m[1] for m in off):  # #![cfg(..)]: the whole module is left out
        return _blank(text), ()
    return _blank_items(text, off)


_MAIN = re.compile(r"\s*(?:pub\s+)?(?:async\s+)?fn\s+main\s*\(")


def _entry_features(text: str) -> frozenset[str]:
    """Features that gate `fn main` itself (Leptos' `#[cfg(feature = "ssr")]` server main):
    the program is built with them, whatever its default features say."""
    found: set[str] = set()
    for match in _CFG_ATTR.finditer(text):
        start = match.end()
        while (attr := _ATTR.match(text, start)) is not None:
            start = attr.end()
        if _MAIN.match(text, start) and not re.search(r"\bnot\s*\(", match["pred"]):
            found.update(re.findall(r'feature\s*=\s*"([^"]*)"', match["pred"]))
    return frozenset(found)
