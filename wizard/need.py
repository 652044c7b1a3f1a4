"""One need and its reason: the unit of the needs step (see needs.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """One thing the build or the image needs, and why."""

    #: "protobuf-compiler", "SQLX_OFFLINE=true", "--features postgres", "templates/"
    #: (a trailing slash marks a directory).
    value: str
    #: Why, in words a user can check: "lib/api/build.rs compiles .proto files (tonic-build)".
    reason: str
    #: Where a file copied into the runtime image lands, relative to its working directory
    #: ("" for needs that are not such a file, or when it is `path` itself).
    dest: str = ""

    @property
    def path(self) -> str:
        """A file need's path without the trailing slash that marks a directory."""
        return self.value.rstrip("/")

    @property
    def is_dir(self) -> bool:
        return self.value.endswith("/")


Needs_ = tuple[Need, ...]


def values(needs: Iterable[Need]) -> tuple[str, ...]:
    return tuple(n.value for n in needs)


def merged(needs: Iterable[Need]) -> Needs_:
    """One Need per value, in first-seen order; reasons of repeats joined with "; "."""
    reasons: dict[str, list[str]] = {}
    for need in needs:
        seen = reasons.setdefault(need.value, [])
        if need.reason not in seen:
            seen.append(need.reason)
    return tuple(Need(value, "; ".join(why)) for value, why in reasons.items())
