"""What each binary is for (server, cli, client, utility, migration), from evidence, and
which one the image ships by default: the one that serves.

Evidence, strongest first (EVIDENCE): the binary's own code binds a socket or starts a
server; its name (or its package's) says client, utility or migration; its name says server
or daemon; a library its code calls binds a socket; its own code connects out; its code uses
a server framework; its package depends on one. The first that holds decides. Every table
of crate names, code patterns and name words lives here, not in branches."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .cargo_sources import Sources, read_sources
from .cargo_workspace import Crate, Workspace
from .crate_modules import crate_ident, libraries_used, local_libraries, module_tree, without_comments
from .project import Binary

SERVER, CLI, CLIENT, UTILITY, MIGRATION = "server", "cli", "client", "utility", "migration"

#: How roles rank for the default binary: the one that serves, then a program, then the
#: rest (a client, a utility or a migration tool is never shipped over a server).
ROLE_RANK = {SERVER: 2, CLI: 1, CLIENT: 0, UTILITY: 0, MIGRATION: 0}

#: Code that listens: (pattern, what it shows).
SERVER_CODE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), what) for pattern, what in (
        (r"\b(?:TcpListener|UdpSocket|UnixListener)::bind\b", "binds a socket"),
        (r"\bHttpServer::new\b", "starts an HttpServer"),
        (r"\baxum::serve\b|\baxum_server::bind|\b(?:hyper::)?Server::bind\s*\(", "serves HTTP"),
        (r"\bserve_connection(?:_with_upgrades)?\s*\(", "serves HTTP connections"),
        (r"\bwarp::serve\b", "serves with warp"),
        (r"#\[\s*(?:rocket::)?launch\s*\]|\brocket::(?:build|custom)\s*\(", "launches Rocket"),
        (r"\btonic::transport::Server\b|\bServer::builder\s*\(\s*\)", "serves gRPC"),
        (r"\b(?:poem|salvo)::Server::new\b|\bServer::new\s*\(\s*(?:TcpListener|acceptor)", "starts a server"),
        (r"\btide::(?:new|with_state)\s*\(", "starts a tide app"),
    )
)

#: Code that connects to a server without listening.
CLIENT_CODE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), what) for pattern, what in (
        (r"\b(?:TcpStream|UnixStream)::connect\b", "connects to a server"),
        (r"\breqwest::(?:Client|get|blocking)\b|\bureq::(?:get|post|put|agent|Agent)\b|\bawc::Client\b",
         "makes HTTP requests"),
        (r"\b\w*Client::connect\s*\(", "connects as a client"),
    )
)

#: Code that prints or generates something and exits (an API spec, a schema, completions).
UTILITY_CODE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), what) for pattern, what in (
        (r"\.spec(?:_yaml|_json)?\s*\(\s*\)", "prints an OpenAPI spec"),
        (r"\bschema_for!\s*\(", "prints a JSON schema"),
        (r"\bclap_complete::generate(?:_to)?\s*\(|\bclap_mangen::Man\b", "generates completions or man pages"),
    )
)

#: Crates that make a program a server when it uses them.
SERVER_CRATES = (
    "axum", "actix-web", "rocket", "warp", "poem", "salvo", "tide", "loco-rs", "leptos_axum",
    "leptos_actix", "ntex", "gotham", "tiny_http", "rouille", "trillium", "viz", "dropshot",
    "pavex", "tonic", "axum-server", "hyper-server",
)

#: Words in a binary's name, by role; checked in this order, so "server-cli" is a client.
#: A word matches a whole part of the name (split at - _ .) unless it is in NAME_INFIXES.
NAME_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (MIGRATION, frozenset({"migrate", "migration", "migrations", "migrator", "migrat"})),
    (UTILITY, frozenset({
        "util", "utils", "utility", "tool", "tools", "admin", "gen", "keygen", "genkey", "bench",
        "dump", "export", "import", "seed", "seeder", "codegen", "schema", "print", "debug",
        "config", "passwd", "password", "hash", "fixtures", "xtask", "generate", "check", "lint",
        "healthcheck", "probe", "bootstrap", "setup", "reset", "convert", "backup", "restore",
        "openapi", "docs", "doc", "test", "example", "demo", "fuzz", "bindgen", "uniffi",
    })),
    (CLIENT, frozenset({"cli", "client", "ctl", "ctrl", "cmd", "tui", "gui", "shell", "repl"})),
    (SERVER, frozenset({"server", "srv", "daemon", "serve", "service", "api", "gateway",
                        "backend", "web", "http", "httpd", "node", "relay", "d"})),
)
#: Words also found at either end of a name with no separator (ssserver, daemonctl,
#: dbmigrate), except in the words of NOT_INFIXES; NAME_SUFFIXES only at its end (kubectl).
NAME_INFIXES = frozenset({"server", "daemon", "client", "migrat", "migrate"})
NOT_INFIXES = ("observer", "preserver", "deserver")
NAME_SUFFIXES = frozenset({"ctl", "srv"})

NAME_KINDS = {SERVER: "a server", CLIENT: "a client", UTILITY: "a utility", MIGRATION: "a migration tool"}

#: Names and folders of binaries that exist to test, benchmark or demonstrate: whatever
#: their code does (a test server binds a socket), they are never what ships.
TEST_WORDS = frozenset({"test", "tests", "testing", "example", "examples", "demo", "bench", "benches",
                        "fuzz", "mock", "fake", "conformance", "e2e", "integration"})
TEST_FOLDERS = TEST_WORDS | {"integration-tests", "test-support", "testdata", "fixtures"}

#: The longest word first, so the reason names the word that matched best.
_NAME_ORDER = tuple((role, tuple(sorted(words, key=lambda w: (-len(w), w)))) for role, words in NAME_WORDS)
_SPLIT = re.compile(r"[-_.]+")


@dataclass(frozen=True)
class Verdict:
    role: str
    reason: str
    #: How strong the evidence is (the tie-break among servers): its own code 5, its
    #: name 3, a library it calls or a framework its code names 2, its package's deps 1.
    #: A library is weak: big ones hold every binary's server code (shadowsocks-service).
    strength: int


def _says(word: str, parts: list[str], lower: str) -> bool:
    if word in parts:
        return True
    if word in NAME_INFIXES and (lower.startswith(word) or lower.endswith(word)):
        return not any(lower.endswith(w) for w in NOT_INFIXES)
    return word in NAME_SUFFIXES and lower.endswith(word) and len(lower) > len(word) + 1


def name_role(name: str, others: Iterable[str] = ()) -> tuple[str, str]:
    """(role, word) a name suggests, ("", "") when it says nothing. A name that is another
    binary's or package's name plus "d" (foo and food) is a daemon."""
    lower = name.lower()
    parts = [p for p in _SPLIT.split(lower) if p]
    for role, words in _NAME_ORDER:
        word = next((w for w in words if _says(w, parts, lower)), "")
        if word:
            return role, word
    if len(lower) > 2 and lower.endswith("d") and lower[:-1] in {o.lower() for o in others}:
        return SERVER, f"{lower[:-1]} + d"
    return "", ""


def _first(sources: Sources, table: tuple[tuple[re.Pattern[str], str], ...]) -> tuple[str, str] | None:
    """(what, "path:line snippet") of the earliest file's first match in the table."""
    for path, text in sources.files:
        hits = [(m.start(), what, m[0]) for pattern, what in table for m in pattern.finditer(text)]
        if hits:
            start, what, snippet = min(hits)
            line = text.count("\n", 0, start) + 1
            return what, f"{path}:{line} {snippet.strip()}"
    return None


def _uses_crate(sources: Sources, crate: str) -> str:
    """"path:line" where code names the crate (`use axum::...`, `axum::serve`), else ""."""
    pattern = re.compile(rf"(?<![\w:]){re.escape(crate_ident(crate))}::")
    for path, text in sources.files:
        match = pattern.search(text)
        if match:
            return f"{path}:{text.count(chr(10), 0, match.start()) + 1}"
    return ""


def _test_tooling(binary: Binary) -> str:
    """Why a binary is test or example tooling (its name or its folder says so), else ""."""
    parts = [p for p in _SPLIT.split(binary.name.lower()) if p]
    word = next((w for w in parts if w in TEST_WORDS), "")
    if word:
        return f"test or example tooling ({word!r} in {binary.name})"
    folder = next((f for f in binary.path.split("/")[:-1] if f in TEST_FOLDERS), "")
    return f"test or example tooling (it lives in {folder}/)" if folder else ""


def _code(sources: Sources) -> Sources:
    return Sources(tuple((path, without_comments(text)) for path, text in sources.files))


def judge(root: Path, binary: Binary, crate: Crate, crates: dict[str, Crate],
          others: Iterable[str] = ()) -> Verdict:
    """The role of one binary and why."""
    tooling = _test_tooling(binary)
    if tooling:
        return Verdict(UTILITY, tooling, 6)
    own = _code(read_sources(root, module_tree(root, binary.path), []))
    listens = _first(own, SERVER_CODE)
    if listens:
        return Verdict(SERVER, f"{listens[0]} ({listens[1]})", 5)
    prints = _first(own, UTILITY_CODE)
    if prints:
        return Verdict(UTILITY, f"{prints[0]} ({prints[1]})", 4)
    by_name, word = name_role(binary.name, others)
    named = binary.name
    if not by_name and len(crate.binaries) == 1 and crate.name != binary.name:
        by_name, word = name_role(crate.name, others)
        named = f"its package {crate.name}"
    if by_name:
        what = f"named like {NAME_KINDS[by_name]} ({word!r} in {named})"
        return Verdict(by_name, what, 3 if by_name == SERVER else 4)
    texts = [text for _, text in own.files]
    libs = libraries_used(root, texts, local_libraries(crate, crates))
    via = _first(_code(read_sources(root, libs, [])), SERVER_CODE) if libs else None
    if via:
        return Verdict(SERVER, f"{via[0]} in a library it calls ({via[1]})", 2)
    connects = _first(own, CLIENT_CODE)
    if connects:
        return Verdict(CLIENT, f"{connects[0]} ({connects[1]}) and never listens", 2)
    program_deps = {d.name for d in crate.deps if d.kind != "dev-dependencies"}
    frameworks = [c for c in SERVER_CRATES if c in program_deps]
    for framework in frameworks:
        where = _uses_crate(own, framework)
        if where:
            return Verdict(SERVER, f"uses {framework} ({where})", 2)
    if frameworks:
        return Verdict(SERVER, f"its package depends on {frameworks[0]}", 1)
    return Verdict(CLI, "no server code, server framework or server-like name", 0)


def with_roles(root: Path, ws: Workspace, binaries: tuple[Binary, ...]) -> tuple[Binary, ...]:
    """The binaries with their roles, the one to ship first: servers before programs
    before clients, utilities and migrations; among servers the stronger evidence, then
    the order found (root package, default-members, members; default-run first in each)."""
    names = [b.name for b in binaries] + [c.name for c in ws.crates.values()]
    judged: list[tuple[Binary, Verdict]] = []
    for binary in binaries:
        crate = ws.crates[binary.package_dir]
        verdict = judge(root, binary, crate, ws.crates, [n for n in names if n != binary.name])
        judged.append((replace(binary, role=verdict.role, role_reason=verdict.reason), verdict))
    order = {id(b): i for i, (b, _) in enumerate(judged)}
    # The order found already puts each package's default-run first; across packages
    # default-run says nothing, so it breaks no tie there.
    # Strength only orders servers: the others keep the order found.
    ranked = sorted(judged, key=lambda item: (-ROLE_RANK[item[1].role],
                                              -item[1].strength if item[1].role == SERVER else 0,
                                              order[id(item[0])]))
    return tuple(b for b, _ in ranked)


def default_why(binaries: tuple[Binary, ...]) -> str:
    """Why the first binary is the default, in one line, naming what it was preferred to."""
    if not binaries:
        return ""
    first, rest = binaries[0], binaries[1:]
    if not rest:
        return f"the only binary ({first.role}: {first.role_reason})"
    if first.role == SERVER and any(b.role != SERVER for b in rest):
        return f"it serves ({first.role_reason}); " + ", ".join(
            f"{b.name} is a {b.role}" for b in rest if b.role != SERVER)
    if first.default_run:
        return f"its package's default-run ({first.role}: {first.role_reason})"
    return f"{first.role}: {first.role_reason}; first found"
