"""Starting from the project's own Dockerfile in the wizard: the welcome screen's offer
(path and what `rustdock check` finds), the plan it makes, undo, the marks on every value
that came from it, and a Dockerfile the BuildKit parser rejects. The seeds' Dockerfiles
(tests/fixtures/seeds) are the fixtures."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from rustdock.screens.confirm import ConfirmScreen
from rustdock.screens.messages import ChoiceMade, Navigate
from rustdock.screens.project import ProjectScreen
from rustdock.screens.widgets.choice_set import THEIRS, ChoiceSet
from rustdock.screens.widgets.origin_mark import ORIGIN
from rustdock.screens.widgets.preview import DockerfilePreview
from rustdock.wizard.check import check_dockerfile

from .drive import copy_project, go_next, palette, pick, ready, start_from, sync, wizard


def seed(tmp_path: Path, name: str = "seed001") -> Path:
    return copy_project(f"seeds/{name}", tmp_path)


def starts(app) -> dict[str, str]:
    """The welcome screen's starting points: id -> the text shown."""
    found = app.screen.query_one("#starts", OptionList)
    return {found.get_option_at_index(i).id: str(found.get_option_at_index(i).prompt)
            for i in range(found.option_count)}


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


@sync
async def test_welcome_offers_their_dockerfile_with_what_check_finds(tmp_path):
    root = seed(tmp_path)
    report = check_dockerfile(root)
    errors = len(report.errors)
    warnings = sum(f.severity == "warning" for f in report.findings)
    async with wizard(root) as (app, pilot):
        offered = starts(app)
        assert list(offered)[0] == "dockerfile" and list(offered)[-1] == "defaults"
        first = offered["dockerfile"]
        assert first.startswith("Start from your Dockerfile")
        assert f"Dockerfile · rustdock check: {errors} errors, {warnings} warnings" in first
        assert offered["defaults"].startswith("Start fresh")
        # The cursor waits on their Dockerfile: n starts from it.
        assert app.screen.query_one("#starts", OptionList).highlighted == 0
        # The facts panel marks what their Dockerfile says beside what Cargo.toml says.
        assert f"1.73 {ORIGIN} (line 2)" in text(app, ".fact-rust")
        assert "2 errors" in text(app, ".fact-your-dockerfile")
        await pilot.press("n")
        await pilot.pause()
        plan = app.plan
        assert app.step == "build"
        assert (plan.runtime, plan.libc, plan.uid, plan.rust_version) == ("alpine", "musl", 10001, "1.73")
        assert plan.dockerfile_line("runtime") == 31


@sync
async def test_starting_from_the_dockerfile_is_a_plan_swap_ctrl_z_takes_back(tmp_path):
    async with wizard(seed(tmp_path), start="preset:smallest") as (app, pilot):
        smallest = app.plan
        assert smallest.runtime == "scratch" and not smallest.from_dockerfile
        await pilot.press("b")
        await pilot.pause()
        await start_from(pilot, "dockerfile", confirm=False)
        # It replaces the preset's choices: asked first, naming their file.
        assert isinstance(app.screen, ConfirmScreen)
        assert "Start over from your Dockerfile?" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await pilot.pause()
        assert app.plan.runtime == "alpine" and app.plan.dockerfile_line("runtime")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.plan == smallest and not app.plan.from_dockerfile
        # And back again, through the palette's start entries this time.
        await palette(pilot, "Start from your Dockerfile")
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await pilot.pause()
        assert app.plan.runtime == "alpine"


@sync
async def test_values_from_their_dockerfile_are_marked_in_words(tmp_path):
    async with wizard(seed(tmp_path), start="dockerfile") as (app, pilot):
        rust = text(app, "#field-rust_version .field-origin")
        assert rust == f"◆ {ORIGIN} (line 2)"
        libc = app.screen.query_one("#control-libc", ChoiceSet)
        rows = [str(libc.get_option_at_index(i).prompt) for i in range(libc.option_count)]
        assert [THEIRS in row for row in rows] == [v == "musl" for v in libc.values]
        # A choice the file did not make keeps the usual words.
        assert text(app, "#field-platforms .field-origin") == "default"
        # frontend: no # syntax= line in their file, so the built-in one, marked as such.
        assert app.plan.frontend == "builtin"
        assert "no # syntax= line" in text(app, "#field-frontend .field-origin")
        assert not app.screen.query_one(DockerfilePreview).text.startswith("# syntax=")
        await go_next(pilot, 4)
        assert app.step == "runtime"
        await pick(pilot, "runtime", "scratch")
        assert app.plan.runtime == "scratch"
        # Their value is still shown beside the list, and the field says what it was.
        runtime = app.screen.query_one("#control-runtime", ChoiceSet)
        alpine = runtime.values.index("alpine")
        assert THEIRS in str(runtime.get_option_at_index(alpine).prompt)
        assert THEIRS not in str(runtime.get_option_at_index(runtime.values.index("scratch")).prompt)
        assert text(app, "#field-runtime .field-origin") == "◇ your Dockerfile said alpine (line 31)"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert text(app, "#field-runtime .field-origin") == f"◆ {ORIGIN} (line 31)"


@sync
async def test_a_dockerfile_the_parser_rejects_is_one_line_and_start_fresh_waits(tmp_path):
    root = seed(tmp_path)
    (root / "Dockerfile").write_text("FROM rust:1.80 AS build\nRUN cargo build --release\nFROMM alpine\n")
    async with wizard(root) as (app, pilot):
        offered = starts(app)
        problem = offered["dockerfile"].splitlines()[1]
        assert problem == ("✖ Dockerfile cannot be read: line 3: unknown instruction 'FROMM'; "
                           "BuildKit rejects it. Start fresh below.")
        found = app.screen.query_one("#starts", OptionList)
        assert found.get_option("dockerfile").disabled
        assert found.get_option_at_index(found.highlighted).id == "defaults"
        await pilot.press("enter")
        await pilot.pause()
        assert app.step == "build" and not app.plan.from_dockerfile
        assert app.plan.frontend == "dockerfile-1"


@sync
async def test_saved_answers_come_first_no_offer(tmp_path):
    async with wizard(copy_project("existing-files", tmp_path)) as (app, pilot):
        assert isinstance(app.screen, ProjectScreen) and app.offer is None
        offered = starts(app)
        assert "dockerfile" not in offered and offered["defaults"].startswith("Derived from the project")


@sync
async def test_every_seed_starts_without_a_traceback(tmp_path):
    for name in ("seed000", "seed002", "seed003", "seed004"):
        async with wizard(seed(tmp_path, name), start="dockerfile") as (app, pilot):
            assert app.step == "build" and app.plan.from_dockerfile, name
            app.post_message(Navigate("review"))
            await pilot.pause(0.3)
            assert app.step == "review", name


async def compare_tab(app, pilot):
    from textual.widgets import TabbedContent

    app.post_message(Navigate("review"))
    await pilot.pause(0.3)
    app.screen.query_one(TabbedContent).active = "tab-compare"
    await pilot.pause(0.3)


@sync
async def test_review_shows_their_file_beside_the_new_one_each_difference_explained(tmp_path):
    from rustdock.screens.widgets.difference_list import DifferenceList
    from rustdock.screens.widgets.marked_file import MarkedFile

    async with wizard(seed(tmp_path), start="dockerfile", size=(120, 36)) as (app, pilot):
        await compare_tab(app, pilot)
        theirs = app.screen.query_one("#theirs", MarkedFile)
        ours = app.screen.query_one("#ours", MarkedFile)
        # Side by side: same top, theirs on the left.
        assert theirs.region.y == ours.region.y and theirs.region.right <= ours.region.x
        assert theirs.side.lines[1] == "FROM rust:1.73 as builder"
        assert ours.side.lines == tuple(app.outcome.rendered.dockerfile.splitlines())
        entries = [str(s.render()) for s in app.screen.query_one(DifferenceList).query(".difference")]
        assert len(entries) == len(app.screen.query_one(DifferenceList).found) >= 8
        for number, entry in enumerate(entries, 1):
            head, _, why = entry.partition("\n")
            assert head.startswith(f"[{number}] ") and why.strip(), entry
        # Their bugs are explained by the check rule that flagged their line...
        copy = next(e for e in entries if "copy-never-built" in e)
        assert copy.split(" · ")[0].endswith("line 42") and "api_gateway" in copy
        # ...and their extra RUN step is listed, not dropped, with what happened to it.
        extra = next(e for e in entries if "RUN apk add libc6-compat" in e)
        assert "line 37" in extra and "not carried over" in extra
        number = entries.index(extra) + 1
        assert theirs.side.marks[36] == (number,)
        # The new file marks where it does what theirs flagged: their COPY at 42 -> our COPY.
        copy_number = entries.index(copy) + 1
        marked = [ours.side.lines[i] for i, found in ours.side.marks.items() if copy_number in found]
        assert marked and all(line.startswith("COPY --from=builder") for line in marked)


@sync
async def test_review_stacks_the_files_at_80x24_and_follows_later_choices(tmp_path):
    from rustdock.screens.widgets.difference_list import DifferenceList
    from rustdock.screens.widgets.marked_file import MarkedFile

    async with wizard(seed(tmp_path), start="dockerfile", size=(80, 24)) as (app, pilot):
        app.post_message(ChoiceMade("runtime", "scratch"))
        await pilot.pause()
        await compare_tab(app, pilot)
        theirs = app.screen.query_one("#theirs", MarkedFile)
        ours = app.screen.query_one("#ours", MarkedFile)
        assert theirs.region.x == ours.region.x and theirs.region.bottom <= ours.region.y
        entries = [str(s.render()) for s in app.screen.query_one(DifferenceList).query(".difference")]
        runtime = next(e for e in entries if e.split(" · ")[1].startswith("Runtime image"))
        assert "alpine → scratch" in runtime and "line 31" in runtime
        # Back to a preset: nothing of theirs left to compare.
        await pilot.press("ctrl+z")
        await pilot.pause()
        app.post_message(Navigate("project"))
        await pilot.pause()
        await start_from(pilot, "preset:smallest")
        app.post_message(Navigate("review"))
        await pilot.pause(0.3)
        assert not app.screen.query("#tab-compare")
