"""Build and verify, inside the wizard: `rustdock verify` in a thread worker, its build
log streaming into a Log, its progress line above, and the table of checks at the end.

The worker's cancelled_event is verify's cancel: leaving the screen or quitting stops
the build, and verify removes the images and containers it made as it unwinds.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Log, Static
from textual.worker import get_current_worker

from rustdock.wizard.engine import find_engine
from rustdock.wizard.engine_base import EngineError, NoEngine
from rustdock.wizard.verify import Options, Report, VerifyError, verify_project
from rustdock.wizard.verify_plan import PlanError

_MARK = {"pass": "pass", "fail": "FAIL", "skip": "skip"}


class VerifyPanel(Vertical):
    """One run of verify on a saved project."""

    DEFAULT_CSS = """
    VerifyPanel {
        height: auto;
        margin: 1 0;
        border: round $accent 50%;
        padding: 0 1;
        #verify-status { height: auto; color: $text-accent; }
        #verify-log { height: 12; border: none; background: $boost; }
        #verify-table { height: auto; margin: 1 0 0 0; }
        #verify-fixes { height: auto; color: $text-warning; }
        &.-done #verify-log { height: 6; }
    }
    """

    class Finished(Message):
        """verify ended: a report, or the one-line reason it could not run."""

        def __init__(self, report: Report | None, error: str = "") -> None:
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, root: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.root = root
        self.border_title = "Build and verify"
        self.report: Report | None = None
        self.error = ""

    def compose(self):
        yield Static(Content("Looking for a container engine…"), id="verify-status")
        yield Log(id="verify-log", max_lines=2000, auto_scroll=True)
        table = DataTable(id="verify-table", show_cursor=False, zebra_stripes=True)
        table.display = False
        yield table
        yield Static(Content(""), id="verify-fixes")

    def on_mount(self) -> None:
        self.query_one("#verify-table", DataTable).add_columns("check", "result", "detail")
        self.run_verify()

    @property
    def running(self) -> bool:
        return any(w.node is self and w.group == "verify" and w.is_running for w in self.workers)

    # -- the worker (a thread: verify blocks on the engine) ------------------------------

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def run_verify(self) -> None:
        worker = get_current_worker()
        call = self.app.call_from_thread
        try:
            engine = find_engine()
        except NoEngine as err:
            call(self._finish, None, str(err))
            return
        call(self._status, f"Building with {engine.description}")
        log = self.query_one("#verify-log", Log)
        options = Options(on_line=lambda line: call(log.write_line, line),
                          on_status=lambda text: call(self._status, text[:1].upper() + text[1:]),
                          cancel=worker.cancelled_event)
        try:
            report = verify_project(self.root, engine, options)
        except (VerifyError, PlanError, EngineError) as err:
            call(self._finish, None, str(err))
            return
        if not worker.is_cancelled:
            call(self._finish, report, "")

    # -- on the app's thread -------------------------------------------------------------

    def _status(self, text: str) -> None:
        self.query_one("#verify-status", Static).update(Content(text))

    def _finish(self, report: Report | None, error: str) -> None:
        self.report, self.error = report, error
        self.add_class("-done")
        if report is None:
            self._status(f"Could not verify: {error}")
        else:
            self._status("Every check passed." if report.ok else
                         f"{len(report.failed)} check{'s' * (len(report.failed) > 1)} failed.")
            table = self.query_one("#verify-table", DataTable)
            table.clear()
            for check in report.checks:
                table.add_row(check.name, _MARK[check.status], check.detail)
            table.display = True
            fixes = [f"{c.name}: {c.fix}" for c in report.failed if c.fix]
            self.query_one("#verify-fixes", Static).update(Content("\n".join(fixes)))
        self.post_message(self.Finished(report, error))
