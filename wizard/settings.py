"""The user's own defaults and recent projects, kept in a TOML file in the user config dir.

No Textual here: the wizard's screens and any other front end read and write the same file.
`RUSTDOCK_CONFIG_DIR` (meta.SETTINGS_ENV) points it elsewhere, so tests never touch the
real one.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomlkit

from .meta import SETTINGS_ENV
from .options import OptionError, option

SETTINGS_FILE = "settings.toml"
#: How many recent projects are remembered.
RECENT_LIMIT = 8
#: The settings that stand in for answers when a plan starts (option key -> Settings field).
DEFAULT_KEYS = ("uid", "runtime", "comments")


class SettingsError(ValueError):
    """A settings file that cannot be read; the message names the file and the fix."""


@dataclass(frozen=True)
class Settings:
    """User preferences. None means "no preference": the option's own default applies."""

    uid: int | None = None
    runtime: str | None = None
    comments: bool | None = None
    #: A Textual theme name, "" for Textual's default.
    theme: str = ""
    #: Project directories opened before, newest first.
    recent: tuple[str, ...] = ()

    def defaults(self) -> dict[str, Any]:
        """The preferences that are set, as answers for make_plan."""
        values = {key: getattr(self, key) for key in DEFAULT_KEYS}
        return {key: value for key, value in values.items() if value is not None}

    def with_recent(self, project_dir: Path | str) -> Settings:
        """These settings with a project moved to the front of the recent list."""
        entry = str(project_dir)
        recent = (entry, *(r for r in self.recent if r != entry))[:RECENT_LIMIT]
        return replace(self, recent=recent)


def config_dir() -> Path:
    override = os.environ.get(SETTINGS_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir("rustdock"))


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults when there is no file. Raises SettingsError."""
    path = path or settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SettingsError(f"{path}: not valid TOML ({err}); fix or delete the file") from None
    except OSError as err:
        raise SettingsError(f"{path}: cannot read: {err.strerror}") from None
    return parse_settings(data, path)


def parse_settings(data: Mapping[str, Any], path: Path | str = SETTINGS_FILE) -> Settings:
    defaults = data.get("defaults", {})
    recent = data.get("recent", {}).get("projects", [])
    if not isinstance(defaults, Mapping) or not isinstance(recent, list):
        raise SettingsError(f"{path}: [defaults] must be a table and recent.projects a list")
    values: dict[str, Any] = {}
    for key in DEFAULT_KEYS:
        if key in defaults:
            try:
                values[key] = option(key).parse(defaults[key])
            except OptionError as err:
                raise SettingsError(f"{path}: defaults.{err}") from None
    theme = defaults.get("theme", "")
    return Settings(**values, theme=str(theme), recent=tuple(str(r) for r in recent))


def render_settings(settings: Settings) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("rustdock's own preferences; remove a line to use rustdock's default."))
    defaults = tomlkit.table()
    for key, value in settings.defaults().items():
        defaults.add(key, value)
    if settings.theme:
        defaults.add("theme", settings.theme)
    doc.add("defaults", defaults)
    recent = tomlkit.table()
    recent.add("projects", list(settings.recent))
    doc.add("recent", recent)
    return tomlkit.dumps(doc)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically (a crash never leaves half a file)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(render_settings(settings), encoding="utf-8")
    partial.replace(path)
    return path


def starting_answers(
    settings: Settings,
    preset_choices: Mapping[str, Any],
    saved_answers: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The answers a new plan starts from.

    A saved answers file is the full record of what the user chose for this project, so
    it is taken as it is. Otherwise the user's defaults apply below the preset: picking
    "smallest" still gets scratch even when the user prefers debian-slim elsewhere.
    """
    if saved_answers:
        return dict(saved_answers)
    return {k: v for k, v in settings.defaults().items() if k not in preset_choices}
