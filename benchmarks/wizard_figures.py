"""The wizard's own speed: time to first frame and preview re-render time."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from .pipeline import PROJECTS

#: Choices a user flips while watching the preview, in order.
EDITS = (
    ("runtime", "scratch"), ("libc", "glibc-static"), ("caching", "dummy-main"),
    ("healthcheck", "probe"), ("uid", "4242"), ("runtime", "debian-slim"), ("libc", "glibc"),
    ("caching", "cache-mounts"), ("profile", "size"), ("port", "9090"),
)


def rerender_ms(root: Path = PROJECTS / "hello-http", rounds: int = 5) -> tuple[float, float]:
    """Median and worst time of `outcome(plan)` after one changed choice, in ms."""
    from rustdock.wizard.detect import detect
    from rustdock.wizard.generate import outcome
    from rustdock.wizard.plan import make_plan

    plan = make_plan(detect(root))
    outcome(plan)  # templates compiled once, as in the running app
    times = []
    for _ in range(rounds):
        for key, value in EDITS:
            plan = plan.with_choice(key, value)
            start = time.perf_counter()
            outcome(plan)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


async def _first_frame(root: Path) -> tuple[float, float]:
    from rustdock.screens.app import RustdockApp

    start = time.perf_counter()
    app = RustdockApp(root)
    async with app.run_test(size=(120, 40)) as pilot:
        mounted = time.perf_counter() - start
        deadline = time.perf_counter() + 20
        while app.project is None and time.perf_counter() < deadline:
            await pilot.pause(0.01)
        ready = time.perf_counter() - start
    return mounted * 1000, ready * 1000


def first_frame_ms(root: Path = PROJECTS / "hello-http", rounds: int = 5) -> tuple[float, float]:
    """Median time to the first frame (app mounted) and to the project read, in ms."""
    runs = [asyncio.run(_first_frame(root)) for _ in range(rounds)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def wizard_figures() -> list[str]:
    lines = []
    try:
        mounted, ready = first_frame_ms()
        lines.append(f"- Time to first frame (RustdockApp under `run_test`, 120x40): "
                     f"**{mounted:.0f} ms**; project detected and shown: {ready:.0f} ms (medians of 5).")
    except Exception as err:  # noqa: BLE001 - the app is optional for the bench
        lines.append(f"- Time to first frame: not measured ({type(err).__name__}: {err}).")
    median, worst = rerender_ms()
    lines.append(f"- Preview re-render (`outcome(plan)` after one changed choice, "
                 f"{len(EDITS)} edits x 5): median **{median:.1f} ms**, worst {worst:.1f} ms.")
    return lines
