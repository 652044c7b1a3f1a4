#!/usr/bin/env python3
"""Make (or check) the local stand-ins for the official images the e2e tier builds on.

    python scripts/standins.py          make what is missing, then list them
    python scripts/standins.py --list   only list what the harness storage holds
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.buildah import Buildah  # noqa: E402
from benchmarks.standins import ensure_all  # noqa: E402


def main(argv: list[str]) -> int:
    reason = Buildah.available()
    if reason:
        print(f"standins: {reason}", file=sys.stderr)
        return 2
    buildah = Buildah()
    if "--list" not in argv:
        ensure_all(buildah)
    print(buildah.call("images"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
