"""What the .dockerignore leaves out of the build context, and what it must keep.

Smaller contexts upload faster and cannot leak local secrets; but ignoring anything the
Dockerfile copies breaks the build (a missing Cargo.lock breaks `--locked`). The patterns
are chosen to miss every such path; a path the user asked for that a pattern does catch
(say a root-level cert.pem in extra_files) is re-included by name after them. A broad
`!dir` is never written: it would also re-include dir/target.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .meta import HEADER
from .need import values
from .needs import Needs, needs as needs_of
from .plan import Plan
from .save import BACKUP_DIR

#: (why, patterns): what never belongs in a Rust build context.
IGNORED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Build output: large, host-specific, and rebuilt inside the image anyway.",
     ("target/", "**/target/", "**/*.rs.bk", "*.profraw", "*.profdata")),
    ("Version control and CI metadata.", (".git/", ".hg/", ".svn/")),
    ("Local secrets: cargo credentials, dotenv files, keys and certificates stay on this machine.",
     (".cargo/credentials", ".cargo/credentials.toml", ".env", ".env.*", "*.pem", "*.key",
      "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", ".netrc", ".ssh/")),
    ("Editor and OS clutter.",
     (".idea/", ".vscode/", "*.swp", "*.swo", "*~", ".DS_Store", "Thumbs.db")),
    ("Front-end dependencies are installed, not copied.", ("**/node_modules/",)),
    ("rustdock's backups of files it replaced.", (BACKUP_DIR + "/",)),
    ("The toolchain file: the builder image's tag already is the Rust to build with; "
     "read inside the build, rustup would download its toolchain again.",
     ("rust-toolchain", "rust-toolchain.toml")),
)


def needed(plan: Plan, needs: Needs | None = None) -> tuple[str, ...]:
    """Every path the Dockerfile copies from the build context."""
    needs = needs or needs_of(plan)
    paths = [n.path for n in needs.build_files]
    if plan.healthcheck == "probe":
        paths.append(".rustdock/")
    paths += [n.path for n in needs.runtime_files]
    return tuple(dict.fromkeys(p for p in paths if p and p != "."))


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as Docker reads it: `**` any depth, `*` and `?` within one
    path element; a pattern that matches a directory also matches everything in it."""
    body = pattern.strip("/")
    out = ""
    index = 0
    while index < len(body):
        if body.startswith("**/", index):
            out += "(?:.*/)?"
            index += 3
        elif body.startswith("**", index):
            out += ".*"
            index += 2
        elif body[index] == "*":
            out += "[^/]*"
            index += 1
        elif body[index] == "?":
            out += "[^/]"
            index += 1
        else:
            out += re.escape(body[index])
            index += 1
    return re.compile(out + "(?:/.*)?")


def is_ignored(path: str) -> bool:
    """Whether the patterns of IGNORED leave `path` out of the build context."""
    return any(
        _pattern(pattern).fullmatch(path)
        for _, patterns in IGNORED
        for pattern in patterns
    )


def kept(plan: Plan, needs: Needs | None = None) -> tuple[str, ...]:
    """The needed paths a pattern catches, to re-include by name."""
    return tuple(p for p in needed(plan, needs) if is_ignored(p))


def ignore_context(plan: Plan, needs: Needs) -> dict[str, Any]:
    return {
        "header": HEADER,
        "comments": plan.comments,
        "ignored": IGNORED,
        "kept": kept(plan, needs),
        "outside": values(needs.outside_context),
    }
