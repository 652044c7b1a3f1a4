"""A package's cargo features: what each turns on, and which ones a build enables.

Read from the package's own Cargo.toml (`[features]` and optional dependencies, which are
implicit features unless some feature names them as `dep:NAME`), resolved the way cargo
resolves them for `--features`, `--no-default-features` and `--all-features`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .cargo_manifest import strings, table

#: A feature name as cargo accepts it, or `dependency/feature` for a dependency's feature.
FEATURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_+.-]*(/[A-Za-z0-9_][A-Za-z0-9_+.-]*)?")


@dataclass(frozen=True)
class Feature:
    """One feature of a package, and what it turns on, as the manifest writes it:
    other features ("tls"), optional dependencies ("dep:pq-sys") and features of
    dependencies ("diesel/postgres", "tokio?/rt")."""

    name: str
    enables: tuple[str, ...] = ()

    def describe(self) -> str:
        """What it turns on, in words for a checklist: "diesel/postgres, pq-sys"."""
        shown = [entry.removeprefix("dep:") for entry in self.enables]
        return ", ".join(shown) if shown else "nothing else (a flag the code checks)"


def read_features(data: Mapping[str, Any]) -> tuple[Feature, ...]:
    """Every feature of one manifest: `[features]` in its order, then the implicit
    feature of each optional dependency that no feature names as `dep:NAME`."""
    declared = table(data.get("features"))
    features = [Feature(str(name), tuple(strings(value))) for name, value in declared.items()]
    named_dep = {e[4:] for f in features for e in f.enables if e.startswith("dep:")}
    known = {f.name for f in features}
    for key in _optional_deps(data):
        if key not in named_dep and key not in known:
            features.append(Feature(key, (f"dep:{key}",)))
            known.add(key)
    return tuple(features)


def _optional_deps(data: Mapping[str, Any]) -> list[str]:
    """Keys of optional dependencies (as the manifest names them), in manifest order."""
    scopes = [data, *(t for t in table(data.get("target")).values() if isinstance(t, dict))]
    found: list[str] = []
    for scope in scopes:
        for kind in ("dependencies", "build-dependencies"):
            for key, spec in table(scope.get(kind)).items():
                if isinstance(spec, dict) and spec.get("optional") is True and key not in found:
                    found.append(str(key))
    return found


@dataclass(frozen=True)
class Enabled:
    """What one build turns on in a package: its features, its optional dependencies and
    the features it asks of its dependencies (dependency key -> features)."""

    features: frozenset[str] = frozenset()
    deps: frozenset[str] = frozenset()
    dep_features: tuple[tuple[str, str], ...] = ()


def resolve(
    features: Iterable[Feature],
    chosen: Iterable[str],
    *,
    defaults: bool = True,
    every: bool = False,
) -> Enabled:
    """The features a build enables: `chosen` (plus `default` unless `defaults` is off, or
    every feature with `every`), followed through what each turns on."""
    table_ = {f.name: f for f in features}
    todo = list(table_) if every else [*chosen, *(["default"] if defaults else [])]
    on: set[str] = set()
    deps: set[str] = set()
    dep_features: dict[tuple[str, str], None] = {}
    while todo:
        name = todo.pop()
        if "/" in name:
            dep, _, feature = name.partition("/")
            weak = dep.endswith("?")
            dep = dep.rstrip("?")
            if not weak:
                deps.add(dep)
            dep_features[(dep, feature)] = None
            continue
        if name in on or name not in table_:
            continue
        on.add(name)
        for entry in table_[name].enables:
            if entry.startswith("dep:"):
                deps.add(entry[4:])
            else:
                todo.append(entry)
    return Enabled(frozenset(on), frozenset(deps), tuple(dep_features))


def unknown(features: Iterable[Feature], chosen: Iterable[str]) -> tuple[str, ...]:
    """The chosen names the package does not have (`dep/feature` entries are cargo's to
    check: rustdock cannot read the dependency's own features)."""
    names = {f.name for f in features}
    return tuple(c for c in chosen if "/" not in c and c not in names)
