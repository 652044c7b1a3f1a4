"""Compare what rustdock chose (Dockerfile facts, findings, edits) with a corpus entry's truth:
the shared types and the build-side judges (qa_judge_run has the run side).

Each judge returns a Verdict: "ok", "WRONG" (rustdock chose something false), "missing"
(rustdock left out something the project needs) or "n/a". Details say what and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from qa_facts import Facts, ignored

OK, WRONG, MISSING, NA = "ok", "WRONG", "missing", "n/a"

#: What the official rust:<ver>-bookworm image (buildpack-deps:bookworm) already carries,
#: among the packages the corpus names. The slim and alpine builders carry none of them.
FULL_RUST_IMAGE = {
    "gcc", "g++", "make", "libc6-dev", "pkg-config", "libssl-dev", "libpq-dev", "libsqlite3-dev",
    "libmariadb-dev", "default-libmysqlclient-dev", "zlib1g-dev", "libbz2-dev", "liblzma-dev",
    "libcurl4-openssl-dev", "libxml2-dev", "git", "curl", "perl", "ca-certificates", "autoconf",
    "automake", "libtool",
}
#: Runtime libraries each runtime image family already has.
RUNTIME_HAS = {
    "distroless-cc": {"libc6", "libgcc-s1", "libssl3", "libstdc++6", "ca-certificates", "tzdata"},
    "distroless-static": {"ca-certificates", "tzdata"},
    "chainguard-glibc": {"libc6", "libgcc-s1", "libstdc++6", "ca-certificates"},
    "chainguard-static": {"ca-certificates"},
    "debian-slim": {"libc6", "libgcc-s1", "libstdc++6"},
    "scratch": set(),
}
#: A need is met by any package of its group.
ALIASES = {
    "libclang-dev": {"libclang-dev", "clang", "libclang1"},
    "libmariadb-dev": {"libmariadb-dev", "default-libmysqlclient-dev", "libmysqlclient-dev"},
    "g++": {"g++", "build-essential", "clang"},
    "make": {"make", "build-essential"},
    "libssl3": {"libssl3", "openssl"},
}
ANY_ADDR = re.compile(r"(^|[=\s\[:/])(0\.0\.0\.0|::|\[::\])(\]|:|$|\s)")


@dataclass
class Verdict:
    status: str
    detail: str = ""

    def cell(self) -> str:
        return self.status if not self.detail or self.status in (OK, NA) else f"{self.status}: {self.detail}"


@dataclass
class Generated:
    """One `rustdock generate` of a project: its files, findings and exit code."""

    exit: int
    stderr: str
    facts: Facts | None
    dockerignore: str
    edits: dict[str, str]  # path -> unified diff of an existing file rustdock would change

    def findings(self, *words: str, comments: bool = True) -> list[str]:
        """rustdock's stderr lines (and the Dockerfile's comments) naming any of `words`."""
        text = [l for l in self.stderr.splitlines() if l.startswith("rustdock:")]
        if comments and self.facts:
            text += [c for s in self.facts.stages for c in s.comments]
        return [l for l in text if any(w.lower() in l.lower() for w in words)]


def _met(need: str, have: set[str]) -> bool:
    return bool(ALIASES.get(need, {need}) & have)


def runtime_family(facts: Facts) -> str:
    base = facts.final.base
    for key, family in (("distroless/cc", "distroless-cc"), ("distroless/static", "distroless-static"),
                        ("glibc-dynamic", "chainguard-glibc"), ("chainguard/static", "chainguard-static"),
                        ("alpine", "alpine"), ("scratch", "scratch"), ("debian", "debian-slim"),
                        ("ubuntu", "debian-slim")):
        if key in base:
            return family
    return "other"


# -- the judges --------------------------------------------------------------------------


def binary(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    if f.cargo.bins:
        name = f.cargo.bins[0]
    else:
        name = PurePosixPath(f.command[0]).name if f.command else "?"
    if name not in truth["binary"]:
        return Verdict(WRONG, f"ships {name}, the container needs {' or '.join(truth['binary'])}")
    args = truth.get("args", [])
    missing = [a for a in args if a not in f.command]
    if missing:
        return Verdict(MISSING, f"{name} without the {' '.join(missing)} argument ({truth.get('args_why', '')})")
    return Verdict(OK, name)


def features(truth: dict, g: Generated, blocked: str = "") -> Verdict:
    if blocked:
        return Verdict(OK, f"rule error names them: {blocked}")
    c = g.facts.cargo
    have = set(c.features)
    need = set(truth.get("features", []))
    one_of = truth.get("features_one_of", [])
    problems = []
    if need - have and not c.all_features:
        problems.append(f"no --features {','.join(sorted(need - have))}")
    if one_of and not (have & set(one_of)) and not c.all_features:
        problems.append(f"none of {'/'.join(one_of)}: build.rs compile_error!")
    if problems:
        return Verdict(MISSING, "; ".join(problems))
    return Verdict(OK, ",".join(c.features) or "defaults")


def builder_packages(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    if f.musl and truth.get("musl_ok") is False:
        return Verdict(WRONG, f"static musl build; {truth.get('libc_why', 'the lock needs glibc')}")
    image = f.builder_image
    if "alpine" in image:
        return Verdict(NA, f"alpine builder {image}: apk names not judged")
    have = set(f.builder_packages) | (FULL_RUST_IMAGE if re.search(r"rust:[^ ]*bookworm|rust:[^ ]*trixie|rust:\d[\d.]*$|rust:latest", image) and "slim" not in image else set())
    need = list(truth.get("builder_packages", [])) + list(truth.get("builder_base", []))
    if not f.musl:
        need += truth.get("gnu_packages", [])
    for feat in set(f.cargo.features):
        need += truth.get("feature_packages", {}).get(feat, {}).get("builder", [])
    missing = [n for n in dict.fromkeys(need) if not _met(n, have)]
    if missing:
        return Verdict(MISSING, " ".join(missing))
    return Verdict(OK, " ".join(sorted(set(f.builder_packages))) or "none needed")


def runtime_packages(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    family = runtime_family(f)
    need = list(truth.get("runtime_packages", []))
    for feat in set(f.cargo.features):
        need += truth.get("feature_packages", {}).get(feat, {}).get("runtime", [])
    if f.musl:
        need = []  # a static binary carries its libraries (or the build fails: builder column)
    if "vendored" in " ".join(g.edits.values()) or "vendored" in " ".join(f.cargo.features):
        need = [n for n in need if n != "libssl3"]
    if truth.get("ca_certs"):
        need.append("ca-certificates")
    if family in ("alpine", "other"):
        return Verdict(NA, f"{f.final.base}: not judged")
    have = RUNTIME_HAS[family] | set(f.final.packages)
    copied = " ".join(" ".join(c["src"]) for c in f.final.copies)
    if "ca-certificates" in copied or "/etc/ssl/certs" in copied:
        have.add("ca-certificates")
    missing = [n for n in dict.fromkeys(need) if not _met(n, have)]
    if missing:
        return Verdict(MISSING, f"{' '.join(missing)} (runtime {f.final.base})")
    return Verdict(OK, f.final.base)


def build_needs(truth: dict, g: Generated) -> Verdict:
    f = g.facts
    misses = []
    for need in truth.get("build_needs", []):
        kind, _, arg = need.partition(":")
        if kind == "git":
            reachable = not ignored(".git", g.dockerignore) and (
                "git" in f.builder_packages or "slim" not in f.builder_image)
            if not reachable and not g.findings(" git ", "git rev-parse", "vergen", "shadow-rs", ".git", comments=False):
                misses.append("build.rs runs git: .git dropped or no git, and nothing says so")
        elif kind == "submodule":
            if not g.findings("submodule"):
                misses.append(f"submodule {arg} not checked out: no error")
        elif kind in ("sqlx-env", "file"):
            if ignored(arg, g.dockerignore):
                misses.append(f"{arg} excluded by .dockerignore")
        elif kind == "sqlx-offline":
            if ignored(".sqlx", g.dockerignore) or f.builder_env.get("SQLX_OFFLINE", "").strip('"') != "true":
                misses.append(".sqlx with SQLX_OFFLINE=true")
        elif kind == "sqlx-live-db":
            if not g.findings("DATABASE_URL", "sqlx", "offline"):
                misses.append("query! needs a database or .sqlx: nothing says so")
        elif kind == "git-deps":
            if not g.findings("git dependenc", "git source", "network", "ssh"):
                misses.append("git dependencies (network at build): no note")
        elif kind == "npm":
            if not g.findings("npm", "frontend", arg):
                misses.append(f"{arg} needs an npm build: nothing says so")
        elif kind == "nightly":
            if "nightly" not in f.builder_image and not g.findings("nightly"):
                misses.append("needs nightly (toolchain file)")
        elif kind == "no-lock":
            if f.cargo.locked and not g.findings("Cargo.lock"):
                misses.append("--locked without a Cargo.lock")
        elif kind == "linker":
            if not f.musl and not {"clang", "lld"} <= set(f.builder_packages):
                misses.append(".cargo/config.toml linker clang+lld")
    return Verdict(MISSING, "; ".join(misses)) if misses else Verdict(OK)


def rust_version(truth: dict, g: Generated) -> Verdict:
    want = truth.get("rust", "")
    image = g.facts.builder_image
    tag = image.rpartition(":")[2]
    if truth.get("rust_max") and tag.startswith(truth["rust_max"]):
        return Verdict(OK, f"{tag} (its lock needs Rust <= {truth['rust_max']})")
    if not want or want == "stable":
        return Verdict(OK, tag)
    if want.startswith("nightly"):
        if "nightly" in image:
            return Verdict(OK, tag)
        if g.findings("nightly", comments=False):
            return Verdict(OK, f"{tag}, warns that {want} is not in the official images")
        return Verdict(WRONG, f"{image}; the toolchain file pins {want}")
    return Verdict(OK, tag) if tag.startswith(want) or tag.startswith(".".join(want.split(".")[:2])) else \
        Verdict(WRONG, f"{image}; rust-toolchain pins {want}")


def edits(truth: dict, g: Generated) -> Verdict:
    """Cargo.toml / main.rs changes of the default plan: none may leave Cargo.lock stale."""
    problems = []
    for path, diff in g.edits.items():
        added = [l[1:].strip() for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
        if path.endswith("Cargo.toml"):
            deps = [l.split("=")[0].strip() for l in added if re.match(r"[\w-]+\s*=\s*[\"{]", l)
                    and not re.match(r"(opt-level|lto|codegen-units|panic|strip|debug)\b", l)]
            if deps:
                problems.append(f"{path} adds {', '.join(deps)} (Cargo.lock goes stale, --locked fails)")
        if path.endswith(".rs") and any("global_allocator" in l for l in added) and truth.get("allocator_exists"):
            problems.append(f"{path}: a second #[global_allocator] ({truth.get('allocator_why', '')[:60]})")
    return Verdict(WRONG, "; ".join(problems)) if problems else Verdict(OK)


def false_findings(truth: dict, g: Generated) -> Verdict:
    """Warnings and tips that claim what the project's lock or code contradicts."""
    wrong = []
    if truth.get("openssl") is False:
        wrong += [l for l in g.findings("OpenSSL may still be linked", comments=False)]
    if truth.get("sqlx_macros") is False:
        wrong += [l for l in g.findings("query! macros", comments=False)]
    if wrong:
        return Verdict(WRONG, "; ".join(l.removeprefix("rustdock: ")[:80] for l in wrong))
    return Verdict(OK)
