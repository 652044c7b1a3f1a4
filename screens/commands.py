"""Command palette entries: go to a step, start over from a preset, settings, preview."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from rustdock.wizard.presets import PRESETS

from .messages import Navigate, StartRequested
from .steps import STEPS


class WizardCommands(Provider):
    """Steps, presets and the settings screen, by name."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        post = self.app.post_message
        commands: list[tuple[str, str, Callable[[], None]]] = [
            (f"Go to: {label}", f"Step {index + 1} of the wizard", lambda s=step: post(Navigate(s)))
            for index, (step, label) in enumerate(STEPS)
        ]
        commands += [
            (f"Start over from preset: {p.label}", p.help, lambda n=p.name: post(StartRequested(n)))
            for p in PRESETS
        ]
        commands.append(
            ("Settings: my defaults", "Preferred uid, runtime, comments; theme",
             lambda: self.app.run_action("open_settings"))
        )
        return commands

    async def discover(self) -> Hits:
        for text, help, command in self._commands():
            yield DiscoveryHit(text, command, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help)
