"""frontend=builtin against the real built-in frontend of the Docker engine here.

BuildKit parses the whole Dockerfile before it resolves any image, so building a target
stage that does not exist stops right after parsing: "target stage ... could not be
found" means the built-in frontend read every line; a syntax it lacks stops it earlier
with "dockerfile parse error ... Unknown flag". Every valid plan of a pairwise covering
set, rendered with frontend=builtin, is put through that, in well under a second each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rustdock.wizard.detect import detect
from rustdock.wizard.frontend import builtin_gaps
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matrix"))
from matrix_combos import all_pairs, domains  # noqa: E402

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOT_A_STAGE = "rustdock-parse-only"


def _parse_with_builtin(engine, context: Path, text: str) -> str:
    (context / "Dockerfile").write_text(text)
    proc = subprocess.run([engine.program, *engine.build_command, "--target", NOT_A_STAGE,
                           "--progress=plain", str(context)],
                          capture_output=True, text=True, env={**os.environ, **engine.build_env},
                          timeout=60)
    return proc.stdout + proc.stderr


def _valid(plan, steps: int = 6):
    """The plan, or the valid neighbour the wizard's one-key fixes lead to (None if stuck)."""
    for _ in range(steps):
        errors = [f for f in check(plan) if f.is_error]
        if not errors:
            return plan
        fixable = [f for f in errors if f.fix_choices]
        if not fixable:
            return None
        plan = plan.with_choices(dict(fixable[0].fix_choices))
    return None


@pytest.mark.parametrize("fixture", ["workspace", "build-assets"])
def test_every_builtin_dockerfile_parses_on_the_engine_frontend(engine, tmp_path, fixture):
    if engine.name != "docker":
        pytest.skip("the built-in frontend is BuildKit's, in the Docker engine")
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root, symlinks=True)
    project = detect(root)
    context = tmp_path / "context"
    context.mkdir()
    domain = {**domains(project), "frontend": ("builtin",)}
    parsed, failures = 0, []
    for combo in all_pairs(domain, seed=7):
        plan = _valid(make_plan(project, overrides=[f"{k}={v}" for k, v in combo.items()]))
        if plan is None:
            continue
        text = render(plan).dockerfile
        assert not text.startswith("# syntax"), combo
        assert builtin_gaps(text) == [], combo
        answer = _parse_with_builtin(engine, context, text)
        parsed += 1
        if f"target stage {NOT_A_STAGE} could not be found" not in answer:
            failures.append((combo, answer.strip().splitlines()[-1:]))
    assert parsed >= 10, "the covering set left too few valid plans to mean anything"
    assert failures == []


def test_the_probe_tells_a_syntax_the_builtin_frontend_lacks(engine, tmp_path):
    if engine.name != "docker":
        pytest.skip("the built-in frontend is BuildKit's, in the Docker engine")
    answer = _parse_with_builtin(engine, tmp_path, "FROM scratch\nCOPY --link a /a\n")
    assert "Unknown flag: link" in answer
    assert builtin_gaps("FROM scratch\nCOPY --link a /a\n")
