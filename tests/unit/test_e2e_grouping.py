"""`make test` runs `pytest -n 2 --dist loadgroup`: every e2e test must land on one worker.

They share the engine, its build cache and the stand-in images. When the group mark
came too late for xdist, the e2e tests spread over both workers, and on a fresh machine
one worker's stand-in making pruned the layer cache the other's cold/warm builds
relied on (test_dummy_main_keeps_vendored_dependencies_across_a_source_change failed
once, then passed).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_e2e_tests_share_one_xdist_worker():
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider",
         "tests/e2e/test_not_offline.py", "tests/unit/test_versions.py"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    e2e = re.findall(r"^\[(gw\d)\].*test_not_offline\.py", proc.stdout, re.M)
    others = re.findall(r"^\[(gw\d)\].*test_versions\.py", proc.stdout, re.M)
    assert len(e2e) >= 10 and others
    assert len(set(e2e)) == 1, f"e2e tests ran on {sorted(set(e2e))}"
