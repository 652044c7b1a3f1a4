"""TOML text of plain values, formatted the way people write Cargo.toml by hand."""

from __future__ import annotations

from typing import Any

import tomlkit


def inline_text(value: Any) -> str:
    """TOML text of a value, inline tables spaced as `{ version = "1", features = [] }`."""
    if isinstance(value, dict):
        pairs = ", ".join(f"{tomlkit.key(k).as_string()} = {inline_text(v)}" for k, v in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(inline_text(v) for v in value) + "]"
    return tomlkit.item(value).as_string()
