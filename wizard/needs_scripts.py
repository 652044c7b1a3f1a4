"""What the build scripts, sqlx's checked queries and compiled-in files of one build need
from the build context: .git or a build argument, .env and its database, files outside
the directories already copied."""

from __future__ import annotations

from .detect_scripts import sqlite_file
from .need import Need, Needs_
from .needs_files import covered
from .needs_sys import git_scripts, scripts_for
from .plan import Plan


def build_args(plan: Plan) -> Needs_:
    """ARGs that stand in for git: each script's first override variable."""
    if plan.build_git != "build-arg":
        return ()
    return tuple(
        Need(script.env[0], f"{script.git}, unless {script.env[0]} is set: pass it with "
             f"--build-arg {script.env[0]}=$(git describe --tags --always)")
        for script in git_scripts(plan.project, plan.choices) if script.env
    )


def _git(plan: Plan) -> list[Need]:
    scripts = git_scripts(plan.project, plan.choices)
    # A source tarball (or a worktree's .git file) has no repository to copy.
    if plan.build_git != "context" or not scripts or not (plan.project.root / ".git").is_dir():
        return []
    return [Need(".git/", "; ".join(s.git for s in scripts)
                 + " (the step that copies it changes with every commit)")]


def _dotenv(plan: Plan) -> list[Need]:
    """sqlx's query! reads DATABASE_URL from .env; a sqlite URL names a file the build
    opens. Without offline data (.sqlx) both must reach the build."""
    facts = plan.project.build
    offline = any(d.rstrip("/").rsplit("/", 1)[-1] == ".sqlx" for d in plan.project.extra_dirs)
    if not facts.sqlx_macros or offline or not facts.dotenv:
        return []
    database = sqlite_file(facts.database_url, facts.dotenv.rpartition("/")[0])
    if not database:
        return []
    why = f"sqlx's query! macros check against DATABASE_URL={facts.database_url}"
    found = [Need(facts.dotenv, f"{why}, which {facts.dotenv} sets")]
    if (plan.project.root / database).is_file():
        found.append(Need(database, f"the SQLite database {facts.dotenv} names ({why})"))
    return found


def _read(plan: Plan) -> list[Need]:
    """Files build scripts read and include_str!/include_bytes! compile in."""
    found = [Need(path, f"{s.path} reads it") for s in scripts_for(plan.project, plan.choices)
             for path in s.reads if not path.startswith((".git", ".."))]
    found += [Need(path, "compiled in with include_str!/include_bytes!")
              for path in plan.project.build.embedded_files if not path.startswith("..")]
    return [n for n in found if (plan.project.root / n.path).exists()]


def sources(plan: Plan, copied: Needs_) -> Needs_:
    """Build files beyond the sources already copied, each once."""
    taken = list(copied)
    extra: list[Need] = []
    for need in [*_git(plan), *_dotenv(plan), *_read(plan)]:
        path = need.path
        if need.is_dir or (plan.project.root / path).is_dir():
            need = Need(path + "/", need.reason)
        if not covered(path, taken):
            extra.append(need)
            taken.append(need)
    return tuple(extra)


def builder_packages(plan: Plan) -> list[Need]:
    """git itself, for scripts that run it on the .git that reaches the build."""
    return [Need("git", n.reason) for n in _git(plan)]
