"""What a program's Rust sources say: the port it binds, directories it embeds at
compile time (signals: code_signals.py; writes: code_writes.py). Reading is bounded so a huge tree stays fast."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .rust_text import strip_disabled, strip_tests

MAX_FILES = 200
MAX_BYTES = 2_000_000
_SKIP_DIRS = frozenset({"target", ".git", "node_modules", "vendor"})

_HOST = r"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]|\[::1\]|::|)"
_PORT_PATTERNS = (
    # "0.0.0.0:8080", ":3000", "[::]:8000" as a whole string literal
    re.compile(rf'"{_HOST}:(\d{{2,5}})"'),
    # .bind(("0.0.0.0", 3000))
    re.compile(r'\(\s*"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|::)"\s*,\s*(\d{2,5})\s*\)'),
    # SocketAddr::from(([0, 0, 0, 0], 3000))
    re.compile(r"\[\s*(?:0\s*,\s*0\s*,\s*0\s*,\s*0|127\s*,\s*0\s*,\s*0\s*,\s*1)\s*\]\s*,\s*(\d{2,5})\s*\)"),
    # env::var("PORT").unwrap_or_else(|_| "8080".into())
    re.compile(r'"PORT"\s*\)[^;]{0,120}?(?<![\w.])"?(\d{2,5})"?(?![\w.])'),
    # #[arg(long, default_value_t = 8080)] port: u16
    re.compile(r'default_value(?:_t)?\s*=\s*"?(\d{2,5})"?\s*[,)][^\]]*\]\s*(?:pub\s+)?port\b'),
)

#: String literals given to macros that copy files into the binary at compile time.
_EMBED_LITERALS = (
    re.compile(
        r"\b(?:include_str|include_bytes|include_dir|include_flate|flate|i18n|embed_migrations|migrate"
        r"|include_static_dir|load_dir|static_loader)!\s*[({]\s*r?#*\"([^\"]*)\""
    ),
    re.compile(r'#\[\s*folder\s*=\s*"([^"]*)"'),  # rust-embed
    re.compile(r'\blocales\s*:\s*"([^"]*)"'),  # fluent-templates static_loader!
)
#: include_str!("...") / include_bytes!("...") with a plain literal (no concat!/env!).
_INCLUDE_FILE = re.compile(r'\binclude_(?:str|bytes)!\(\s*"([^"$]+)"\s*\)')
#: sqlx's macros that check queries against a database at compile time.
_SQLX_MACRO = re.compile(r"\b(?:sqlx::)?query(?:_as|_scalar|_file|_file_as|_file_scalar)?"
                         r"(?:_unchecked)?!\s*\(")
#: `sqlx::migrate!()` / `embed_migrations!()` read ./migrations when given no path.
_EMBED_MIGRATIONS_DEFAULT = re.compile(r"\b(?:migrate|embed_migrations)!\s*\(\s*\)")

#: A listening address on the loopback interface: "127.0.0.1:8080", ("localhost", 3000),
#: ([127, 0, 0, 1], 3000).
_LOOPBACK_BIND = re.compile(
    r'"(?:127\.0\.0\.1|localhost|\[::1\]):\d{2,5}"'
    r'|\(\s*"(?:127\.0\.0\.1|localhost)"\s*,\s*\d{2,5}\s*\)'
    r"|\[\s*127\s*,\s*0\s*,\s*0\s*,\s*1\s*\]\s*,\s*\d{2,5}\s*\)"
)


@dataclass(frozen=True)
class Sources:
    """The text of a program's .rs files, in reading order (the binary's root first)."""

    files: tuple[tuple[str, str], ...] = ()

    def port(self) -> int:
        """The first listening port written in the sources, 0 when none."""
        for _, text in self.files:
            for pattern in _PORT_PATTERNS:
                for match in pattern.finditer(text):
                    port = int(match[1])
                    if 0 < port < 65536:
                        return port
        return 0

    def binds_localhost(self) -> bool:
        """The listening address in the sources is the loopback interface (the first
        address found decides, like `port`)."""
        for _, text in self.files:
            first = next(iter(sorted(
                (m.start(), bool(_LOOPBACK_BIND.match(text, m.start())))
                for pattern in _PORT_PATTERNS[:3] for m in pattern.finditer(text)
            )), None)
            if first is not None:
                return first[1]
        return False

    def embedded_dirs(self) -> frozenset[str]:
        """Names of directories (path components) that embedding macros read."""
        found: set[str] = set()
        for _, text in self.files:
            for pattern in _EMBED_LITERALS:
                for match in pattern.finditer(text):
                    found.update(part for part in match[1].replace("\\", "/").split("/") if part)
            if _EMBED_MIGRATIONS_DEFAULT.search(text):
                found.add("migrations")
        return frozenset(found)

    def embedded_files(self) -> tuple[str, ...]:
        """Files include_str!/include_bytes! compile in, relative to the project root
        (their literal is relative to the source file that names it)."""
        found: dict[str, None] = {}
        for path, text in self.files:
            base = posixpath.dirname(path)
            for match in _INCLUDE_FILE.finditer(text):
                found[posixpath.normpath(posixpath.join(base, match[1]))] = None
        return tuple(found)

    def places(self, pattern: re.Pattern[str]) -> tuple[str, ...]:
        """"path:line" of every match of `pattern`, in reading order."""
        return tuple(f"{path}:{text.count(chr(10), 0, m.start()) + 1}"
                     for path, text in self.files for m in pattern.finditer(text))

    def uses_sqlx_macros(self) -> bool:
        """sqlx's compile-time checked queries (query!, query_as!, ...) are in use."""
        return any(_SQLX_MACRO.search(text) for _, text in self.files)


def _rs_files(directory: Path) -> list[Path]:
    found: list[Path] = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        found += [Path(current, f) for f in sorted(files) if f.endswith(".rs")]
        if len(found) >= MAX_FILES:
            break
    return found


def read_sources(root: Path, first: Iterable[str], crate_dirs: Iterable[str],
                 features: Mapping[str, frozenset[str]] | None = None) -> Sources:
    """The .rs files under src/ of each crate directory (relative to `root`), the files
    in `first` before the rest; at most MAX_FILES files and MAX_BYTES bytes. With
    `features` (crate directory -> features on), code behind a feature that is off is
    blanked, and the files of modules declared that way are left out."""
    ordered: list[Path] = [root / f for f in first]
    for rel in crate_dirs:
        ordered += _rs_files(root / rel / "src")
    files: list[tuple[str, str]] = []
    off_dirs: list[str] = []
    test_mods: set[str] = set()
    seen: set[Path] = set()
    budget = MAX_BYTES
    for path in ordered:
        if path in seen or len(files) >= MAX_FILES or budget <= 0:
            continue
        seen.add(path)
        try:
            data = path.read_bytes()[:budget]
        except OSError:
            continue  # an unreadable source is cargo's problem to report, not ours
        budget -= len(data)
        # Test-only items are blanked so no detector takes a test's port or path as the
        # program's; `#[cfg(test)] mod x;` files are dropped below.
        text, tests = strip_tests(data.decode("utf-8", errors="replace"))
        test_mods.update(tests)
        rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        on = _features_of(rel, features) if features else None
        if on is not None:
            text, gated = strip_disabled(text, on)
            off_dirs += [posixpath.join(_children_dir(rel), name) for name in gated]
        files.append((rel, text))
    return Sources(files=tuple(f for f in files if _module_name(f[0]) not in test_mods
                               and not any(f[0] == d + ".rs" or f[0].startswith(d + "/") for d in off_dirs)))


def _features_of(rel: str, features: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """The features on in the crate that holds the file (the deepest crate directory)."""
    best = max((d for d in features if d == "." or rel.startswith(d.rstrip("/") + "/")),
               key=lambda d: 0 if d == "." else len(d), default=None)
    return None if best is None else features[best]


def _children_dir(rel: str) -> str:
    """Where the modules a file declares live: beside lib.rs/main.rs/mod.rs, else in a
    folder named after the file."""
    head, name = posixpath.split(rel)
    stem = posixpath.splitext(name)[0]
    return head if stem in ("lib", "main", "mod") else posixpath.join(head, stem)


def _module_name(path: str) -> str:
    """The module a file declares: `tests` for src/tests.rs and src/tests/mod.rs."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    return posixpath.basename(posixpath.dirname(path)) if stem == "mod" else stem
