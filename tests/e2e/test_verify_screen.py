"""The done screen's "Build and verify", driven with Pilot against the real engine."""

from __future__ import annotations

import asyncio
import subprocess

import pytest
from textual.widgets import DataTable, Log, Static

from benchmarks.containers import free_port
from benchmarks.pipeline import copy_project, plan_outcome
from benchmarks.standins import ensure, from_refs
from rustdock.screens.app import RustdockApp
from rustdock.screens.done import DoneScreen
from rustdock.screens.widgets.verify_panel import VerifyPanel
from rustdock.wizard.save import save

pytestmark = pytest.mark.e2e


def test_build_and_verify_from_the_done_screen(engine, tmp_path):
    if engine.name != "docker":
        pytest.skip("the wizard's verify finds docker first; the fallback here is buildah")
    port = free_port()
    root = copy_project("misbehave", tmp_path / "misbehave")
    result = plan_outcome(root, ["libc=glibc-static", "runtime=distroless-static", "caching=cache-mounts",
                                 "healthcheck=probe", "user=nonroot", "uid=10001", f"port={port}",
                                 f"env=PORT={port}", "frontend=builtin"])
    ensure(from_refs(result.rendered.dockerfile), engine)
    saved = save(root, result.changes)

    async def drive() -> VerifyPanel:
        app = RustdockApp(root)
        async with app.run_test(size=(120, 50)) as pilot:
            await app.push_screen(DoneScreen(result, saved, str(root)))
            await pilot.pause()
            await pilot.press("v")
            panel = app.screen.query_one(VerifyPanel)
            for _ in range(1200):  # ten minutes at most, for a cold build
                if panel.report is not None or panel.error:
                    break
                await pilot.pause(0.5)
            assert panel.query_one("#verify-log", Log).line_count > 5
            status = str(panel.query_one("#verify-status", Static).render())
            rows = panel.query_one("#verify-table", DataTable).row_count
        panel.status_text, panel.rows = status, rows
        return panel

    panel = asyncio.run(drive())
    assert panel.error == ""
    assert panel.report.ok, [c.line() for c in panel.report.failed]
    assert panel.status_text == "Every check passed."
    assert panel.rows == len(panel.report.checks) == 8
    left = subprocess.run([engine.program, "images", "-q", "--filter", "reference=rustdock-verify*"],
                          capture_output=True, text=True).stdout.split()
    assert left == []
