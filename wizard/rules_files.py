"""Rules on the files copied into the runtime image (option extra_files): inside the
project, present, no secrets, what the code reads at run time copied, nothing compiled in."""

from __future__ import annotations

import fnmatch
from pathlib import PurePosixPath

from .needs_runtime import split_entry
from .plan import Plan
from .rules_base import Findings, error, tip, warning
from .rules_project import SECRET_FILES, _outside


def _without(items: tuple[str, ...], drop: set[str]) -> tuple[str, ...]:
    return tuple(item for item in items if item not in drop)


def _source(entry: str) -> str:
    """The project path of an extra_files entry ("web/templates:templates" -> "web/templates")."""
    return split_entry(entry)[0]


def extra_file_escapes(plan: Plan) -> Findings:
    root = plan.project.root
    bad = [item for item in plan.extra_files if _outside(root, _source(item))]
    if not bad:
        return ()
    return error(
        "extra_files",
        f"{', '.join(bad)} points outside the project, which Docker cannot COPY.",
        "use paths inside the project root.",
        extra_files=_without(plan.extra_files, set(bad)),
    )


def extra_file_missing(plan: Plan) -> Findings:
    root = plan.project.root
    missing = [
        item
        for item in plan.extra_files
        if not _outside(root, _source(item)) and not (root / _source(item)).exists()
    ]
    if not missing:
        return ()
    return error(
        "extra_files",
        f"{', '.join(missing)} does not exist in the project, so the COPY fails.",
        "create it or remove it from extra_files.",
        extra_files=_without(plan.extra_files, set(missing)),
    )


def _is_secret_file(item: str) -> bool:
    return any(
        fnmatch.fnmatch(part, pattern)
        for part in PurePosixPath(item).parts
        for pattern in SECRET_FILES
    )


def extra_file_secret(plan: Plan) -> Findings:
    secret = [item for item in plan.extra_files if _is_secret_file(_source(item))]
    if not secret:
        return ()
    return error(
        "extra_files",
        f"{', '.join(secret)} looks like a secret or a repository, and anyone who pulls "
        "the image can read it.",
        "remove it; mount secrets at run time (docker run -v, Kubernetes secrets).",
        extra_files=_without(plan.extra_files, set(secret)),
    )


def runtime_dir_not_copied(plan: Plan) -> Findings:
    copied = {_source(item) for item in plan.extra_files}
    entries = {r.source: r.entry for r in plan.project.runtime_reads}
    missing = tuple(entries.get(d, d) for d in plan.project.runtime_dirs if d not in copied)
    if not missing:
        return ()
    return warning(
        "extra_files",
        f"the program reads {', '.join(missing)} at run time, but it is not copied into "
        "the image.",
        "add it to extra_files.",
        extra_files=tuple(plan.extra_files) + missing,
    )


def runtime_path_absent(plan: Plan) -> Findings:
    """The code reads a path the project does not hold (a frontend build's output): no
    one-key fix, but the user must know the image will lack it."""
    shipped = {split_entry(item)[1].strip("/") for item in plan.extra_files}
    absent = [r for r in plan.project.runtime_absent if r.dest.strip("/") not in shipped]
    if not absent:
        return ()
    first = absent[0]
    more = f" and {len(absent) - 1} more" if len(absent) > 1 else ""
    return warning(
        "extra_files",
        f"the program reads {first.dest}{more} at run time ({first.reason[:80]}), which the "
        "project does not hold (a build's output?): the image will not have it.",
        "build it before the runtime stage (a stage of its own, then add it to extra_files "
        "once it exists), or mount it into the working directory at run time (docker run -v).",
    )


def extra_file_embedded(plan: Plan) -> Findings:
    project = plan.project
    # Compiled in (askama, rust-embed, include_dir): a folder nobody reads is not this tip's.
    embedded = [
        item
        for item in plan.extra_files
        if _source(item) in project.build_dirs and _source(item) not in project.runtime_dirs
    ]
    if not embedded:
        return ()
    return tip(
        "extra_files",
        f"{', '.join(embedded)} is embedded into the binary at compile time; copying it "
        "into the runtime image only adds size.",
        "remove it from extra_files (the build stage still gets it).",
        extra_files=_without(plan.extra_files, set(embedded)),
    )

