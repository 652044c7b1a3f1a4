"""The screens of a start from the project's own Dockerfile, as SVG snapshots: the
welcome offer (and a file the parser rejects), the marks on a step, and the review's
comparison side by side and stacked. On a copy of seed 001 at a fixed path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustdock.screens.app import RustdockApp
from rustdock.screens.messages import Navigate, StartRequested

from pilot.drive import ready  # tests/ is on sys.path (rootdir of the packages)

BASE = Path("/tmp/rustdock-snapshots")
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "seed001"
SIZE = (100, 30)
SMALL = (80, 24)


@pytest.fixture
def seed_root(request, monkeypatch) -> Path:
    """A fresh copy of seed 001 at /tmp/rustdock-snapshots/<test>/seed001."""
    place = BASE / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(place, ignore_errors=True)
    monkeypatch.setenv("RUSTDOCK_CONFIG_DIR", str(place / "config"))
    return Path(shutil.copytree(SEED, place / "seed001"))


async def offered(pilot) -> None:
    await ready(pilot)
    for _ in range(200):
        if pilot.app.screen.query("#starts"):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def started(step: str, tab: str = ""):
    async def run_before(pilot) -> None:
        await offered(pilot)
        pilot.app.post_message(StartRequested(dockerfile=True))
        await pilot.pause(0.2)
        pilot.app.post_message(Navigate(step))
        await pilot.pause(0.3)
        if tab:
            pilot.app.screen.query_one("#tabs").active = tab
            await pilot.pause(0.3)

    return run_before


def test_welcome_offers_the_dockerfile(snap_compare, seed_root):
    assert snap_compare(RustdockApp(seed_root), terminal_size=SIZE, run_before=offered)


def test_welcome_offers_the_dockerfile_small(snap_compare, seed_root):
    assert snap_compare(RustdockApp(seed_root), terminal_size=SMALL, run_before=offered)


def test_welcome_with_a_dockerfile_the_parser_rejects(snap_compare, seed_root):
    (seed_root / "Dockerfile").write_text("FROM rust:1.80 AS build\nFROMM alpine\n")
    assert snap_compare(RustdockApp(seed_root), terminal_size=SIZE, run_before=offered)


def test_step_marks_values_from_the_dockerfile(snap_compare, seed_root):
    assert snap_compare(RustdockApp(seed_root), terminal_size=SIZE, run_before=started("runtime"))


def test_review_compares_side_by_side(snap_compare, seed_root):
    assert snap_compare(RustdockApp(seed_root), terminal_size=SIZE,
                        run_before=started("review", "tab-compare"))


def test_review_compares_stacked_small(snap_compare, seed_root):
    assert snap_compare(RustdockApp(seed_root), terminal_size=SMALL,
                        run_before=started("review", "tab-compare"))
