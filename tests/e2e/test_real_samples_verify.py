"""`rustdock verify` as a user runs it, on tests/projects/misbehave broken each way (issue 9):
exit 1 and a line naming the failed check and what to change. test_verify.py checks the
details of each failure through verify's functions and the command line for the image
that runs as root; this fills in the command line for the other three.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.containers import free_port

pytestmark = pytest.mark.e2e

# As in test_verify.py: a static binary on distroless with verify's own probe.
GOOD = ["libc=glibc-static", "runtime=distroless-static", "caching=cache-mounts",
        "healthcheck=probe", "user=nonroot", "uid=10001"]

CASES = {
    # MISBEHAVE, the check named, words of the fix that line must carry
    "exit": ("start", "cannot open the database"),
    "localhost": ("port {port}", "0.0.0.0:{port}"),
    "sigterm": ("stop", "init=tini"),
}


@pytest.mark.parametrize("misbehave", list(CASES))
def test_the_command_line_names_the_failed_check(build, engine, misbehave):
    if engine.name != "docker":
        pytest.skip("the command line test drives docker; the fallback engine is buildah")
    port = free_port()
    built = build("misbehave", [*GOOD, f"port={port}", f"env=PORT={port},MISBEHAVE={misbehave}"])
    proc = subprocess.run([sys.executable, "-m", "rustdock.wizard", "verify", str(built.root), "--quiet"],
                          capture_output=True, text=True, timeout=900)
    check, words = (text.format(port=port) for text in CASES[misbehave])
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    named = [line for line in proc.stderr.splitlines() if line.startswith(f"rustdock: verify: {check}: ")]
    assert len(named) == 1, proc.stderr[-3000:]
    assert words in proc.stderr, proc.stderr[-3000:]
    assert "FAIL" in proc.stdout
