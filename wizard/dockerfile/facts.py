"""Everything a Dockerfile says, read together with the project it builds: the builds,
the final image, and the link between them (which build makes the binary that ships)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..project import Project
from .facts_build import Build, BuildFacts, absolute, stage_image
from .facts_runtime import Placed, Program, RuntimeFacts
from .images import Image
from .parse import Dockerfile, Stage


@dataclass(frozen=True)
class Ignore:
    """The .dockerignore BuildKit uses for this Dockerfile, if any."""

    path: str
    text: str


def find_ignore(root: Path, dockerfile: Path) -> Ignore | None:
    """`<Dockerfile>.dockerignore` beside it wins over the context's .dockerignore."""
    for candidate in (dockerfile.parent / f"{dockerfile.name}.dockerignore", root / ".dockerignore"):
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        try:
            shown = str(candidate.relative_to(root))
        except ValueError:
            shown = str(candidate)
        return Ignore(shown, text)
    return None


@dataclass(frozen=True)
class Shipped:
    """The binary the image runs, traced back to where it was built."""

    program: Program
    #: Where the final image has it, and the COPY that put it there (None when nothing did).
    path: str
    placed: Placed | None
    #: The path it is copied from in the build stage ("" when not copied from a stage).
    source: str
    #: The build that makes it (None when none is found).
    build: Build | None


class DockerfileFacts:
    """A Dockerfile read as a whole, with its project (None when Cargo.toml is unreadable)."""

    def __init__(self, df: Dockerfile, project: Project | None, ignore: Ignore | None = None) -> None:
        self.df = df
        self.project = project
        self.ignore = ignore
        self.build = BuildFacts(df, project)
        self.runtime = RuntimeFacts(df)

    @property
    def final(self) -> Stage:
        return self.df.final

    def image_of(self, stage: Stage) -> Image:
        return stage_image(self.df, stage)

    @cached_property
    def binary_names(self) -> frozenset[str]:
        return frozenset(b.name for b in self.project.binaries) if self.project else frozenset()

    @cached_property
    def shipped(self) -> Shipped | None:
        program = self.runtime.program
        if program is None:
            return None
        path, _ = self.runtime.resolve(program.path)
        placed = self.runtime.placed.get(path) or self._placed_binary()
        if placed is None or placed.stage is None:
            return Shipped(program, path, placed, "", self._any_build())
        source = absolute(placed.source, "/")
        if placed.path != path:  # the program was not found: the binary it meant to run
            source = posixpath.join(source, posixpath.basename(path)) if placed.is_dir else source
        candidates = [b for b in self.build.final_builds(placed.stage) if b.writes(source)]
        build = candidates[-1] if candidates else self._last_build(placed.stage)
        return Shipped(program, path, placed, source, build)

    def _placed_binary(self) -> Placed | None:
        """A file copied in from a build stage that carries a binary's name."""
        names = self.binary_names | {n for b in self.build.builds for n in (b.names or ())}
        found = [p for p in self.runtime.placed.values()
                 if p.stage is not None and posixpath.basename(p.path) in names]
        return found[-1] if found else None

    def _last_build(self, stage: Stage) -> Build | None:
        builds = self.build.final_builds(stage)
        return builds[-1] if builds else None

    def _any_build(self) -> Build | None:
        builds = [b for b in self.build.builds if not b.dummy and b.call.builds]
        return builds[-1] if builds else None

    @cached_property
    def main_build(self) -> Build | None:
        """The build that makes what ships, else the last build that compiles the program."""
        shipped = self.shipped
        if shipped is not None and shipped.build is not None:
            return shipped.build
        return self._any_build()

    @property
    def builder(self) -> Stage | None:
        build = self.main_build
        return build.stage if build is not None else None

    @property
    def builder_image(self) -> Image | None:
        stage = self.builder
        return self.image_of(stage) if stage is not None else None

    @property
    def runtime_image(self) -> Image:
        return self.runtime.image

    @property
    def single_stage(self) -> bool:
        """The image that runs is the one that builds (a single stage, or FROM builder)."""
        builder = self.builder
        return builder is not None and builder in self.df.lineage(self.final)
