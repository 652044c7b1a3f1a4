"""Whole walkthroughs: what the wizard saves is byte for byte what the CLI writes."""

from __future__ import annotations

import pytest

from rustdock.screens.done import DoneScreen
from rustdock.screens.steps import GROUP_IDS
from rustdock.wizard.presets import PRESETS

from .drive import cli_write, copy_project, go_next, pick, sync, tree, wizard

SIZE = (120, 40)


async def save_from_review(pilot) -> None:
    await go_next(pilot)  # review -> save
    assert pilot.app.step == "save"
    await pilot.press("ctrl+s")
    await pilot.pause()


@pytest.mark.parametrize("preset", [p.name for p in PRESETS])
@sync
async def test_each_preset_saves_what_the_cli_writes(tmp_path, preset):
    root = copy_project("single-crate", tmp_path / "tui")
    async with wizard(root, start=f"preset:{preset}") as (app, pilot):
        assert app.step == GROUP_IDS[0]
        seen = [app.step]
        for _ in GROUP_IDS:
            await go_next(pilot)
            seen.append(app.step)
        assert seen == [*GROUP_IDS, "review"]
        await save_from_review(pilot)
        assert isinstance(app.screen, DoneScreen), app.screen
        plan = app.plan
    assert plan.preset == preset
    cli_root = copy_project("single-crate", tmp_path / "cli")
    assert cli_write(cli_root, preset, plan.answers()) == 0
    assert tree(root) == tree(cli_root)
    assert "Dockerfile" in tree(root)


@sync
async def test_custom_path_through_every_step_saves_what_the_cli_writes(tmp_path):
    root = copy_project("demo", tmp_path / "tui")
    picks = {
        "build": {"libc": "glibc", "debian": "trixie", "platforms": "amd64,arm64"},
        "caching": {"caching": "dummy-main", "profile": "size"},
        "tls": {"tls": "rustls", "tzdata": True},
        "allocator": {"allocator": "mimalloc"},
        "runtime": {"runtime": "debian-slim"},
        "user": {"uid": 12345, "healthcheck": "probe", "health_path": "/ready", "init": "tini"},
        "run": {"ports": ("9000", "9001/udp"), "args": "--verbose", "env": ("RUST_LOG=info",)},
        "private": {"private_git": True},
    }
    async with wizard(root, start="defaults") as (app, pilot):
        for group in GROUP_IDS:
            assert app.step == group
            for key, value in picks[group].items():
                await pick(pilot, key, value)
                assert app.plan.choices[key] == value, key
            await go_next(pilot)
        assert app.step == "review"
        assert not app.outcome.errors, app.outcome.errors
        await save_from_review(pilot)
        assert isinstance(app.screen, DoneScreen)
        plan = app.plan
        commands = "\n".join(str(line) for line in app.screen.query_one("#commands").render().plain.splitlines())
    chosen = {key: value for group in picks.values() for key, value in group.items()}
    assert {k: plan.choices[k] for k in chosen} == chosen
    assert "docker buildx build --platform linux/amd64,linux/arm64 --ssh default -t hello-service ." in commands
    assert "docker run --rm -p 9000:9000 -p 9001:9001/udp hello-service" in commands
    cli_root = copy_project("demo", tmp_path / "cli")
    assert cli_write(cli_root, "", plan.answers()) == 0
    assert tree(root) == tree(cli_root)
