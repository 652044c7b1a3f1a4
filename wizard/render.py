"""Plan + Needs -> Dockerfile, .dockerignore and helper files.

Templates live in the `rustdock.templates` package (found as package data in an installed
wheel too). Output is deterministic: the same Plan always gives the same bytes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType

import jinja2

from .meta import HEADER
from .need import Need
from .needs import needs as needs_of
from .plan import Plan
from .render_context import context
from .render_ignore import ignore_context, merged

PROBE_FILE = ".rustdock/healthprobe.rs"

#: Why the package lines are not pinned, shown above hadolint's pragma.
APT_PIN = ("Not pinned: Debian keeps only the current version of a package, so a pin "
           "breaks at the next point release; the image tag pins the release.")
APK_PIN = ("Not pinned: Alpine drops old package versions from its mirrors; the image "
           "tag pins the release.")
#: Why caching=cache-mounts copies the sources in one step (benchmarks/RESULTS.md measures it).
ONE_COPY_WHY = ("Everything .dockerignore lets through, in one step: the cache mounts below do "
                "the caching, so separate COPY layers would only add steps to check on every "
                "rebuild, and whatever build.rs or include_str! reads is there too.")


@dataclass(frozen=True)
class Rendered:
    #: Relative path -> text: "Dockerfile", ".dockerignore", and any helper file the
    #: Dockerfile needs (e.g. ".rustdock/healthprobe.rs").
    files: Mapping[str, str]

    @property
    def dockerfile(self) -> str:
        return self.files["Dockerfile"]

    @property
    def dockerignore(self) -> str:
        return self.files[".dockerignore"]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals.update(run=run_instruction, APT_PIN=APT_PIN, APK_PIN=APK_PIN,
                       ONE_COPY_WHY=ONE_COPY_WHY)
    return env


def _template_source(name: str) -> str:
    return files("rustdock.templates").joinpath(name).read_text(encoding="utf-8")


def run_instruction(mounts: list[str], commands: list[str]) -> str:
    """A RUN instruction: each mount, then the commands joined by &&, on its own line."""
    body = " && \\\n    ".join(c for c in commands if c)
    return "RUN " + " \\\n    ".join([*mounts, body])


def comment(text: str) -> str:
    """A Dockerfile comment, wrapped to stay readable in an 88-column preview."""
    return "\n".join(textwrap.wrap(text, 86, initial_indent="# ", subsequent_indent="# "))


def comment_needs(title: str, needs: Iterable[Need]) -> str:
    """A comment naming each need and its reason, one item per line."""
    lines = [comment(title)]
    for need in needs:
        lines += textwrap.wrap(f"{need.value}: {need.reason}.", 86,
                               initial_indent="#   ", subsequent_indent="#     ")
    return "\n".join(lines)


_FROM = re.compile(r"FROM\s")


def tidy_dockerfile(text: str, header_lines: int = 3) -> str:
    """No blank lines but one before each stage (and the comments that lead into it), no
    trailing spaces, exactly one final newline. The first `header_lines` stay together."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for index, line in enumerate(lines):
        if _FROM.match(line) and index > 0:
            start = len(out)
            while start > header_lines and out[start - 1].startswith("#"):
                start -= 1
            out.insert(start, "")
        out.append(line)
    return "\n".join(out) + "\n"


def tidy_text(text: str) -> str:
    """No trailing spaces, no runs of blank lines, exactly one final newline."""
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def render(plan: Plan) -> Rendered:
    """Every file the plan writes: Dockerfile, .dockerignore and helper sources."""
    env = _environment()
    needs = needs_of(plan)
    values = context(plan, needs)
    values["why"] = comment if plan.comments else (lambda text: "")
    values["why_needs"] = comment_needs if plan.comments else (lambda title, needs: "")
    rendered = {
        "Dockerfile": tidy_dockerfile(
            env.get_template("Dockerfile.j2").render(values),
            bool(values["syntax_line"]) + len(HEADER.splitlines()),
        ),
        ".dockerignore": tidy_text(
            env.get_template("dockerignore.j2").render(ignore_context(plan, needs))
        ),
    }
    if plan.project.build.dockerignore_user:
        # Someone else's .dockerignore is kept: rustdock's lines go after theirs.
        rendered[".dockerignore"] = tidy_text(merged(plan, needs, rendered[".dockerignore"]))
    if plan.healthcheck == "probe":
        rendered[PROBE_FILE] = tidy_text(_template_source("healthprobe.rs"))
    return Rendered(files=MappingProxyType(rendered))
