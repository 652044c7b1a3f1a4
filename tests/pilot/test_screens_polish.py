"""What the screens show: one numbering, titles, layouts at 120x36 and 80x24, the palette,
the preview's long lines, Cargo.lock after a save, the start screen after a save."""

from __future__ import annotations

import shutil
import tomllib

from rustdock.screens.confirm import ConfirmScreen
from rustdock.screens.done import DoneScreen
from rustdock.screens.messages import Navigate
from rustdock.screens.project import ProjectScreen
from rustdock.screens.widgets.preview import DockerfilePreview
from rustdock.screens.widgets.step_list import StepList
from rustdock.screens.widgets.step_strip import StepStrip

from benchmarks.pipeline import copy_project as copy_sample

from .drive import copy_project, palette, pick, ready, start_from, sync, wizard


def shown(widget) -> str:
    return str(widget.render())


@sync
async def test_one_numbering_everywhere_and_the_projects_name_in_the_title(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults", size=(160, 40)) as (app, pilot):
        assert app.title == "rustdock · hello-api" and app.sub_title != "."
        assert shown(app.screen.query_one("#title")) == "Step 1 of 8 · Build and target"
        steps = app.screen.query_one(StepList)
        prompts = [str(steps.get_option_at_index(i).prompt) for i in range(steps.option_count)]
        assert "1. Build and target" in prompts[1] and prompts[0].endswith("Start")
        await palette(pilot, "Go to: Step 5 of 8")
        assert app.step == "runtime"


@sync
async def test_120x36_preview_is_wide_scrolls_sideways_and_marks_cut_lines(tmp_path):
    async with wizard(copy_project("demo", tmp_path), start="defaults", size=(120, 36)) as (app, pilot):
        preview = app.screen.query_one(DockerfilePreview)
        assert preview.region.width >= 60, "the preview gets the room the step list gave up"
        assert app.screen.query_one(StepStrip).region.height == 1
        assert app.screen.query_one(StepList).region.width == 0
        cut = preview.cut_lines()
        assert cut and "go on ›" in preview.border_subtitle
        line = preview.render_line(cut[0] - preview.scroll_offset.y)
        assert line.text.rstrip().endswith("›"), "a cut line ends in the marker"
        preview.focus()
        await pilot.press(*["right"] * 30)
        await pilot.pause()
        assert preview.scroll_x > 0 and len(preview.cut_lines()) < len(cut)


@sync
async def test_80x24_keeps_a_compact_step_strip_and_usable_fields(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults", size=(80, 24)) as (app, pilot):
        strip = app.screen.query_one(StepStrip)
        assert strip.region.height == 1 and "▶1" in shown(strip)
        assert app.screen.query_one("#fields").region.height >= 8
        labels = [shown(o) for o in app.screen.query(".field-label")]
        assert "C library (target)" in labels


@sync
async def test_the_quit_question_leaves_the_screen_visible_behind_it(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="preset:distroless") as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.styles.background.a < 1, "dimmed, not blanked"


@sync
async def test_the_palette_finds_options_and_values_by_their_words(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        await palette(pilot, "mimalloc")
        assert app.plan.allocator == "mimalloc" and app.step == "allocator"
        await palette(pilot, "unhealthy")  # a word of the healthcheck's help only
        assert app.step == "user" and app.focused.id == "control-healthcheck"
        await palette(pilot, "Undo the last change")
        assert app.plan.allocator != "mimalloc"


@sync
async def test_after_a_save_the_lock_is_offered_a_refresh_and_the_start_screen_is_current(tmp_path):
    # A sample with a real Cargo.lock (its checksums are crates.io's), so cargo can update it.
    root = copy_sample("hello-http", tmp_path / "hello-http")
    async with wizard(root, start="defaults") as (app, pilot):
        app.set_plan(app.plan.with_choice("allocator", "mimalloc"))
        await pilot.press("ctrl+s")
        for _ in range(100):
            if app.lockfile.stale:
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, DoneScreen)
        assert app.lockfile.missing == ("mimalloc",)
        commands = shown(app.screen.query_one("#commands"))
        assert commands.startswith("cargo update --workspace")
        assert "mimalloc" in shown(app.screen.query_one("#lock-text"))
        if shutil.which("cargo"):
            await pilot.press("r")
            for _ in range(600):
                if app.lockfile.ran and not app.lockfile.running:
                    break
                await pilot.pause(0.1)
            assert app.lockfile.ok, app.lockfile.output
            names = {p["name"] for p in tomllib.loads((root / "Cargo.lock").read_text())["package"]}
            assert "mimalloc" in names
            for _ in range(100):
                if not app.lockfile.stale:
                    break
                await pilot.pause(0.05)
            assert not app.lockfile.stale and "refreshed" in shown(app.screen.query_one("#lock-text"))
        app.post_message(Navigate("project"))
        await pilot.pause()
        facts = " ".join(shown(s) for s in app.screen.query(".fact-value"))
        assert "Dockerfile (rustdock's)" in facts and "rustdock.toml" in facts
        assert "Cargo.toml" not in facts or "lacks" not in facts or not app.lockfile.stale


@sync
async def test_reopening_a_project_with_a_stale_lock_and_a_containerfile_says_so(tmp_path):
    root = copy_project("single-crate", tmp_path)
    manifest = root / "Cargo.toml"
    manifest.write_text(manifest.read_text() + 'mimalloc = "0.1"\n')
    (root / "Containerfile").write_text("FROM scratch\n")
    async with wizard(root) as (app, pilot):
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ProjectScreen)
        facts = " ".join(shown(s) for s in app.screen.query(".fact-value"))
        assert "Containerfile (yours" in facts and "lacks mimalloc" in facts
        assert "Cargo.lock is out of date" in shown(app.screen.query_one("#lock-text"))
        await start_from(pilot, "defaults")
        assert app.step == "build"


@sync
async def test_a_presets_values_say_preset_until_changed(tmp_path):
    """Starting from a preset marks its values "preset", not "your choice" (which the user
    never made); a value changed by hand says "your choice", one left derived "default"."""
    async with wizard(copy_project("demo", tmp_path), start="preset:smallest") as (app, pilot):
        origin = lambda key: shown(app.screen.query_one(f"#field-{key} .field-origin"))  # noqa: E731
        assert app.step == "build"
        assert origin("libc") == "preset" and origin("binary") == "default"
        await pick(pilot, "libc", "glibc")
        assert app.plan.choices["libc"] == "glibc"
        assert origin("libc") == "your choice"
