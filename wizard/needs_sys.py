"""Which rows of the system-needs table (sys_table.py) a build meets, and how each links.

The crates a build compiles are the lock file's closure of the dependencies the shipped
package really uses: its non-optional ones, the optional ones its enabled features turn on,
and the same for the local crates it reaches by path. Cargo.lock does not record features,
so whether a crate bundles its C library is read from the manifests rustdock can see (the
project's own dependency entries and feature lists); deeper in the graph it is unknown,
and each need says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .cargo_features import Enabled, resolve
from .cargo_lock import version_key
from .cargo_manifest import Dep
from .project import Project
from .build_scripts import ScriptFacts
from .sys_table import EDGES, ROWS, SysRow

_DEV = "dev-dependencies"


@dataclass(frozen=True)
class BuildGraph:
    """What one build compiles."""

    #: crate -> the direct dependency that pulls it in ("" for a direct dependency).
    crates: dict[str, str]
    #: Crates known to be compiled: direct ones, and those reached from them along edges
    #: the table knows (EDGES), or every crate when no feature of the build is off.
    certain: frozenset[str]
    #: (crate, feature) pairs the project's own manifests ask for, "default" included
    #: when a dependency keeps its default features.
    asked: frozenset[tuple[str, str]]
    #: Crates the project names directly (their features are known).
    direct: frozenset[str]
    #: package -> its build script, for every local crate in the build.
    build_scripts: dict[str, str]
    #: crate -> local packages whose build-dependencies reach it.
    built_by: dict[str, tuple[str, ...]]
    #: No feature of the workspace is off and no other package shares dependencies:
    #: Cargo.lock's union is exactly this build.
    exact: bool = False


@dataclass(frozen=True)
class SysNeed:
    """One table row a build meets."""

    row: SysRow
    version: str
    #: The direct dependency it comes through ("" when the project names it itself).
    through: str
    #: Whether it compiles its bundled copy: True, False, or None when it cannot be known.
    bundled: bool | None
    #: Build scripts of the project that use it (prost-build, bindgen...).
    scripts: tuple[str, ...] = ()
    #: The build surely compiles it (else the lock file's union of every workspace
    #: feature holds it, and a feature that is off may be why).
    certain: bool = True

    @property
    def crate(self) -> str:
        return self.row.crate

    @property
    def origin(self) -> str:
        """"pq-sys 0.6.3, through diesel; used by crates/api/build.rs"."""
        text = f"{self.crate} {self.version}".strip()
        if self.through:
            text += f", through {self.through}"
        if self.scripts:
            text += f"; used by {', '.join(self.scripts)}"
        return text

    @property
    def links_system(self) -> bool:
        """It links the system library (or may: unknown counts as yes)."""
        return self.row.link == "system" and self.bundled is not True


def _active(deps: Iterable[Dep], enabled: Enabled) -> list[Dep]:
    """Dependencies a build compiles: not dev, and optional ones only when turned on."""
    return [d for d in deps if d.kind != _DEV and (not d.optional or d.key in enabled.deps
                                                     or d.name in enabled.deps)]


def build_graph(project: Project, package: str, enabled: Enabled) -> BuildGraph:
    """The crates the build of `package` with `enabled` features compiles."""
    facts = project.build
    local = facts.crates
    roots: dict[str, None] = {}
    asked: set[tuple[str, str]] = set()
    scripts: dict[str, str] = {}
    build_roots: dict[str, list[str]] = {}
    touched: set[str] = set()
    off: set[str] = set()
    todo = [(package, enabled)]
    seen: set[str] = set()
    while todo:
        name, on = todo.pop()
        crate = local.get(name)
        if crate is None or name in seen:
            continue
        seen.add(name)
        touched.update(_touched(crate, on, facts.lock))
        off.update(_asked_when_off(crate, on))
        if crate.build_script:
            scripts[name] = crate.build_script
        for dep in _active(crate.deps, on):
            features = [*dep.features, *(f for k, f in on.dep_features if k == dep.key)]
            if dep.name in local:
                target = local[dep.name]
                todo.append((dep.name, resolve(target.features, features,
                                               defaults=dep.default_features)))
                continue
            roots[dep.name] = None
            asked.update((dep.name, f) for f in features)
            if dep.default_features:
                asked.add((dep.name, "default"))
            if dep.kind == "build-dependencies":
                build_roots.setdefault(dep.name, []).append(name)
    # Local crates outside this build may ask shared dependencies for more features.
    touched.update(d.name for c in local.values() if c.name not in seen for d in c.deps)
    crates, certain = _closure(facts.lock, roots, asked, frozenset(touched), frozenset(off))
    built_by = _built_by(facts.lock, build_roots)
    return BuildGraph(crates, certain, frozenset(asked), frozenset(roots), scripts, built_by,
                      exact=not touched and not off)


def _touched(crate, on: Enabled, lock) -> set[str]:
    """Registry crates whose features the crate's disabled features would change: the
    dependencies those features name, and what its disabled optional dependencies use.
    Cargo.lock holds their edges for every feature, so below them nothing is sure."""
    keys = {d.key: d.name for d in crate.deps}
    found: set[str] = set()
    for feature in crate.features:
        if feature.name in on.features:
            continue
        for entry in feature.enables:
            dep = entry.removeprefix("dep:").split("/")[0].rstrip("?")
            if dep in keys:
                found.add(keys[dep])
    for dep in crate.deps:
        if dep.optional and dep.key not in on.deps and dep.name not in on.deps and lock is not None:
            found.update(lock.graph.get(dep.name, ()))
    return found


def _asked_when_off(crate, on: Enabled) -> set[str]:
    """Features the crate's disabled features would ask of dependencies ("fips" for a
    `tls-fips = ["tokio-rustls/fips"]` that is off)."""
    return {entry.split("/", 1)[1] for f in crate.features if f.name not in on.features
            for entry in f.enables if "/" in entry}


def _edge(parent: str, child: str, asked: frozenset[tuple[str, str]] | set,
          direct: dict[str, None], off: frozenset[str]) -> bool | None:
    """Whether a lock edge is in this build: True/False where the table knows, else None.
    Below the project's own dependencies a gated edge whose feature only a disabled
    feature of the project asks for (fips) is taken as off."""
    features = EDGES.get((parent, child))
    if features is None:
        return None
    if not features:
        return True
    if parent in direct:
        return any((parent, f) in asked for f in features)
    if set(features) & off and not {f for _, f in asked} & set(features):
        return False
    return None


def _closure(lock, roots: dict[str, None], asked: set[tuple[str, str]],
             touched: frozenset[str], off: frozenset[str]) -> tuple[dict[str, str], frozenset[str]]:
    """Every crate the roots reach in the lock (with the first root reaching it), and
    those known to be compiled."""
    if lock is None:
        return _table_closure(roots, asked)
    through: dict[str, str] = {}
    certain: set[str] = set()
    for root in roots:
        todo = [(root, True)]
        while todo:
            name, sure = todo.pop()
            if name in through and (not sure or name in certain):
                continue
            through.setdefault(name, "" if name == root else root)
            if sure:
                certain.add(name)
            for child in lock.graph.get(name, ()):
                known = _edge(name, child, asked, roots, off)
                if known is False:
                    continue
                todo.append((child, sure and (known is True or name not in touched)))
    return through, frozenset(certain)


def _table_closure(roots: dict[str, None], asked: set[tuple[str, str]]) -> tuple[dict[str, str], frozenset[str]]:
    """Without Cargo.lock: the roots and what the table's edges say they surely pull in
    (rocksdb -> librocksdb-sys -> bindgen: pastebin has no lock, yet needs libclang)."""
    through = {name: "" for name in roots}
    todo = list(roots)
    while todo:
        parent = todo.pop()
        for (edge_parent, child), features in EDGES.items():
            if edge_parent != parent or child in through:
                continue
            if features and not any((parent, f) in asked for f in features):
                continue
            through[child] = through[parent] or parent
            todo.append(child)
    return through, frozenset(through)


def _built_by(lock, build_roots: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for root, packages in build_roots.items():
        reached = lock.closure([root]) if lock is not None else {root}
        for name in reached:
            found.setdefault(name, []).extend(p for p in packages if p not in found.get(name, []))
    return {k: tuple(v) for k, v in found.items()}


def _in_range(row: SysRow, versions: tuple[str, ...]) -> str:
    """The first locked version the row covers, "" when none does."""
    for version in versions or ("",):
        have = version_key(version)
        if row.since and have and have < version_key(row.since):
            continue
        if row.until and (not have or have >= version_key(row.until)):
            continue
        return version or "?"
    return ""


def _bundled(row: SysRow, graph: BuildGraph, lock) -> bool | None:
    """Whether the crate compiles its own copy: a feature the project asks for says so;
    a lock that lists no bundling dependency for it says not; else only the project's
    own dependency entry can tell."""
    own = {(row.crate, f) for f in row.bundled_by}
    if graph.asked & (own | set(row.bundled_via)):
        return True
    if row.bundled_dep and lock is not None:
        if row.bundled_dep not in lock.graph.get(row.crate, ()):
            return False
        if graph.exact:
            return True  # the lock is this very build, and it bundles
    return False if row.crate in graph.direct else None


def enabled_for(project: Project, choices: Mapping[str, Any]) -> tuple[str, Enabled]:
    """(package, what its build turns on) for the chosen binary and feature options."""
    binary = project.binary(str(choices.get("binary", ""))) or project.default_binary
    if binary is None:
        return "", Enabled()
    names = [*binary.required_features, *choices.get("features", ())]
    enabled = resolve(project.features_of(binary.name), names,
                      defaults=not choices.get("no_default_features", False),
                      every=bool(choices.get("all_features", False)))
    return binary.package, enabled


def for_choices(project: Project, choices: Mapping[str, Any]) -> tuple[SysNeed, ...]:
    """The rows the build of the chosen binary with the chosen features meets."""
    package, enabled = enabled_for(project, choices)
    return _needs_cached(project, id(project.build), package, enabled) if package else ()


def graph_for(project: Project, choices: Mapping[str, Any]) -> BuildGraph | None:
    """What the build of the chosen binary with the chosen features compiles."""
    package, enabled = enabled_for(project, choices)
    return _graph_cached(project, id(project.build), package, enabled) if package else None


def tls_in_build(project: Project, choices: Mapping[str, Any]) -> frozenset[str]:
    """The TLS crates (project.tls_crates) the build of the chosen binary with the chosen
    features compiles. Cargo.lock holds every feature's edges: rustypaste's off-by-default
    `openssl` feature leaves actix-tls -> openssl in it, yet its default build has no
    OpenSSL. Without a lock file the manifests' guess stands."""
    built = crates_in_build(project, choices)
    return project.tls_crates if built is None else project.tls_crates & built


def crates_in_build(project: Project, choices: Mapping[str, Any]) -> frozenset[str] | None:
    """What the build of the chosen binary with the chosen features compiles, as far as
    Cargo.lock tells; None without a lock file (then only the manifests' guesses stand)."""
    graph = graph_for(project, choices) if project.build.lock is not None else None
    return None if graph is None else frozenset(graph.crates)


# Defaults are derived again on every change of a plan: each walk is done once.
@lru_cache(maxsize=32)
def _graph_cached(project: Project, _facts: int, package: str, enabled: Enabled) -> BuildGraph:
    return build_graph(project, package, enabled)


@lru_cache(maxsize=32)
def _needs_cached(project: Project, _facts: int, package: str, enabled: Enabled) -> tuple[SysNeed, ...]:
    return sys_needs(project, package, enabled, _graph_cached(project, _facts, package, enabled))


def sys_needs(project: Project, package: str, enabled: Enabled,
              graph: BuildGraph | None = None) -> tuple[SysNeed, ...]:
    """The table rows the build meets, in table order."""
    graph = graph or build_graph(project, package, enabled)
    lock = project.build.lock
    found: list[SysNeed] = []
    for row in ROWS:
        if row.crate not in graph.crates:
            continue
        if set(row.unless_crates) & set(graph.crates) or set(row.unless_env) & set(project.build.cargo_env):
            continue
        if row.unless_only_via and lock is not None:
            parents = {p for p, deps in lock.graph.items() if row.crate in deps and p in graph.crates}
            if parents and parents <= set(row.unless_only_via):
                continue
        versions = lock.versions.get(row.crate, ()) if lock is not None else ()
        version = _in_range(row, versions)
        if not version:
            continue
        users = graph.built_by.get(row.crate, ())
        found.append(SysNeed(
            row=row,
            version="" if version == "?" else version,
            through=graph.crates[row.crate],
            bundled=_bundled(row, graph, lock),
            scripts=tuple(graph.build_scripts[p] for p in users if p in graph.build_scripts),
            certain=row.crate in graph.certain,
        ))
    return tuple(found)


def scripts_for(project: Project, choices: Mapping[str, Any]) -> tuple[ScriptFacts, ...]:
    """The build scripts this build runs (its package and the local crates it uses)."""
    graph = graph_for(project, choices)
    if graph is None:
        return ()
    used = set(graph.build_scripts.values())
    return tuple(s for s in project.build.scripts if s.path in used)


def git_scripts(project: Project, choices: Mapping[str, Any]) -> tuple[ScriptFacts, ...]:
    return tuple(s for s in scripts_for(project, choices) if s.git)


def bundling_feature(project: Project, binary: str, crate: str) -> str:
    """A feature of the binary's package that makes `crate` compile its own copy of its
    library ("vendored-openssl = ["openssl/vendored"]"), "" when there is none."""
    wanted = {f"{r.crate}/{b}" for r in ROWS if r.crate == crate for b in r.bundled_by}
    wanted |= {f"{c}/{f}" for r in ROWS if r.crate == crate for c, f in r.bundled_via}
    for feature in project.features_of(binary):
        if {e.replace("?/", "/") for e in feature.enables} & wanted:
            return feature.name
    return ""
