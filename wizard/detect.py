"""Read a Rust project into a Project: the facts every default and rule starts from.

Pure and headless: it reads files under the root (manifests, Cargo.lock, toolchain and
cargo config files, a bounded sample of the program's sources) and never runs cargo."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .answers import AnswersError, read_answers
from .cargo_config import CargoConfig, read_config
from .cargo_facts import (
    ALLOCATORS,
    FRAMEWORK_PORTS,
    NET_CRATES,
    TLS_CLIENT_CRATES,
    TLS_CRATES,
    tls_of,
    tokio_has,
    uses_timezones,
)
from .cargo_lock import Lock, read_lock
from .lock_breaks import locked_breaks
from .cargo_manifest import Dep, DetectError, join, read_text, read_toml
from .cargo_sources import Sources, read_sources
from .cargo_workspace import Crate, Workspace, path_closure, read_workspace
from .local_features import default_features
from . import code_net
from .code_commands import service_command
from .code_signals import SIGINT, SIGTERM, detect_signals
from .code_writes import find_config_writes, find_writes, program_sources, writes_summary
from .detect_build import build_facts
from .detect_config import detect_config, required_settings
from .detect_listen import detect_listen
from .detect_ports import config_files, detect_ports
from .code_reads import RuntimeRead, absent_reads, conventional_reads, runtime_reads
from .crate_modules import program_files, without_comments
from .detect_roles import with_roles
from .dockerfile.find import foreign_dockerfile
from .lockfile import missing as lock_missing
from .meta import ANSWERS_FILE, written_by_rustdock
from .net_table import CONFIG_CRATES, own_words
from .project import Binary, Member, Project

__all__ = ["DetectError", "detect"]

#: Directories a build or the program may need, in the order they are listed.
CANDIDATE_DIRS = ("migrations", "templates", "static", "assets", "public", ".sqlx", "locales", "config")
_VERSION = re.compile(r"^(1\.\d+(?:\.\d+)?)(?:-[\w.-]+)?$")
_DEV = "dev-dependencies"


def _ordered_binaries(root: Path, ws: Workspace) -> tuple[Binary, ...]:
    """Every binary with its role, the one that serves first (detect_roles.py); equals
    keep nixpacks' order: the root package's, default-members', the other members'."""
    member_dirs = [m.dir for m in ws.members]
    order = ["."] if not ws.is_virtual else []
    order += [d for d in ws.default_members if d in member_dirs] + member_dirs
    seen: dict[str, None] = dict.fromkeys(order)
    return with_roles(root, ws, tuple(b for rel in seen for b in ws.crates[rel].binaries))


def _channel(root: Path) -> tuple[str, str]:
    """(channel, file) from rust-toolchain.toml or the legacy rust-toolchain file."""
    toml_file = root / "rust-toolchain.toml"
    legacy = root / "rust-toolchain"
    if toml_file.is_file():
        data = read_toml(toml_file)
    elif legacy.is_file():
        text = read_text(legacy)
        # The legacy file holds either a bare channel name or the same TOML.
        data = read_toml(legacy) if "[toolchain]" in text else {"toolchain": {"channel": text.strip()}}
    else:
        return "", ""
    toolchain = data.get("toolchain")
    channel = toolchain.get("channel", "") if isinstance(toolchain, dict) else ""
    return str(channel).strip(), (toml_file if toml_file.is_file() else legacy).name


def _rust_version(root: Path, ws: Workspace, ship: Crate) -> tuple[str, str, str]:
    """(version, source, channel): a toolchain file wins, then `rust-version`."""
    channel, source = _channel(root)
    if channel:
        match = _VERSION.match(channel)
        return (match[1], source, "") if match else ("", source, channel)
    root_crate = ws.crates.get(".")
    for value in (
        ship.meta.get("rust-version"),
        root_crate.meta.get("rust-version") if root_crate else None,
        ws.workspace_package.get("rust-version"),
    ):
        if value:
            return str(value), "rust-version", ""
    return "", "", ""


def _tls(lock: Lock | None, crates: list[Crate], used: frozenset[str]) -> tuple[frozenset[str], tuple]:
    """(TLS crates the build pulls in, (direct dependency, manifest) pairs that pull them).

    The lock file decides when it knows the dependency; otherwise its name and features do.
    A `workspace = true` dependency is reported in the root Cargo.toml, where its
    default-features and source live."""
    reaching = lock.reaching(TLS_CRATES) if lock is not None else frozenset()
    found = set(frozenset(TLS_CRATES) & used) if lock is not None else set()
    dependents: dict[tuple[str, str], None] = {}
    for crate in crates:
        for dep in crate.deps:
            if dep.kind == _DEV or dep.path:
                continue
            if lock is not None and dep.name in lock.graph:
                pulls = dep.name in reaching
            else:
                guessed = tls_of(dep)
                found |= guessed
                pulls = bool(guessed)
            if pulls:
                dependents[(dep.name, "Cargo.toml" if dep.inherited else dep.manifest)] = None
    return frozenset(found), tuple(dependents)


#: Directories looked for in the library crates the program depends on: build inputs
#: only (a dependency's static/ is not where the program reads at run time).
DEPENDENCY_DIRS = (".sqlx",)


def _extra_dirs(root: Path, ship: Crate, dep_dirs: list[str]) -> list[str]:
    """Candidate directories at the root and in the shipping package, then `.sqlx` in the
    local crates it depends on (`cargo sqlx prepare` writes one per crate with queries)."""
    bases = dict.fromkeys([".", ship.dir])
    found = [join(base, name) for base in bases for name in CANDIDATE_DIRS if (root / base / name).is_dir()]
    inside = [d for d in dep_dirs if d not in bases and not d.startswith("..")]
    found += [join(d, name) for d in inside for name in DEPENDENCY_DIRS if (root / d / name).is_dir()]
    return found


def _config_files(root: Path, ship: Crate, frameworks: tuple[str, ...]) -> list[str]:
    """Configuration files the program reads from its working directory at run time:
    Rocket.toml holds Rocket's port, address, template_dir and database URLs."""
    if "rocket" not in frameworks:
        return []
    bases = dict.fromkeys([".", ship.dir])
    return [join(base, "Rocket.toml") for base in bases if (root / base / "Rocket.toml").is_file()]


def _release_profile(root: Path) -> tuple[tuple[str, str], ...]:
    """[profile.release] of the root manifest, values as TOML text ("true", "\"z\"")."""
    profile = read_toml(root / "Cargo.toml").get("profile")
    release = profile.get("release") if isinstance(profile, dict) else None
    if not isinstance(release, dict):
        return ()
    return tuple((str(k), json.dumps(v) if isinstance(v, str) else str(v).lower()) for k, v in release.items()
                 if not isinstance(v, dict))


def _shipped_code(root: Path, binary: Binary, ship: Crate, ws: Workspace,
                  features: dict[str, frozenset[str]]) -> Sources:
    """The shipped binary's own code with comments blanked: its module tree and the local
    libraries it names, transitively; never the package's other binaries (a CLI client's
    connect address is not the server's listen address) nor doc examples."""
    code = read_sources(root, program_files(root, binary.path, ship, ws.crates, transitive=True), [],
                        features)
    return Sources(tuple((path, without_comments(text)) for path, text in code.files))


def _runtime_reads(root: Path, binary: Binary, ship: Crate, ws: Workspace, extra: list[str],
                   program: set[str], embedded: frozenset[str], features: dict[str, frozenset[str]],
                   ) -> tuple[tuple[RuntimeRead, ...], tuple[RuntimeRead, ...]]:
    """What the shipped binary's code (its module tree and the local libraries it calls)
    reads at run time, and where (code_reads.py); compiled-in directories never. Then
    what it reads that the repo lacks (a frontend build's output)."""
    code = read_sources(root, program_files(root, binary.path, ship, ws.crates), [], features)
    template_dir = str(_rocket_setting(root, ship, "template_dir", str) or "").removeprefix("./").rstrip("/")
    moved = {"templates": template_dir} if template_dir and "rocket" in program else {}
    reads = runtime_reads(root, code, ship.dir, moved)
    candidates = [d for d in extra if d.rsplit("/", 1)[-1] not in embedded | {".sqlx"}]
    reads += conventional_reads(root, code, ship.dir, reads, candidates, program)
    return reads, absent_reads(root, code, ship.dir, moved)


def _config_dirs(extra: list[str], embedded: frozenset[str]) -> list[str]:
    """config/ directories, read at start by convention (unless compiled in)."""
    return [d for d in extra if d.rsplit("/", 1)[-1] == "config" and "config" not in embedded]


def _rocket_setting(root: Path, ship: Crate, key: str, kind: type) -> int | str | None:
    """A Rocket.toml value as the release build sees it (release, default, global)."""
    for base in dict.fromkeys([".", ship.dir]):
        path = root / base / "Rocket.toml"
        if path.is_file():
            for profile in ("release", "default", "global"):
                table = read_toml(path).get(profile)
                if isinstance(table, dict) and isinstance(table.get(key), kind):
                    return table[key]
    return None


def _rocket_port(root: Path, ship: Crate) -> int:
    return int(_rocket_setting(root, ship, "port", int) or 0)


def _net(root: Path, ship: Crate, sources: Sources, frameworks: tuple[str, ...], deps: set[str],
         names: tuple[str, ...]) -> dict:
    """Ports (with provenance), the listen address and the config files: detect_ports,
    detect_listen. Config files count when the program reads config files at all."""
    files = config_files(root, [".", ship.dir])
    if not deps & CONFIG_CRATES:
        text = "\n".join(t for _, t in sources.files)
        files = tuple(f for f in files if f.rsplit("/", 1)[-1] in text)
    frameworks = code_net.frameworks_named(frameworks, sources)
    own = own_words(names)
    ports = detect_ports(root, files, sources, frameworks, _rocket_port(root, ship), own)
    primary = next((p.number for p in ports if p.proto == "tcp"), 0)
    rocket_address = str(_rocket_setting(root, ship, "address", str) or "")
    listen = detect_listen(root, files, sources, frameworks, primary, rocket_address, own)
    moved = {s.name for s in listen.env}
    return {"ports": ports, "port_guess": primary, "listen": listen, "config_files": files,
            "binds_localhost": listen.localhost, "rocket_address": rocket_address,
            "config": detect_config(root, [".", ship.dir], sources, names),
            "required_settings": required_settings(sources, moved)}


def _registries(deps: list[Dep], lock: Lock | None, config: CargoConfig) -> tuple[str, ...]:
    names = {d.registry for d in deps if d.registry}
    if lock is not None:
        urls = {u.rstrip("/") for u in lock.other_registries}
        names |= {n for n, index in config.registries if index.split("+", 1)[-1].rstrip("/") in urls}
    return tuple(sorted(names))


def _is_ssh_git(url: str) -> bool:
    return url.startswith(("ssh://", "git+ssh://", "git@")) or bool(re.match(r"^[\w.-]+@[\w.-]+:", url))


def _dockerfile(root: Path) -> tuple[bool, bool]:
    path = root / "Dockerfile"
    if not path.is_file():
        return False, False
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace").splitlines()[:5]
    except OSError:
        return True, False
    return True, written_by_rustdock("\n".join(head))


def _foreign_dockerfile(root: Path) -> str:
    found = foreign_dockerfile(root)
    return found.relative_to(root).as_posix() if found is not None else ""


def _other_container_files(root: Path) -> tuple[str, ...]:
    """Container build files beside the project other than `Dockerfile` (Containerfile,
    Dockerfile.prod, api.Dockerfile...): rustdock leaves them alone but says they exist."""
    try:
        names = sorted(p.name for p in root.iterdir() if p.is_file())
    except OSError:
        return ()
    return tuple(
        n for n in names
        if n != "Dockerfile" and re.fullmatch(r"(?i)(containerfile|dockerfile)([._-].+)?|.+[._]dockerfile", n)
    )


def _saved_answers(root: Path) -> dict:
    path = root / ANSWERS_FILE
    if not path.is_file():
        return {}
    try:
        preset, answers = read_answers(path)
    except AnswersError as err:
        raise DetectError(f"{err}; fix or delete the file") from None
    return {"preset": preset, "answers": answers}


def _metadata(ship: Crate, ws: Workspace) -> dict:
    """Package metadata for labels: the shipping package's, the workspace's as fallback."""
    meta = dict(ship.meta)
    for key in ("version", "description", "license", "repository", "authors"):
        if not meta.get(key):
            meta[key] = ws.workspace_package.get(key) or ""
    return meta


def detect(root: Path) -> Project:
    """Facts about the project at `root`. Raises DetectError for unreadable projects."""
    root = Path(root).absolute()
    if not root.is_dir():
        raise DetectError(f"{root}: not a directory; give the folder that holds Cargo.toml")
    ws = read_workspace(root)
    binaries = _ordered_binaries(root, ws)
    if not binaries:
        raise DetectError(
            f"{ws.manifest}: no binary target (src/main.rs, src/bin/*.rs or [[bin]]) in this "
            "project or its members; rustdock packages a program, not a library"
        )
    ship = ws.crates[binaries[0].package_dir]
    program_dirs = [ship.dir, *path_closure(ship, ws.crates)]
    program = [ws.crates[d] for d in program_dirs if d in ws.crates]
    program_deps = [d for c in program for d in c.deps if d.kind != _DEV]
    program_names = {d.name for d in program_deps}
    crates = list(ws.crates.values())
    build_deps = [d for c in crates for d in c.deps if d.kind != _DEV]
    all_deps = [d for c in crates for d in c.deps]

    lock = read_lock(root / "Cargo.lock")
    config = read_config(root)
    if lock is not None:
        used = lock.closure(d.name for d in build_deps if not d.path)
        all_crates = lock.names
    else:
        used = frozenset(d.name for d in build_deps)
        all_crates = frozenset(d.name for d in all_deps) | {c.name for c in crates}
    tls_crates, tls_dependents = _tls(lock, crates, used)

    # Code behind features a default build leaves off is no evidence (rust_text).
    features = default_features(ship, ws.crates)
    sources = read_sources(root, [binaries[0].path], [c.dir for c in program if not c.dir.startswith("..")],
                           features)
    embedded = sources.embedded_dirs()
    extra = _extra_dirs(root, ship, program_dirs[1:])
    frameworks = tuple(name for name, _ in FRAMEWORK_PORTS if name in program_names)
    reads, absent = _runtime_reads(root, binaries[0], ship, ws, extra, program_names, embedded, features)
    runtime = [r.source for r in reads] + _config_dirs(extra, embedded) + _config_files(root, ship, frameworks)
    rust_version, rust_source, channel = _rust_version(root, ws, ship)
    program_code = program_sources(sources)
    signals, signals_why = detect_signals(program_deps, program_code)
    registries = _registries(all_deps, lock, config)
    has_dockerfile, ours = _dockerfile(root)
    meta = _metadata(ship, ws)
    shipped = _shipped_code(root, binaries[0], ship, ws, features)
    service = service_command(shipped)
    authors = meta.get("authors") or ()

    return Project(
        root=root,
        name=ship.name,
        binaries=binaries,
        members=tuple(
            Member(
                name=c.name,
                dir=c.dir,
                version=str(c.meta.get("version") or ""),
                has_build_rs=c.has_build_rs,
                path_deps=path_closure(c, ws.crates),
                has_src=(root / c.dir / "src").is_dir(),
                features=c.features,
            )
            for c in ws.members
        ),
        is_workspace=ws.is_workspace,
        is_virtual=ws.is_virtual,
        default_members=ws.default_members,
        rust_version=rust_version,
        rust_version_source=rust_source,
        edition=max((str(c.meta.get("edition") or "") for c in crates), default=""),
        rust_channel=channel,
        tls_crates=tls_crates,
        tls_client=lock is None or bool((used | tls_crates | {d.name for d in build_deps}) & TLS_CLIENT_CRATES),
        tls_dependents=tls_dependents,
        allocator_crates=frozenset(ALLOCATORS) & {d.name for d in build_deps},
        all_crates=all_crates,
        has_lockfile=lock is not None,
        lock_missing=lock_missing(build_deps, lock),
        lock_breaks=locked_breaks(lock.versions) if lock is not None else (),
        vendor_dir=config.vendor_dir,
        has_cargo_config=config.exists,
        extra_dirs=tuple(extra),
        runtime_dirs=tuple(dict.fromkeys(runtime)),
        build_dirs=tuple(d for d in extra if d.rsplit("/", 1)[-1] in embedded | {".sqlx"}),
        runtime_reads=reads,
        runtime_absent=absent,
        frameworks=frameworks,
        uses_dns=bool(used & NET_CRATES) or tokio_has(build_deps, "net") or bool(frameworks),
        uses_timezones=uses_timezones(program_deps),
        handles_signals=signals == SIGTERM,
        sigint_only=signals == SIGINT,
        signals_why=signals_why,
        writes=writes_summary(find_writes(program_code) + find_config_writes(root, [ship.dir])),
        private_git=(lock is not None and lock.ssh_git) or any(_is_ssh_git(d.git) for d in all_deps),
        private_registry=bool(registries) or bool(lock and lock.other_registries),
        registry_names=registries,
        description=str(meta.get("description") or ""),
        license=str(meta.get("license") or ""),
        repository=str(meta.get("repository") or ""),
        version=str(meta.get("version") or ""),
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (),
        has_dockerfile=has_dockerfile,
        dockerfile_is_ours=ours,
        foreign_dockerfile=_foreign_dockerfile(root),
        has_dockerignore=(root / ".dockerignore").is_file(),
        other_container_files=_other_container_files(root),
        saved_answers=_saved_answers(root),
        release_profile=_release_profile(root),
        service_command=service.name,
        service_command_why=service.where,
        **_net(root, ship, shipped, frameworks, program_names, (ship.name, *(b.name for b in binaries))),
        build=build_facts(root, ws, lock, config, sources, ship.dir),
    )
