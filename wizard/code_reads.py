"""Files and directories a program reads at run time, found in its code, and where they
must be in the image: at the path the code names, relative to its working directory.

`Tera::new("templates/**/*")` in crates/web reads ./templates from wherever the program
runs; the repo's crates/web/templates (or templates/) must land at WORKDIR/templates.
Only calls that read at run time are in READS: what is compiled in (include_str!,
rust-embed, askama, include_dir!) never reaches the runtime image, nor does what only the
docs use (README images)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .cargo_sources import Sources
from .crate_modules import without_comments

#: The path argument: a string literal, or concat!(env!("CARGO_MANIFEST_DIR"), "/x") and
#: Rocket's relative!("x"), which name the package's directory in the builder: the same
#: /app the runtime stage works in.
_ARG = (r'(?:r?"(?P<path>[^"]*)"'
        r'|(?:concat!\(\s*env!\(\s*"CARGO_MANIFEST_DIR"\s*\)\s*,|relative!\()\s*"/?(?P<manifest>[^"]*)"\s*\))')

#: (what reads, pattern up to the path argument). The call, as written, is the reason.
READS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (what, re.compile(head + _ARG)) for what, head in (
        ("Tera templates", r"\bTera::(?:new|parse)\s*\(\s*&?"),
        ("Handlebars templates", r'\bregister_templates_directory\s*\(\s*(?:"\.[\w.]+"\s*,\s*)?'),
        ("a Handlebars template", r'\bregister_template_file\s*\(\s*"[^"]*"\s*,\s*'),
        ("minijinja templates", r"\bpath_loader\s*\(\s*"),
        ("static files (tower-http)", r"\bServe(?:Dir|File)::new\s*\(\s*"),
        ("static files (actix-files)", r'\bFiles::new\s*\(\s*"[^"]*"\s*,\s*'),
        ("a file (actix-files)", r"\bNamedFile::open(?:_async)?\s*\(\s*"),
        ("static files (warp)", r"\b(?:warp::)?fs::(?:dir|file)\s*\(\s*"),
        ("static files (Rocket)", r"\bFileServer::(?:from|new)\s*\(\s*"),
        ("static files (poem)", r"\bStaticFiles?(?:Endpoint)?::new\s*\(\s*"),
        ("static files (salvo)", r"\bStatic(?:Dir|File)::new\s*\(\s*\[?\s*"),
        ("static files (tide)", r"\.serve_(?:dir|file)\s*\(\s*"),
        ("translations (fluent)", r"\bArcLoader::builder\s*\(\s*"),
        ("migrations read at start", r"\bMigrator::new\s*\(\s*(?:std::path::)?Path::new\s*\(\s*"),
        ("migrations read at start", r"\bFileBasedMigrations::from_path\s*\(\s*"),
    )
)

#: Calls that read a fixed default directory: (what, pattern, the directory).
DEFAULT_READS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("migrations (diesel looks in ./migrations)",
     re.compile(r"\bFileBasedMigrations::find_migrations_directory\s*\(\s*\)"), "migrations"),
    ("Rocket templates (template_dir defaults to templates)",
     re.compile(r"\bTemplate::(?:fairing|custom)\s*\("), "templates"),
)

_GLOB = re.compile(r"[*?\[{]")


@dataclass(frozen=True)
class RuntimeRead:
    """One path of the repo the program reads at run time, and where it must be."""

    #: In the repo, relative to the project root ("crates/web/templates").
    source: str
    #: Relative to the program's working directory ("templates").
    dest: str
    #: The code that reads it: 'src/main.rs:12 Tera::new("templates/**/*")'.
    reason: str
    is_dir: bool

    @property
    def entry(self) -> str:
        """How the extra_files option writes it: "templates", or "web/templates:templates"."""
        return self.source if self.source == self.dest else f"{self.source}:{self.dest}"


def _relative(literal: str) -> str:
    """The working-directory-relative path a literal names, before any glob: "" when it is
    absolute, empty, a format string or leaves the working directory."""
    text = literal.replace("\\", "/").strip()
    parts: list[str] = []
    for part in text.split("/"):
        if _GLOB.search(part):
            break
        parts.append(part)
    path = posixpath.normpath("/".join(parts)) if parts else ""
    if not path or path == "." or text.startswith("/") or path.startswith(".."):
        return ""
    return path


def _locate(root: Path, path: str, package_dir: str) -> str:
    """Where the repo holds what the program reads as ./path: the project root (where
    `cargo run` runs), else the package's directory (`cargo run` inside it)."""
    for base in dict.fromkeys([".", package_dir]):
        candidate = posixpath.normpath(posixpath.join(base, path))
        if (root / candidate).exists():
            return candidate
    return ""


def _line(text: str, start: int) -> int:
    return text.count("\n", 0, start) + 1


#: Any string literal that looks like a relative path ("templates/page.html", "./static").
_LITERAL = re.compile(r'(?<![\w#])"(?P<path>(?:\./)?[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.*-]+)*/?)"')
#: A literal right after one of these is compiled in or is no path of the program's.
_EMBEDDING = re.compile(r"\b(?:\w*include\w*|\w*embed\w*|migrate|i18n|load_dir|static_loader|concat|env"
                        r"|option_env|folder|template|path|locales|base_path)\s*!?\s*[(=:]\s*[^()]{0,40}$")
#: Paths the program writes (code_writes' business, not a file to ship).
_WRITING = re.compile(r"\b(?:create_dir_all|create_dir|File::create|fs::write|remove_file|remove_dir_all"
                      r"|OpenOptions::new\(\)[^;]{0,80}\.open)\s*\(\s*&?$")
#: A bare name ("templates") counts only as the argument of a call that takes a path
#: (a clap Arg::new("assets") or a json key is no path).
_PATH_CALL = re.compile(r"\b(?:Path::new|PathBuf::from|join|read_dir|read_to_string|File::open|fs::read"
                        r"|metadata|canonicalize|exists|is_dir|is_file)\s*\(\s*&?$")
#: Top-level names that are the project's own sources, build or docs, never read at run time;
#: config files are detect_config's (the net helper's) to copy.
NOT_RUNTIME = frozenset({"src", "tests", "benches", "examples", "docs", "doc", "target", ".git",
                         ".github", "Cargo.toml", "Cargo.lock", "build.rs", ".sqlx", ".cargo"})
_DOCS = re.compile(r"(?i)(?:readme|license|licence|changelog|contributing|copying|notice)\b")
_CONFIG_FILE = re.compile(r"\.(?:toml|ya?ml|json|ini|cfg|conf|env)$")


def _named_paths(text: str) -> list[tuple[int, str, str, str]]:
    """(start, path, snippet, what) of literals that name a path, outside embedding macros,
    attributes and comments."""
    hits = []
    for match in _LITERAL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start:match.start()].lstrip()
        before = text[max(0, match.start() - 60):match.start()]
        if line.startswith(("#[", "//", "#![")) or _EMBEDDING.search(before) or _WRITING.search(before):
            continue
        wanted = _relative(match["path"])
        top = wanted.split("/")[0]
        if not wanted or top in NOT_RUNTIME or _DOCS.match(top) or _CONFIG_FILE.search(wanted):
            continue
        if "/" not in match["path"].removeprefix("./").rstrip("/") and not _PATH_CALL.search(before):
            continue
        hits.append((match.start(), wanted, match[0], "a path the code names"))
    return hits


def _holds_crates(path: Path) -> bool:
    """A folder of packages (crates/, a member): sources, not something read at run time."""
    return path.is_dir() and ((path / "Cargo.toml").is_file() or any(path.glob("*/Cargo.toml")))


def _covered(dest: str, found: dict[str, RuntimeRead]) -> bool:
    return any(dest == d or (r.is_dir and dest.startswith(d + "/")) for d, r in found.items())


def runtime_reads(root: Path, sources: Sources, package_dir: str,
                  moved: Mapping[str, str] = MappingProxyType({})) -> tuple[RuntimeRead, ...]:
    """What the program's code reads at run time that the repo holds, first place first;
    one entry per destination. The calls of READS come before bare literals."""
    found: dict[str, RuntimeRead] = {}
    files = [(path, without_comments(text)) for path, text in sources.files]
    for generic in (False, True):
        for path, text in files:
            _reads_in(root, path, text, package_dir, generic, found, moved)
    return tuple(found.values())


def _call_hits(text: str, package_dir: str, moved: Mapping[str, str]) -> list[tuple[int, str, str, str]]:
    """(start, path, snippet, what) of the READS calls and DEFAULT_READS in one file;
    `moved` renames a default directory the project's settings move (Rocket.toml's
    template_dir = "views": {"templates": "views"})."""
    hits: list[tuple[int, str, str, str]] = []
    for what, pattern in READS:
        for match in pattern.finditer(text):
            if match["manifest"] is not None:
                wanted = _relative(posixpath.join(package_dir, match["manifest"]))
            else:
                wanted = _relative(match["path"])
            if wanted:
                hits.append((match.start(), wanted, match[0], ""))
    for what, pattern, wanted in DEFAULT_READS:
        if wanted in moved:
            what, wanted = f"{what.split(' (')[0]} (set to {moved[wanted]})", moved[wanted]
        hits += [(m.start(), wanted, m[0], what) for m in pattern.finditer(text)]
    return hits


def _reason(path: str, text: str, start: int, snippet: str, what: str) -> str:
    call = re.sub(r"\s+", " ", snippet.strip())
    close = ")" if call.count("(") > call.count(")") else ""
    return f"{path}:{_line(text, start)} {call}{close}" + (f" ({what})" if what else "")


def _reads_in(root: Path, path: str, text: str, package_dir: str, generic: bool,
              found: dict[str, RuntimeRead], moved: Mapping[str, str]) -> None:
    hits = _named_paths(text) if generic else _call_hits(text, package_dir, moved)
    for start, wanted, snippet, what in sorted(hits):
        source = _locate(root, wanted, package_dir)
        if not source or _covered(wanted, found) or (generic and _holds_crates(root / source)):
            continue
        found[wanted] = RuntimeRead(source, wanted, _reason(path, text, start, snippet, what),
                                    (root / source).is_dir())


def absent_reads(root: Path, sources: Sources, package_dir: str,
                 moved: Mapping[str, str] = MappingProxyType({})) -> tuple[RuntimeRead, ...]:
    """Paths a reading call names (ServeDir::new("frontend/dist"), Tera::new(..)) that the
    repo does not hold: a frontend build's output or a download, which the image then
    lacks. `source` is empty; only the calls of READS count, never a bare literal."""
    missing: dict[str, RuntimeRead] = {}
    for path, text in ((p, without_comments(t)) for p, t in sources.files):
        for start, wanted, snippet, what in sorted(_call_hits(text, package_dir, moved)):
            if wanted not in missing and not _locate(root, wanted, package_dir):
                missing[wanted] = RuntimeRead("", wanted, _reason(path, text, start, snippet, what),
                                              not posixpath.splitext(wanted)[1])
    return tuple(missing.values())


#: Calls that read a directory whose path is no literal (a variable, a setting): the
#: conventional directories of that kind that exist are what they most likely read. A
#: literal that names nothing in the repo (a frontend build's output) is not such a call.
_NO_LITERAL = r"(?!\s*(?:&?r?\"|concat!|relative!|\"[^\"]*\"\s*,\s*\"))"
UNNAMED_READS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("templates", re.compile(rf"(?:\bTera::(?:new|parse)\s*\(|\bregister_templates_directory\s*\("
                             rf"|\bpath_loader\s*\(){_NO_LITERAL}|\bTemplate::(?:fairing|custom)\s*\("),
     ("templates",)),
    ("static files", re.compile(rf"(?:\bServeDir::new\s*\(|\bFiles::new\s*\(|\bFileServer::(?:from|new)\s*\("
                                rf"|\bfs::dir\s*\(|\bStaticDir::new\s*\(|\.serve_dir\s*\(){_NO_LITERAL}"),
     ("static", "public", "assets")),
)
#: Template engines that read templates at run time: with one among the dependencies and
#: no call found (a macro, a dependency crate calls it), templates/ is still shipped.
RUNTIME_TEMPLATE_CRATES = ("tera", "handlebars", "minijinja", "liquid", "upon", "rocket_dyn_templates")


def _first_place(sources: Sources, pattern: re.Pattern[str]) -> str:
    for path, text in sources.files:
        match = pattern.search(without_comments(text))
        if match:
            return f"{path}:{_line(text, match.start())} {match[0].rstrip('( ')}"
    return ""


def conventional_reads(root: Path, sources: Sources, package_dir: str, found: tuple[RuntimeRead, ...],
                       candidates: list[str], program_crates: set[str]) -> tuple[RuntimeRead, ...]:
    """Candidate directories (relative to the root) of a kind the program reads without
    naming a literal path, when no literal of that kind was found."""
    taken = {r.dest for r in found} | {r.source for r in found}
    extra: list[RuntimeRead] = []
    for kind, pattern, names in UNNAMED_READS:
        place = _first_place(sources, pattern)
        if not place and kind == "templates":
            engines = [c for c in RUNTIME_TEMPLATE_CRATES if c in program_crates]
            place = f"{engines[0]} is a dependency" if engines else ""
        if not place or any(posixpath.basename(r.dest) in names for r in found):
            continue
        for rel in candidates:
            name = posixpath.basename(rel)
            if name in names and rel not in taken and name not in taken:
                taken |= {rel, name}
                extra.append(RuntimeRead(rel, name, f"{place}: no literal path, {name}/ is where "
                                         f"{kind} conventionally live", True))
    return tuple(extra)
