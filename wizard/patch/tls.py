"""Switch the shipped member's TLS crates to rustls, or add a vendored OpenSSL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import versions
from .deps import MUSL, crate_name, dependencies, inherits, table_at, version_of
from .record import Path_
from .tls_table import CRATES, RUSTLS_ONLY, TlsRow, row_for


@dataclass(frozen=True)
class Unswitched:
    crate: str
    why: str


def rustls_edits(data: dict, root: dict) -> tuple[dict[Path_, Any], tuple[Unswitched, ...]]:
    """Edits that move every known crate of one manifest to rustls, and what could not be."""
    edits: dict[Path_, Any] = {}
    left: list[Unswitched] = []
    for table, key, spec in dependencies(data):
        crate = crate_name(key, spec)
        if crate not in CRATES:
            continue
        version = version_of(spec)
        if inherits(spec):
            version = version_of(table_at(root, ("workspace", "dependencies")).get(key))
        row = row_for(crate, version)
        if row is None:
            left.append(Unswitched(crate, f"rustdock does not know its version {version or '?'}"))
            continue
        if row.note:
            left.append(Unswitched(crate, row.note))
            continue
        features = list(spec.get("features", [])) if isinstance(spec, dict) else []
        left.extend(Unswitched(crate, why) for f, why in row.manual.items() if f in features)
        edits.update(_switch((*table, key), spec, row, inherits(spec)))
    return edits, tuple(left)


def _switch(path: Path_, spec: Any, row: TlsRow, inherited: bool) -> dict[Path_, Any]:
    table = spec if isinstance(spec, dict) else {"version": spec}
    default_key = "default_features" if "default_features" in table else "default-features"
    defaults_on = table.get(default_key, True) is not False and not inherited
    features = list(table.get("features", []))
    new: list[str] = []
    changed = False
    for feature in features:
        if feature in row.replace:
            changed = True
            feature = row.replace[feature]
        if feature and feature not in new:
            new.append(feature)
    turn_off = row.native_default and defaults_on
    if turn_off:
        new += [f for f in row.defaults if f not in new]
    needs_rustls = turn_off or changed
    covered = row.rustls_default and defaults_on
    if needs_rustls and row.rustls and not covered and row.rustls not in new:
        new.append(row.rustls)
    if not needs_rustls:
        return {}
    if not isinstance(spec, dict):
        whole: dict[str, Any] = {"version": spec, "default-features": False, "features": new}
        return {path: whole if turn_off else {"version": spec, "features": new}}
    edits: dict[Path_, Any] = {}
    if new != features:
        edits[(*path, "features")] = new
    if turn_off:
        edits[(*path, default_key)] = False
    return edits


def unknown_dependents(tls_dependents: tuple[tuple[str, str], ...]) -> tuple[Unswitched, ...]:
    """Crates detect saw pulling TLS that the table does not know."""
    return tuple(
        Unswitched(crate, f"not in rustdock's table (declared in {manifest})")
        for crate, manifest in tls_dependents
        if crate not in CRATES and crate not in RUSTLS_ONLY
    )


def vendored_edits(member: dict, musl: bool) -> dict[Path_, Any]:
    """`openssl` with its `vendored` feature, unless the member already vendors it."""
    for _, key, spec in dependencies(member):
        if crate_name(key, spec) == "openssl" and "vendored" in (
            spec.get("features", []) if isinstance(spec, dict) else []
        ):
            return {}
    table: Path_ = ("target", MUSL, "dependencies") if musl else ("dependencies",)
    spec = table_at(member, table).get("openssl")
    if spec is None:
        return {(*table, "openssl"): {"version": versions.CRATES["openssl"], "features": ["vendored"]}}
    if isinstance(spec, dict) and not inherits(spec):
        return {(*table, "openssl", "features"): [*spec.get("features", []), "vendored"]}
    if isinstance(spec, str):
        return {(*table, "openssl"): {"version": spec, "features": ["vendored"]}}
    return {(*table, "openssl", "features"): [*spec.get("features", []), "vendored"]}
