"""Facts worked out from a Project alone, kept while that Project is in use.

The preview recomputes everything on every change, but a Project never changes (a new one
is read after a save): what depends on it alone is computed once per Project object.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")
#: Projects remembered per function (the one in use, and a few the wizard just left).
KEPT = 4


def per_project(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Cache `fn(project)` by the project's identity. Its result must not be changed."""
    cache: dict[int, tuple[Any, T]] = {}

    @wraps(fn)
    def cached(project: Any) -> T:
        hit = cache.get(id(project))
        if hit is not None and hit[0] is project:
            return hit[1]
        value = fn(project)
        if len(cache) >= KEPT:
            cache.pop(next(iter(cache)))
        cache[id(project)] = (project, value)
        return value

    return cached
