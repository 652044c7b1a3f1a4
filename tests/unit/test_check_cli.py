"""`rustdock check` on the command line: finding the file, bad input, formats, exit codes."""

from __future__ import annotations

import json
import os

import pytest
from check_helpers import make_project

from rustdock.wizard.cli import main
from rustdock.wizard.dockerfile.find import find_dockerfile

BUGGY = """
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked
FROM scratch
COPY --from=build /src/target/release/app /app
ENTRYPOINT ["/app"]
"""


def run(capsys, *argv):
    code = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_lines_and_exit_one_on_errors(tmp_path, capsys):
    make_project(tmp_path, BUGGY)
    code, out, err = run(capsys, tmp_path)
    assert code == 1
    assert "Dockerfile:4: error dynamic-in-static-runtime: " in out
    assert all(line.startswith("Dockerfile:") for line in out.splitlines())
    assert " Fix: " in out.splitlines()[0]
    assert "1 error" in err


def test_exit_zero_without_errors(tmp_path, capsys):
    make_project(tmp_path, BUGGY.replace("FROM scratch", "FROM gcr.io/distroless/cc-debian12").replace(
        'ENTRYPOINT', 'USER 65532\nENTRYPOINT'))
    code, out, _ = run(capsys, tmp_path)
    assert code == 0, out


def test_json_has_findings_imported_answers_and_leftovers(tmp_path, capsys):
    make_project(tmp_path, BUGGY.replace("WORKDIR /src", "WORKDIR /src\nRUN ./scripts/gen.sh"))
    code, out, _ = run(capsys, tmp_path, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["dockerfile"] == "Dockerfile"
    # The inserted RUN moves the build to line 5 and the runtime to line 6.
    assert {"path": "Dockerfile", "line": 5, "severity": "error", "rule": "dynamic-in-static-runtime"}.items() <= data["findings"][0].items()
    assert data["imported"]["runtime"] == "scratch" and data["lines"]["runtime"] == 6
    # One line per imported value, null where no line says it (no `# syntax=`: builtin).
    assert set(data["lines"]) == set(data["imported"]) and data["lines"]["frontend"] is None
    assert [item["line"] for item in data["left_over"]] == [3]


def test_sarif_is_2_1_0_with_a_location_per_result(tmp_path, capsys):
    make_project(tmp_path, BUGGY)
    code, out, _ = run(capsys, tmp_path, "--format", "sarif", "-v")
    sarif = json.loads(out)
    assert code == 1
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = sarif["runs"]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"
        assert location["physicalLocation"]["region"]["startLine"] >= 1
    assert {"ruleId": "dynamic-in-static-runtime", "level": "error"}.items() <= run_["results"][0].items()


def test_finds_containerfile_and_docker_folder_and_follows_symlinks(tmp_path):
    make_project(tmp_path)
    assert find_dockerfile(tmp_path) is None
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile.debian").write_text(BUGGY)
    (tmp_path / "docker" / "Dockerfile.j2").write_text("{{ template }}")
    assert find_dockerfile(tmp_path) == tmp_path / "docker" / "Dockerfile.debian"
    (tmp_path / "Containerfile").symlink_to("docker/Dockerfile.debian")
    assert find_dockerfile(tmp_path) == tmp_path / "Containerfile"


def test_dockerfile_given_relative_to_the_project(tmp_path, capsys, monkeypatch):
    make_project(tmp_path)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "app.Dockerfile").write_text(BUGGY.lstrip())
    monkeypatch.chdir(tmp_path.parent)
    code, out, _ = run(capsys, tmp_path, "--dockerfile", "deploy/app.Dockerfile")
    assert code == 1 and out.startswith("deploy/app.Dockerfile:4: error")


BAD = {
    "empty": (b"", "empty, no instruction"),
    "comments only": (b"# nothing here\n\n", "no instruction in it"),
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00", "a binary file"),
    "not utf-8": (b"FROM rust\nRUN echo \xff\xfe\n", "not UTF-8"),
    "unknown instruction": (b"FROM rust:1.95\nFROBNICATE now\n", "unknown instruction 'FROBNICATE'"),
    "no image": (b"FROM\n", "FROM names no image"),
    "before FROM": (b"RUN echo hi\nFROM rust\n", "before the first FROM"),
    "parser rejects heredoc": (b"FROM rust\nRUN <<EOF\necho hi\n", "BuildKit cannot parse it: unterminated heredoc"),
    "parser rejects ENV": (b"FROM rust\nENV ONLYKEY\n", "BuildKit cannot parse it: ENV must have two arguments"),
    "COPY one path": (b"FROM rust\nCOPY src\n", "COPY without a source and a destination"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_one_line_and_exit_two(name, tmp_path, capsys):
    data, says = BAD[name]
    make_project(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(data)
    code, out, err = run(capsys, tmp_path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err, err


def test_symlink_loop_is_one_line_and_exit_two(tmp_path, capsys):
    make_project(tmp_path)
    os.symlink("Dockerfile", tmp_path / "Dockerfile")
    code, _, err = run(capsys, tmp_path)
    assert code == 2 and "symlink loop" in err and len(err.strip().splitlines()) == 1


def test_no_dockerfile_and_missing_paths_exit_two(tmp_path, capsys):
    make_project(tmp_path)
    code, _, err = run(capsys, tmp_path)
    assert code == 2 and "no Dockerfile to check" in err
    code, _, err = run(capsys, tmp_path, "--dockerfile", "nope")
    assert code == 2 and "nope: no such file" in err
    code, _, err = run(capsys, tmp_path / "missing")
    assert code == 2 and "no such directory" in err


def test_without_cargo_toml_the_dockerfile_checks_still_run(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(BUGGY.replace("USER", "") + "USER nobodyhere\n")
    code, out, err = run(capsys, tmp_path)
    assert "skipped" in err
    assert "user-missing" in out and code == 1
