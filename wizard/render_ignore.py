"""What the .dockerignore leaves out of the build context, and what it must keep.

Smaller contexts upload faster and cannot leak local secrets; but ignoring anything the
Dockerfile copies breaks the build (a missing Cargo.lock breaks `--locked`). The patterns
are chosen to miss every such path; a path the user asked for that a pattern does catch
(say a root-level cert.pem in extra_files) is re-included by name after them. A broad
`!dir` is never written: it would also re-include dir/target.
"""

from __future__ import annotations

from typing import Any

from .ignore_rules import SECTION_END, SECTION_START, merge, respects, user_lines
from .lint_dockerignore import ignored
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
    paths += [n.value.split(" ", 1)[0] for n in needs.config_files]  # "SOURCE DEST"
    return tuple(dict.fromkeys(p for p in paths if p and p != "."))


#: IGNORED as the lines of a .dockerignore.
IGNORED_TEXT = "\n".join(p for _, patterns in IGNORED for p in patterns)


def is_ignored(path: str, text: str = IGNORED_TEXT) -> bool:
    """Whether the patterns of IGNORED (or a .dockerignore's `text`) leave `path` out of
    the build context."""
    return ignored(path, text)


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


def merged(plan: Plan, needs: Needs, ours: str) -> str:
    """A hand-written .dockerignore with rustdock's lines after it, in their section:
    the user's lines as they are, rustdock's patterns that neither repeat theirs nor
    drop what they put back, then `!path` for whatever the build reads that a line
    above leaves out."""
    user = plan.project.build.dockerignore_user
    theirs = user_lines(user)
    lines = [line for line in ours.splitlines()[len(HEADER.splitlines()):]
             if not line.startswith("!") and line not in (SECTION_START, SECTION_END)
             and (line.startswith("#") or not line.strip() or respects(theirs, line))]
    lines = [line for line in lines if line != "# You asked for these in the image, so "
             "they stay in despite the patterns above."]
    text = "\n".join([user, *lines])
    back = [p for p in needed(plan, needs) if is_ignored(p, text)]
    if back:
        if plan.comments:
            lines.append("# What the build reads, kept in despite the lines above.")
        lines += [f"!{p}" for p in back]
    while lines and not lines[0].strip():
        lines.pop(0)
    return merge(user, lines)
