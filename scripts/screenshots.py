"""`make screenshots`: one SVG per screen of the wizard into screenshots/ (for the README).

Runs the real app headless on a fresh copy of the demo project, drives it with Pilot
and exports each screen. Paths shown are those of the copy, so it lives at a fixed place.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from rustdock.screens.app import RustdockApp
from rustdock.screens.messages import Navigate, StartRequested
from rustdock.screens.steps import GROUP_IDS
from rustdock.wizard.demo import copy_demo

OUT = Path(__file__).resolve().parents[1] / "screenshots"
PLACE = Path(tempfile.gettempdir()) / "rustdock-screenshots"
#: The sizes a newcomer tried it at: a common wide terminal and the smallest it supports.
WIDE, SMALL = (120, 36), (80, 24)

Scene = Callable[[Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    app = pilot.app
    while app.project is None and not app.detect_error:
        await pilot.pause(0.02)
    await pilot.pause(0.3)


def go(step: str, preset: str = "") -> Scene:
    async def scene(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.post_message(StartRequested(preset))
        await pilot.pause(0.2)
        pilot.app.post_message(Navigate(step))
        await pilot.pause(0.3)

    return scene


def then(first: Scene, *keys: str) -> Scene:
    async def scene(pilot: Pilot) -> None:
        await first(pilot)
        await pilot.press(*keys)
        await pilot.pause(0.3)

    return scene


def typed(first: Scene, text: str) -> Scene:
    """After `first`, open the command palette and type `text` (its hits show)."""

    async def scene(pilot: Pilot) -> None:
        await first(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*text)
        await pilot.pause(0.6)

    return scene


def saved(first: Scene) -> Scene:
    """After `first`, ctrl+s, and wait until the project is read again (Cargo.lock's state)."""

    async def scene(pilot: Pilot) -> None:
        await first(pilot)
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.05)
            if pilot.app.lockfile.stale:
                break
        await pilot.pause(0.3)

    return scene


async def settings(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.app.run_action("open_settings")
    await pilot.pause(0.3)


SCENES: list[tuple[str, tuple[int, int], Scene, bool]] = [
    ("01-welcome", WIDE, settle, False),
    ("01-welcome-80x24", SMALL, settle, False),
    *[
        (f"{index + 2:02d}-step-{group}", WIDE, go(group), False)
        for index, group in enumerate(GROUP_IDS)
    ],
    ("10-step-build-80x24-preview", SMALL, then(go("build"), "p"), False),
    ("11-review", WIDE, go("review", "distroless"), False),
    ("11-review-80x24", SMALL, go("review", "distroless"), False),
    ("12-save", WIDE, go("save", "distroless"), False),
    ("13-done", WIDE, saved(go("save", "distroless")), False),
    ("14-quit", WIDE, then(go("build"), "ctrl+q"), False),
    ("15-settings", WIDE, settings, False),
    ("16-not-a-rust-project", WIDE, settle, True),
    ("17-palette-search", WIDE, typed(go("build"), "mimalloc"), False),
    ("18-step-runtime-80x24", SMALL, go("runtime"), False),
]


#: A hand-written Dockerfile for the demo, with the bugs such files have, for the import
#: scenes: an old Rust, no --locked, no CA certificates, root, a shell-form CMD.
THEIR_DOCKERFILE = """\
FROM rust:1.80 as builder
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y libssl3 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /usr/src/app/target/release/hello-service /usr/local/bin/hello-service
COPY static /app/static
EXPOSE 3000
CMD hello-service
"""


def compared() -> Scene:
    """Started from their Dockerfile, on the review's "Yours → new" tab."""

    async def scene(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.post_message(StartRequested(dockerfile=True))
        await pilot.pause(0.3)
        pilot.app.post_message(Navigate("review"))
        await pilot.pause(0.3)
        pilot.app.screen.query_one("#tabs").active = "tab-compare"
        await pilot.pause(0.3)

    return scene


async def offered(pilot: Pilot) -> None:
    """The welcome screen once it shows the starting points (the offer comes with the
    project, and the screen is rebuilt for it)."""
    await settle(pilot)
    for _ in range(100):
        if pilot.app.screen.query("#starts"):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


#: The same demo with THEIR_DOCKERFILE beside it.
IMPORT_SCENES: list[tuple[str, tuple[int, int], Scene]] = [
    ("19-import-welcome", WIDE, offered),
    ("20-import-review", WIDE, compared()),
    ("20-import-review-80x24", SMALL, compared()),
]


async def shoot(name: str, size: tuple[int, int], scene: Scene, empty: bool,
                dockerfile: str = "") -> Path:
    shutil.rmtree(PLACE, ignore_errors=True)
    root = PLACE / "empty" if empty else copy_demo(PLACE)
    root.mkdir(parents=True, exist_ok=True)
    if dockerfile:
        (root / "Dockerfile").write_text(dockerfile)
    app = RustdockApp(root)
    async with app.run_test(size=size) as pilot:
        await scene(pilot)
        app.save_screenshot(f"{name}.svg", path=str(OUT))
    return OUT / f"{name}.svg"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    # Never the user's own settings: a theme or defaults there would change the pictures.
    os.environ["RUSTDOCK_CONFIG_DIR"] = str(PLACE.with_name("rustdock-screenshots-config"))
    for name, size, scene, empty in SCENES:
        print(asyncio.run(shoot(name, size, scene, empty)).relative_to(OUT.parent))
    for name, size, scene in IMPORT_SCENES:
        print(asyncio.run(shoot(name, size, scene, False, THEIR_DOCKERFILE)).relative_to(OUT.parent))
    shutil.rmtree(PLACE, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
