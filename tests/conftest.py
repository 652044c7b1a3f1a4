"""Shared test helpers: fixture projects are copied, never used in place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's rustdock settings."""
    monkeypatch.setenv("RUSTDOCK_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy tests/fixtures/<name> into a temporary folder and return its root."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(FIXTURES / name, dest, symlinks=True)
        return dest

    return copy


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Image builds share the engine, its build cache and the stand-ins: keep them on one
    # xdist worker. tryfirst: xdist turns xdist_group marks into node ids in its own hook
    # of this name, and pluggy calls this early-registered conftest after it otherwise,
    # which spread the e2e tests over both workers (issue 9, item 5).
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
