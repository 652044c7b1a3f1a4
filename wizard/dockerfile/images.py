"""What a base image holds, from its name and tag: one table, no network.

Checks ask it whether an image has a C library, a shell, CA certificates, curl or wget,
which users exist, which Debian release (and glibc) it is built on, and which rustdock
choice it corresponds to. Anything not in the table is "unknown", and checks that need
to know step back rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..versions import DEBIAN_RELEASES

#: glibc of each distribution release an image can be built on (Debian from versions.py).
GLIBC = {
    "buster": "2.28",
    "bullseye": "2.31",
    **{name: facts["glibc"] for name, facts in DEBIAN_RELEASES.items()},
    "bionic": "2.27",
    "focal": "2.31",
    "jammy": "2.35",
    "noble": "2.39",
}
#: Tag words that name a release: Debian codenames and numbers, Ubuntu versions.
RELEASE_WORDS = {
    "buster": "buster", "10": "buster", "debian10": "buster",
    "bullseye": "bullseye", "11": "bullseye", "debian11": "bullseye",
    "bookworm": "bookworm", "12": "bookworm", "debian12": "bookworm",
    "trixie": "trixie", "13": "trixie", "debian13": "trixie",
    "18.04": "bionic", "bionic": "bionic", "20.04": "focal", "focal": "focal",
    "22.04": "jammy", "jammy": "jammy", "24.04": "noble", "noble": "noble",
}
#: The Debian release the official rust image uses when the tag names none: the newest
#: Debian of its day (bullseye from Rust 1.54, bookworm from 1.70, trixie from 1.89).
RUST_DEFAULT_RELEASE = (((1, 89), "trixie"), ((1, 70), "bookworm"), ((1, 54), "bullseye"), ((0, 0), "buster"))
#: Tags that move to another release or version without notice.
MOVING_TAGS = frozenset({"", "latest", "stable", "edge", "nightly", "beta", "slim", "alpine",
                         "1", "rolling", "devel", "testing", "unstable", "sid"})

_DEBIAN_USERS = frozenset(
    "root daemon bin sys sync games man lp mail news uucp proxy www-data backup list irc "
    "nobody _apt".split()
)
_ALPINE_USERS = frozenset(
    "root bin daemon adm lp sync shutdown halt mail news uucp operator man postmaster cron "
    "ftp sshd at squid xfs games cyrus vpopmail ntp smmsp guest nobody".split()
)
_NONROOT_USERS = frozenset({"root", "nobody", "nonroot"})
_RUST_ENV = frozenset({"CARGO_HOME", "RUSTUP_HOME", "RUST_VERSION", "PATH", "HOME", "HOSTNAME"})
_PLAIN_ENV = frozenset({"PATH", "HOME", "HOSTNAME"})


@dataclass(frozen=True)
class Image:
    """What one base image is known to hold."""

    ref: str
    #: The repository without registry or tag ("rust", "gcr.io/distroless/static-debian12").
    repo: str = ""
    tag: str = ""
    #: "rust", "muslrust", "musl-cross", "cargo-chef", "scratch", "distroless",
    #: "chainguard", "alpine", "debian", "ubuntu", "busybox" or "" (not in the table).
    family: str = ""
    #: "glibc", "musl", "none" (no C library), "" unknown.
    libc: str = ""
    shell: bool | None = None
    ca_certs: bool | None = None
    #: Programs a HEALTHCHECK might call that the image has ("curl", "wget").
    tools: frozenset[str] = frozenset()
    #: Users that exist in it; None when unknown.
    users: frozenset[str] | None = None
    #: Debian or Ubuntu codename, and whether the tag says so or it is inferred.
    release: str = ""
    release_inferred: bool = False
    #: The Rust release in the tag ("1.75", "1.75.0"), "" when none.
    rust: str = ""
    #: What `cargo build` without --target builds there.
    host_triple: str = ""
    #: CARGO_BUILD_TARGET the image sets: None unknown, "" when it sets none.
    build_target: str | None = ""
    cargo_home: str = ""
    #: Environment variables the image defines; None when unknown.
    env: frozenset[str] | None = None
    #: The image's own WORKDIR, "" for /.
    workdir: str = ""
    #: The rustdock option values it corresponds to ("" when none does).
    runtime: str = ""
    builder: str = ""
    #: Every file in it is known (scratch, distroless): a path not copied in is absent.
    known_contents: bool = False
    #: Pinned by digest or by a tag that names a version.
    pinned: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def glibc(self) -> str:
        return GLIBC.get(self.release, "") if self.libc == "glibc" else ""


def split_ref(ref: str) -> tuple[str, str, bool]:
    """(repository, tag, pinned by digest) of an image reference."""
    name, _, digest = ref.partition("@")
    registry_free = name
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    repo = registry_free[: len(registry_free) - len(tag) - 1] if tag else registry_free
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/", "library/"):
        if repo.startswith(prefix):
            repo = repo[len(prefix):]
    return repo.lower(), tag, bool(digest)


def _version(tag: str) -> str:
    match = re.match(r"^(1\.\d+(?:\.\d+)?)(?![\d.])", tag) or re.search(r"rust-(1\.\d+(?:\.\d+)?)", tag)
    return match.group(1) if match else ""


def _release(tag: str) -> str:
    for word in re.split(r"[-_.]", tag) + [tag]:
        if word in RELEASE_WORDS:
            return RELEASE_WORDS[word]
    match = re.search(r"(\d\d\.\d\d)", tag)
    return RELEASE_WORDS.get(match.group(1), "") if match else ""


def _rust_release(rust: str) -> str:
    if not rust:
        return RUST_DEFAULT_RELEASE[0][1]  # latest, 1, slim: today's Debian
    numbers = tuple(int(p) for p in rust.split(".")[:2])
    return next(release for since, release in RUST_DEFAULT_RELEASE if numbers >= since)


def _rust_image(base: Image, tag: str) -> Image:
    rust = _version(tag)
    base = replace(base, build_target="")
    if "alpine" in tag:
        return replace(base, family="rust", libc="musl", shell=True, ca_certs=True,
                       tools=frozenset({"wget"}), users=_ALPINE_USERS, rust=rust,
                       host_triple="x86_64-unknown-linux-musl", cargo_home="/usr/local/cargo",
                       env=_RUST_ENV, builder="alpine", runtime="alpine")
    release = _release(tag)
    slim = "slim" in tag
    return replace(
        base, family="rust", libc="glibc", shell=True, ca_certs=True,
        tools=frozenset({"wget"} if slim else {"curl", "wget"}), users=_DEBIAN_USERS,
        release=release or _rust_release(rust), release_inferred=not release, rust=rust,
        host_triple="x86_64-unknown-linux-gnu", cargo_home="/usr/local/cargo", env=_RUST_ENV,
        builder="debian-slim" if slim else "debian", runtime="debian-slim",
    )


def _muslrust(base: Image, tag: str) -> Image:
    rust = _version(tag)
    # Since May 2025 (Rust 1.87) rustup lives in /opt; older tags kept it in /root.
    old = bool(rust) and tuple(int(p) for p in rust.split(".")[:2]) < (1, 87)
    return replace(base, family="muslrust", libc="glibc", shell=True, ca_certs=True,
                   tools=frozenset({"curl"}), rust=rust, host_triple="x86_64-unknown-linux-musl",
                   cargo_home="/root/.cargo" if old else "/opt/cargo", workdir="/volume",
                   build_target="x86_64-unknown-linux-musl",
                   builder="muslrust", env=None)


def _distroless(base: Image, repo: str, tag: str) -> Image:
    kind = repo.rsplit("/", 1)[-1]
    release = _release(kind) or "bookworm"  # the unsuffixed names follow Debian 12 now
    debug = "debug" in tag
    static = kind.startswith("static")
    # Distroless publishes no version tags: the release in the name is the pin.
    return replace(
        base, family="distroless", libc="none" if static else "glibc", shell=debug,
        ca_certs=True, tools=frozenset({"wget"}) if debug else frozenset(), users=_NONROOT_USERS,
        release=release, known_contents=not debug, env=_PLAIN_ENV, pinned=base.pinned or bool(_release(kind)),
        runtime="distroless-static" if static else "distroless-cc",
    )


def _chainguard(base: Image, repo: str) -> Image:
    static = repo.endswith("/static")
    glibc = repo.endswith("/glibc-dynamic")
    if not (static or glibc):
        return base
    return replace(base, family="chainguard", libc="none" if static else "glibc", shell=False,
                   ca_certs=True, users=_NONROOT_USERS, known_contents=True, env=_PLAIN_ENV,
                   runtime="chainguard-static" if static else "chainguard-glibc")


def image(ref: str) -> Image:
    """What the table knows about an image reference."""
    repo, tag, by_digest = split_ref(ref)
    pinned = by_digest or tag.lower() not in MOVING_TAGS
    base = Image(ref=ref, repo=repo, tag=tag, pinned=pinned, build_target=None)
    if ref == "scratch":
        return replace(base, family="scratch", libc="none", shell=False, ca_certs=False, build_target="",
                       users=frozenset(), known_contents=True, env=frozenset(), runtime="scratch",
                       pinned=True)
    if repo in {"rust", "rustlang/rust"}:
        return replace(_rust_image(base, tag), pinned=by_digest or pinned and bool(_version(tag)))
    if repo == "lukemathwalker/cargo-chef":
        chef = _rust_image(base, tag.split("rust-", 1)[-1] if "rust-" in tag else "")
        return replace(chef, family="cargo-chef", rust=_version(tag), pinned=by_digest or bool(_version(tag)))
    if repo == "clux/muslrust":
        return _muslrust(base, tag)
    if "rust-musl-cross" in repo or "rust-musl-builder" in repo:
        return replace(base, family="musl-cross", libc="glibc", shell=True, ca_certs=True,
                       rust=_version(tag), host_triple="x86_64-unknown-linux-musl", build_target=None)
    if repo.startswith("gcr.io/distroless/"):
        return _distroless(base, repo, tag)
    if repo.startswith("cgr.dev/chainguard/"):
        return _chainguard(base, repo)
    if repo == "alpine":
        # Alpine's own rust package (apk add rust cargo) builds for its host triple.
        return replace(base, family="alpine", libc="musl", shell=True, ca_certs=True, build_target="",
                       host_triple="x86_64-alpine-linux-musl",
                       tools=frozenset({"wget"}), users=_ALPINE_USERS, env=_PLAIN_ENV, runtime="alpine")
    if repo in {"debian", "ubuntu"}:
        release = _release(tag)
        # Their own cargo (apt install cargo) builds for the host.
        return replace(base, family=repo, libc="glibc", shell=True, ca_certs=False, build_target="",
                       host_triple="x86_64-unknown-linux-gnu", cargo_home="/root/.cargo",
                       users=_DEBIAN_USERS, release=release, env=_PLAIN_ENV, runtime="debian-slim",
                       pinned=by_digest or pinned and bool(release))
    if repo == "busybox":
        return replace(base, family="busybox", shell=True, tools=frozenset({"wget"}),
                       users=frozenset({"root", "nobody", "daemon"}), env=_PLAIN_ENV)
    return base
