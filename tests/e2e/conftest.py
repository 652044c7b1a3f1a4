"""Image builds with buildah against local stand-ins of the official images.

Every test here generates its Dockerfile with the real pipeline (detect -> plan ->
render -> save), builds it, and checks the image. Sizes and build times are appended to
$RUSTDOCK_E2E_REPORT (default: <tmp>/rustdock-e2e-report.jsonl) for the record.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# The harness lives in benchmarks/ at the repository root (shared with `make bench`).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.buildah import Buildah  # noqa: E402
from benchmarks.offline import why_not_offline
from benchmarks.pipeline import copy_project, generate
from benchmarks.standins import ensure, from_refs
from rustdock.wizard.generate import Outcome

REPORT = Path(os.environ.get("RUSTDOCK_E2E_REPORT", Path(tempfile.gettempdir()) / "rustdock-e2e-report.jsonl"))


@dataclass(frozen=True)
class Built:
    image: str
    root: Path
    outcome: Outcome
    seconds: float
    size: int
    log: str


@pytest.fixture(scope="session")
def buildah() -> Buildah:
    reason = Buildah.available()
    if reason:
        pytest.skip(reason)
    return Buildah()


@pytest.fixture
def build(buildah, tmp_path, request):
    """build(project, sets) -> Built: generate, check it builds offline, build it."""
    made: list[str] = []

    def _build(project: str, sets: Sequence[str], *, root: Path | None = None) -> Built:
        root = root or copy_project(project, tmp_path / project)
        result = generate(root, sets)
        reason = why_not_offline(result.plan, result.rendered.dockerfile)
        if reason:
            pytest.skip(f"not buildable offline: {reason}")
        ensure(from_refs(result.rendered.dockerfile), buildah)
        tag = f"localhost/rustdock-e2e/{request.node.name.lower()}".replace("[", "-").replace("]", "")
        tag = "".join(c if c.isalnum() or c in "/-._" else "-" for c in tag)[:120] + ":latest"
        build = buildah.build(root, tag)
        made.append(tag)
        size = buildah.size(tag)
        _record(request.node.nodeid, sets, build.seconds, size)
        return Built(tag, root, result, build.seconds, size, build.log)

    yield _build
    buildah.rmi(*made)


def _record(test: str, sets: Sequence[str], seconds: float, size: int) -> None:
    with REPORT.open("a") as out:
        out.write(json.dumps({"test": test, "sets": list(sets), "seconds": round(seconds, 1),
                              "size": size}) + "\n")
