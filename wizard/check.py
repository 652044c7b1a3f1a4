"""`rustdock check`: a Dockerfile rustdock did not write, judged line by line.

The Dockerfile is imported into a plan (import_dockerfile) and the generator's own rules
run on it, each finding placed at the line of the instruction that set its option; the
checks only a Dockerfile can fail (a COPY of a path never built, a missing USER, ...) run
on the parsed file itself (check_build, check_image). Same rule, same id, both ways.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from pathlib import Path

from . import check_build as build
from . import check_image as image
from .cargo_manifest import DetectError
from .check_base import CheckFn, Located, stamped
from .detect import detect
from .dockerfile.facts import DockerfileFacts, find_ignore
from .dockerfile.facts_build import absolute
from .dockerfile.find import find_dockerfile, looked_for
from .dockerfile.parse import DockerfileError
from .findings import SEVERITY_ORDER
from .import_dockerfile import Imported, import_facts, judged_plan, read_dockerfile
from .options import OPTIONS_BY_KEY
from .project import Project
from .rules import RULES

#: Generator rules that speak about what rustdock itself would write, not about what a
#: Dockerfile does: they stay out of the check. Every other rule runs on the imported plan.
NOT_FOR_CHECK = frozenset({
    "library-only", "binary-missing", "builder-cannot-cross", "cross-musl-c-code",
    "rust-image-missing", "openssl-without-tls", "openssl-added", "vendored-on-glibc-runtime",
    "rustls-but-tls-none", "platform-verifier", "aws-lc-build", "allocator-scope-unused",
    "jemalloc-arm64-pages", "healthcheck-program", "runtime-needs-emulation",
    "size-profile-aborts", "private-registry-how", "private-git-how",
    "labels-without-metadata", "env-duplicate", "chef-needs-network",
})

#: Checks only a Dockerfile can fail: (stable id, function).
DOCKERFILE_CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("copy-never-built", build.copy_never_built),
    ("program-missing", image.program_missing),
    ("cache-other-target", build.cache_other_target),
    ("unset-variable", build.unset_variable),
    ("user-missing", image.user_missing),
    ("healthcheck-tool-absent", image.healthcheck_tool_absent),
    ("shell-form", image.shell_form),
    ("release-mismatch", image.release_mismatch),
    ("unpinned-image", image.unpinned_image),
    ("build-not-locked", build.build_not_locked),
    ("dockerignore-drops", build.dockerignore_drops),
    ("secret-build-arg", build.secret_build_args),
    ("secret-persisted", build.secret_persisted),
)
CHECK_IDS = tuple(rule_id for rule_id, _ in DOCKERFILE_CHECKS)
#: Option groups whose findings belong to the build (placed at the cargo build line).
_BUILD_GROUPS = frozenset({"build", "caching", "tls", "allocator", "private"})
#: Options only a cargo build has: a Dockerfile that compiles nothing (it downloads a
#: release binary) gets no finding about them.
_CARGO_ONLY = frozenset({"build_git", "features", "no_default_features", "all_features", "rust_version",
                         "builder", "caching", "profile", "allocator", "allocator_scope"})


class CheckError(Exception):
    """Nothing to check: no Dockerfile, or one that cannot be read. Exit 2."""


@dataclass(frozen=True)
class Report:
    #: The Dockerfile, relative to the project root.
    path: str
    findings: tuple[Located, ...]
    imported: Imported
    #: Why project facts are missing ("" when Cargo.toml was read).
    project_note: str = ""

    @property
    def errors(self) -> tuple[Located, ...]:
        return tuple(f for f in self.findings if f.severity == "error")


def check_dockerfile(root: Path, dockerfile: Path | None = None) -> Report:
    """Every finding about the project's Dockerfile (or the one given)."""
    root = Path(root)
    if not root.is_dir():
        raise CheckError(f"{root}: no such directory")
    project, note = _project(root)
    return check_project(project, root, dockerfile, note)


def check_project(project: Project | None, root: Path, dockerfile: Path | None = None,
                  note: str = "") -> Report:
    """The same, for a project already read (None when its Cargo.toml cannot be)."""
    path = dockerfile if dockerfile is not None else find_dockerfile(root)
    if path is None:
        raise CheckError(f"no Dockerfile to check: looked for {looked_for(root)}; give one with --dockerfile")
    try:
        df = read_dockerfile(path, root)
    except DockerfileError as err:
        raise CheckError(str(err)) from None
    facts = DockerfileFacts(df, project, find_ignore(root, path))
    imported = import_facts(facts)
    found = _plan_findings(project, imported) + _dockerfile_findings(facts)
    return Report(df.path, _ordered(found, df.path), imported, note)


def _project(root: Path) -> tuple[Project | None, str]:
    try:
        return detect(root.resolve()), ""
    except DetectError as err:
        return None, f"{err}; checks that need Cargo.toml were skipped"


def _plan_findings(project: Project | None, imported: Imported) -> list[Located]:
    if project is None:
        return []
    plan = judged_plan(project, imported)
    if plan is None:
        return []
    facts = imported.facts
    program = facts.runtime.program
    found = []
    for rule_id, rule in RULES:
        if rule_id in NOT_FOR_CHECK:
            continue
        for finding in rule(plan):
            if rule_id == "args-shell-syntax" and program is not None and program.shell_form:
                continue  # shell form expands them; shell-form says what is wrong there
            if rule_id == "leptos-needs-cargo-leptos" and "leptos" in facts.df.text:
                continue
            if rule_id == "toolchain-file-differs" and _toolchain_file_in_build(facts):
                continue
            if rule_id == "runtime-path-absent" and _final_stage_provides(facts, project):
                continue
            if finding.option in _CARGO_ONLY and not facts.build.builds:
                continue
            line = _line(imported, finding.option, finding.message)
            found.append(Located(replace(finding, rule=rule_id), facts.df.path, line))
    return found


#: Builder images whose cargo is rustup's proxy: it installs what rust-toolchain.toml pins.
_RUSTUP_FAMILIES = frozenset({"rust", "muslrust", "cargo-chef", "musl-cross"})
_TOOLCHAIN_FILES = frozenset({".", "./", "rust-toolchain", "rust-toolchain.toml"})


def _toolchain_file_in_build(facts: DockerfileFacts) -> bool:
    """The main build runs where the Dockerfile copied the project's rust-toolchain file
    (`COPY . /src`, or the file itself) on a rustup image: cargo installs the pinned
    toolchain there on first use, so the rule's premise (rustdock's own Dockerfile keeps
    the file out) does not hold; only an offline builder would miss it."""
    build = facts.main_build
    if build is None or facts.image_of(build.stage).family not in _RUSTUP_FAMILIES:
        return False
    for stage in facts.df.lineage(build.stage):
        for ins in stage.instructions:
            if ins.line >= build.instruction.line or ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            if len(ins.args) < 2 or not _TOOLCHAIN_FILES & set(ins.args[:-1]):
                continue
            dest = absolute(ins.args[-1], ins.workdir)
            if posixpath.basename(dest).startswith("rust-toolchain"):
                dest = posixpath.dirname(dest)  # the file copied under its own name
            # rustup looks for the file in cargo's directory and its parents
            if build.workdir == dest or build.workdir.startswith(dest.rstrip("/") + "/"):
                return True
    return False


def _final_stage_provides(facts: DockerfileFacts, project: Project) -> bool:
    """The final stage copies in every path the program reads that the project lacks
    (sshx: COPY --from=frontend /usr/src/app/build build, the npm build's output)."""
    stage = facts.final
    dests = [absolute(ins.args[-1], ins.workdir) for ins in stage.instructions
             if ins.name in ("COPY", "ADD") and len(ins.args) >= 2]
    wanted = [absolute(r.dest, stage.workdir) for r in project.runtime_absent]
    return bool(wanted) and all(any(w == d.rstrip("/") or w.startswith(d.rstrip("/") + "/") for d in dests)
                                for w in wanted)


def _line(imported: Imported, key: str, message: str) -> int:
    if key in imported.lines or key == "env":
        return imported.line_of(key, message)
    facts = imported.facts
    option = OPTIONS_BY_KEY.get(key)
    if option is not None and option.group in _BUILD_GROUPS and facts.main_build is not None:
        return facts.main_build.line
    return facts.final.line


def _dockerfile_findings(facts: DockerfileFacts) -> list[Located]:
    found = []
    for rule_id, check in DOCKERFILE_CHECKS:
        found += stamped(rule_id, check(facts))
    return found


def _ordered(found: list[Located], dockerfile: str) -> tuple[Located, ...]:
    unique = list(dict.fromkeys(found))
    return tuple(sorted(unique, key=lambda f: (f.path != dockerfile, f.path, f.line, SEVERITY_ORDER[f.severity])))
