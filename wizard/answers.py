"""The answers file (rustdock.toml): the choices a user made, reopened by the next run."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomlkit

from .meta import ANSWERS_FILE, __version__


class AnswersError(ValueError):
    """An answers file that cannot be read; the message names the file and line."""


def read_answers(path: Path) -> tuple[str, dict[str, Any]]:
    """(preset, answers) from an answers file; raises AnswersError on bad TOML."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise AnswersError(f"{path}: invalid TOML: {err}") from None
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise AnswersError(f"{path}: cannot read: {err.strerror}") from None
    meta = data.get("rustdock", {})
    answers = data.get("answers", {})
    if not isinstance(meta, dict) or not isinstance(answers, dict):
        raise AnswersError(f"{path}: [rustdock] and [answers] must be tables")
    return str(meta.get("preset", "")), dict(answers)


def render_answers(preset: str, answers: dict[str, Any]) -> str:
    """The answers file's text. Deterministic: the same plan gives the same bytes."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Choices made with rustdock {__version__}. Run `rustdock` here to change"))
    doc.add(tomlkit.comment("them, or `rustdock generate --write` to write the files again."))
    meta = tomlkit.table()
    meta.add("preset", preset)
    doc.add("rustdock", meta)
    table = tomlkit.table()
    for key, value in answers.items():
        table.add(key, value)
    doc.add("answers", table)
    return tomlkit.dumps(doc)


def answers_path(root: Path) -> Path:
    return root / ANSWERS_FILE
