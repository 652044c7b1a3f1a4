"""The configuration file a program reads when it starts, and the settings it cannot
start without.

A config file: config-rs `File::with_name("config/default")`, figment `Toml::file(..)`,
a plain `fs::read_to_string("config.toml")`, a `-c/--config` argument's default, or an env
var naming the path. The repository's file at that path, or an example beside it
(config.example.toml, config.toml.sample...), is what the image can carry. Required
settings: env vars read with expect/?/unwrap and clap arguments that must be given."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from . import code_net
from .cargo_manifest import join
from .cargo_sources import Sources
from .net_facts import ConfigFact, Setting
from .net_table import EXAMPLE_WORDS, TEST_WORDS

_SUFFIX = r"(?:toml|ya?ml|json|json5|ini|ron|conf|cfg|hcl)"
#: config-rs: File::with_name("config/default") (extension found at run time) or a path.
_CONFIG_RS = re.compile(r'\bFile::(?:with_name|new|from)\(\s*(?:Path::new\(\s*)?"([^"{}]+)"')
#: figment providers: Toml::file("App.toml"), Yaml::file, Json::file (optional files).
_FIGMENT = re.compile(r'\b(?:Toml|Yaml|Json)::file(?:_exact)?\(\s*"([^"{}]+)"')
#: Reading a config-named file directly: fs::read_to_string("config.toml"), File::open(..).
_READ = re.compile(rf'\b(?:read_to_string|File::open|read|from_path|load_from|load|join)\(\s*"([^"{{}}]*\.{_SUFFIX})"')
#: An env var naming the file: env::var("APP_CONFIG").unwrap_or("config.toml"...).
_ENV_PATH = re.compile(r'\bvar(?:_os)?\(\s*"(\w*CONF\w*)"\s*\)([^;]{0,160})')
#: A list of default places, tried in order: `const DEFAULT_CONFIG_FILE_PATHS: [&str; 2] =
#: ["./config.cfg", "/etc/app.cfg"];` (sonic).
_PATH_LIST = re.compile(r"\b(?:const|static)\s+\w*(?:CONF|CFG|SETTINGS)\w*\s*:[^=]{0,60}=\s*&?\s*\[([^\]]*)\]\s*;")
_LITERAL = re.compile(rf'"([^"{{}}]*\.{_SUFFIX})"')
_CONFIG_ARG = re.compile(r"(?i)^(?:config|conf|cfg|settings)(?:_?(?:file|path))?$|_config$")
#: What follows a read that stops the program when it fails.
_FATAL = re.compile(r"^\s*(?:\.\s*(?:await\s*)?)?(?:\?|\.\s*(?:unwrap|expect)\b)")
#: env::var("DATABASE_URL").expect(..) / ? / .unwrap(): the program stops without it. (A
#: helper of the program's own is not followed: notify_push's parse_var("PORT")? gives an
#: Option, most of its settings are optional.)
_REQUIRED_ENV = re.compile(
    r'\b(?:env::)?var(?:_os)?\(\s*"([A-Z][A-Z0-9_]+)"\s*\)\s*(?:\?|\.\s*(?:unwrap|expect)\s*\()'
)
#: env::var("SECRET_KEY").unwrap_or_else(|_| panic!(..)): required all the same
#: (realworld-rust-rocket panics in release builds, where the image's program is one).
_ENV_OR_ELSE = re.compile(r'\b(?:env::)?var(?:_os)?\(\s*"([A-Z][A-Z0-9_]+)"\s*\)\s*\.\s*unwrap_or_else\(')
_STOPS = re.compile(r"\bpanic!|\bexit\(|\bunreachable!|\bunimplemented!")
_ONLY_WHEN = re.compile(r"\.then\(\s*\|\|\s*\{?\s*(?:std::)?$")
_EXAMPLES = ("{stem}.example{ext}", "{stem}.sample{ext}", "{stem}.dist{ext}", "{stem}.default{ext}",
             "{stem}-example{ext}", "{stem}_example{ext}", "example.{stem}{ext}", "example-{stem}{ext}",
             "{name}.example", "{name}.sample", "{name}.dist", "{name}.template", "{stem}.template{ext}")
_EXTENSIONS = (".toml", ".yaml", ".yml", ".json", ".ini", ".ron", ".json5")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _example_beside(path: Path) -> Path | None:
    """A file beside `path` named after it that says it is an example or a template
    (lldap_config.docker_template.toml for lldap_config.toml)."""
    try:
        siblings = sorted(path.parent.iterdir())
    except OSError:
        return None
    stem = path.stem if path.suffix else path.name
    return next((s for s in siblings if s.is_file() and s.name.startswith(stem) and s != path
                 and EXAMPLE_WORDS.search(s.name[len(stem):])), None)


def _in_repo(root: Path, bases: list[str], rel: str) -> str:
    """The repository file the program would find at `rel` (config-rs adds an extension),
    or an example of it beside it; "" when there is none."""
    rel = rel.removeprefix("./")
    if rel.startswith("/") or ".." in rel.split("/"):
        return ""
    for base in dict.fromkeys(bases):
        path = root / base / rel
        candidates = [path] + ([path.with_name(path.name + e) for e in _EXTENSIONS] if not path.suffix else [])
        for found in candidates:
            if found.is_file():
                return found.relative_to(root).as_posix()
        for cand in candidates:
            stem, ext, name = cand.stem, cand.suffix, cand.name
            for pattern in _EXAMPLES:
                example = cand.with_name(pattern.format(stem=stem, ext=ext, name=name))
                if example.is_file():
                    return example.relative_to(root).as_posix()
        beside = _example_beside(path)
        if beside is not None:
            return beside.relative_to(root).as_posix()
    return ""


def _fatal(text: str, end: int) -> bool:
    """The read's result stops the program when it fails (?, unwrap, expect) within the
    statement, and nothing says the file is optional."""
    statement = text[end:end + 400].split(";")[0]
    if re.search(r"required\(\s*false\s*\)|unwrap_or|\.ok\(\)|if let|match ", statement):
        return False
    return bool(re.search(r"\?|\.\s*(?:unwrap|expect)\b", statement))


def _from_code(sources: Sources) -> list[tuple[str, str, bool]]:
    found = []
    for path, text in sources.files:
        for pattern, optional in ((_CONFIG_RS, False), (_FIGMENT, True), (_READ, False)):
            for m in pattern.finditer(text):
                value = m[1]
                if pattern is _CONFIG_RS and not re.search(r"conf|setting|default|app|\.(?:toml|ya?ml|json)", value, re.I):
                    continue
                found.append((value, f"{path}:{_line(text, m.start())}", not optional and _fatal(text, m.end())))
        for m in _PATH_LIST.finditer(text):
            # each place may be missing (the next is tried): none of them is required alone
            found += [(lit[1], f"{path}:{_line(text, m.start(1) + lit.start())}", False)
                      for lit in _LITERAL.finditer(m[1])]
    return found


#: Env vars that name a config file whatever the program is called.
_GENERIC_ENV = re.compile(r"^(?:APP_)?(?:CONFIG|CONF|SETTINGS)(?:_(?:FILE|PATH|DIR))?$")


def _ours(value: str, names: tuple[str, ...], env: bool = False) -> bool:
    """A config path or variable that belongs to this program: relative paths are read
    from its working directory; an absolute path or a variable must carry its name
    (a library's /etc/gitconfig or GIT_CONFIG_GLOBAL is not the program's config)."""
    if env:
        if _GENERIC_ENV.match(value):
            return True
    elif not value.startswith(("/", "~")):
        return True
    flat = re.sub(r"[^a-z0-9]", "", value.lower())
    return any(len(n) >= 3 and n in flat for n in names)


def detect_config(root: Path, bases: list[str], sources: Sources,
                  names: tuple[str, ...] = ()) -> ConfigFact | None:
    """The config file read at start, None when the program reads none we can see.
    `names`: the program's package and binary names."""
    names = tuple(re.sub(r"[^a-z0-9]", "", n.lower()) for n in names)
    flag, env, default, where = "", "", "", ""
    for arg in code_net.args(sources):
        if (_CONFIG_ARG.search(arg.name) and not (arg.long or arg.short or arg.env or arg.default)
                and _PATH_TYPE.search(arg.type or "PathBuf")):
            return _positional(root, bases, sources, arg)
        if _CONFIG_ARG.search(arg.name):
            flag = f"--{arg.long}" if arg.long else ""
            if arg.short:
                flag = f"-{arg.short}/{flag}" if flag else f"-{arg.short}"
            env, default, where = arg.env, arg.default, arg.where
            break
    for path, text in sources.files:
        for m in _ENV_PATH.finditer(text):
            if not _ours(m[1], names, env=True):
                continue
            env = env or m[1]
            fallback = re.search(rf'"([^"]*(?:/|\.{_SUFFIX})[^"]*)"', m[2])  # a path, not a message
            if fallback and not default:
                default, where = fallback[1], f"{path}:{_line(text, m.start())}"
    reads = _from_code(sources)
    default = default.removeprefix("./")
    if default:
        return ConfigFact(path=default, where=where, required=True,
                          source=_in_repo(root, bases, default), env=env, flag=flag)
    for value, at, fatal in reads:
        if not _ours(value, names):
            continue
        source = _in_repo(root, bases, value)
        if source or fatal:
            rel = value.removeprefix("./")
            if not posixpath.splitext(rel)[1] and source:
                rel += posixpath.splitext(source)[1] if not re.search(r"example|sample|dist|template", source) else ""
            return ConfigFact(path=rel, where=at, required=fatal, source=source, env=env, flag=flag)
    if flag or env:
        return ConfigFact(path="", where=where, required=False, source="", env=env, flag=flag)
    return None


#: clap: `ArgGroup::new("cmds").required(true).args(&["CONFIG", "genkey"])`: one of them
#: must be given.
_REQUIRED_GROUP = re.compile(r'ArgGroup::new\([^)]*\)(?:\s*\.\s*\w+\([^)]*\))*?\s*\.\s*required\(\s*true\s*\)'
                             r'(?:\s*\.\s*\w+\([^)]*\))*?\s*\.\s*args\(\s*&?\[([^\]]*)\]')
#: A positional argument that holds a path (lychee's `#[clap(flatten)] config: Config` is
#: a group of flags, not a file name).
_PATH_TYPE = re.compile(r"\b(?:PathBuf|Path|String|OsString|OsStr|str|Utf8PathBuf)\b")
_CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json", ".json5", ".ini", ".ron", ".conf", ".cfg", ".hcl")


def _positional(root: Path, bases: list[str], sources: Sources, arg) -> ConfigFact:
    """The config file is the program's positional argument (`rathole server.toml`):
    required when clap requires it (a bare type, `required = true`, or a required group
    that names it), with an example config from the repository to show."""
    bare = bool(arg.type) and not re.match(r"(?:Option|Vec)\b", arg.type)
    in_group = any(_CONFIG_ARG.search(name.strip().strip('"'))
                   for _, text in sources.files for m in _REQUIRED_GROUP.finditer(text)
                   for name in m[1].split(","))
    return ConfigFact(path="", where=arg.where, required=arg.required or bare or in_group,
                      source=_example_config(root, bases), flag=arg.name.upper(), positional=True)


def _example_config(root: Path, bases: list[str]) -> str:
    """A config file the repository offers as an example: a config-named file at the root
    or in the package, else the shallowest one under examples/ (a server's first)."""
    found: list[tuple[int, bool, str]] = []
    for base in dict.fromkeys([".", *bases]):
        for folder in (root / base, root / base / "examples", root / base / "config"):
            if not folder.is_dir():
                continue
            deep = folder.name in ("examples", "config") and folder != root / base
            for path in sorted(folder.rglob("*") if deep else folder.iterdir())[:400]:
                rel = path.relative_to(root).as_posix()
                if (path.suffix in _CONFIG_SUFFIXES and path.is_file() and path.name != "Cargo.toml"
                        and not TEST_WORDS.search(rel) and "/target/" not in f"/{rel}"
                        and (deep or re.search(r"(?i)conf|setting", path.name))):
                    found.append((rel.count("/"), "server" not in rel.lower(),
                                  not re.search(r"(?i)minimal|basic|simple", rel), rel))
            if found:
                break
    return min(found)[-1] if found else ""


def required_settings(sources: Sources, taken: set[str] = frozenset()) -> tuple[Setting, ...]:
    """Env vars the program stops without, and clap arguments it cannot start without
    that an env var can give; each once, in reading order."""
    found: dict[str, Setting] = {}
    for path, text in sources.files:
        for m in _REQUIRED_ENV.finditer(text):
            found.setdefault(m[1], Setting(m[1], f"{path}:{_line(text, m.start())}"))
        for m in _ENV_OR_ELSE.finditer(text):
            # warpgate: flag.then(|| var("WARPGATE_ADMIN_TOKEN").unwrap_or_else(.. exit)):
            # required only with the flag.
            conditional = _ONLY_WHEN.search(text[max(0, m.start() - 120):m.start()])
            if not conditional and _STOPS.search(_call_body(text, m.end())):
                found.setdefault(m[1], Setting(m[1], f"{path}:{_line(text, m.start())}"))
    for arg in code_net.args(sources):
        bare = arg.type and not re.match(r"(?:Option|Vec|bool)\b", arg.type)
        if (arg.env and not arg.has_default and (arg.required or bare) and not arg.in_subcommand
                and not _CONFIG_ARG.search(arg.name) and not TEST_WORDS.search(arg.env)):
            found.setdefault(arg.env, Setting(arg.env, arg.where))
    return tuple(s for name, s in found.items() if name not in taken)


def _call_body(text: str, start: int, limit: int = 800) -> str:
    """The arguments of the call whose `(` ends just before `start` (at most `limit`
    characters: a fallback closure, not the rest of the file)."""
    depth = 1
    for i, ch in enumerate(text[start:start + limit]):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return text[start:start + i]
    return text[start:start + limit]


def config_mount(fact: ConfigFact) -> str:
    """Where the image expects the file, as an absolute path under WORKDIR /app."""
    return fact.path if fact.path.startswith("/") else join("/app", fact.path)
