"""Where a program writes at run time: relative paths in its non-test sources.

A server that creates `./data`, opens `sqlite://./app.db` or writes `state.json` in its
working directory crashes at start when that directory belongs to root and the image runs
as a non-root user. This module finds those paths (with the file and line that write
them) so the plan can make them writable; it never guesses from names alone: a literal
path has to reach a call or a connection string that writes.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cargo_sources import Sources

#: A relative path as a program writes it: no scheme, no spaces, no format braces.
_REL_BODY = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.-]+)*/?"
_REL = rf"(?:\./)?{_REL_BODY}"

#: (pattern, what it is, words one of which a file must hold for the pattern to run:
#: plain substring tests keep large trees fast). Group 1 is the path literal; each pattern
#: only matches where the literal reaches something that writes (or creates) it.
_WRITERS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    # fs::create_dir_all("data"), tokio::fs::create_dir("uploads"), also through
    # Path::new / PathBuf::from.
    (re.compile(rf'\bcreate_dir(?:_all)?\s*\(\s*(?:&?\s*(?:Path::new|PathBuf::from)\s*\(\s*)?"({_REL})"'),
     "creates the directory", ("create_dir",)),
    # File::create("out.json"), fs::write("state.json", ...)
    (re.compile(rf'\b(?:File::create|fs::write|File::create_new)\s*\(\s*(?:&?\s*(?:Path::new|PathBuf::from)\s*\(\s*)?"({_REL})"'),
     "writes the file", ("File::create", "fs::write")),
    # OpenOptions::new().create(true).append(true).open("log.txt"): only when the chain
    # asks for writing, creating or appending.
    (re.compile(rf'OpenOptions::new\(\)(?=[^;]{{0,200}}?\.(?:write|create|append|create_new)\s*\(\s*true)'
                rf'[^;]{{0,200}}?\.open\s*\(\s*"({_REL})"'),
     "opens the file for writing", ("OpenOptions",)),
    # sqlx / SeaORM / diesel URLs: sqlite://./app.db, sqlite:data/x.db?mode=rwc,
    # sqlite://users.db?mode=rwc (a relative file; sqlite:///abs and :memory: are not).
    (re.compile(rf'"sqlite:(?://)?(?!/|:memory:)({_REL})(?:\?[^"]*)?"'), "opens a SQLite database",
     ('"sqlite:',)),
    # rusqlite / sled / redb / rocksdb / heed opening a database by a relative path.
    (re.compile(rf'\b(?:Connection::open|sled::open|Database::create|DB::open_default|Env::open)'
                rf'\s*\(\s*"({_REL})"'),
     "opens a database", ("Connection::open", "sled::open", "Database::create", "DB::open_default",
                          "Env::open")),
    # clap arguments whose default is a data directory or database file:
    # #[arg(long, default_value = "./data")] data_dir: PathBuf
    (re.compile(rf'default_value(?:_os)?(?:_t)?\s*=\s*"({_REL})"[^\]]*\]\s*(?:pub(?:\([^)]*\))?\s+)?'
                r"(?:\w*_)?(?:data|db|database|storage|store|state|upload|uploads|cache|persist)"
                r"(?:_(?:dir|folder|path|file|root))?\s*:"),
     "is the default of a data argument", ("default_value",)),
)

#: Names of settings that hold where a program keeps its data: data_folder, db_dir,
#: upload_path, storage_root, state_directory... (a word for stored data, then a word
#: for a place).
_STORE_WORDS = r"(?:data|db|database|storage|store|upload|uploads|state|persist|attachments?|files)"
_PLACE_WORDS = r"(?:dir|folder|path|root|directory|location)"
_SETTING_NAME = re.compile(rf"(?i)^(?:\w*_)?{_STORE_WORDS}(?:_\w+)?_?{_PLACE_WORDS}$|^path$")
#: In Rust sources: a data setting given a literal default on the same line,
#: `data_folder: String, false, def, "data".to_owned();`, `upload_dir = "./uploads".into()`.
_SETTING_DEFAULT = re.compile(
    rf"(?i)\b(?:\w*_)?{_STORE_WORDS}_?{_PLACE_WORDS}\b[^;\n]{{0,80}}?"
    rf'(?:"(\./{_REL_BODY})"|"({_REL})"\s*\.\s*(?:to_owned|to_string|into)\s*\(\))'
)

#: Literals that are not places on disk.
_NOT_PATHS = frozenset({"", ".", "./", "-", "memory"})


@dataclass(frozen=True)
class Write:
    """One place the program writes, relative to its working directory."""

    #: The directory that must be writable: "data", "." for the working directory.
    path: str
    #: "src/main.rs:12"
    where: str
    #: "creates the directory", "opens a SQLite database", ...
    what: str

    @property
    def reason(self) -> str:
        return f"{self.where} {self.what}"


def writable_dir(literal: str, is_dir: bool) -> str:
    """The directory a written path needs, as its top folder under the working directory
    ("data" for "./data/uploads" and for "data/app.db"); "." for a file written in the
    working directory itself. A program's data folder usually holds more than the one
    path a literal shows (format!ed names, a database's journal beside it)."""
    path = posixpath.normpath(literal.strip().removeprefix("./"))
    if path in _NOT_PATHS or path.startswith(".."):
        return ""
    if not (is_dir or literal.endswith("/")):
        path = posixpath.dirname(path)
    return path.split("/", 1)[0] if path else "."


_TEST_BLOCK = re.compile(r"#\[\s*cfg\s*\(\s*test\s*\)\s*\]\s*(?:pub\s+)?mod\s+\w+\s*\{"
                         r"|#\[\s*(?:\w+::)?test\s*\]\s*(?:async\s+)?fn\s+\w+[^{]*\{")
_LINE_COMMENT = re.compile(r"(?m)^[ \t]*//.*$")


def without_tests(text: str) -> str:
    """The source with `#[cfg(test)] mod` blocks, `#[test]` functions and whole-line
    comments blanked out; newlines are kept so line numbers stay true (offsets move)."""
    text = _LINE_COMMENT.sub("", text)
    out, pos = [], 0
    for match in _TEST_BLOCK.finditer(text):
        if match.start() < pos:
            continue
        end = _block_end(text, match.end())
        out.append(text[pos:match.start()])
        out.append("\n" * text.count("\n", match.start(), end))
        pos = end
    out.append(text[pos:])
    return "".join(out)


_BRACE = re.compile(r"[{}]")


def _block_end(text: str, start: int) -> int:
    """The index after the `}` closing the block whose `{` ends just before `start`."""
    depth = 1
    for match in _BRACE.finditer(text, start):
        depth += 1 if match[0] == "{" else -1
        if depth == 0:
            return match.end()
    return len(text)


def program_sources(sources: Sources) -> Sources:
    """The sources with test code and whole-line comments blanked out (same lines)."""
    return Sources(files=tuple((path, without_tests(text)) for path, text in sources.files))


def find_writes(sources: Sources) -> tuple[Write, ...]:
    """Every relative path the program writes, in reading order; `sources` as
    program_sources returns them."""
    found: list[Write] = []
    for path, text in sources.files:
        for pattern, what, words in _WRITERS:
            if not any(word in text for word in words):
                continue
            for match in pattern.finditer(text):
                is_dir = what in {"creates the directory", "opens a database",
                                  "is the default of a data argument"} and "." not in match[1].rsplit("/", 1)[-1]
                target = writable_dir(match[1], is_dir)
                if target:
                    line = text.count("\n", 0, match.start(1)) + 1
                    found.append(Write(target, f"{path}:{line}", what))
    return tuple(found) + tuple(_setting_writes(sources))


def _setting_writes(sources: Sources) -> list[Write]:
    found = []
    for path, text in sources.files:
        if not re.search(_PLACE_WORDS, text, re.IGNORECASE):
            continue
        for match in _SETTING_DEFAULT.finditer(text):
            literal = match[1] or match[2]
            target = writable_dir(literal, "." not in literal.rstrip("/").rsplit("/", 1)[-1])
            if target:
                line = text.count("\n", 0, match.start()) + 1
                found.append(Write(target, f"{path}:{line}", "is the default of a data setting"))
    return found


#: Files of tools, not of the program: never its configuration.
_TOOL_FILES = frozenset({
    "Cargo.toml", "rust-toolchain.toml", "rustfmt.toml", ".rustfmt.toml", "clippy.toml",
    ".clippy.toml", "deny.toml", "Cross.toml", "typos.toml", "_typos.toml", "taplo.toml",
    ".taplo.toml", "Rocket.toml", "dist-workspace.toml", "release.toml", "cliff.toml",
    "committed.toml", "book.toml", "Makefile.toml", "diesel.toml", "sqlx.toml", "netlify.toml",
    "fly.toml", "rustdock.toml", "codecov.yml",
})
_CONFIG_SUFFIXES = (".toml", ".cfg")


def config_files(root: Path, dirs: Iterable[str]) -> list[Path]:
    """TOML configuration files shipped at the root, in config/, and in the program's
    own directory: where a program's default settings (and data paths) live."""
    found: dict[Path, None] = {}
    for rel in dict.fromkeys([".", *dirs]):
        for folder in (root / rel, root / rel / "config"):
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            found.update((p, None) for p in entries
                         if p.suffix in _CONFIG_SUFFIXES and p.name not in _TOOL_FILES and p.is_file())
        # configure_me generates its settings from a spec its manifest names
        # ([package.metadata.configure_me] spec = "..."), defaults included.
        try:
            manifest = (root / rel / "Cargo.toml").read_text(encoding="utf-8")
            meta = tomllib.loads(manifest) if "configure_me" in manifest else {}
        except (OSError, tomllib.TOMLDecodeError):
            continue
        spec = meta.get("package", {}).get("metadata", {}).get("configure_me", {})
        if isinstance(spec, dict) and isinstance(spec.get("spec"), str) and (root / rel / spec["spec"]).is_file():
            found[root / rel / spec["spec"]] = None
    return list(found)[:20]


def _walk(table: dict, keys: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], str]]:
    """(key path, string value) of every setting, and configure_me's spec tables
    ([[param]] name = "db_dir", default = "\"./db\".into()") as name -> default."""
    name, default = table.get("name"), table.get("default")
    if isinstance(name, str) and isinstance(default, str):
        literal = re.search(r'"([^"]+)"', default)
        yield (*keys, name), literal[1] if literal else default
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _walk(value, (*keys, str(key)))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from _walk(item, (*keys, str(key)))
        elif isinstance(value, str):
            yield (*keys, str(key)), value


def find_config_writes(root: Path, dirs: Iterable[str]) -> tuple[Write, ...]:
    """Data directories a shipped config file sets relative to the working directory:
    `upload_path = "./upload"`, `[store.kv] path = "./data/store/kv/"`."""
    found = []
    for file in config_files(root, dirs):
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
            data = tomllib.loads(text)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for keys, value in _walk(data, ()):
            leaf = keys[-1]
            if not _SETTING_NAME.match(leaf) or not re.fullmatch(_REL, value):
                continue
            if leaf == "path" and not re.search(_STORE_WORDS, ".".join(keys[:-1]), re.IGNORECASE):
                continue  # a bare `path` counts only inside a [store]/[database]... table
            if value.isupper() or value in {leaf, leaf.replace("_", "-")}:
                continue  # an env var or argument name, not a path
            target = writable_dir(value, "." not in value.rstrip("/").rsplit("/", 1)[-1])
            if target:
                at = text.find(f'"{value}"') if f'"{value}"' in text else text.find(value)
                line = text.count("\n", 0, at) + 1 if at >= 0 else 1
                rel = file.relative_to(root).as_posix()
                found.append(Write(target, f"{rel}:{line}", f"sets {'.'.join(keys)} (a data setting)"))
    return tuple(found)


def top_dirs(paths: Iterable[str]) -> tuple[str, ...]:
    """The fewest directories that cover `paths`: a writable parent covers its children,
    and the working directory (".") covers everything. First-seen order."""
    unique = list(dict.fromkeys(p.strip().removeprefix("./").rstrip("/") or "." for p in paths if p.strip()))
    if "." in unique:
        return (".",)
    return tuple(p for p in unique
                 if not any(p != q and p.startswith(q + "/") for q in unique))


def writes_summary(writes: Iterable[Write]) -> tuple[tuple[str, str], ...]:
    """((directory, reasons), ...) for the Project: each directory the program needs to
    write, once, with every place that writes there."""
    reasons: dict[str, list[str]] = {}
    for write in writes:
        seen = reasons.setdefault(write.path, [])
        if write.reason not in seen:
            seen.append(write.reason)
    return tuple((path, "; ".join(why[:3]) + (f" (+{len(why) - 3} more)" if len(why) > 3 else ""))
                 for path, why in reasons.items())
