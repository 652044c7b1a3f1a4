"""Every screen as an SVG snapshot, on a copy of the demo project at a fixed path.

Paths in the app are shown as they are, so the copy lives at a fixed place and the
settings file too: a snapshot must not contain a temporary folder's name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustdock.screens.app import RustdockApp
from rustdock.screens.messages import Navigate
from rustdock.screens.steps import GROUP_IDS
from rustdock.wizard.demo import copy_demo

from pilot.drive import ready, start_from  # tests/ is on sys.path (rootdir of the packages)

BASE = Path("/tmp/rustdock-snapshots")
SIZE = (100, 30)
SMALL = (80, 24)


@pytest.fixture
def demo_root(request, monkeypatch) -> Path:
    """A fresh demo copy at /tmp/rustdock-snapshots/<test>/hello-service."""
    place = BASE / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(place, ignore_errors=True)
    monkeypatch.setenv("RUSTDOCK_CONFIG_DIR", str(place / "config"))
    return copy_demo(place)


def at_step(step: str, preset: str = "defaults"):
    async def run_before(pilot) -> None:
        await ready(pilot)
        await start_from(pilot, preset)
        if pilot.app.step != step:
            pilot.app.post_message(Navigate(step))
        await pilot.pause(0.2)

    return run_before


async def loaded(pilot) -> None:
    await ready(pilot)
    await pilot.pause(0.2)


def test_welcome(snap_compare, demo_root):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=loaded)


def test_welcome_small(snap_compare, demo_root):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SMALL, run_before=loaded)


def test_not_a_rust_project(snap_compare, demo_root):
    empty = demo_root.parent / "empty"
    empty.mkdir()
    assert snap_compare(RustdockApp(empty), terminal_size=SIZE, run_before=loaded)


@pytest.mark.parametrize("step", GROUP_IDS)
def test_step(snap_compare, demo_root, step):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=at_step(step))


def test_review(snap_compare, demo_root):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=at_step("review"))


def test_review_small(snap_compare, demo_root):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SMALL, run_before=at_step("review"))


def test_save(snap_compare, demo_root):
    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=at_step("save"))


def test_save_blocked_by_an_error(snap_compare, demo_root):
    async def run_before(pilot) -> None:
        await at_step("save", "preset:smallest")(pilot)
        app = pilot.app
        app.set_plan(app.plan.with_choice("libc", "glibc"))
        await pilot.pause(0.2)

    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=run_before)


def test_done(snap_compare, demo_root):
    async def run_before(pilot) -> None:
        await at_step("save", "preset:distroless")(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        # The save detects the project again in a worker (Cargo.lock's state shows on this
        # screen): on a loaded machine 0.2 s is not enough, so wait for it.
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)

    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=run_before)


def test_quit_confirmation(snap_compare, demo_root):
    async def run_before(pilot) -> None:
        await at_step("build")(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause(0.2)

    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=run_before)


def test_settings(snap_compare, demo_root):
    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.app.run_action("open_settings")
        await pilot.pause(0.2)

    assert snap_compare(RustdockApp(demo_root), terminal_size=SIZE, run_before=run_before)
