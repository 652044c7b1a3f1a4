"""Driving the wizard like a user: keys and clicks through Pilot, plus the CLI to compare."""

from __future__ import annotations

import shutil
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Switch

from rustdock.screens.app import RustdockApp
from rustdock.screens.confirm import ConfirmScreen
from rustdock.screens.widgets.choice_set import ChoiceSet
from rustdock.wizard import cli
from rustdock.wizard.demo import copy_demo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def copy_project(name: str, dest: Path) -> Path:
    """A fresh copy of a fixture project ("demo" for the bundled demo) under dest."""
    dest.mkdir(parents=True, exist_ok=True)
    if name == "demo":
        return copy_demo(dest)
    return Path(shutil.copytree(FIXTURES / name, dest / name, symlinks=True))


BACKUPS = ".rustdock/backup/"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path; backups by the path they back up.

    Backups sit in a folder named after the time of the save, so two saves of the same
    files differ only in that folder's name.
    """
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            if rel.startswith(BACKUPS):
                rel = BACKUPS + rel.removeprefix(BACKUPS).partition("/")[2]
            files[rel] = path.read_bytes()
    return files


def cli_arg(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(value)
    return str(value)


def cli_write(root: Path, preset: str, answers: dict[str, Any]) -> int:
    """`rustdock generate ROOT --write [--preset P] --set k=v ...`, the CLI's save."""
    argv = ["generate", str(root), "--write"]
    if preset:
        argv += ["--preset", preset]
    for key, value in answers.items():
        argv += ["--set", f"{key}={cli_arg(value)}"]
    return cli.main(argv)


async def ready(pilot: Pilot) -> RustdockApp:
    """Wait until detect has answered (project or error)."""
    app = pilot.app
    assert isinstance(app, RustdockApp)
    for _ in range(200):
        if app.project is not None or app.detect_error:
            await pilot.pause()
            return app
        await pilot.pause(0.02)
    raise AssertionError("detect never answered")


async def start_from(pilot: Pilot, option_id: str, *, confirm: bool = True) -> None:
    """Pick a starting point on the project screen with the arrow keys and Enter; when the
    wizard asks before replacing choices, say yes (unless `confirm` is False)."""
    starts = pilot.app.screen.query_one("#starts", OptionList)
    ids = [starts.get_option_at_index(i).id for i in range(starts.option_count)]
    starts.focus()
    await pilot.press("home", *["down"] * ids.index(option_id), "enter")
    await pilot.pause()
    if confirm and isinstance(pilot.app.screen, ConfirmScreen):
        await pilot.press("y")
        await pilot.pause()


@asynccontextmanager
async def wizard(root: Path, *, start: str = "", size: tuple[int, int] = (120, 40)):
    """The app on a project, detect done, optionally started from a starting point."""
    app = RustdockApp(root)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        if start:
            await start_from(pilot, start)
        yield app, pilot


async def palette(pilot: Pilot, command: str) -> None:
    """Run a command palette entry by typing its name."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)


async def go_next(pilot: Pilot, times: int = 1) -> None:
    for _ in range(times):
        await pilot.press("ctrl+n")
        await pilot.pause()


async def pick(pilot: Pilot, key: str, value: Any) -> None:
    """Set an option through its widget on the current step, as a user would."""
    control = pilot.app.screen.query_one(f"#control-{key}")
    control.focus()
    await pilot.pause()
    if isinstance(control, ChoiceSet):
        steps = control.values.index(value) - (control.highlighted or 0)
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    elif isinstance(control, Switch):
        if control.value != value:
            await pilot.press("space")
    elif isinstance(control, Input):
        await pilot.press("home", "ctrl+k", *cli_arg(value))
    else:  # pragma: no cover - a new kind of field
        raise AssertionError(f"no way to set {key}")
    await pilot.pause()


def sync(test):
    """Run an async test with asyncio.run (no async pytest plugin is needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run
