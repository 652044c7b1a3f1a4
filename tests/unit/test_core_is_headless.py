"""The core (wizard/) never imports Textual: the CLI and tests run it headless."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

WIZARD = Path(__file__).resolve().parents[2] / "wizard"
_IMPORT = re.compile(r"^\s*(?:import\s+textual\b|from\s+textual\b)", re.MULTILINE)

_PROBE = """
import importlib, json, pkgutil, sys
import rustdock.wizard as core
# __main__ runs the command line when imported; the grep above still reads it.
names = [m.name for m in pkgutil.walk_packages(core.__path__, "rustdock.wizard.") if not m.name.endswith("__main__")]
loaded = {}
for name in names:
    importlib.import_module(name)
    loaded[name] = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(loaded))
"""


def test_no_module_in_wizard_imports_textual():
    sources = sorted(WIZARD.rglob("*.py"))
    assert len(sources) > 10  # the walk found the core
    offenders = [str(p.relative_to(WIZARD)) for p in sources if _IMPORT.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_importing_every_core_module_loads_no_textual():
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "rustdock.wizard.detect" in loaded and "rustdock.wizard.demo" in loaded
    assert {name: mods for name, mods in loaded.items() if mods} == {}
