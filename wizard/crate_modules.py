"""Which .rs files make up one binary: its root file and the modules it declares, the
way rustc finds them (`mod x;` -> x.rs or x/mod.rs, `#[path = "..."]`), plus the library
trees its code names (its own package's src/lib.rs, local path dependencies).

Reading a whole src/ directory would mix a package's binaries: src/bin/migrate.rs and
src/main.rs share src/, and only the module tree says which code belongs to which."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cargo_workspace import Crate

#: Files one binary's tree may hold before we stop following modules (huge crates).
MAX_TREE = 150

#: `mod name;` (not an inline `mod name { ... }`), with an optional #[path] before it.
_MOD_DECL = re.compile(
    r'(?:#\[\s*path\s*=\s*"(?P<path>[^"]+)"\s*\]\s*)?'
    r"(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(?P<name>r#\w+|\w+)\s*;"
)
_LINE_COMMENT = re.compile(r"//[^\n]*")
#: Modules that only exist for tests, whatever attribute (or none) guards them.
_TEST_MODS = frozenset({"tests", "test", "test_utils", "testing", "benches"})


def _read(root: Path, rel: str) -> str | None:
    try:
        with open(f"{root}/{rel}", "rb") as handle:
            return handle.read(400_000).decode("utf-8", errors="replace")
    except OSError:
        return None


def _children_dir(rel: str) -> str:
    """Where the modules of file `rel` live: beside main.rs/lib.rs/mod.rs (and the root
    file of a src/bin/x/main.rs binary), else in a folder named after the file."""
    folder, name = posixpath.split(rel)
    stem = name[:-3] if name.endswith(".rs") else name
    return folder if stem in {"main", "lib", "mod"} else posixpath.join(folder, stem)


def module_tree(root: Path, root_file: str, limit: int = MAX_TREE) -> list[str]:
    """`root_file` and every module file it reaches, relative to `root`, in reading order.
    Test-only modules are left out."""
    found: list[str] = []
    queue = [(root_file, True)]
    seen: set[str] = set()
    while queue and len(found) < limit:
        rel, is_root = queue.pop(0)
        rel = posixpath.normpath(rel)
        text = None if rel in seen else _read(root, rel)
        seen.add(rel)
        if text is None:
            continue
        found.append(rel)
        if "mod" not in text:
            continue
        text = _LINE_COMMENT.sub("", text)
        base = posixpath.dirname(rel) if is_root else _children_dir(rel)
        for match in _MOD_DECL.finditer(text):
            name = match["name"].removeprefix("r#")
            if name in _TEST_MODS or "cfg(test)" in match[0]:
                continue
            if match["path"]:
                # #[path] is relative to the declaring file's own folder.
                queue.append((posixpath.join(posixpath.dirname(rel), match["path"]), False))
                continue
            candidates = [posixpath.join(base, f"{name}.rs"), posixpath.join(base, name, "mod.rs")]
            target = next((c for c in candidates if (root / c).is_file()), candidates[0])
            queue.append((target, False))
    return found


def crate_ident(package: str) -> str:
    """How code names a library crate: `inventory-core` is `inventory_core`."""
    return package.replace("-", "_")


def names_crate(texts: Iterable[str], ident: str) -> bool:
    """Whether code refers to the library `ident` (`use ident::`, `ident::f()`)."""
    pattern = re.compile(rf"(?<![\w:]){re.escape(ident)}::")
    return any(pattern.search(text) for text in texts)


def libraries_used(root: Path, texts: list[str], libraries: Iterable[tuple[str, str]]) -> list[str]:
    """Files of the libraries (ident, lib root file) that `texts` name, in order."""
    files: list[str] = []
    for ident, lib_root in libraries:
        if (root / lib_root).is_file() and names_crate(texts, ident):
            files += module_tree(root, lib_root)
    return files


def local_libraries(crate: Crate, crates: dict[str, Crate]) -> list[tuple[str, str]]:
    """(ident, lib root) of the package's own library and its local path dependencies'."""
    libs = [(crate_ident(crate.name), crate.lib)] if crate.lib else []
    for dep in crate.deps:
        local = crates.get(dep.path) if dep.path and dep.kind != "dev-dependencies" else None
        if local is not None and local.lib:
            libs.append((crate_ident(local.name), local.lib))
    return libs


def program_files(root: Path, root_file: str, crate: Crate, crates: dict[str, Crate],
                  transitive: bool = False) -> list[str]:
    """A binary's own module tree, then the trees of the local libraries its code names;
    with `transitive`, also the local libraries those libraries name, and so on (a
    server's listener often lives two crates down: bin -> app lib -> its server crate)."""
    files = module_tree(root, root_file)
    texts = [text for text in (_read(root, rel) for rel in files) if text]
    pending, done = [crate], set()
    while pending:
        current = pending.pop(0)
        done.add(current.dir)
        for ident, lib_root in local_libraries(current, crates):
            if lib_root in files or not (root / lib_root).is_file() or not names_crate(texts, ident):
                continue
            tree = [f for f in module_tree(root, lib_root) if f not in files]
            files += tree
            if transitive:
                texts += [text for text in (_read(root, rel) for rel in tree) if text]
                owner = next((c for c in crates.values() if c.lib == lib_root), None)
                if owner is not None and owner.dir not in done:
                    pending.append(owner)
    return files


_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)


def without_comments(text: str) -> str:
    """`text` with its comments blanked (lengths and newlines kept, so offsets and line
    numbers stay right); string literals are kept, "http://..." included."""
    return _STRING_OR_COMMENT.sub(
        lambda m: m[0] if m[0].startswith('"') else re.sub(r"[^\n]", " ", m[0]), text)
