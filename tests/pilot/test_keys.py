"""Keys as a demanding user presses them: bursts, undo, keyboard fixes, ctrl+s everywhere."""

from __future__ import annotations

import random

from textual.widgets import Input

from rustdock.screens.confirm import ConfirmScreen
from rustdock.screens.done import DoneScreen
from rustdock.screens.messages import Navigate
from rustdock.screens.steps import GROUP_IDS
from rustdock.screens.widgets.choice_set import CHOSEN, ChoiceSet
from rustdock.screens.widgets.finding_note import FindingNote
from rustdock.screens.widgets.guidance import Guidance
from rustdock.screens.widgets.preview import DockerfilePreview

from .drive import copy_project, palette, pick, sync, wizard


def marks(choice_set: ChoiceSet) -> list[str]:
    """The values the list shows as chosen, read from what it draws."""
    prompts = [str(choice_set.get_option_at_index(i).prompt) for i in range(choice_set.option_count)]
    return [value for value, prompt in zip(choice_set.values, prompts) if prompt.startswith(CHOSEN)]


async def go(pilot, step: str) -> None:
    pilot.app.post_message(Navigate(step))
    await pilot.pause()
    await pilot.pause()


@sync
async def test_bursts_of_keys_never_split_the_radio_marks_from_the_plan(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        await go(pilot, "runtime")
        runtime = app.screen.query_one("#control-runtime", ChoiceSet)
        assert runtime.highlighted == runtime.values.index(app.plan.runtime), "cursor on the choice"
        runtime.focus()
        rng = random.Random(13)
        for _ in range(6):
            burst = [rng.choice(["down", "down", "up", "enter", "space"]) for _ in range(25)]
            await pilot.press(*burst)  # no pause between keys
            await pilot.pause()
            assert marks(runtime) == [app.plan.runtime]
            preview = app.screen.query_one(DockerfilePreview).text
            assert preview == app.outcome.rendered.dockerfile
        # Down-Enter chooses the value under the cursor, nothing else.
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert app.plan.runtime == runtime.values[1] and marks(runtime) == [runtime.values[1]]


@sync
async def test_guidance_describes_the_choice_and_the_value_under_the_cursor(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        await go(pilot, "runtime")
        runtime = app.screen.query_one("#control-runtime", ChoiceSet)
        runtime.focus()
        await pilot.pause()
        chosen = runtime.choices[runtime.values.index(app.plan.runtime)]
        text = app.screen.query_one(Guidance).text
        assert f"Chosen: {chosen.label}" in text and "Under the cursor" not in text
        await pilot.press("end")
        await pilot.pause()
        text = app.screen.query_one(Guidance).text
        last = runtime.choices[-1]
        assert f"Chosen: {chosen.label}" in text and f"Under the cursor (Enter chooses it): {last.label}" in text
        assert app.plan.runtime == chosen.value, "looking changes nothing"
        guidance = app.screen.query_one(Guidance)
        assert guidance.region.height >= text.count("\n"), "the pane grows with its text"


@sync
async def test_undo_takes_back_choices_and_a_preset_switch_after_asking(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="preset:distroless") as (app, pilot):
        first = app.plan
        await pick(pilot, "libc", "glibc")
        assert app.plan.libc == "glibc"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan == first and app.plan.explicit == first.explicit
        await pick(pilot, "builder", "debian-slim")
        await palette(pilot, "Start over from preset: Smallest")
        assert isinstance(app.screen, ConfirmScreen), "discarding choices asks first"
        await pilot.press("n")
        await pilot.pause()
        assert app.plan.builder == "debian-slim" and app.plan.preset == "distroless"
        await palette(pilot, "Start over from preset: Smallest")
        await pilot.press("y")
        await pilot.pause()
        assert app.plan.preset == "smallest" and app.plan.builder != "debian-slim"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan.preset == "distroless" and app.plan.builder == "debian-slim"


@sync
async def test_every_finding_is_fixed_from_the_keyboard_with_its_follow_up(tmp_path):
    root = copy_project("openssl-lock", tmp_path)
    async with wizard(root, start="defaults") as (app, pilot):
        for key, value in (("libc", "glibc"), ("runtime", "scratch"), ("tls", "openssl-system"),
                           ("user", "root")):
            app.set_plan(app.plan.with_choice(key, value))
        await go(pilot, "review")
        notes = [n for n in app.screen.query(FindingNote) if n.can_focus]
        assert len(notes) >= 2, "several fixable findings"
        # Tab to the second fixable finding: Enter applies that one, not the first.
        target = notes[1]
        while app.focused is not target:
            await pilot.press("tab")
        second = target.finding
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        for key, value in second.fix_choices:
            assert app.plan.choices[key] == value
        # The dynamic binary in scratch: its fix (musl) needs OpenSSL vendored as well.
        app.set_plan(app.plan.with_choices({"libc": "glibc", "runtime": "scratch", "tls": "openssl-system"}))
        await pilot.pause()
        await pilot.pause()
        dynamic = next(n for n in app.screen.query(FindingNote) if n.finding.rule == "dynamic-in-static-runtime")
        dynamic.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert (app.plan.libc, app.plan.tls) == ("musl", "openssl-vendored")
        assert not [f for f in app.outcome.errors if f.rule == "openssl-musl-unlinkable"]
        title, message = [(n.title, n.message) for n in app._notifications][-1]
        assert title.startswith("Fix applied") and "C library (target): static musl" in message
        assert "TLS: OpenSSL, vendored" in message, "the follow-up fix is said"
        assert "=" not in message and "dynamic-in-static-runtime" not in title + message


@sync
async def test_ctrl_s_saves_from_every_step(tmp_path):
    root = copy_project("single-crate", tmp_path)
    async with wizard(root, start="preset:distroless") as (app, pilot):
        for step, port in zip([*GROUP_IDS, "review"], range(9001, 9020)):
            await go(pilot, step)
            assert app.step == step
            app.set_plan(app.plan.with_choice("port", port))  # something unsaved
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, DoneScreen), step
            assert not app.unsaved and f"EXPOSE {port}" in (root / "Dockerfile").read_text()


@sync
async def test_text_fields_keep_letters_and_steps_start_outside_them(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        field = app.screen.query_one("#control-rust_version", Input)
        field.focus()
        await pilot.press("end", "n", "b")
        await pilot.pause()
        assert field.value.endswith("nb") and app.step == "build", "n and b are letters here"
        error = str(app.screen.query_one("#field-rust_version .field-error").render())
        assert error.startswith("Rust version") and "rust_version" not in error
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.step == "caching", "ctrl+n moves on from a text field"
        await go(pilot, "run")
        await pilot.pause()
        assert not isinstance(app.focused, Input), "the port step does not start typing"
        await pilot.press("n")
        await pilot.pause()
        assert app.step == "private"


@sync
async def test_the_fix_key_does_nothing_on_the_start_screen(tmp_path):
    async with wizard(copy_project("existing-files", tmp_path)) as (app, pilot):
        before = app.plan
        await pilot.press("f")
        await pilot.pause()
        assert app.plan == before and app.step == "project"


@sync
async def test_a_burst_of_next_and_back_moves_one_step_per_key(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        app.screen.query_one("#fields").focus()
        await pilot.press("n", "n", "n")  # no pause: screens are still being switched
        for _ in range(50):
            await pilot.pause(0.02)
        assert app.step == GROUP_IDS[3]
        app.screen.query_one("#fields").focus()
        await pilot.press("b", "b")
        for _ in range(50):
            await pilot.pause(0.02)
        assert app.step == GROUP_IDS[1]
