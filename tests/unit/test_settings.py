"""User settings: a TOML file in the config dir, defaults that feed new plans."""

from __future__ import annotations

import pytest

from rustdock.wizard.meta import SETTINGS_ENV
from rustdock.wizard.settings import (
    RECENT_LIMIT,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
    starting_answers,
)


def test_the_env_var_moves_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv(SETTINGS_ENV, str(tmp_path / "cfg"))
    assert settings_path() == tmp_path / "cfg" / "settings.toml"


def test_no_file_means_no_preferences(tmp_path):
    assert load_settings(tmp_path / "missing.toml") == Settings()
    assert Settings().defaults() == {}


def test_settings_round_trip(tmp_path):
    path = tmp_path / "settings.toml"
    settings = Settings(uid=4242, runtime="alpine", comments=False, theme="nord", recent=("/a", "/b"))
    save_settings(settings, path)
    assert load_settings(path) == settings
    assert "uid = 4242" in path.read_text()


def test_bad_values_name_the_file_and_the_option(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[defaults]\nruntime = "windows"\n')
    with pytest.raises(SettingsError, match=r"settings.toml: defaults.runtime takes one of"):
        load_settings(path)
    path.write_text("[defaults\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(path)


def test_recent_projects_newest_first_without_repeats():
    settings = Settings()
    for name in ["a", "b", "a", *map(str, range(RECENT_LIMIT))]:
        settings = settings.with_recent(f"/p/{name}")
    assert settings.recent[0] == f"/p/{RECENT_LIMIT - 1}"
    assert len(settings.recent) == RECENT_LIMIT == len(set(settings.recent))


def test_defaults_sit_below_a_preset_and_saved_answers_stand_alone():
    settings = Settings(uid=4242, runtime="alpine", comments=False)
    assert starting_answers(settings, {}, None) == {"uid": 4242, "runtime": "alpine", "comments": False}
    preset = {"runtime": "scratch", "uid": 10001}
    assert starting_answers(settings, preset, None) == {"comments": False}
    saved = {"port": 8080}
    assert starting_answers(settings, preset, saved) == saved
