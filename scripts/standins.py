#!/usr/bin/env python3
"""Make (or check) the local stand-ins for the official images the e2e tier builds on.

    python scripts/standins.py          make what is missing, then list them
    python scripts/standins.py --list   only list what the engine holds
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.containers import harness_engine  # noqa: E402
from benchmarks.standins import ensure_all, standins  # noqa: E402
from rustdock.wizard.engine_base import NoEngine  # noqa: E402


def main(argv: list[str]) -> int:
    try:
        engine = harness_engine()
    except NoEngine as err:
        print(f"standins: {err}", file=sys.stderr)
        return 2
    if "--list" not in argv:
        ensure_all(engine)
    for standin in standins():
        for name in standin.names:
            if engine.exists(name):
                info = engine.image(name)
                print(f"{name}  {info.size / 1e6:.0f} MB  {info.labels.get('rustdock.standin', '')}")
            else:
                print(f"{name}  missing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
