"""The wizard's promises one at a time: preview, errors and fixes, quit, tweak, consent."""

from __future__ import annotations

from rustdock.screens import app as app_module
from rustdock.screens.confirm import ConfirmScreen
from rustdock.screens.project import ProjectScreen
from rustdock.screens.save import SaveScreen
from rustdock.screens.step import StepScreen
from rustdock.screens.widgets import preview as preview_module
from rustdock.screens.widgets.preview import DockerfilePreview
from rustdock.wizard.meta import MARKER
from rustdock.wizard.settings import Settings, load_settings, save_settings

from .drive import copy_project, go_next, palette, pick, ready, start_from, sync, wizard

SIZE = (120, 40)


@sync
async def test_preview_follows_every_change_and_marks_the_touched_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(preview_module, "MARK_SECONDS", 4)
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        preview = app.screen.query_one(DockerfilePreview)
        before = preview.text
        assert before == app.outcome.rendered.dockerfile
        assert "unknown-linux-musl" in before and not preview.marked
        await pick(pilot, "libc", "glibc")
        after = preview.text
        assert after == app.outcome.rendered.dockerfile != before
        lines = after.splitlines()
        assert preview.marked, "the lines the change touched are marked"
        brand_new = {i for i, line in enumerate(lines) if line not in before.splitlines()}
        assert brand_new and brand_new <= set(preview.marked) and len(preview.marked) < len(lines)
        assert any("distroless/cc" in lines[i] for i in preview.marked), "runtime follows libc"
        for _ in range(100):
            if not preview.marked:
                break
            await pilot.pause(0.1)
        assert preview.marked == (), "marks fade after a moment"


@sync
async def test_preview_toggles_and_stacks_when_narrow(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        preview = app.screen.query_one(DockerfilePreview)
        assert preview.display and preview.region.width > 0
        await pilot.press("p")
        await pilot.pause()
        assert preview.region.width == 0
    async with wizard(copy_project("single-crate", tmp_path / "narrow"), start="defaults", size=(80, 24)) as (app, pilot):
        preview = app.screen.query_one(DockerfilePreview)
        assert preview.region.height == 0, "collapsed at 80 columns"
        await pilot.press("p")
        await pilot.pause()
        assert preview.region.height > 0 and preview.region.width == 80, "stacked below"


@sync
async def test_an_error_blocks_saving_and_the_fix_key_fixes_it(tmp_path):
    root = copy_project("single-crate", tmp_path)
    async with wizard(root, start="preset:smallest") as (app, pilot):
        await pick(pilot, "libc", "glibc")  # a dynamic binary in scratch cannot start
        errors = app.outcome.errors
        assert errors and errors[0].fix_choices
        field = app.screen.query_one(f"#field-{errors[0].option}")
        assert field.has_class("-has-error"), "the error shows next to its option"
        app.post_message(app_module.Navigate("save"))
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        assert app.screen.query_one("#save").disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not (root / "Dockerfile").exists(), "nothing is written while an error stands"
        await pilot.press("f")
        await pilot.pause()
        assert not app.outcome.errors
        assert app.plan.choices[errors[0].fix_choices[0][0]] == errors[0].fix_choices[0][1]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (root / "Dockerfile").read_text().splitlines()[1].startswith(MARKER)


@sync
async def test_quit_asks_before_dropping_unsaved_choices(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="preset:distroless") as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


@sync
async def test_quit_without_choices_leaves_at_once(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path)) as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@sync
async def test_saved_answers_open_for_tweaking_and_a_preset_starts_over(tmp_path):
    async with wizard(copy_project("existing-files", tmp_path)) as (app, pilot):
        assert isinstance(app.screen, ProjectScreen)
        assert app.plan.preset == "distroless"
        assert app.plan.answers()["ports"] == ["8080"]  # saved as `port = 8080` by an older rustdock
        assert not app.unsaved, "opening saved answers changes nothing"
        await start_from(pilot, "saved")
        assert app.plan.choices["ports"] == ("8080",) and app.step == "build"
        await pilot.press("b")
        await pilot.pause()
        await start_from(pilot, "preset:alpine-debug")
        assert app.plan.preset == "alpine-debug" and app.plan.runtime == "alpine"
        assert app.unsaved


@sync
async def test_a_dockerfile_rustdock_did_not_write_is_replaced_only_with_consent(tmp_path):
    root = copy_project("single-crate", tmp_path)
    (root / "Dockerfile").write_text("FROM scratch\n")
    async with wizard(root, start="preset:distroless") as (app, pilot):
        app.post_message(app_module.Navigate("save"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (root / "Dockerfile").read_text() == "FROM scratch\n"
        assert "Tick the box" in str(app.screen.query_one("#save-error").render())
        await pilot.click("#overwrite")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert MARKER in (root / "Dockerfile").read_text()
        assert app.last_save is not None and app.last_save.backups
        assert app.step == "done"


@sync
async def test_outside_a_rust_project_it_says_so_and_offers_the_demo(tmp_path):
    empty = tmp_path / "not-rust"
    empty.mkdir()
    async with wizard(empty) as (app, pilot):
        assert app.detect_error
        assert "Cargo.toml" in str(app.screen.query_one("#detect-error").render())
        await pilot.click("#demo")
        await ready(pilot)
        for _ in range(100):
            if app.project is not None:
                break
            await pilot.pause(0.02)
        assert app.project is not None and app.project.name == "hello-service"
        assert app.root != empty and not any(empty.iterdir()), "the demo is a copy elsewhere"


@sync
async def test_command_palette_goes_to_a_step(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        await palette(pilot, "Go to: Runtime image")
        assert app.step == "runtime"


@sync
async def test_step_list_click_goes_to_that_step(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path), start="defaults") as (app, pilot):
        steps = app.screen.query_one("#steps")
        steps.focus()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.step == "tls"
        await go_next(pilot)
        assert app.step == "allocator"


@sync
async def test_user_defaults_feed_a_fresh_plan_and_projects_are_remembered(tmp_path):
    save_settings(Settings(uid=4242, runtime="alpine"))
    root = copy_project("single-crate", tmp_path)
    async with wizard(root, start="defaults") as (app, pilot):
        assert (app.plan.uid, app.plan.runtime) == (4242, "alpine")
        await pilot.press("b")
        await pilot.pause()
        await start_from(pilot, "preset:smallest")
        assert (app.plan.uid, app.plan.runtime) == (10001, "scratch"), "the preset wins"
    assert load_settings().recent[0] == str(root.resolve())


@sync
async def test_the_theme_the_user_picks_is_remembered(tmp_path):
    root = copy_project("single-crate", tmp_path)
    async with wizard(root) as (app, pilot):
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause()
    assert load_settings().theme == "nord"
    async with wizard(root) as (again, pilot):
        assert again.theme == "nord"


@sync
async def test_the_settings_screen_saves_my_defaults(tmp_path):
    async with wizard(copy_project("single-crate", tmp_path)) as (app, pilot):
        await palette(pilot, "Settings: my defaults")
        app.screen.query_one("#uid").focus()
        await pilot.press(*"abc")  # not a number: the integer field refuses it
        await pilot.press(*"7777")
        await pilot.click("#save")
        await pilot.pause()
    assert load_settings().uid == 7777
