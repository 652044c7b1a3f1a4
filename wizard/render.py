"""Plan -> Dockerfile, .dockerignore and helper files. (Owned by the render work.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .plan import Plan


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


def render(plan: Plan) -> Rendered:
    raise NotImplementedError("render is being written")
