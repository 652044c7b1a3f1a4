"""Cargo.lock: which crates the build resolves, and where they come from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cargo_manifest import read_toml, strings

CRATES_IO_SOURCES = frozenset(
    {
        "registry+https://github.com/rust-lang/crates.io-index",
        "sparse+https://index.crates.io/",
    }
)


def version_key(version: str) -> tuple[int, ...]:
    """A locked version as numbers to compare ("0.3.29" -> (0, 3, 29); a pre-release or
    build suffix is dropped, parts stop at the first that is not a number)."""
    parts = []
    for part in version.split("+")[0].split("-")[0].split("."):
        if not part.isdigit():
            break
        parts.append(int(part))
    return tuple(parts)


@dataclass(frozen=True)
class Lock:
    """The packages of a Cargo.lock, by name (all versions of a name merged)."""

    #: name -> names of the packages it depends on.
    graph: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Every `source` of a package from somewhere other than the workspace.
    sources: frozenset[str] = frozenset()
    #: name -> every version of it the lock holds.
    versions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.graph)

    def closure(self, roots: Iterable[str]) -> frozenset[str]:
        """The roots and everything they depend on, transitively. Dependencies of
        non-workspace packages in a lock file never include dev-dependencies."""
        return _reachable(self.graph, (r for r in roots if r in self.graph))

    def reaching(self, targets: Iterable[str]) -> frozenset[str]:
        """Every package that depends, directly or not, on one of `targets` (them included)."""
        parents: dict[str, set[str]] = {}
        for name, deps in self.graph.items():
            for dep in deps:
                parents.setdefault(dep, set()).add(name)
        return _reachable(parents, (t for t in targets if t in self.graph))

    @property
    def ssh_git(self) -> bool:
        return any(s.startswith("git+ssh://") for s in self.sources)

    @property
    def other_registries(self) -> frozenset[str]:
        """Index URLs of registries other than crates.io."""
        return frozenset(
            s.split("+", 1)[1]
            for s in self.sources
            if s.startswith(("registry+", "sparse+")) and s not in CRATES_IO_SOURCES
        )


def _reachable(edges: Mapping[str, Iterable[str]], start: Iterable[str]) -> frozenset[str]:
    """`start` and every name reachable from it along `edges`."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, ()))
    return frozenset(seen)


def read_lock(path: Path) -> Lock | None:
    """The lock file at `path`, None when there is none; DetectError when it is bad TOML."""
    if not path.is_file():
        return None
    data = read_toml(path)
    packages = data.get("package")
    graph: dict[str, set[str]] = {}
    sources: set[str] = set()
    versions: dict[str, list[str]] = {}
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict) or "name" not in package:
            continue
        deps = graph.setdefault(str(package["name"]), set())
        versions.setdefault(str(package["name"]), []).append(str(package.get("version", "")))
        # Entries read "name", "name version" or "name version (source)".
        deps.update(dep.split()[0] for dep in strings(package.get("dependencies")) if dep.strip())
        if package.get("source"):
            sources.add(str(package["source"]))
    return Lock(graph={k: frozenset(v) for k, v in graph.items()}, sources=frozenset(sources),
                versions={k: tuple(v) for k, v in versions.items()})
