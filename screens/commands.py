"""Command palette entries: every option and value by the words of its label and help, the
steps, presets, save, fix, undo, the preview and settings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from rustdock.wizard.options import OPTIONS, Option
from rustdock.wizard.presets import PRESETS
from rustdock.wizard.wording import value_label, where

from .messages import ChoiceMade, Navigate, StartRequested
from .steps import STEPS, heading


@dataclass(frozen=True)
class Entry:
    text: str
    help: str
    run: Callable[[], None]
    #: Words searched besides the text (the help of an option and of its value).
    words: str = ""
    #: Listed when the palette opens with nothing typed.
    discover: bool = True


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def score(query: str, entry: Entry) -> float:
    """0 when a word of the query is in neither text nor help, else higher for the text."""
    wanted = _words(query)
    if not wanted:
        return 0.0
    title, rest = _words(entry.text), _words(entry.words or entry.help)
    total = 0.0
    for word in wanted:
        if any(w.startswith(word) for w in title):
            total += 1.0
        elif word in entry.text.lower():
            total += 0.8
        elif any(w.startswith(word) for w in rest):
            total += 0.5
        else:
            return 0.0
    return total / len(wanted)


class WizardCommands(Provider):
    """Everything the wizard can do or set, by name."""

    def _entries(self) -> Iterator[Entry]:
        app = self.app
        post = app.post_message
        run = app.run_action
        yield Entry("Save the files (ctrl+s)", "Write the Dockerfile and the other files now",
                    partial(run, "save"))
        yield Entry("Undo the last change (ctrl+z)", "Take back the last choice, fix or preset switch",
                    partial(run, "undo"))
        yield Entry("Apply the first fix (f)", "The fix of the first finding on this step",
                    partial(run, "fix"))
        yield Entry("Show or hide the Dockerfile preview (p)", "Toggle the live preview",
                    partial(run, "toggle_preview"))
        for step, _label in STEPS:
            yield Entry(f"Go to: {heading(step)}", "A step of the wizard", partial(post, Navigate(step)))
        offer = getattr(app, "offer", None)
        if offer is not None and offer.start is not None:
            yield Entry("Start from your Dockerfile", offer.detail(),
                        partial(post, StartRequested(dockerfile=True)))
        for p in PRESETS:
            yield Entry(f"Start over from preset: {p.label}", p.help,
                        partial(post, StartRequested(p.name)))
        yield Entry("Settings: my defaults", "Preferred uid, runtime, comments; theme",
                    partial(run, "open_settings"))
        project = app.project
        for opt in OPTIONS:
            yield Entry(f"{where(opt.key)}", opt.help, partial(app.show_option, opt.key),
                        words=f"{opt.key} {opt.help} {opt.derived}", discover=False)
            yield from self._values(opt, project)

    def _values(self, opt: Option, project) -> Iterator[Entry]:
        """One entry per value of a choice (and on/off of a switch): choosing it sets it."""
        app = self.app
        if opt.kind == "bool":
            values = [(True, ""), (False, "")]
        elif opt.kind == "choice":
            values = [(v.value, v.help) for v in opt.allowed(project)]
        else:
            return
        for value, help in values:
            label = value_label(opt.key, value, project)

            def choose(key: str = opt.key, value=value) -> None:
                app.show_option(key)
                app.post_message(ChoiceMade(key, value))

            yield Entry(f"Set {opt.label}: {label}", help or opt.help, choose,
                        words=f"{opt.key} {value} {help} {opt.help}", discover=False)

    # Help texts hold brackets (#[global_allocator]) that the palette would read as markup.
    async def discover(self) -> Hits:
        for entry in self._entries():
            if entry.discover:
                yield DiscoveryHit(escape(entry.text), entry.run, help=escape(entry.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            found = score(query, entry)
            if found > 0:
                yield Hit(found, matcher.highlight(entry.text), entry.run, text=entry.text,
                          help=escape(entry.help))
