"""Options of the build steps: binary, Rust, target, builder (group build), then
dependency caching and the release profile (group caching). Rows keep the table's order."""

from __future__ import annotations

import re

from . import versions
from .cargo_features import FEATURE_NAME
from .needs_sys import for_choices, git_scripts, tls_in_build
from .option_model import Choices, Option, Value
from .project import Project

#: Crates that link OpenSSL: glibc is the default target then (musl cannot find it).
OPENSSL_LINKERS = frozenset({"openssl-sys", "native-tls"})


def _default_binary(project: Project, chosen: Choices) -> str:
    return project.default_binary.name if project.default_binary else project.name


def _binary_values(project: Project) -> tuple[Value, ...]:
    return tuple(
        Value(
            b.name,
            f"{b.name} ({b.role})" if b.role else b.name,
            (f"{b.role_reason[:1].upper()}{b.role_reason[1:]}; " if b.role_reason else "")
            + f"built from {b.path} in package {b.package}"
            + ("" if b.package_dir == "." else f" ({b.package_dir})")
            + (f", with features {', '.join(b.required_features)} (its required-features)"
               if b.required_features else ""),
        )
        for b in project.binaries
    )


def _feature_values(project: Project) -> tuple[Value, ...]:
    """The features of every package that builds a binary (the default one's first),
    each with what it turns on; `default` is the no_default_features switch instead."""
    found: dict[str, Value] = {}
    for binary in project.binaries:
        for feature in project.features_of(binary.name):
            if feature.name != "default" and feature.name not in found:
                found[feature.name] = Value(feature.name, feature.name,
                                            f"turns on {feature.describe()}")
    return tuple(found.values())


def _has_features(project: Project, chosen: Choices) -> bool:
    return bool(project.features_of(str(chosen.get("binary", ""))))


def _has_default_features(project: Project, chosen: Choices) -> bool:
    features = project.features_of(str(chosen.get("binary", "")))
    return any(f.name == "default" for f in features)


def _default_build_git(project: Project, chosen: Choices) -> str:
    # A variable the script reads first makes .git unneeded: a build argument is smaller
    # and does not change with every commit. Without a repository there is nothing to copy.
    scripts = git_scripts(project, chosen)
    if scripts and all(s.env for s in scripts):
        return "build-arg"
    return "context" if (project.root / ".git").is_dir() else "none"


def _default_libc(project: Project, chosen: Choices) -> str:
    # Like nixpacks: static musl unless OpenSSL is linked, where glibc avoids the classic
    # "Could not find directory of OpenSSL installation" on musl; and glibc when a crate of
    # the build needs a system library or C++ that a musl-gcc build cannot have.
    if tls_in_build(project, chosen) & OPENSSL_LINKERS:
        return "glibc"
    needs = for_choices(project, chosen)
    # Only needs the build surely has: a crate a feature that is off may pull in does not
    # decide the default (the rules still say so when it is there).
    musl_ok = all(n.row.decided_by or not n.certain or n.row.musl_static(n.bundled is True)
                  for n in needs)
    return "musl" if musl_ok else "glibc"


def _default_builder(project: Project, chosen: Choices) -> str:
    return "debian"


def _usable_rust(version: str) -> str:
    """A pinned version usable in an image tag, or "" for channels like "stable"."""
    match = re.fullmatch(r"(1\.\d+)(\.\d+)?", version.strip())
    return match.group(0) if match else ""


BUILD_OPTIONS: tuple[Option, ...] = (
    # build and target
    Option(
        "binary",
        "Binary to ship",
        "choice",
        "build",
        "The program the image runs. Workspaces and crates with several [[bin]] targets "
        "have more than one; the image carries exactly one.",
        _default_binary,
        dynamic_values=_binary_values,
        derived="the binary that serves (server code, a server framework or a server-like "
                "name; never a client, utility or migration tool when a server exists), "
                "else the default-run binary, else the first found",
    ),
    Option(
        "features",
        "Cargo features",
        "list",
        "build",
        "Features to build with besides the default ones (cargo build --features). "
        "Packages that offer a choice (a database backend, a TLS stack) may refuse to build "
        "until one is on; every cargo command in the Dockerfile passes the same list.",
        lambda p, c: (),
        dynamic_values=_feature_values,
        pattern=FEATURE_NAME.pattern,
        expects="a feature name (or dependency/feature)",
        relevant=_has_features,
    ),
    Option(
        "no_default_features",
        "Without default features",
        "bool",
        "build",
        "Build without the package's `default` features (--no-default-features): only "
        "the features listed above are on. Smaller builds when the defaults pull in what "
        "the image does not need.",
        lambda p, c: False,
        relevant=_has_default_features,
    ),
    Option(
        "all_features",
        "All features",
        "bool",
        "build",
        "Build with every feature of the package (--all-features). Handy, but it often "
        "pulls in backends and tools a production image does not need, and features "
        "meant as alternatives may refuse to compile together.",
        lambda p, c: False,
        relevant=_has_features,
    ),
    Option(
        "build_git",
        "Git for build scripts",
        "choice",
        "build",
        "A build script reads the git repository (a version, a commit hash). .dockerignore "
        "leaves .git out of the build context; the build either gets it back or is told "
        "the value another way.",
        _default_build_git,
        values=(
            Value("context", ".git in the build", "Keeps .git in the build context and "
                  "copies it in: the script sees the real repository, but the context grows "
                  "and the build step's cache changes with every commit."),
            Value("build-arg", "a build argument", "The script reads a variable before it "
                  "asks git: pass it with `docker build --build-arg NAME=$(git describe)`. "
                  "Small, and the cache only changes when the value does."),
            Value("none", "leave it out", "The script finds no repository: the program "
                  "reports an unknown version or commit."),
        ),
        relevant=lambda p, c: bool(git_scripts(p, c)),
        derived="a build argument when the build script reads a variable first, else .git "
        "(none without a repository)",
    ),
    Option(
        "rust_version",
        "Rust version",
        "text",
        "build",
        "The Rust release the builder image carries. Pinning it (1.NN or 1.NN.P) keeps "
        "builds reproducible; rustdock reads rust-toolchain.toml or `rust-version` first.",
        lambda p, c: _usable_rust(p.rust_version) or versions.RUST_DEFAULT,
        pattern=r"1\.\d{1,3}(\.\d{1,3})?",
        expects="a Rust release such as 1.95 or 1.95.0",
        derived="rust-toolchain(.toml), then rust-version, else the current release",
    ),
    Option(
        "libc",
        "C library (target)",
        "choice",
        "build",
        "musl makes one static file that runs anywhere, even in an empty image. glibc is "
        "the usual Linux C library: faster memory allocation and DNS that just works, but "
        "the image must ship a matching glibc.",
        _default_libc,
        values=(
            Value("musl", "static musl", "One self-contained binary; runs on scratch. "
                  "musl's allocator is slow under heavy allocation: pair it with jemalloc or "
                  "mimalloc for servers."),
            Value("glibc", "glibc (dynamic)", "The default Linux target. Needs a runtime image "
                  "with glibc from the same Debian release (distroless/cc or debian-slim)."),
            Value("glibc-static", "glibc, statically linked", "crt-static glibc: one file like "
                  "musl, but host-name lookups (getaddrinfo) need NSS libraries at run time "
                  "and fail in scratch. Only for programs that never resolve names."),
        ),
        derived="glibc when the project links OpenSSL, or a crate of the build needs a "
        "system library or C++ (see the system-needs table), else musl",
    ),
    Option(
        "builder",
        "Builder image",
        "choice",
        "build",
        "The image that compiles the program. It never ships: only the binary is copied "
        "out, so a big builder costs build time, not image size.",
        _default_builder,
        values=(
            Value("debian", "rust (Debian)", "Official rust image on Debian: gcc, make, perl, "
                  "pkg-config and libssl-dev are there. Cross-compiles to arm64 without QEMU."),
            Value("debian-slim", "rust slim (Debian)", "Smaller download; rustdock installs "
                  "what the build needs (gcc, pkg-config, libssl-dev) itself."),
            Value("alpine", "rust (Alpine)", "musl is the native C library: static builds "
                  "without extra tools. C dependencies need their -dev packages from apk."),
            Value("muslrust", "clux/muslrust", "Ubuntu with musl builds of OpenSSL, zlib, curl, "
                  "pq and sqlite: the shortest way to a static binary that links OpenSSL."),
        ),
    ),
    Option(
        "debian",
        "Debian release",
        "choice",
        "build",
        "Builder and runtime must share a Debian release, or the binary asks for a newer "
        "glibc than the runtime has (\"GLIBC_2.39 not found\").",
        lambda p, c: "bookworm",
        values=(
            Value("bookworm", "Debian 12 bookworm", "glibc 2.36; distroless *-debian12."),
            Value("trixie", "Debian 13 trixie", "glibc 2.41; distroless *-debian13. What "
                  "rust:latest uses now."),
        ),
    ),
    Option(
        "platforms",
        "Architectures",
        "choice",
        "build",
        "Which CPUs the image runs on. Multi-arch images are cross-compiled on the build "
        "machine's own CPU (TARGETARCH/BUILDPLATFORM), never emulated with QEMU.",
        lambda p, c: "amd64",
        values=(
            Value("amd64", "linux/amd64", "Intel and AMD servers and most CI runners."),
            Value("arm64", "linux/arm64", "Graviton, Ampere, Raspberry Pi 4+, Apple silicon."),
            Value("amd64,arm64", "both (multi-arch)", "One tag for both; build with "
                  "`docker buildx build --platform linux/amd64,linux/arm64`."),
        ),
    ),
    Option(
        "frontend",
        "Dockerfile syntax",
        "choice",
        "build",
        "BuildKit reads a Dockerfile with a \"frontend\". The line `# syntax=docker/dockerfile:1` "
        "makes it download the newest one from Docker Hub before every build; a builder "
        "without internet access fails on that line. The one built into Docker 20.10 and "
        "later reads everything rustdock writes, cache and secret mounts included.",
        lambda p, c: "dockerfile-1",
        values=(
            Value("dockerfile-1", "newest, from Docker Hub", "Writes `# syntax=docker/dockerfile:1`: "
                  "every machine parses the file the same way. The builder must reach Docker Hub."),
            Value("builtin", "built into the builder", "No syntax line: BuildKit uses the "
                  "frontend it carries. For offline and air-gapped builders (Docker 20.10 or "
                  "later, podman, buildah)."),
        ),
    ),
    # dependency caching and release profile
    Option(
        "caching",
        "Dependency caching",
        "choice",
        "caching",
        "Dependencies take most of a Rust build. Caching them means a one-line change "
        "rebuilds in seconds instead of minutes.",
        lambda p, c: "cache-mounts",
        values=(
            Value("none", "none", "Simplest: every build compiles everything again."),
            Value("dummy-main", "dummy main layer", "Builds dependencies against a stub "
                  "main.rs in their own layer; works with any builder and with registry "
                  "layer caches in CI."),
            Value("cache-mounts", "BuildKit cache mounts", "Keeps cargo's registry and target "
                  "directory between builds on the same machine: the fastest local rebuilds. "
                  "Copies the project in one step, so .dockerignore decides what goes in. "
                  "CI runners start with an empty cache."),
            Value("cargo-chef", "cargo-chef", "Computes a recipe of the dependencies and "
                  "cooks them in their own layer: the most precise for workspaces. Needs "
                  "crates.io to install cargo-chef."),
        ),
    ),
    Option(
        "profile",
        "Release profile",
        "choice",
        "caching",
        "How cargo optimises the release build. rustdock writes it into [profile.release] "
        "of the workspace root Cargo.toml.",
        lambda p, c: "keep",
        values=(
            Value("keep", "keep Cargo.toml's", "Leave [profile.release] as it is."),
            Value("size", "smallest binary", "opt-level \"z\", LTO, one codegen unit, strip, "
                  "panic=abort: often half the size, builds 2-3x slower, panics abort."),
            Value("speed", "fastest code", "opt-level 3, fat LTO, one codegen unit, strip: "
                  "5-15% faster code, slower builds."),
        ),
    ),
    Option(
        "profile_overwrite",
        "Replace my profile values",
        "bool",
        "caching",
        "When [profile.release] already sets a key the chosen profile also sets (say "
        "opt-level = 3 against \"z\"), rustdock keeps yours and reports a conflict; turn "
        "this on to write the profile's value instead.",
        lambda p, c: False,
        relevant=lambda p, c: c.get("profile") != "keep",
    ),
)
