"""What build scripts (and compile-time macros) need beyond the sources: git and the
repository, an environment variable that stands in for it, the network, files they read.

Read from the build scripts of the local crates and their build-dependencies; the facts
land in BuildFacts, the needs step and the rules use them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Build-dependencies that read the git repository (vergen with its git backends,
#: shadow-rs, built with git2, git-testament) and compile-time macros that run git.
GIT_CRATES = frozenset({"vergen-git2", "vergen-gitcl", "vergen-gix", "shadow-rs",
                        "git-testament", "git-version", "build-info-build", "built"})
#: vergen reads git only with one of these features (7.x) or through the crates above.
_VERGEN_GIT = ("git", "git2", "gitcl", "gix")
#: Build-dependencies that download over the network.
HTTP_CRATES = frozenset({"reqwest", "ureq", "attohttpc", "minreq", "curl", "http_req",
                         "isahc", "ehttp"})

_RUNS_GIT = re.compile(r'"git"\s*[,)\]]|\bgit2::Repository|rerun-if-changed=\.git/')
#: Variables cargo gives every build script: not something a user passes.
_CARGO_VARS = re.compile(r"^(CARGO|OUT_DIR$|TARGET$|HOST$|PROFILE$|OPT_LEVEL$|DEBUG$|"
                         r"NUM_JOBS$|RUSTC|RUSTDOC|DEP_|PATH$|HOME$)")
#: Variables that carry what git would say (a version, a commit), not a switch.
_VALUE_VAR = re.compile(r"VERSION|COMMIT|SHA|HASH|REV|TAG|DESCRIBE")
_ENV_READ = re.compile(r'\benv::var(?:_os)?\(\s*"([A-Z][A-Z0-9_]*)"\s*\)'
                       r'|\boption_env!\(\s*"([A-Z][A-Z0-9_]*)"\s*\)')
_URL = re.compile(r'"(https?://[^"\s]+)"')
_DOWNLOADS = re.compile(r'Command::new\(\s*"(curl|wget)"\s*\)|"(curl|wget)"\s*[,\]]')
#: Paths a build script reads: include_str!/include_bytes!, fs reads, rerun-if-changed.
_READS = re.compile(
    r'\binclude_(?:str|bytes)!\(\s*"([^"]+)"\s*\)'
    r'|\b(?:fs::read(?:_to_string|_dir)?|File::open)\(\s*"([^"]+)"'
    r'|rerun-if-changed=([^"\s{}]+)"'
)


@dataclass(frozen=True)
class ScriptFacts:
    """What one build script needs."""

    #: The script, relative to the project root.
    path: str
    package: str
    #: How it reaches git, in words ("runs `git`", "vergen's git feature"), "" for not.
    git: str = ""
    #: Variables it reads that carry a version or commit (a `--build-arg` can set them).
    env: tuple[str, ...] = ()
    #: What it downloads with, and the URLs it names.
    downloads: str = ""
    urls: tuple[str, ...] = ()
    #: Paths it reads, relative to the project root.
    reads: tuple[str, ...] = ()


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _join(base: str, rel: str) -> str:
    return posixpath.normpath(posixpath.join(base, rel))


def read_script(path: str, package: str, package_dir: str, text: str,
                build_deps: Iterable[tuple[str, tuple[str, ...]]]) -> ScriptFacts:
    """Facts of one build script: its text and its build-dependencies (name, features)."""
    deps = dict(build_deps)
    git = ""
    match = _RUNS_GIT.search(text)
    if match:
        git = f"{path}:{_line(text, match.start())} runs git"
    else:
        crate = next((c for c in deps if c in GIT_CRATES), "")
        if crate:
            git = f"{path} uses {crate}, which reads the git repository"
        elif "vergen" in deps and (set(deps["vergen"]) & set(_VERGEN_GIT)):
            git = f"{path} uses vergen's git feature"
    env = tuple(dict.fromkeys(a or b for a, b in _ENV_READ.findall(text)
                              if not _CARGO_VARS.match(a or b) and _VALUE_VAR.search(a or b)))
    tool = _DOWNLOADS.search(text)
    http = next((c for c in deps if c in HTTP_CRATES), "")
    downloads = (f"runs {tool[1] or tool[2]}" if tool else f"uses {http}" if http else "")
    urls = tuple(dict.fromkeys(_URL.findall(text))) if downloads else ()
    reads = tuple(dict.fromkeys(
        _join(package_dir, next(g for g in m if g))
        for m in _READS.findall(text) if not next(g for g in m if g).startswith("$")
    ))
    return ScriptFacts(path, package, git, env, downloads, urls, reads)
