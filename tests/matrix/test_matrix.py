"""The matrix tier: many option combinations on fixture projects.

Every combination a rule rejects makes `rustdock generate` exit 1 with the rule's message;
every other one renders a Dockerfile that BuildKit's parser accepts, hadolint passes at
warning level, and the structural checks hold. hadolint runs once for all of them.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from matrix_combos import all_pairs, as_sets, combinations, covered_pairs, domains

from rustdock.wizard.cli import main
from rustdock.wizard.detect import detect
from rustdock.wizard.lint import Job, lint_many
from rustdock.wizard.plan import Plan, make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check

# One worker computes the matrix once (with `-n 2 --dist loadgroup`); hadolint itself
# runs one process per CPU.
pytestmark = [pytest.mark.matrix, pytest.mark.xdist_group("matrix")]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
#: single crate; workspace with path deps and build.rs; OpenSSL via native-tls; .sqlx,
#: migrations, templates and assets; a root package without src/ (ripgrep's layout).
PROJECTS = ("single-crate", "workspace", "openssl-lock", "build-assets", "bin-outside-src")
SAMPLE = 120
SEED = 20261122


@dataclass
class Verdicts:
    """What the matrix saw, per project."""

    combos: int = 0
    valid: int = 0
    rejected: int = 0
    #: Dockerfiles linted: the valid combinations and the repaired rejected ones.
    linted: int = 0
    #: (combination, problems) of valid plans whose Dockerfile failed lint.
    lint_failures: list = field(default_factory=list)
    #: (combination, reason) where the CLI did not exit 1 with the rule's message.
    cli_failures: list = field(default_factory=list)
    #: (combination, rule) where applying a finding's fix_choices left it in place.
    fix_failures: list = field(default_factory=list)
    #: (combination, exception) where render raised.
    render_failures: list = field(default_factory=list)


def _generate(root: Path, combo: dict[str, str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["generate", str(root), *as_sets(combo)])
    return code, err.getvalue()


def _check_rejected(root: Path, plan: Plan, combo: dict, errors, verdicts: Verdicts) -> None:
    code, stderr = _generate(root, combo)
    missing = [f.rule for f in errors if f.message not in stderr]
    if code != 1 or missing:
        verdicts.cli_failures.append((combo, f"exit {code}, messages missing: {missing}"))


def _check_fixes(plan: Plan, combo: dict, verdicts: Verdicts) -> None:
    """Every finding's fix_choices (what the wizard applies on one key) make it go away."""
    for finding in check(plan):
        if not finding.fix_choices:
            continue
        fixed = plan.with_choices(dict(finding.fix_choices))
        if any(f.rule == finding.rule for f in check(fixed)):
            verdicts.fix_failures.append((combo, f"{finding.rule} {dict(finding.fix_choices)}"))


def _repaired(plan: Plan, steps: int = 6) -> Plan | None:
    """Apply the first error's fix_choices until no error is left (None if stuck)."""
    for _ in range(steps):
        errors = [f for f in check(plan) if f.is_error and f.fix_choices]
        if not errors:
            return None if any(f.is_error for f in check(plan)) else plan
        plan = plan.with_choices(dict(errors[0].fix_choices))
    return None


def _render(plan: Plan, combo: dict, verdicts: Verdicts):
    try:
        return render(plan)
    except Exception as err:  # noqa: BLE001 - every crash is a finding to report
        verdicts.render_failures.append((combo, f"{type(err).__name__}: {err}"))
        return None


def _as_sets(plan: Plan) -> dict[str, str]:
    return {
        k: ",".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in plan.answers().items()
    }


@pytest.fixture(scope="session")
def matrix(tmp_path_factory) -> dict[str, Verdicts]:
    started = time.monotonic()
    results: dict[str, Verdicts] = {}
    jobs: list[tuple[str, dict, Job]] = []
    rejected: list[tuple[Path, Plan, dict, list, Verdicts]] = []
    for name in PROJECTS:
        root = tmp_path_factory.mktemp("matrix") / name
        shutil.copytree(FIXTURES / name, root, symlinks=True)
        project = detect(root)
        verdicts = results[name] = Verdicts()
        for combo in combinations(project, sample=SAMPLE, seed=SEED):
            verdicts.combos += 1
            plan = make_plan(project, overrides=[f"{k}={v}" for k, v in combo.items()])
            # The wizard previews every plan, even one a rule rejects: render must not fail.
            rendered = _render(plan, combo, verdicts)
            _check_fixes(plan, combo, verdicts)
            errors = [f for f in check(plan) if f.is_error]
            if errors:
                verdicts.rejected += 1
                rejected.append((root, plan, combo, errors, verdicts))
                # Most random combinations break some rule; the plan the wizard's one-key
                # fixes lead to is a valid neighbour worth linting too.
                plan = _repaired(plan)
                if plan is None:
                    continue
                combo = _as_sets(plan)
                rendered = _render(plan, combo, verdicts)
            else:
                verdicts.valid += 1
            if rendered is not None:
                verdicts.linted += 1
                helpers = tuple(p for p in rendered.files if p not in {"Dockerfile", ".dockerignore"})
                jobs.append((name, combo, Job(rendered.dockerfile, plan, helpers, rendered.dockerignore)))
    # hadolint (a subprocess per CPU) works while this thread drives the CLI.
    with ThreadPoolExecutor(max_workers=1) as pool:
        linting = pool.submit(lint_many, [job for _, _, job in jobs])
        for args in rejected:
            _check_rejected(*args)
        verdict_lists = linting.result()
    for (name, combo, _), problems in zip(jobs, verdict_lists):
        if problems:
            results[name].lint_failures.append((combo, [str(p) for p in problems]))
    elapsed = time.monotonic() - started
    total = sum(v.combos for v in results.values())
    print(f"\nmatrix: {total} combinations, {len(jobs)} Dockerfiles linted in {elapsed:.1f}s: "
          + ", ".join(f"{n} {v.combos} ({v.valid} valid, {v.rejected} rejected)" for n, v in results.items()))
    return results


def _show(failures) -> str:
    lines = []
    for combo, detail in failures[:5]:
        sets = " ".join(f"{k}={v!r}" for k, v in combo.items())
        lines.append(f"{sets}\n    -> {detail}")
    return f"{len(failures)} failing, first ones:\n" + "\n".join(lines)


#: What each kind of failure means, for the test ids.
FAILURES = {
    "render_failures": "every combination renders",
    "lint_failures": "valid combinations pass parser, hadolint and structure",
    "cli_failures": "rejected combinations exit 1 with the rule's message",
    "fix_failures": "a finding's fix_choices clear that finding",
}


@pytest.mark.parametrize("kind", FAILURES)
@pytest.mark.parametrize("name", PROJECTS)
def test_matrix_holds(matrix, name, kind):
    failures = getattr(matrix[name], kind)
    assert not failures, f"{FAILURES[kind]}: " + _show(failures)


@pytest.mark.parametrize("name", PROJECTS)
def test_matrix_has_both_kinds(matrix, name):
    """A matrix that only ever hits errors (or never does) proves little."""
    verdicts = matrix[name]
    assert verdicts.valid >= 15 and verdicts.rejected >= 40, verdicts
    assert verdicts.linted >= 100, verdicts


def test_pairwise_set_covers_every_pair(fixture_copy):
    project = detect(fixture_copy("workspace"))
    domain = domains(project)
    combos = all_pairs(domain, SEED)
    wanted = {
        (k1, v1, k2, v2)
        for i, k1 in enumerate(domain)
        for k2 in list(domain)[i + 1 :]
        for v1 in domain[k1]
        for v2 in domain[k2]
    }
    assert wanted <= covered_pairs(combos)
    # Far fewer than the full product, which is beyond 10^12 here.
    assert len(combos) < 80


def test_every_option_varies(fixture_copy):
    project = detect(fixture_copy("single-crate"))
    domain = domains(project)
    # binary and features take the project's own values: single-crate has one and none.
    fixed = [key for key, values in domain.items()
             if len(values) < 2 and key not in {"binary", "features"}]
    assert fixed == [], f"options the matrix never varies: {fixed}"
