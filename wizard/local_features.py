"""The features a default build turns on in each local crate: the shipped package's
default features, followed through its path dependencies (their default features unless
`default-features = false`, plus what the dependency entries and enabled features ask).

Source detectors read code with what these leave off blanked (rust_text.strip_disabled):
a port behind `#[cfg(feature = "tls")]` is not where a default build listens."""

from __future__ import annotations

from .cargo_features import resolve
from .cargo_workspace import Crate

_DEV = "dev-dependencies"


def default_features(ship: Crate, crates: dict[str, Crate]) -> dict[str, frozenset[str]]:
    """crate directory -> features on in a default build of `ship`, for `ship` and every
    local crate it reaches through dependencies that build turns on."""
    asked: dict[str, set[str]] = {ship.dir: set()}
    defaults: dict[str, bool] = {ship.dir: True}
    result: dict[str, frozenset[str]] = {}
    todo = [ship.dir]
    while todo:
        current = todo.pop()
        crate = crates.get(current)
        if crate is None:
            continue
        on = resolve(crate.features, sorted(asked[current]), defaults=defaults[current])
        if result.get(current) == on.features:
            continue
        result[current] = on.features
        for dep in crate.deps:
            if not dep.path or dep.kind == _DEV:
                continue
            if dep.optional and dep.key not in on.deps and dep.name not in on.deps:
                continue
            wanted = {*dep.features, *(f for k, f in on.dep_features if k in (dep.key, dep.name))}
            before = (set(asked.get(dep.path, set())), defaults.get(dep.path, False))
            asked.setdefault(dep.path, set()).update(wanted)
            defaults[dep.path] = defaults.get(dep.path, False) or dep.default_features
            if (asked[dep.path], defaults[dep.path]) != before or dep.path not in result:
                todo.append(dep.path)
    return result
