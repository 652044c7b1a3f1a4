"""Plan -> edits of Cargo.toml and the binary's main.rs. (Owned by the patch work.)

Each concern (profile.py, allocator.py, tls.py, source.py) says which values it wants from
the user's own data; manifest.py applies them, taking back what rustdock set before and
recording what it sets now (record.py describes the scheme).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..changes import FileChange
from ..findings import ERROR, TIP, WARNING, Finding
from ..meta import ANSWERS_FILE
from ..needs_features import vendoring
from ..needs_sys import crates_in_build, tls_in_build
from ..plan import Plan
from . import record
from .allocator import allocator_edits, user_allocator
from .deps import dependencies
from .manifest import Manifest, ManifestError
from .profile import profile_edits
from .record import Edit, Path_
from .source import has_global_allocator, insert_block, remove_block
from .tls import rustls_edits, unknown_dependents, vendored_edits

ROOT = "Cargo.toml"


@dataclass(frozen=True)
class PatchResult:
    #: One FileChange per file the plan edits (manifests, the binary's root source file),
    #: and rustdock.toml when the record of rustdock's edits changes.
    changes: tuple[FileChange, ...] = ()
    #: Conflicts with values the user set, and crates rustdock could not switch.
    findings: tuple[Finding, ...] = ()
    #: The `[edits]` table rustdock.toml must end with ("" when nothing is recorded).
    records: str = ""


def manifest_path(member_dir: str) -> str:
    return ROOT if member_dir in ("", ".") else f"{member_dir.strip('/')}/{ROOT}"


class _Reader:
    """Reads each file once; a file that cannot be read becomes one error finding."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.manifests: dict[str, Manifest] = {}
        #: rustdock's past edits, by manifest, from rustdock.toml.
        self.answers_text = self.text(ANSWERS_FILE)
        self.recorded: dict[str, tuple[Edit, ...]] = record.read_section(self.answers_text)

    def text(self, rel: str) -> str | None:
        try:
            return (self.root / rel).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (UnicodeDecodeError, OSError) as err:
            why = "not UTF-8 text" if isinstance(err, UnicodeDecodeError) else err.strerror
            self.fail(rel, f"{rel} cannot be read ({why})")
            return None

    def manifest(self, rel: str) -> Manifest | None:
        if rel not in self.manifests:
            text = self.text(rel)
            if text is None:
                return None
            try:
                self.manifests[rel] = Manifest.read(rel, text, self.recorded.get(rel, ()))
            except ManifestError as err:
                self.fail(rel, str(err))
                return None
        return self.manifests[rel]

    def fail(self, rel: str, message: str) -> None:
        self.findings.append(
            Finding("patch-unreadable", ERROR, "profile", message + "; rustdock cannot edit it.",
                    fix=f"fix {rel} by hand and run rustdock again")
        )


def _closure(plan: Plan, member_dir: str) -> list[str]:
    """The member's directory and its path dependencies' (they build into the binary)."""
    by_dir = {m.dir: m for m in plan.project.members}
    seen: list[str] = []
    todo = [member_dir]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        member = by_dir.get(current)
        todo.extend(member.path_deps if member else ())
    return seen


def patch_project(plan: Plan) -> PatchResult:
    reader = _Reader(plan.project.root)
    root = reader.manifest(ROOT)
    if root is None:
        return PatchResult((), tuple(reader.findings))
    binary = plan.target_binary
    member_rel = manifest_path(binary.package_dir if binary else ".")
    member = reader.manifest(member_rel)
    if member is None:
        if not reader.findings:
            reader.fail(member_rel, f"{member_rel} (the manifest of the shipped binary) is missing")
        return PatchResult((), tuple(reader.findings))
    desired: dict[str, dict[Path_, Any]] = defaultdict(dict)
    findings: list[Finding] = []

    unwinds = plan.project.build.catch_unwind
    wanted, conflicts = profile_edits(plan.profile, plan.profile_overwrite, root.base,
                                      keep_unwind=bool(unwinds))
    desired[ROOT].update(wanted)
    findings.extend(conflicts)
    if unwinds and plan.profile == "size":
        findings.append(Finding(
            "profile-keeps-unwind", TIP, "profile",
            f"profile=size leaves panic = \"unwind\": {unwinds[0]} calls catch_unwind, "
            "which panic = \"abort\" would turn into an abort of the whole program.",
            fix="nothing to do; the rest of the size profile applies",
        ))

    source_change, alloc_findings = _allocator(plan, reader, root, member, desired)
    findings.extend(alloc_findings)
    findings.extend(_tls(plan, reader, root, member, desired))

    changes = []
    # Manifests this plan does not read keep their record (a member shipped before).
    records = dict(reader.recorded)
    for rel, manifest in list(reader.manifests.items()):
        try:
            after, records[rel] = manifest.apply(desired.get(rel, {}))
        except ManifestError as err:
            reader.fail(rel, str(err))
            records[rel] = manifest.edits
            continue
        if after != manifest.text:
            why = _why(desired.get(rel, {}))
            if manifest.body != manifest.text:
                why += "; rustdock's record of its edits moves to rustdock.toml"
            changes.append(FileChange(rel, manifest.text, after, reason=why))
            if not manifest.keeps_layout:
                findings.append(Finding(
                    "patch-moves-tables", WARNING, "profile",
                    f"{rel} has tables out of order that the TOML editor re-orders; the edit "
                    "moves lines the plan does not touch.",
                    fix="check the diff before saving, or group each table's headers together",
                ))
    if source_change is not None and not reader.findings:
        # Never the #[global_allocator] lines without the crate they name.
        changes.append(source_change)
    if plan.project.has_lockfile and any(_dependencies_differ(c) for c in changes):
        findings.append(Finding(
            "lockfile-stale", WARNING, "allocator" if plan.allocator != "system" else "tls",
            "rustdock's edit of Cargo.toml changes the dependencies, so Cargo.lock no longer "
            "matches and a `--locked` build (the Dockerfile's) stops until it is refreshed.",
            fix="after saving, run `cargo update --workspace` (the wizard offers to run it) and "
            "commit Cargo.lock",
        ))
    section = record.section(records)
    answers = record.with_section(reader.answers_text, section)
    if answers != (reader.answers_text or ""):
        changes.append(FileChange(ANSWERS_FILE, reader.answers_text, answers,
                                  reason="rustdock's record of its edits to Cargo.toml"))
    return PatchResult(tuple(changes), tuple(reader.findings + findings), section)


def _dependencies_differ(change: FileChange) -> bool:
    """True when a manifest change adds, removes or re-features a dependency."""
    if not change.path.endswith(ROOT) or change.before is None:
        return False
    return _dependency_list(change.before) != _dependency_list(change.after)


@lru_cache(maxsize=512)
def _dependency_list(text: str) -> str:
    return repr(list(dependencies(tomllib.loads(text))))


def _why(edits: dict[Path_, Any]) -> str:
    parts = {"profile": "release profile", "target": "allocator / TLS crates",
             "dependencies": "allocator / TLS crates", "workspace": "workspace dependencies"}
    names = sorted({parts.get(p[0], p[0]) for p in edits})
    return ", ".join(names) or "undo rustdock's earlier edits"


def _allocator(plan: Plan, reader: _Reader, root: Manifest, member: Manifest,
               desired: dict[str, dict[Path_, Any]]) -> tuple[FileChange | None, list[Finding]]:
    binary = plan.target_binary
    source_rel = binary.path if binary else ""
    source = reader.text(source_rel) if source_rel else None
    own_source = remove_block(source) if source is not None else None
    # One #[global_allocator] per binary: the user's anywhere in the code it links (another
    # workspace crate included) wins over rustdock's, which would be a second one.
    elsewhere = [p for p in plan.project.build.global_allocators
                 if p.rpartition(":")[0] != source_rel]
    theirs = user_allocator(member.base) or (
        "#[global_allocator]" if own_source and has_global_allocator(own_source) else ""
    ) or (f"#[global_allocator] in {elsewhere[0]}" if elsewhere else "")
    findings: list[Finding] = []
    allocator = plan.allocator
    if theirs and allocator != "system":
        # The default follows the allocator the project already has: then this is news,
        # not a problem. Only a choice the user made and rustdock cannot honour warns.
        severity = WARNING if "allocator" in plan.explicit else TIP
        findings.append(Finding(
            "allocator-exists", severity, "allocator",
            f"your project already sets a global allocator ({theirs}); rustdock leaves it as it is.",
            fix="choose allocator=system to silence this, or remove yours first",
            fix_choices=(("allocator", "system"),),
        ))
        allocator = "system"
    musl_only = plan.allocator_scope == "musl-only"
    same = member.path == root.path
    for_member, for_root = allocator_edits(allocator, musl_only, member.base, root.base, same)
    desired[member.path].update(for_member)
    desired[root.path].update(for_root)
    if source is None or own_source is None:
        if allocator != "system":
            findings.append(Finding(
                "allocator-no-source", WARNING, "allocator",
                f"rustdock could not read the binary's root file ({source_rel or 'unknown'}), "
                "so the #[global_allocator] lines are not added.",
                fix=f"add `#[global_allocator] static GLOBAL: ...` for {allocator} yourself",
            ))
        return None, findings
    after = own_source if allocator == "system" else insert_block(own_source, allocator, musl_only)
    if after == source:
        return None, findings
    return FileChange(source_rel, source, after, reason=f"global allocator ({allocator})"), findings


def _tls(plan: Plan, reader: _Reader, root: Manifest, member: Manifest,
         desired: dict[str, dict[Path_, Any]]) -> list[Finding]:
    if plan.tls == "openssl-vendored":
        if vendoring(plan):
            # The package has its own feature for it: the build turns it on (needs),
            # no new dependency leaves Cargo.lock stale.
            return []
        desired[member.path].update(vendored_edits(member.base, plan.libc == "musl"))
        return []
    if plan.tls != "rustls":
        return []
    left = [u for u in unknown_dependents(plan.project.tls_dependents)
            if _pulls_openssl(plan, u.crate)]
    rels = dict.fromkeys([ROOT, *(manifest_path(d) for d in _closure(plan, _dir(member.path)))])
    for rel in rels:
        manifest = reader.manifest(rel)
        if manifest is None:
            continue
        edits, unswitched = _rustls_edits(manifest, root)
        desired[rel].update(edits)
        left.extend(u for u in unswitched if _in_build(plan, u.crate))
    if not left:
        return []
    names = "; ".join(f"{u.crate} ({u.why})" for u in dict.fromkeys(left))
    return [Finding(
        "tls-unswitched", WARNING, "tls",
        f"rustdock could not switch these crates to rustls, so OpenSSL may still be linked: {names}.",
        fix="switch them by hand, or choose tls=openssl-vendored",
        fix_choices=(("tls", "openssl-vendored"),),
    )]


_RUSTLS: dict[tuple[str, ...], tuple[dict[Path_, Any], tuple]] = {}


def _rustls_edits(manifest: Manifest, root: Manifest) -> tuple[dict[Path_, Any], tuple]:
    """rustls_edits, worked out once per pair of manifest texts (a workspace's members are
    read again on every change of the preview, and most changes leave them as they are)."""
    key = (manifest.path, manifest.text, repr(manifest.edits), root.text, repr(root.edits))
    if key not in _RUSTLS:
        if len(_RUSTLS) > 512:
            _RUSTLS.clear()
        _RUSTLS[key] = rustls_edits(manifest.base, root.base)
    edits, left = _RUSTLS[key]
    return dict(edits), left


def _pulls_openssl(plan: Plan, crate: str) -> bool:
    """Whether a dependency really reaches openssl-sys in Cargo.lock (without a lock, what
    detect guessed from its name and features stands), in a build that compiles OpenSSL
    at all (the lock also holds the edges of features this build leaves off)."""
    lock = plan.project.build.lock
    if lock is None:
        return True
    return bool(tls_in_build(plan.project, plan.choices) & {"openssl-sys", "native-tls"}) and \
        crate in lock.reaching({"openssl-sys"})


def _in_build(plan: Plan, crate: str) -> bool:
    """An optional dependency no enabled feature turns on is not built: nothing to switch."""
    built = crates_in_build(plan.project, plan.choices)
    return built is None or crate in built


def _dir(manifest_rel: str) -> str:
    return "." if manifest_rel == ROOT else manifest_rel.rsplit("/", 1)[0]
