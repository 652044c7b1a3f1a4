"""Local stand-ins for the official images a generated Dockerfile names.

No registry is reachable here, so `rust:<ver>-bookworm`, `rust:<ver>-slim-bookworm`,
`debian:bookworm-slim` and the distroless images are made locally from debootstraps of
Debian bookworm (from the mirror this machine's apt already uses) plus this machine's
own Rust toolchain laid out like the official image (benchmarks/standins_rootfs.py), and
loaded into the engine the tests build with: `docker import` with --change for ENV,
USER, WORKDIR, CMD and a label stamp, or a buildah commit where no daemon answers. They
are tagged with the official names and made again only when missing or when their stamp
(the recipe, the package lists, the host toolchain) changes.

Known differences from the real images are listed in tests/e2e/README.md.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rustdock.wizard.engine_base import Engine
from rustdock.wizard.needs_packages import BUILDER_HAS

from .buildah import CACHE_DIR
from .standins_rootfs import (
    CC_PACKAGES,
    NONROOT_UID,
    PATH,
    SUITE,
    SYSTEM_PATH,
    NotOffline,
    Tree,
    apt_mirror,  # noqa: F401 - re-exported for the harness's tests
    bootstrap,
    builder_rootfs,
    distroless_rootfs,
    host_toolchain,
    local_cas,
    log,
    move,
)

#: Bump when the way a stand-in is made changes: images with another stamp are remade.
#: 6: re-laid by BuildKit after `docker import` (BuildKit never cached a step on top of
#: an imported image, so every rebuild of every Dockerfile ran from its first step).
RECIPE = "6"

#: What `rust:<ver>-bookworm` (buildpack-deps:bookworm) carries that builds rely on. What
#: rustdock itself assumes the image has (needs_packages.BUILDER_HAS) is added below, so the
#: two cannot drift apart; tests/e2e/test_standins.py checks each one is installed.
BUILDER_BASE = (
    "gcc", "g++", "libc6-dev", "make", "perl", "pkg-config", "libssl-dev", "libpq-dev",
    "libsqlite3-dev", "zlib1g-dev", "libbz2-dev", "liblzma-dev", "libcurl4-openssl-dev",
    "git", "curl", "wget", "openssh-client", "ca-certificates", "tzdata", "xz-utils",
    "unzip", "file", "procps", "netbase", "gnupg", "dirmngr",
)
BUILDER_PACKAGES = tuple(sorted(set(BUILDER_BASE) | BUILDER_HAS["debian"]))
#: `rust:<ver>-slim-bookworm`: Debian slim plus what its Dockerfile installs to run rustup.
SLIM_BUILDER_PACKAGES = tuple(sorted({"gcc", "libc6-dev", "ca-certificates"} | BUILDER_HAS["debian-slim"]))
#: The Debian packages the distroless images are assembled from.
DISTROLESS_PACKAGES = ("ca-certificates", "tzdata", "netbase", *CC_PACKAGES)

#: Debootstrap trees, by name.
TREES = {
    "builder": Tree(BUILDER_PACKAGES),
    "slim-builder": Tree(SLIM_BUILDER_PACKAGES, slim=True),
    "slim": Tree((), slim=True),
    "distroless": Tree(DISTROLESS_PACKAGES),
}


@dataclass(frozen=True)
class StandIn:
    key: str
    #: Fully qualified names (docker shortens docker.io/library/ itself).
    names: tuple[str, ...]
    #: The debootstrap tree it is made from.
    tree: str
    user: str = ""


def standins() -> tuple[StandIn, ...]:
    tags = host_toolchain().tags
    distroless = "gcr.io/distroless/{}-debian12:{}"
    return (
        StandIn("builder", tuple(f"docker.io/library/rust:{t}-{SUITE}" for t in tags), "builder"),
        StandIn("slim-builder", tuple(f"docker.io/library/rust:{t}-slim-{SUITE}" for t in tags),
                "slim-builder"),
        StandIn("slim", (f"docker.io/library/debian:{SUITE}-slim",), "slim"),
        StandIn("cc", (distroless.format("cc", "latest"),), "distroless"),
        StandIn("cc-nonroot", (distroless.format("cc", "nonroot"),), "distroless", f"{NONROOT_UID}"),
        StandIn("static", (distroless.format("static", "latest"),), "distroless"),
        StandIn("static-nonroot", (distroless.format("static", "nonroot"),), "distroless",
                f"{NONROOT_UID}"),
    )


def qualify(ref: str) -> str:
    """`rust:1.95-bookworm` -> `docker.io/library/rust:1.95-bookworm` (tag `latest` added)."""
    name, _, digest = ref.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        name += ":latest"
    first = name.split("/", 1)[0]
    if "/" not in name or not ("." in first or ":" in first or first == "localhost"):
        name = "docker.io/" + (name if "/" in name else "library/" + name)
    return name


def standin_for(ref: str) -> StandIn | None:
    """The stand-in that answers to an image reference; None for scratch.

    Raises NotOffline with the reason when no stand-in can honestly take its place.
    """
    if ref == "scratch":
        return None
    full = qualify(ref)
    for standin in standins():
        if full in standin.names:
            return standin
    raise NotOffline(_why_not(full))


def _why_not(full: str) -> str:
    repo, _, tag = full.rpartition(":")
    if "alpine" in full:
        return f"{full}: Alpine images come from a registry and apk needs the network"
    if "trixie" in tag or "debian13" in repo:
        return f"{full}: stand-ins are made for Debian {SUITE} only"
    if repo.endswith("/rust"):
        tc = host_toolchain()
        return (f"{full}: the builder stand-in carries this machine's Rust {tc.version} "
                f"(tags {', '.join(tc.tags)}) and rustup cannot download another")
    return f"{full}: no local stand-in for this image and no registry to pull it from"


def from_refs(dockerfile: str) -> tuple[str, ...]:
    """The base images a Dockerfile names (stage aliases and ARG defaults resolved)."""
    args: dict[str, str] = {}
    stages: set[str] = set()
    refs: list[str] = []
    for line in _logical_lines(dockerfile):
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "ARG" and not refs:
            name, _, default = rest.strip().partition("=")
            args[name.strip()] = default.strip().strip("\"'")
        elif word == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--")]
            ref = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            if len(parts) >= 3 and parts[1].upper() == "AS":
                stages.add(parts[2].lower())
            if ref.lower() not in stages:
                refs.append(ref)
    return tuple(dict.fromkeys(refs))


def _logical_lines(text: str) -> Iterable[str]:
    buf = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        yield (buf + line).strip()
        buf = ""


# -- making them -------------------------------------------------------------------------


def ensure(refs: Iterable[str], engine: Engine) -> tuple[str, ...]:
    """Make sure every image in `refs` exists in the engine; returns the stand-in keys.

    Raises NotOffline (before making anything) when one of them cannot exist here.
    """
    wanted = {s.key: s for s in filter(None, (standin_for(r) for r in refs))}
    if wanted:
        ensure_all(engine, keys=tuple(wanted))
    return tuple(wanted)


def ensure_all(engine, keys: tuple[str, ...] | None = None) -> None:
    """Make the stand-ins (all, or those in `keys`) that are missing or stale."""
    engine = _as_engine(engine)
    # Look before locking: taking the exclusive lock waits for every other session's shared
    # hold (their whole run), though nothing needs making. Safe without the lock: this
    # session's own shared hold keeps anyone from remaking them meanwhile.
    if all(_fresh(engine, s) for s in standins() if keys is None or s.key in keys):
        return
    with _lock():
        missing = [s for s in standins() if (keys is None or s.key in keys) and not _fresh(engine, s)]
        if not missing:
            return
        trees = bootstrap(_work(), CACHE_DIR / "debs",
                          {name: TREES[name] for name in sorted({s.tree for s in missing})})
        makers: dict[str, Callable[[Path], None]] = {
            "builder": lambda d: builder_rootfs(trees["builder"], d),
            "slim-builder": lambda d: builder_rootfs(trees["slim-builder"], d),
            "slim": lambda d: move(trees["slim"], d),
            "cc": lambda d: distroless_rootfs(trees["distroless"], d, CC_PACKAGES),
            "cc-nonroot": lambda d: distroless_rootfs(trees["distroless"], d, CC_PACKAGES),
            "static": lambda d: distroless_rootfs(trees["distroless"], d, ()),
            "static-nonroot": lambda d: distroless_rootfs(trees["distroless"], d, ()),
        }
        for standin in missing:
            _load(engine, standin, makers[standin.key])
        shutil.rmtree(_work(), ignore_errors=True)
        # Nothing is pruned here: a prune of dangling images also drops the layer cache
        # of builds running beside this (how the vendored cold/warm test once failed).
        log("done")


def _as_engine(engine) -> Engine:
    """The bench still hands a benchmarks.buildah.Buildah: wrap it in the engine API."""
    if isinstance(engine, Engine):
        return engine
    from rustdock.wizard.engine_buildah import BuildahEngine

    return BuildahEngine(storage=tuple(engine.argv()[1:]), pull=False)


def stamp(standin: StandIn) -> str:
    """What a stand-in is made from: the recipe, its tree's packages, the CA certificates
    this machine adds, the host's Rust."""
    tc = host_toolchain()
    tree = TREES[standin.tree]
    packages = hashlib.sha256(f"{' '.join(tree.packages)} slim={tree.slim}".encode()).hexdigest()[:12]
    cas = hashlib.sha256(b"".join(p.read_bytes() for p in local_cas())).hexdigest()[:8]
    return f"{RECIPE}:{standin.tree}:{packages}:{cas}:{tc.version}:{tc.commit[:12]}"


def _fresh(engine: Engine, standin: StandIn) -> bool:
    if not all(engine.exists(n) for n in standin.names):
        return False
    return all(engine.image(n).labels.get("rustdock.standin") == stamp(standin)
               for n in standin.names)


#: The lock a test session holds shared while it builds (None outside one).
_session: IO | None = None


def being_made() -> bool:
    """Whether a session holds the lock exclusively right now (it is making stand-ins)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / "standins.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextmanager
def in_use():
    """Hold the stand-ins for a whole test session: no other session (another worktree
    with another recipe) can remake them under this one's builds, which would turn a warm
    build cold. Making them here converts the lock to exclusive for that time."""
    global _session
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / "standins.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        _session = handle
        try:
            yield
        finally:
            _session = None
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _lock():
    if _session is not None:
        # flock drops the shared lock, then waits for the exclusive one: two sessions
        # converting at once never deadlock, one waits for the other's shared hold.
        fcntl.flock(_session, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(_session, fcntl.LOCK_SH)
        return
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / "standins.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _work() -> Path:
    return CACHE_DIR / "work"


def changes(standin: StandIn) -> list[str]:
    """The image config each stand-in gets, as `docker import --change` lines."""
    config = [f"LABEL rustdock.standin={stamp(standin)}"]
    if standin.tree in {"builder", "slim-builder"}:
        config += ["ENV RUSTUP_HOME=/usr/local/rustup", "ENV CARGO_HOME=/usr/local/cargo",
                   f"ENV PATH={PATH}", f"ENV RUST_VERSION={host_toolchain().version}",
                   'CMD ["bash"]']
    elif standin.tree == "slim":
        config += [f"ENV PATH={SYSTEM_PATH}", 'CMD ["bash"]']
    else:
        config += [f"ENV PATH={SYSTEM_PATH}", "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]
    if standin.user:
        config += [f"USER {standin.user}:{standin.user}", "WORKDIR /home/nonroot"]
    return config


def _import_for_buildkit(engine: Engine, rootfs: Path, standin: StandIn) -> None:
    """`docker import`, then the same files copied into a fresh image by BuildKit itself.

    Docker 20.10's BuildKit reuses no step built on an image that `docker import` made
    (every RUN and COPY after such a FROM runs again, build after build), while an image
    BuildKit wrote is cached like one pulled from a registry. The config goes on in the
    second build, as Dockerfile lines (the same ones `--change` takes).
    """
    raw = f"rdk-standin-import/{standin.key}:{stamp(standin).replace(':', '-').replace('.', '-')}"
    engine.import_rootfs(rootfs, raw, [])
    context = _work() / f"relayer-{standin.key}"
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    (context / "Dockerfile").write_text("\n".join(
        [f"FROM {raw} AS rootfs", "FROM scratch", "COPY --from=rootfs / /", *changes(standin), ""]))
    try:
        engine.build(context, standin.names[0], timeout=3600)
    finally:
        engine.rmi(raw)
        shutil.rmtree(context, ignore_errors=True)


def _load(engine: Engine, standin: StandIn, make: Callable[[Path], None]) -> None:
    log(f"making {standin.names[0]}")
    old = {engine.image(n).id for n in standin.names if engine.exists(n)}
    staging = _work() / f"rootfs-{standin.key}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    make(staging)
    log(f"loading {standin.names[0]} into {engine.name}")
    if engine.name == "docker":
        _import_for_buildkit(engine, staging, standin)
    else:
        engine.import_rootfs(staging, standin.names[0], changes(standin))
    engine.tag(standin.names[0], *standin.names[1:])
    shutil.rmtree(staging, ignore_errors=True)
    # The stale stand-in this one replaces (untagged now); kept if a container still uses it.
    stale = old - {engine.image(standin.names[0]).id}
    if stale:
        engine.rmi(*stale)
