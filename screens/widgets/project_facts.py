"""What detect found, as a short two-column table for the project screen."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.content import Content
from textual.containers import Grid
from textual.widgets import Static

from rustdock.wizard.meta import ANSWERS_FILE
from rustdock.wizard.project import Project
from rustdock.wizard.versions import RUST_DEFAULT

from .origin_mark import origin_mark

if TYPE_CHECKING:
    from rustdock.wizard.import_offer import Offer

#: Facts rows their Dockerfile also says something about: row label -> option key.
_FROM_DOCKERFILE = {"Binaries": "binary", "Rust": "rust_version", "Port": "port"}


def _join(items, empty: str = "none found") -> str:
    items = list(items)
    return ", ".join(items) if items else empty


def fact_rows(project: Project, offer: Offer | None = None) -> list[tuple[str, Content]]:
    """(label, value) rows describing the project, in the order a newcomer reads them;
    what their own Dockerfile says beside the facts it also speaks of, marked."""
    rows = _rows(project)
    said = _dockerfile_says(offer)
    marked = [(label, _with_mark(value, _FROM_DOCKERFILE.get(label, ""), said)) for label, value in rows]
    if offer is not None:
        at = next(i for i, (label, _) in enumerate(marked) if label == "Existing files")
        marked.insert(at + 1, ("Your Dockerfile", Content(offer.detail())))
    return marked


def _dockerfile_says(offer: Offer | None) -> dict[str, tuple[object, int]]:
    if offer is None or offer.start is None:
        return {}
    imported = offer.start.imported
    return {key: (value, imported.answer_line(key)) for key, value in imported.answers.items()}


def _with_mark(value: str, key: str, said: dict[str, tuple[object, int]]) -> Content:
    if key not in said:
        return Content(value)
    shown, line = said[key]
    return Content.assemble(value, "\n", origin_mark(key, line, str(shown)))


def _role_note(role: str, default: bool) -> str:
    notes = [role] * bool(role) + ["default"] * default
    return f" ({', '.join(notes)})" if notes else ""


def _rows(project: Project) -> list[tuple[str, str]]:
    binary = project.default_binary
    rows = [("Package", f"{project.name} {project.version}".strip())]
    names = [b.name + _role_note(b.role, b is binary) for b in project.binaries]
    rows.append(("Binaries", _join(names)))
    if project.is_workspace:
        member = binary.package_dir if binary else "?"
        rows.append(("Workspace", f"{len(project.members)} members; binary in {member}"))
    if project.rust_version:
        rows.append(("Rust", f"{project.rust_version} (from {project.rust_version_source})"))
    else:
        rows.append(("Rust", f"not pinned; rustdock suggests {RUST_DEFAULT}"))
    tls = _join(sorted(project.tls_crates))
    via = [crate for crate, _ in project.tls_dependents]
    rows.append(("TLS stack", tls + (f" (via {', '.join(via)})" if via else "")))
    rows.append(("Frameworks", _join(project.frameworks)))
    rows.append(("Ports", _join((f"{p.spec} ({p.source})" if p.source else p.spec for p in project.ports),
                                "not found")))
    listen = project.listen
    if listen.localhost:
        moved = ", ".join(f"{s.name}={s.value}" for s in listen.env) or "only the code can change it"
        rows.append(("Listens on", f"localhost by default ({listen.where}); the image sets {moved}"
                     if listen.env else f"localhost by default ({listen.where}); {moved}"))
    config = project.config
    if config is not None and config.path:
        found = f"repository's {config.source}" if config.source else "not in the repository"
        rows.append(("Config file", f"{config.path} read at start ({config.where}); {found}"))
    if project.required_settings:
        rows.append(("Needs to start", ", ".join(f"{s.name} ({s.where})" for s in project.required_settings)))
    runtime, compiled = set(project.runtime_dirs), set(project.build_dirs)
    dirs = [d + (" (run time)" if d in runtime else " (compiled in)" if d in compiled else "")
            for d in project.extra_dirs]
    rows.append(("Extra dirs", _join(dirs)))
    reads = [f"{r.dest} ({r.reason.split(' ', 1)[0]})" for r in project.runtime_reads]
    reads += [f"{r.dest} (not in the repo: {r.reason.split(' ', 1)[0]})" for r in project.runtime_absent]
    rows.append(("Run-time files", _join(reads, "nothing found")))
    writes = [f"{'the working dir' if path == '.' else path + '/'} ({why.split(' ', 1)[0]})"
              for path, why in project.writes]
    rows.append(("Writes", _join(writes, "nothing found")))
    rows.append(("Signals", signals_fact(project)))
    if project.private_git or project.private_registry:
        private = ["git over ssh"] * project.private_git + ["registry"] * project.private_registry
        rows.append(("Private deps", ", ".join(private)))
    rows.append(("Existing files", existing_files(project)))
    if project.lock_missing:
        rows.append(("Cargo.lock", f"out of date: lacks {', '.join(project.lock_missing)}"))
    return rows


def signals_fact(project: Project) -> str:
    """What stops the program on `docker stop`, in a few words and where it was seen."""
    if project.handles_signals:
        return f"stops on SIGTERM ({project.signals_why})"
    if project.sigint_only:
        return f"Ctrl-C (SIGINT) only ({project.signals_why})"
    return "no SIGTERM handler found"


def existing_files(project: Project) -> str:
    found = []
    if project.has_dockerfile:
        found.append("Dockerfile" + (" (rustdock's)" if project.dockerfile_is_ours else " (yours)"))
    found.extend(f"{name} (yours; rustdock leaves it as it is)" for name in project.other_container_files)
    if project.has_dockerignore:
        found.append(".dockerignore")
    if project.saved_answers:
        found.append(ANSWERS_FILE)
    return _join(found, "none")


class ProjectFacts(Grid):
    """The facts table: labels on the left, values wrapping in their own column."""

    DEFAULT_CSS = """
    ProjectFacts {
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-gutter: 0 2;
        height: auto;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $text-accent;
        .fact-label { text-style: bold; color: $text-muted; }
        Static { height: auto; }
    }
    """

    def __init__(self, project: Project, offer: Offer | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.offer = offer
        self.border_title = "What rustdock found"

    def compose(self):
        for label, value in fact_rows(self.project, self.offer):
            yield Static(Content(label), classes="fact-label")
            name = re.sub(r"[^a-z0-9]+", "-", label.lower())
            yield Static(value, classes=f"fact-value fact-{name}")
