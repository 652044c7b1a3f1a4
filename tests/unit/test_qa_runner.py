"""The QA corpus runner (scripts/qa.py): its Dockerfile reading, diff applying and judges.

No fetched project is needed: the inputs are small texts and the bundled demo project.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import qa  # noqa: E402
import qa_judge  # noqa: E402
import qa_check  # noqa: E402
import qa_judge_run  # noqa: E402
from qa_facts import ignored, parse  # noqa: E402

DOCKERFILE = """\
FROM rust:1.95-bookworm AS builder
ARG FEATURES=sqlite
RUN apt-get update && \\
    apt-get install -y --no-install-recommends protobuf-compiler libclang-dev && \\
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cargo build --release --locked -p server --features "${FEATURES} metrics" --bin srv
FROM gcr.io/distroless/cc-debian12
WORKDIR /app
COPY --from=builder --chown=65532:65532 /app/empty /app/data
COPY templates /app/templates
ENV SERVER__ADDRESS 0.0.0.0:8000
USER 65532:65532
EXPOSE 8000 53/udp
ENTRYPOINT ["/app/srv", "start"]
"""


def _generated(text: str = DOCKERFILE, stderr: str = "", ignore: str = "") -> qa_judge.Generated:
    return qa_judge.Generated(0, stderr, parse(text), ignore, {})


def test_reads_the_last_cargo_build_with_its_flags_and_args_resolved():
    facts = parse(DOCKERFILE)
    assert facts.cargo.bins == ["srv"]
    assert facts.cargo.packages == ["server"]
    assert facts.cargo.features == ["sqlite", "metrics"]
    assert facts.cargo.locked and not facts.musl
    assert facts.builder_packages == {"protobuf-compiler", "libclang-dev"}
    assert facts.final.expose == ["8000/tcp", "53/udp"]
    assert facts.final.env == {"SERVER__ADDRESS": "0.0.0.0:8000"}
    assert facts.command == ["/app/srv", "start"]


def test_dockerignore_rules_follow_docker_semantics():
    rules = "target/\n**/target/\n.git/\n.env\n.env.*\n!.env.example\n"
    assert ignored(".git/HEAD", rules)
    assert ignored("crates/x/target/debug", rules)
    assert ignored(".env.local", rules)
    assert not ignored(".env.example", rules)
    assert not ignored("src/main.rs", rules)


def test_apply_diff_rebuilds_new_and_changed_files(tmp_path):
    (tmp_path / "Cargo.toml").write_text("[package]\nname = \"x\"\nversion = \"0.1.0\"\n")
    diff = (
        "--- /dev/null\n+++ b/Dockerfile\n@@ -0,0 +1,2 @@\n+FROM scratch\n+USER 1\n"
        "--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -2,2 +2,3 @@\n name = \"x\"\n-version = \"0.1.0\"\n"
        "+version = \"0.2.0\"\n+edition = \"2021\"\n"
    )
    files = qa.apply_diff(diff, tmp_path)
    assert files["Dockerfile"][0] == "FROM scratch\nUSER 1\n"
    assert files["Cargo.toml"][0] == '[package]\nname = "x"\nversion = "0.2.0"\nedition = "2021"\n'


def test_judges_tell_right_from_wrong():
    g = _generated()
    truth = {"binary": ["srv"], "args": ["start"], "ports": ["8000", "53/udp"], "listen": "loopback",
             "listen_fix": ["SERVER__ADDRESS=0.0.0.0:8000"], "runtime_files": ["templates/"],
             "writable": ["data"], "signals": "handles", "builder_packages": ["libclang-dev"],
             "features_one_of": ["sqlite", "postgres"]}
    for judge in (qa_judge.binary, qa_judge_run.ports, qa_judge_run.listen, qa_judge_run.runtime_files,
                  qa_judge_run.writable, qa_judge_run.signals, qa_judge.builder_packages):
        assert judge(truth, g).status == qa_judge.OK, judge.__name__
    assert qa_judge.features(truth, g).status == qa_judge.OK
    # near misses: an invented port, an unwritable path, a false SIGTERM warning, a missing tool
    assert qa_judge_run.ports({**truth, "ports": ["8000"]}, g).status == qa_judge.WRONG
    assert qa_judge_run.writable({**truth, "writable": ["logs"]}, g).status == qa_judge.MISSING
    loud = _generated(stderr="rustdock: warning: init: as PID 1 the server ignores SIGTERM")
    assert qa_judge_run.signals(truth, loud).status == qa_judge.WRONG
    assert qa_judge.builder_packages({**truth, "builder_packages": ["cmake"]}, g).status == qa_judge.MISSING
    assert qa_judge.features({**truth, "features_one_of": ["mysql"]}, g).status == qa_judge.MISSING


def test_corpus_is_well_formed():
    corpus = tomllib.loads((REPO / "qa" / "corpus.toml").read_text())["project"]
    assert len(corpus) >= 24
    names = [p["name"] for p in corpus]
    assert len(names) == len(set(names))
    for project in corpus:
        assert len(project["commit"]) == 40 and project["binary"], project["name"]
        assert project.get("signals", "handles") in ("handles", "ignores", "sigint-only")
        assert project.get("listen", "all") in ("all", "loopback", "loopback-fixed", "config")


@pytest.mark.skipif(shutil.which("rustdock") is None and not (Path(sys.executable).parent / "rustdock").exists(),
                    reason="rustdock is not installed in this environment")
def test_runner_judges_the_demo_project(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(REPO / "wizard" / "demo" / "project", src / "demo")
    corpus = tmp_path / "corpus.toml"
    corpus.write_text(
        '[[project]]\nname = "demo"\nrepo = "example/demo"\ncommit = "' + "0" * 40 + '"\n'
        'binary = ["hello-service"]\nports = ["9999"]\nsignals = "handles"\n'
    )
    results = tmp_path / "RESULTS.md"
    code = qa.main(["--src", str(src), "--corpus", str(corpus), "--results", str(results),
                    "--out", str(tmp_path / "out"), "--builds", str(tmp_path / "none.toml")])
    text = results.read_text()
    assert code == 0
    row = next(line for line in text.splitlines() if line.startswith("| demo |"))
    assert "WRONG: EXPOSE 8080, the program listens on 9999" in row  # the truth said 9999
    assert (tmp_path / "out" / "demo" / "default" / "Dockerfile").exists()


def test_check_runner_keeps_every_import_line_of_generate():
    stderr = (
        "rustdock: starting from your Dockerfile (3 findings, 2 choices read); --no-import ignores it\n"
        "rustdock:   from your Dockerfile: runtime=scratch (line 11), init=sigint (line 13)\n"
        "rustdock:   changed ca_certs: False -> True (no-ca-roots: scratch has no CA certificates)\n"
        "rustdock:   replaced frontend: dockerfile-1 (line 1) -> builtin (your --set)\n"
        "rustdock:   not carried over: line 5: FROM x (no equivalent)\n"
        "rustdock: tip: healthcheck: without a HEALTHCHECK ...\n"
        "rustdock: error: runtime: no libpq5\n"
    )
    said, errors = qa_check.import_said(stderr)
    assert [line.split()[0] for line in said] == ["starting", "from", "changed", "replaced", "not"]
    assert errors == ["error: runtime: no libpq5"]


def test_report_counts_fully_right_projects_on_both_sides():
    import qa_report

    ok, wrong = qa_judge.Verdict(qa_judge.OK), qa_judge.Verdict(qa_judge.WRONG, "x")
    rows = [
        {"name": "a", "cells": {"run": ok, "ports": ok}, "own": {"ports": wrong}},
        {"name": "b", "cells": {"run": ok, "ports": wrong}, "own": {"ports": ok}},
        {"name": "c", "cells": {"run": ok, "ports": ok}},  # no Dockerfile: own is the same run
    ]
    assert qa_report._perfect(rows, ["run", "ports"], "cells") == ["a", "c"]
    assert qa_report._perfect(rows, ["run", "ports"], "own") == ["b", "c"]


def test_the_build_column_says_why_a_default_dockerfile_cannot_build_here():
    """Untried builds say whether the default Dockerfile could build on this machine at
    all (no registry, no rustup download), with the e2e tier's own reasons."""
    import qa_report
    from benchmarks.offline import why_not_offline_file

    musl = ("FROM rust:1.95-bookworm AS builder\nRUN cargo build --release --locked "
            "--target x86_64-unknown-linux-musl\nFROM scratch\n")
    glibc = "FROM rust:1.95-bookworm AS builder\nRUN cargo build --release --locked\nFROM debian:bookworm-slim\n"
    alpine = "FROM rust:1.95-alpine3.22 AS builder\nRUN apk add musl-dev\n"
    assert why_not_offline_file(musl).startswith("libc=musl needs")
    assert why_not_offline_file(glibc) == ""
    assert "apk" in why_not_offline_file(alpine)
    assert qa_report._build_cell(None, "buildable here") == "not tried: buildable here"
    assert qa_report._build_cell(None).startswith("not tried")
    assert qa_report._build_cell({"result": "ok", "variant": "glibc"}) == "ok (glibc)"


def test_rust_is_judged_against_the_newest_the_lock_compiles_with():
    """rathole's lock needs Rust <= 1.79: the plan judged after the rule error's fix pins it."""
    older = _generated(DOCKERFILE.replace("FROM rust:1.95-bookworm", "FROM rust:1.79-bookworm", 1))
    assert older.facts.builder_image.endswith(":1.79-bookworm")
    assert qa_judge.rust_version({"rust": "", "rust_max": "1.79"}, older).status == qa_judge.OK
    assert "1.79" in qa_judge.rust_version({"rust": "", "rust_max": "1.79"}, older).detail
    assert qa_judge.rust_version({"rust": "1.85"}, older).status == qa_judge.WRONG
