"""[profile.release] in the workspace root manifest (cargo ignores profiles in members)."""

from __future__ import annotations

from typing import Any

from ..findings import ERROR, Finding
from .record import Path_

PROFILES: dict[str, dict[str, Any]] = {
    "size": {"opt-level": "z", "lto": True, "codegen-units": 1, "strip": True, "panic": "abort"},
    "speed": {"opt-level": 3, "lto": "fat", "codegen-units": 1, "strip": True},
}

#: Spellings cargo treats as the same setting.
_SAME = {("lto", True): "fat", ("strip", True): "symbols"}


def _norm(key: str, value: Any) -> Any:
    return _SAME.get((key, value), value) if isinstance(value, bool | str) else value


def profile_edits(choice: str, overwrite: bool, base: dict, *,
                  keep_unwind: bool = False) -> tuple[dict[Path_, Any], tuple[Finding, ...]]:
    """The keys to set in the root manifest, and a conflict for each value the user set.
    `keep_unwind`: the code catches panics, so panic = "abort" is left out."""
    wanted = {k: v for k, v in PROFILES.get(choice, {}).items()
              if not (keep_unwind and k == "panic")}
    release = base.get("profile", {}).get("release", {})
    desired: dict[Path_, Any] = {}
    conflicts = []
    for key, value in wanted.items():
        mine = release.get(key)
        if key in release and _norm(key, mine) == _norm(key, value):
            continue
        if key in release and not overwrite:
            conflicts.append(f"{key} = {_show(mine)} (the {choice} profile sets {_show(value)})")
            continue
        desired[("profile", "release", key)] = value
    if not conflicts:
        return desired, ()
    finding = Finding(
        rule="profile-conflict",
        severity=ERROR,
        option="profile",
        message="Cargo.toml's [profile.release] already sets " + "; ".join(conflicts) + ".",
        fix="keep your values (choose profile keep) or let rustdock replace them "
        "(profile_overwrite=true)",
        fix_choices=(("profile_overwrite", True),),
    )
    return desired, (finding,)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)
