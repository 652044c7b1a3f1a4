"""The mark on a value that came from the project's own Dockerfile: words first (the
glyph and the colour only repeat them), in the theme's accent, so it reads the same in
every theme and without colour."""

from __future__ import annotations

from textual.content import Content

from rustdock.wizard.import_words import origin_words

#: What the mark says; tests and the review look for it.
ORIGIN = "from your Dockerfile"
GLYPH = "◆"
STYLE = "italic $text-accent"


def origin_mark(key: str, line: int, value: str = "") -> Content:
    """"◆ 1.73 from your Dockerfile (line 2)" (value and line when known)."""
    where = origin_words(key, line)
    text = f"{GLYPH} {value + ' ' if value else ''}{ORIGIN} ({where})"
    return Content.styled(text, STYLE)


def replaced_mark(key: str, line: int, theirs: str) -> Content:
    """"◇ your Dockerfile said glibc (line 23)": a value the start or the user changed."""
    return Content.styled(f"◇ your Dockerfile said {theirs} ({origin_words(key, line)})", "italic $text-muted")


def field_origin(key: str, plan, value_text) -> Content | None:
    """The mark for an option's field: where the plan's value came from in their
    Dockerfile, or what their Dockerfile said instead; None when it said nothing."""
    found = plan.from_dockerfile.get(key)
    if found is None:
        return None
    theirs, line = found
    if plan.dockerfile_line(key):
        return origin_mark(key, line)
    return replaced_mark(key, line, value_text(theirs))
