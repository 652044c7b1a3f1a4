"""Settings in a configuration file (YAML, TOML or JSON) as (key path, value, line):
read line by line so every value keeps the line it is on, enough for the flat settings
services ship (`server.port: 8080`), never a full parser."""

from __future__ import annotations

import json
import re
from pathlib import Path

MAX_BYTES = 200_000
Setting = tuple[str, str, int]

_YAML_KEY = re.compile(r"^(\s*)(?:-\s+)?(\"[^\"]+\"|'[^']+'|[\w.-]+)\s*:(?:\s+(.*?))?\s*$")
_YAML_ITEM = re.compile(r"^(\s*)-\s+([^:#]+?)\s*$")
_TOML_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^\s*([\w.\"-]+)\s*=\s*(.+?)\s*$")
_INLINE = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|[\w.:-]+)")


def _scalar(text: str) -> str:
    text = re.sub(r"\s+#.*$", "", text.strip()) if not text.startswith(("\"", "'")) else text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text.split(" #")[0].strip()


def _yaml(text: str) -> list[Setting]:
    out: list[Setting] = []
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _YAML_KEY.match(line)
        if match:
            indent = len(match[1]) + (2 if line.lstrip().startswith("- ") else 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            key = match[2].strip("\"'")
            path = ".".join([k for _, k in stack] + [key])
            value = match[3] or ""
            if value and not value.startswith(("|", ">", "&", "#")):
                if value.startswith("[") and value.endswith("]"):
                    out += [(path, _scalar(v), number) for v in value[1:-1].split(",") if v.strip()]
                else:
                    out.append((path, _scalar(value), number))
            else:
                stack.append((indent, key))
            continue
        item = _YAML_ITEM.match(line)
        if item and stack:
            out.append((".".join(k for _, k in stack), _scalar(item[2]), number))
    return out


def _toml(text: str) -> list[Setting]:
    out: list[Setting] = []
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        header = _TOML_HEADER.match(line)
        if header:
            section = header[1].replace('"', "")
            continue
        match = _TOML_KEY.match(line)
        if not match:
            continue
        path = ".".join(p for p in (section, match[1].replace('"', "")) if p)
        value = match[2]
        if value.startswith("{"):
            out += [(f"{path}.{k}", _scalar(v), number) for k, v in _INLINE.findall(value)]
        elif value.startswith("["):
            out += [(path, _scalar(v), number) for v in value.strip("[]").split(",") if v.strip()]
        else:
            out.append((path, _scalar(value), number))
    return out


def _json(text: str) -> list[Setting]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    lines = text.splitlines()
    out: list[Setting] = []

    def line_of(key: str) -> int:
        return next((i for i, line in enumerate(lines, 1) if f'"{key}"' in line), 0)

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for value in node:
                walk(value, path)
        elif node is not None and path:
            value = str(node).lower() if isinstance(node, bool) else str(node)
            out.append((path, value, line_of(path.rsplit(".", 1)[-1])))

    walk(data, "")
    return out


def settings(path: Path) -> list[Setting]:
    """Every scalar setting in the file, [] when it cannot be read."""
    try:
        text = path.read_bytes()[:MAX_BYTES].decode("utf-8", errors="replace")
    except OSError:
        return []
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return _yaml(text)
    if suffix == ".toml":
        return _toml(text)
    if suffix == ".json":
        return _json(text)
    return []
