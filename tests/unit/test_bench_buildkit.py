"""The benchmark's text surgery and its judge (benchmarks/buildkit.py, peers.py, results.py).

The cold builds' cache-busting, the edits it times and the peers' Dockerfiles are made by
rewriting text; a change in a template or a sample could quietly turn one into something
else (a cold build that reuses a cache, an edit that compiles nothing), so these pin them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import dockerfile
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.buildkit import Figure, Host, Subject, bump_version, cargo_seconds, edit_source, with_cache_ids  # noqa: E402
from benchmarks.peers import chef_dockerfile, docker_init_dockerfile  # noqa: E402
from benchmarks.pipeline import copy_project, plan_outcome  # noqa: E402
from benchmarks.results import Report  # noqa: E402
from benchmarks.standins import from_refs, standin_for  # noqa: E402

SETS = ("libc=glibc", "runtime=distroless-cc", "frontend=builtin", "caching=cache-mounts")


@pytest.fixture
def notes(tmp_path):
    return copy_project("notes", tmp_path / "notes")


def _mounts(text: str) -> list[str]:
    return re.findall(r"--mount=(\S+?)\s", text)


def test_cold_builds_get_cache_mounts_of_their_own(notes):
    generated = plan_outcome(notes, SETS).rendered.dockerfile
    for text in (generated, docker_init_dockerfile(notes, (".sqlx", "migrations"))):
        busted = with_cache_ids(text, "run1-r0")
        caches = [m for m in _mounts(busted) if "type=cache" in m]
        assert caches and len(caches) == len(re.findall("type=cache", text))
        ids = [re.search(r"id=([^,]+)", m).group(1) for m in caches]
        assert len(set(ids)) == len(ids) and all("run1-r0" in i for i in ids)
        # targets kept, bind mounts untouched, nothing else changed
        # (rustdock's own target-cache id is replaced like the rest)
        assert [_no_id(m) for m in _mounts(busted)] == [_no_id(m) for m in _mounts(text)]
        assert _no_id(busted) == _no_id(text)
        assert with_cache_ids(text, "run1-r1") != busted


def test_an_existing_cache_id_is_replaced_not_doubled():
    text = "RUN --mount=type=cache,id=mine,target=/x cargo build\n"
    assert with_cache_ids(text, "s") == "RUN --mount=type=cache,target=/x,id=rdk-bench-s-0 cargo build\n"


def test_the_one_line_edit_changes_the_program_every_time(notes):
    main = notes / "src/main.rs"
    before = main.read_text().splitlines()
    edit_source(notes, 1)
    first = main.read_text().splitlines()
    edit_source(notes, 2)
    second = main.read_text().splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, second)) if a != b]
    assert len(before) == len(second) and len(changed) == 1
    assert 'async { "ok (edit 2)\\n" }' in second[changed[0]] and first != second
    with pytest.raises(ValueError, match="edit 2"):
        edit_source(notes, 2)


def test_the_version_bump_keeps_the_lock_in_step(notes):
    # Twice: the host's copy is bumped by every group of the run (a second bump to the same
    # version once stopped `make bench` at its very end).
    bump_version(notes)
    bump_version(notes)
    assert '\nversion = "0.1.2"\n' in (notes / "Cargo.toml").read_text()
    lock = (notes / "Cargo.lock").read_text()
    assert 'name = "notes"\nversion = "0.1.2"\n' in lock and 'version = "0.1.0"\n' not in lock.split(
        'name = "notes"', 1)[1][:40]


@pytest.mark.parametrize("make", [lambda r: docker_init_dockerfile(r, (".sqlx", "migrations")),
                                  chef_dockerfile])
def test_peers_parse_without_a_syntax_line_and_build_on_stand_ins(notes, make):
    text = make(notes)
    assert "# syntax" not in text
    assert [c.cmd for c in dockerfile.parse_string(text)][0] in {"ARG", "FROM"}
    for ref in from_refs(text):
        standin_for(ref)  # raises NotOffline when no stand-in answers
    assert "notes" in text


def test_docker_init_mounts_what_notes_compiles_from(notes):
    run = next(c for c in dockerfile.parse_string(docker_init_dockerfile(notes, (".sqlx", "migrations")))
               if c.cmd == "RUN" and "cargo build" in c.original)
    for source in ("src", "Cargo.toml", "Cargo.lock", ".sqlx", "migrations"):
        assert f"--mount=type=bind,source={source},target={source}" in run.original


def _subject(name: str, cold: float, src: float) -> Subject:
    s = Subject(name, Path("/nonexistent"), "")
    s.builds = [(0, "cold", Figure(cold, 3.0)), (0, "src", Figure(src, 4.0)), (0, "src", Figure(src, 5.0))]
    return s


def test_the_judge_says_missed_with_the_figure(tmp_path):
    report = Report(tmp_path / "RESULTS.md", [], "quick", 1, 2)
    report.host = Host(tmp_path)
    report.host.builds = [(0, "src", Figure(10.0, 2.0))]
    report.subjects = [_subject("rustdock caching=cache-mounts", 100.0, 20.0),
                       _subject("docker init", 100.0, 15.0), _subject("cargo-chef README", 100.0, 40.0)]
    report.sizes = [("hello-http", "runtime=scratch", 2_400_000, 1_300_000)]
    report.write()
    text = (tmp_path / "RESULTS.md").read_text()
    top = text.split("## Machine")[0]
    assert "**5.0x** faster" in top and "(target >= 10x: **NOT met**)" in top
    assert "**2.00x** (target <= 1.3x: **NOT met**)" in top
    assert "docker init's Dockerfile (15.0 s): 1.33x its time (target: faster: **NOT met**)" in top
    assert "cargo-chef README's Dockerfile (40.0 s): 0.50x its time (target: faster: met)" in top
    assert "**2.40 MB** against a 1.30 MB stripped binary (target <= binary + 1 MB: **NOT met**)" in top
    assert "| rustdock caching=cache-mounts | 100.0 (load 3.0) | 20.0 (load 4.0–5.0) | — |" in text
    assert "Where that rebuild's time goes" not in top  # no cargo line was seen in the logs


def test_cargo_s_own_seconds_split_a_rebuild_from_the_engine_s_work(tmp_path):
    log = ("#12 11.00     Finished `release` profile [optimized] target(s) in 10.80s\n"
           "#14 DONE 0.1s\n")
    assert cargo_seconds(log) == 10.8
    assert cargo_seconds("Finished `release` profile [optimized] target(s) in 1m 02s\n"
                         "Finished `release` profile [optimized] target(s) in 0.50s") == 62.5
    assert cargo_seconds("#9 CACHED\n") is None
    report = Report(tmp_path / "RESULTS.md", [], "quick", 1, 2)
    report.host = Host(tmp_path)
    report.host.builds = [(0, "src", Figure(10.0, 2.0, cargo=9.5))]
    main = _subject("rustdock caching=cache-mounts", 100.0, 12.0)
    main.builds = [(r, k, Figure(f.seconds, f.load, cargo=10.5)) for r, k, f in main.builds]
    init = _subject("docker init", 100.0, 11.0)
    init.builds = [(r, k, Figure(f.seconds, f.load, cargo=10.4)) for r, k, f in init.builds]
    report.subjects = [main, init]
    report.write()
    text = (tmp_path / "RESULTS.md").read_text()
    assert ("cargo reports **10.5 s** of compiling inside the build; on the host cargo reports "
            "9.5 s for the same change; the other 1.5 s are the engine's") in text
    assert "(docker init: 10.4 s of cargo + 0.6 s)" in text
    assert "| rustdock caching=cache-mounts | 100.0 (load 3.0) | 12.0 (load 4.0–5.0) | 10.5 |" in text


def test_base_images_are_renamed_and_nothing_else(notes):
    from benchmarks.relayer import prefixed

    texts = [plan_outcome(notes, [*SETS[:3], f"caching={c}"]).rendered.dockerfile
             for c in ("cache-mounts", "cargo-chef")]
    texts += [docker_init_dockerfile(notes, (".sqlx",)), chef_dockerfile(notes),
              "FROM scratch\nFROM --platform=$BUILDPLATFORM rust:1 AS b\nFROM b AS c\n"]
    for text in texts:
        renamed = prefixed(text, "rdk-bench-x")
        before, after = from_refs(text), from_refs(renamed)
        assert after == tuple(r if r == "scratch" else f"rdk-bench-x/{r}" for r in before)
        assert [line for line in renamed.splitlines() if not line.startswith("FROM")] == \
               [line for line in text.splitlines() if not line.startswith("FROM")]
    assert prefixed(texts[-1], "p") == "FROM scratch\nFROM --platform=$BUILDPLATFORM p/rust:1 AS b\nFROM b AS c\n"


def _no_id(text: str) -> str:
    return re.sub(r",id=[^,\s]+", "", text)
