""".dockerignore never breaks the build and never loses a line of someone else's: what the
build reads stays in, and a hand-written file gets rustdock's lines in a marked section."""

from __future__ import annotations

from sys_projects import write_project

from rustdock.wizard.cli import main
from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.ignore_rules import SECTION_END, SECTION_START, split
from rustdock.wizard.lint_dockerignore import ignored
from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render

THEIRS = "# mine\nsecrets/\nbig-data/\n*.lock\n!rust-toolchain.toml\n"


def _project(tmp_path, dockerignore=THEIRS, **kwargs):
    project = write_project(tmp_path, lock=[], **kwargs)
    if dockerignore is not None:
        (tmp_path / ".dockerignore").write_text(dockerignore)
    return detect(tmp_path)


def test_their_lines_stay_first_and_rustdock_s_follow_in_a_marked_section(tmp_path):
    text = render(make_plan(_project(tmp_path))).dockerignore
    assert text.startswith(THEIRS)
    section = text[len(THEIRS):]
    assert SECTION_START in section and section.rstrip().endswith(SECTION_END)
    assert "target/" in section.splitlines()


def test_what_they_exclude_that_the_build_reads_is_put_back(tmp_path):
    text = render(make_plan(_project(tmp_path))).dockerignore
    assert "!Cargo.lock" in text.splitlines()  # their *.lock would break --locked
    assert not ignored("Cargo.lock", text) and ignored("secrets/key", text)


def test_rustdock_does_not_drop_what_they_put_back_nor_repeat_their_lines(tmp_path):
    text = render(make_plan(_project(tmp_path, THEIRS + ".git/\n"))).dockerignore
    section = split(text)[0], text.split(SECTION_START)[1]
    assert "rust-toolchain.toml" not in section[1].splitlines()
    assert ".git/" not in section[1].splitlines()  # theirs already says it
    assert not ignored("rust-toolchain.toml", text)


def test_saving_keeps_their_file_without_force_and_a_rerun_changes_nothing(tmp_path, capsys):
    _project(tmp_path)
    assert main(["generate", str(tmp_path), "--write"]) == 0
    first = (tmp_path / ".dockerignore").read_text()
    assert first.startswith(THEIRS) and first.count(SECTION_START) == 1
    assert main(["generate", str(tmp_path), "--write"]) == 0
    assert (tmp_path / ".dockerignore").read_text() == first
    assert capsys.readouterr().err.rstrip().endswith("every file is already up to date")


def test_their_edit_outside_the_section_survives_the_next_run(tmp_path):
    _project(tmp_path)
    assert main(["generate", str(tmp_path), "--write"]) == 0
    path = tmp_path / ".dockerignore"
    path.write_text("logs/\n" + path.read_text())
    plan = make_plan(detect(tmp_path))
    change = next(c for c in outcome(plan).changes if c.path == ".dockerignore")
    assert not change.changed or change.after.startswith("logs/\n" + THEIRS)


def test_a_file_rustdock_wrote_is_rewritten_whole(tmp_path):
    project = _project(tmp_path, dockerignore=None)
    (tmp_path / ".dockerignore").write_text(render(make_plan(project)).dockerignore + "extra/\n")
    text = render(make_plan(detect(tmp_path))).dockerignore
    assert SECTION_START not in text and "extra/" not in text


def test_an_embedded_readme_is_copied_and_kept(tmp_path):
    project = _project(tmp_path, dockerignore="*.md\n", files={
        "README.md": "# app\n",
        "src/main.rs": '#![doc = include_str!("../README.md")]\nfn main() {}\n'})
    plan = make_plan(project, overrides=["caching=dummy-main"])
    assert "README.md" in values(needs(plan).sources)
    rendered = render(plan)
    assert "COPY README.md README.md" in rendered.dockerfile
    assert not ignored("README.md", rendered.dockerignore)


def test_a_file_the_build_script_reads_is_copied_and_kept(tmp_path):
    project = _project(tmp_path, dockerignore="schema/\n", files={
        "schema/api.json": "{}"},
        build_rs='fn main() { let _ = std::fs::read_to_string("schema/api.json"); }\n')
    plan = make_plan(project, overrides=["caching=none"])
    found = {n.value: n.reason for n in needs(plan).sources}
    assert found.get("schema/api.json") == "build.rs reads it"
    assert not ignored("schema/api.json", render(plan).dockerignore)
