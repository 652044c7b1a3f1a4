"""What a Dockerfile's `# syntax=` line (or its absence) says about the `frontend` option.

A Dockerfile without the line has always been built with the frontend built into the
engine. Starting it on frontend=dockerfile-1 would add a pull from Docker Hub to every
build, which breaks the offline and air-gapped builders it worked on, for nothing the
new file needs: what rustdock writes for frontend=builtin reads on the frontend of
Docker 20.10 and later (the matrix holds it to that). So the import follows the file:
no line, builtin; `docker/dockerfile:1...`, dockerfile-1; another frontend (labs, a
custom image) is kept as dockerfile-1 and listed as not carried over.
"""

from __future__ import annotations

import re

from .import_map import Reading

#: A parser directive: `# key=value` (BuildKit accepts spaces around both).
_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$")
#: The frontend rustdock's syntax line asks for, and the releases of it that mean the same.
_OURS = re.compile(r"(docker\.io/)?docker/dockerfile:1(\.\d+)*$")


def syntax_directive(text: str) -> tuple[str, int] | None:
    """(the frontend a `# syntax=` directive names, its line); None without one.

    Directives only count at the very top: BuildKit stops looking at the first line that
    is not one (a comment, a blank line or an instruction)."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        found = _DIRECTIVE.match(line.strip())
        if found is None:
            return None
        if found.group(1).lower() == "syntax":
            return found.group(2), number
    return None


def read_frontend(text: str, out: Reading) -> None:
    """The `frontend` answer a Dockerfile's text implies (line 0: it has no syntax line)."""
    directive = syntax_directive(text)
    if directive is None:
        out.state("frontend", "builtin", None, 0)
        return
    name, line = directive
    out.state("frontend", "dockerfile-1", None, line)
    if not _OURS.match(name):
        out.notes.append((line, f"# syntax={name}: rustdock writes docker/dockerfile:1, or no "
                          "syntax line with frontend=builtin"))
