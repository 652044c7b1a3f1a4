"""`compile_error!` behind a `#[cfg(...)]` on features: builds a package refuses.

Crates with a choice of backends often stop the build unless one is on:

    #[cfg(not(any(feature = "postgres", feature = "sqlite")))]
    compile_error!("enable one database backend");

A gate is found in a package's build.rs and crate roots; its cfg predicate is kept as
text and evaluated against the features a plan enables. Predicates on anything but
features (target_os, unix, ...) count as unknown, and an unknown result is no verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: `#[cfg(PRED)]` directly before `compile_error!`, comments and blank lines between.
_GATE = re.compile(
    r"#\s*\[\s*cfg\s*\((?P<pred>(?:[^()\]]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*)\)\s*\]"
    r"(?:\s|//[^\n]*\n)*compile_error!\s*[({\[]\s*(?P<msg>r?#*\"(?:[^\"\\]|\\.)*\")?",
    re.S,
)
_TOKEN = re.compile(r'\s*(?:(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<p>[(),=]))')


@dataclass(frozen=True)
class Gate:
    """A compile_error! the build hits when `cfg` holds."""

    #: The file, relative to the project root, and the line of the #[cfg].
    path: str
    line: int
    cfg: str
    #: The compile_error! message, "" when it is not a plain string.
    message: str = ""
    #: The package whose features the predicate reads.
    package: str = ""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def features(self) -> tuple[str, ...]:
        """Every feature the predicate names, in order."""
        return tuple(dict.fromkeys(re.findall(r'feature\s*=\s*"([^"]*)"', self.cfg)))

    def fails(self, enabled: frozenset[str], env: str = "") -> bool | None:
        """Whether a release build for Linux (target_env `env`, "" when unknown) stops
        here with these features on; None when it cannot be told."""
        try:
            return _evaluate(_parse(self.cfg), enabled, env)
        except ValueError:
            return None

    def fixes(self, ways: Mapping[str, frozenset[str]], env: str = "") -> tuple[str, ...]:
        """Of `ways` (a feature to turn on -> every feature on with it), the ones that let
        the build past this gate, in order."""
        return tuple(name for name, on in ways.items() if self.fails(on, env) is False)


def find_gates(path: str, text: str, package: str = "") -> tuple[Gate, ...]:
    """Every feature gate in one source file of `package`."""
    gates: list[Gate] = []
    if "compile_error" not in text:
        return ()
    for match in _GATE.finditer(text):
        cfg = " ".join(match["pred"].split())
        if "feature" not in cfg:
            continue
        line = text.count("\n", 0, match.start()) + 1
        message = _string(match["msg"]) if match["msg"] else ""
        gates.append(Gate(path, line, cfg, message, package))
    return tuple(gates)


def _string(literal: str) -> str:
    body = literal.lstrip("r#")[1:]
    body = body[: body.rfind('"')] if '"' in body else body
    return " ".join(body.replace('\\"', '"').replace("\\n", " ").split())


Pred = tuple  # ("feature", name) | ("all"|"any", [preds]) | ("not", pred) | ("other", text)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    at = 0
    text = text.strip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            raise ValueError(f"cannot read cfg({text})")
        kind = next(k for k in ("ident", "str", "p") if match[k] is not None)
        out.append((kind, match[kind]))
        at = match.end()
        while at < len(text) and text[at].isspace():
            at += 1
    return out


def _parse(text: str) -> Pred:
    tokens = _tokens(text)
    pred, at = _pred(tokens, 0)
    if at != len(tokens):
        raise ValueError(f"cannot read cfg({text})")
    return pred


def _pred(tokens: list[tuple[str, str]], at: int) -> tuple[Pred, int]:
    if at >= len(tokens) or tokens[at][0] != "ident":
        raise ValueError("a cfg predicate starts with a name")
    name = tokens[at][1]
    at += 1
    if at < len(tokens) and tokens[at] == ("p", "="):
        if at + 1 >= len(tokens) or tokens[at + 1][0] != "str":
            raise ValueError("name = needs a string")
        value = tokens[at + 1][1][1:-1]
        return ((("feature", value) if name == "feature" else ("other", f"{name}={value}")), at + 2)
    if at < len(tokens) and tokens[at] == ("p", "("):
        at += 1
        items: list[Pred] = []
        while at < len(tokens) and tokens[at] != ("p", ")"):
            item, at = _pred(tokens, at)
            items.append(item)
            if at < len(tokens) and tokens[at] == ("p", ","):
                at += 1
        if at >= len(tokens):
            raise ValueError("unclosed (")
        at += 1
        if name == "not":
            if len(items) != 1:
                raise ValueError("not() takes one predicate")
            return ("not", items[0]), at
        if name in ("all", "any"):
            return (name, items), at
        return ("other", name), at
    return ("other", name), at


#: What every image build is: a Linux release build, never a test.
_KNOWN = {"unix": True, "windows": False, "test": False, "debug_assertions": False,
          "miri": False, "doc": False, "target_family=unix": True,
          "target_family=windows": False, "target_family=wasm": False}


def _other(name: str, env: str) -> bool | None:
    if name in _KNOWN:
        return _KNOWN[name]
    key, _, value = name.partition("=")
    if key == "target_os" and value:
        return value == "linux"
    if key == "target_env" and value and env:
        return value == env
    return None


def _evaluate(pred: Pred, enabled: frozenset[str], env: str = "") -> bool | None:
    """Three-valued: None where the predicate depends on what is not known."""
    kind = pred[0]
    if kind == "feature":
        return pred[1] in enabled
    if kind == "other":
        return _other(pred[1], env)
    if kind == "not":
        inner = _evaluate(pred[1], enabled, env)
        return None if inner is None else not inner
    if kind in ("all", "any"):
        results = [_evaluate(p, enabled, env) for p in pred[1]]
        decisive = kind == "any"  # True decides any(), False decides all()
        if decisive in results:
            return decisive
        return None if None in results else not decisive
    raise ValueError(f"unknown predicate {kind}")


def holds(cfg: str, enabled: frozenset[str], env: str = "") -> bool | None:
    """Whether `#[cfg(<cfg>)]` holds in a Linux release build with these features on
    (None when it depends on what is not known, or cannot be read)."""
    try:
        return _evaluate(_parse(cfg), enabled, env)
    except ValueError:
        return None


def gates_in(files: Iterable[tuple[str, str]], package: str) -> tuple[Gate, ...]:
    """The gates of several (path, text) files of one package, in order."""
    return tuple(gate for path, text in files for gate in find_gates(path, text, package))
