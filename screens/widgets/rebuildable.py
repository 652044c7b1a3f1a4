"""A container whose children come from a function and are rebuilt on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.containers import Vertical
from textual.widget import Widget


class Rebuildable(Vertical):
    """Composes `make()`; `rebuild()` composes it again (the screen's header stays put)."""

    DEFAULT_CSS = "Rebuildable { width: 1fr; height: 1fr; }"

    def __init__(self, make: Callable[[], Iterable[Widget]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._make = make

    def compose(self):
        yield from self._make()

    async def rebuild(self) -> None:
        await self.recompose()
