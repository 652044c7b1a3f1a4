"""Rules about what the build needs from outside the sources: git for build scripts,
downloads at build time, git dependencies, submodules not checked out, sqlx's database."""

from __future__ import annotations

from .detect_scripts import sqlite_file
from .needs_sys import git_scripts, graph_for, scripts_for
from .plan import Plan
from .rules_base import Findings, error, tip, warning


def build_script_git(plan: Plan) -> Findings:
    """A script that asks git gets neither the repository nor the value: the program
    reports an unknown version. The fix is the way that works here, if any does."""
    scripts = git_scripts(plan.project, plan.choices)
    if not scripts:
        return ()
    what = "; ".join(s.git for s in scripts)
    override = next((s.env[0] for s in scripts if s.env), "")
    repo = (plan.project.root / ".git").is_dir()
    if (plan.build_git == "build-arg" and override) or (plan.build_git == "context" and repo):
        return ()
    if plan.build_git == "context":
        why = "but the project has no .git directory (a source archive?)"
    elif plan.build_git == "build-arg":
        why = "and reads no version variable first, so a build argument cannot stand in"
    else:
        why = "but .git stays out of the build"
    better = "build-arg" if override else ("context" if repo else "")
    fix = (f"set build_git={better}." if better else
           "build from a git clone, or make the build script read a variable first.")
    return warning(
        "build_git",
        f"{what}, {why}: the program reports an unknown version or commit.",
        fix,
        **({"build_git": better} if better else {}),
    )


def build_script_git_how(plan: Plan) -> Findings:
    """How the build gets what the script asks git for, and why that way."""
    scripts = git_scripts(plan.project, plan.choices)
    if not scripts or plan.build_git == "none":
        return ()
    what = "; ".join(s.git for s in scripts)
    names = [s.env[0] for s in scripts if s.env]
    if plan.build_git == "build-arg":
        if not names:
            return ()
        return tip(
            "build_git",
            f"{what}; it reads {', '.join(names)} first, so the Dockerfile declares "
            f"ARG {' '.join(names)} instead of copying .git in.",
            f"build with `docker build --build-arg {names[0]}=$(git describe --tags --always) .`",
        )
    return tip(
        "build_git",
        f"{what}: .dockerignore keeps .git in the build context and the builder copies it, "
        "so the build step's cache changes with every commit.",
        "fine for release builds; a script that reads a variable first can take it as a "
        "build argument (build_git=build-arg).",
    )


def build_script_downloads(plan: Plan) -> Findings:
    found = []
    for script in scripts_for(plan.project, plan.choices):
        if not script.downloads:
            continue
        where = f" ({', '.join(script.urls[:3])})" if script.urls else ""
        found += warning(
            "binary",
            f"{script.path} of {script.package} downloads at build time: it "
            f"{script.downloads}{where}. The build needs network access to it and fails "
            "offline.",
            "make sure the builder can reach it, or vendor the file into the project.",
        )
    return tuple(found)


def git_dependencies(plan: Plan) -> Findings:
    repos = plan.project.build.git_sources
    if not repos:
        return ()
    hosts = sorted({r.split("/")[2] for r in repos if r.count("/") >= 2})
    shown = ", ".join(repos[:3]) + (f" and {len(repos) - 3} more" if len(repos) > 3 else "")
    return tip(
        "private_git",
        f"Cargo.lock fetches crates from git ({shown}): the build needs network access to "
        f"{', '.join(hosts)}.",
        "keep the builder online for them, or `cargo vendor`; private repositories need "
        "private_git (an ssh mount).",
    )


def submodule_missing(plan: Plan) -> Findings:
    project = plan.project
    absent = [path for path, checked_out in project.build.submodules if not checked_out]
    if not absent:
        return ()
    graph = graph_for(project, plan.choices)
    used = []
    crates = project.build.crates
    for path in absent:
        inside = [c.dir for c in crates.values() if c.dir == path or c.dir.startswith(path + "/")]
        deps = [d.path for c in crates.values() for d in c.deps if d.path == path
                or d.path.startswith(path + "/")]
        reads = [r for s in scripts_for(project, plan.choices) for r in s.reads
                 if r == path or r.startswith(path + "/")]
        if inside or deps or reads or graph is None:
            used.append(path)
    if not used:
        return ()
    return error(
        "binary",
        f"{', '.join(used)} is a git submodule that is not checked out, and the build "
        "needs it (a path dependency or a file a build script reads lives there).",
        "run `git submodule update --init --recursive` before building (in CI: check out "
        "with submodules).",
    )


def sqlx_offline(plan: Plan) -> Findings:
    """sqlx's query! macros connect to DATABASE_URL while compiling, unless .sqlx holds
    the offline data. Only where the code uses them."""
    project = plan.project
    facts = project.build
    has_data = any(d.rsplit("/", 1)[-1] == ".sqlx" for d in project.extra_dirs)
    macros = facts.sqlx_macros or ("sqlx-macros" in project.all_crates and facts.lock is None)
    if not macros or has_data:
        return ()
    if facts.database_url and sqlite_file(facts.database_url, facts.dotenv.rpartition("/")[0]):
        return tip(
            "binary",
            f"sqlx's query! macros check queries against {facts.database_url} from "
            f"{facts.dotenv}: both reach the build.",
            "`cargo sqlx prepare` and committing .sqlx makes the build independent of it.",
        )
    source = f" ({facts.database_url} from {facts.dotenv})" if facts.database_url else ""
    return warning(
        "binary",
        f"sqlx's query! macros connect to DATABASE_URL{source} while compiling, and there "
        "is no database in the builder: the build fails.",
        "run `cargo sqlx prepare` and commit .sqlx (rustdock then sets SQLX_OFFLINE=true).",
    )
