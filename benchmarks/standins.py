"""Local stand-ins for the official images a generated Dockerfile names.

No registry is reachable here, so `rust:<ver>-bookworm`, `debian:bookworm-slim` and the
distroless images are made locally: a debootstrap of Debian bookworm from the mirror this
machine's apt already uses, plus this machine's own Rust toolchain laid out like the
official image. They are tagged with the official names, cached in the harness's buildah
storage and only made again when missing or when the host toolchain changed.

Known differences from the real images (documented in tests/e2e/README.md):
- the builder is Debian minbase plus gcc, libc6-dev, make, pkg-config, libssl-dev,
  ca-certificates and tzdata, not the full buildpack-deps (no git, curl, ssh, python);
- `rustup` is a shim: it lists the one installed target and refuses to download others;
- distroless images are assembled from the same Debian packages distroless uses (libc6,
  libgcc-s1, libssl3, libstdc++6, ca-certificates, tzdata, base-files' os-release) rather
  than pulled, so file lists match in kind, not byte for byte.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .buildah import CACHE_DIR, Buildah

#: Bump when the way a stand-in is made changes: images with another value are remade.
RECIPE = "3"
SUITE = "bookworm"
TRIPLE = "x86_64-unknown-linux-gnu"
BUILDER_PACKAGES = ("gcc", "libc6-dev", "make", "pkg-config", "libssl-dev", "ca-certificates", "tzdata")
#: What distroless/cc adds to distroless/static (its Debian packages, minus docs).
CC_PACKAGES = ("libc6", "libgcc-s1", "libssl3", "libstdc++6", "libgomp1")
NONROOT_UID = 65532
PATH = "/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class NotOffline(Exception):
    """An image (or a step) this machine cannot provide without a registry."""


# -- the host's facts ------------------------------------------------------------------


@dataclass(frozen=True)
class Toolchain:
    sysroot: Path
    version: str  # "1.95.0"
    commit: str

    @property
    def tags(self) -> tuple[str, ...]:
        """The rust image tags this toolchain can honestly stand in for."""
        major, minor, _ = self.version.split(".")
        return (self.version, f"{major}.{minor}", major)


@cache
def host_toolchain() -> Toolchain:
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
    ).stdout.strip()
    info = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    version = re.search(r"^release: (\S+)", info, re.M).group(1)
    commit = (re.search(r"^commit-hash: (\S+)", info, re.M) or re.search("()", "")).group(1)
    return Toolchain(Path(sysroot), version, commit)


def apt_mirror(etc: Path = Path("/etc/apt")) -> str:
    """The Debian archive this machine's apt already uses (never a hard-coded host)."""
    for uri, suites in _apt_sources(etc):
        if any(s in {SUITE, "stable"} for s in suites) and "security" not in uri:
            return uri
    raise NotOffline(f"no Debian {SUITE} mirror in {etc}/sources.list*: stand-ins cannot be made")


def _apt_sources(etc: Path) -> Iterable[tuple[str, list[str]]]:
    files = [etc / "sources.list", *sorted((etc / "sources.list.d").glob("*"))]
    for file in files:
        if not file.is_file():
            continue
        text = file.read_text(errors="replace")
        if file.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M))
                if "deb" in fields.get("Types", "").split() and fields.get("Enabled", "yes") != "no":
                    for uri in fields.get("URIs", "").split():
                        yield uri, fields.get("Suites", "").split()
        elif file.suffix == ".list" or file.name == "sources.list":
            for line in text.splitlines():
                parts = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
                if len(parts) >= 3 and parts[0] == "deb":
                    yield parts[1], [parts[2]]


# -- image names -------------------------------------------------------------------------


@dataclass(frozen=True)
class StandIn:
    key: str
    #: Fully qualified names, as buildah stores them.
    names: tuple[str, ...]
    user: str = ""


def standins() -> tuple[StandIn, ...]:
    tc = host_toolchain()
    distroless = "gcr.io/distroless/{}-debian12:{}"
    return (
        StandIn("builder", tuple(f"docker.io/library/rust:{t}-{SUITE}" for t in tc.tags)),
        StandIn("slim", (f"docker.io/library/debian:{SUITE}-slim",)),
        StandIn("cc", (distroless.format("cc", "latest"),)),
        StandIn("cc-nonroot", (distroless.format("cc", "nonroot"),), user=f"{NONROOT_UID}"),
        StandIn("static", (distroless.format("static", "latest"),)),
        StandIn("static-nonroot", (distroless.format("static", "nonroot"),), user=f"{NONROOT_UID}"),
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
    if repo.endswith("/rust") and "-slim-" in tag:
        return f"{full}: the slim builder installs gcc and friends with apt-get at build time"
    if repo.endswith("/rust"):
        return (f"{full}: the builder stand-in carries this machine's Rust "
                f"{host_toolchain().version} (tags {', '.join(host_toolchain().tags)}), not this one")
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


def ensure(refs: Iterable[str], buildah: Buildah | None = None) -> tuple[str, ...]:
    """Make sure every image in `refs` exists locally; returns the stand-in keys used.

    Raises NotOffline (before making anything) when one of them cannot exist here.
    """
    wanted = {s.key: s for s in filter(None, (standin_for(r) for r in refs))}
    if wanted:
        ensure_all(buildah, keys=tuple(wanted))
    return tuple(wanted)


def ensure_all(buildah: Buildah | None = None, keys: tuple[str, ...] | None = None) -> None:
    buildah = buildah or Buildah()
    with _lock():
        missing = [s for s in standins() if (keys is None or s.key in keys) and not _fresh(buildah, s)]
        if not missing:
            return
        # The distroless and nonroot variants are carved out of the two debootstraps.
        keys_needed = {s.key for s in missing}
        roots = _bootstrap(need_slim="slim" in keys_needed,
                           need_builder=bool(keys_needed - {"slim"}))
        makers: dict[str, Callable[[Path], None]] = {
            "builder": lambda d: _builder_rootfs(roots["builder"], d),
            "slim": lambda d: _move(roots["slim"], d),
            "cc": lambda d: _distroless_rootfs(roots["builder"], d, CC_PACKAGES),
            "cc-nonroot": lambda d: _distroless_rootfs(roots["builder"], d, CC_PACKAGES),
            "static": lambda d: _distroless_rootfs(roots["builder"], d, ()),
            "static-nonroot": lambda d: _distroless_rootfs(roots["builder"], d, ()),
        }
        # The builder consumes its debootstrap tree, so it is made last.
        for standin in sorted(missing, key=lambda s: s.key == "builder"):
            _commit(buildah, standin, makers[standin.key])
        shutil.rmtree(_work(), ignore_errors=True)
        buildah.prune()
        _log("done")


def _fresh(buildah: Buildah, standin: StandIn) -> bool:
    if not all(buildah.exists(n) for n in standin.names):
        return False
    labels = buildah.labels(standin.names[0])
    return labels.get("rustdock.standin") == _stamp()


def _stamp() -> str:
    tc = host_toolchain()
    return f"{RECIPE}:{tc.version}:{tc.commit[:12]}"


@contextmanager
def _lock():
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / "standins.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _work() -> Path:
    return CACHE_DIR / "work"


def _bootstrap(*, need_slim: bool, need_builder: bool) -> dict[str, Path]:
    """Debootstrap the trees the stand-ins are cut from, both at once."""
    jobs = {}
    if need_slim:
        jobs["slim"] = ()
    if need_builder:
        jobs["builder"] = BUILDER_PACKAGES
    mirror = apt_mirror()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_debootstrap, _work() / name, pkgs, mirror)
                   for name, pkgs in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def _debootstrap(target: Path, include: tuple[str, ...], mirror: str) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    debs = CACHE_DIR / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    cmd = ["debootstrap", "--variant=minbase", f"--cache-dir={debs}"]
    if include:
        cmd.append("--include=" + ",".join(include))
    _log(f"debootstrap {target.name} from {mirror}")
    proc = subprocess.run([*cmd, SUITE, str(target), mirror], capture_output=True, text=True)
    if proc.returncode != 0:
        log = (target / "debootstrap" / "debootstrap.log")
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else proc.stderr[-2000:]
        raise RuntimeError(f"debootstrap of {target.name} from {mirror} failed:\n{detail}")
    _slim_down(target)
    return target


def _slim_down(root: Path) -> None:
    """What Debian's own slim images leave out: apt lists, .debs, docs, man pages, locales."""
    for rel in ("var/lib/apt/lists", "var/cache/apt/archives", "usr/share/doc", "usr/share/man",
                "usr/share/info", "usr/share/locale", "var/log", "debootstrap"):
        path = root / rel
        if path.exists():
            shutil.rmtree(path)
            if rel.startswith("var/"):
                path.mkdir(parents=True)
    for bin_cache in (root / "var/cache/apt").glob("*.bin"):
        bin_cache.unlink()


def _move(src: Path, dest: Path) -> None:
    dest.rmdir()
    src.rename(dest)


def _builder_rootfs(base: Path, dest: Path) -> None:
    """The Debian tree plus the host toolchain, laid out like the official rust image."""
    _move(base, dest)
    tc = host_toolchain()
    home = dest / "usr/local/rustup/toolchains" / f"{tc.version}-{TRIPLE}"
    (home / "bin").mkdir(parents=True)
    for tool in ("cargo", "rustc", "rustdoc"):
        shutil.copy2(tc.sysroot / "bin" / tool, home / "bin" / tool)
    lib = tc.sysroot / "lib"
    shutil.copytree(lib, home / "lib", symlinks=True,
                    ignore=shutil.ignore_patterns("etc", "*.md"))
    cargo_bin = dest / "usr/local/cargo/bin"
    cargo_bin.mkdir(parents=True)
    for tool in ("cargo", "rustc", "rustdoc"):
        (cargo_bin / tool).symlink_to(f"../../rustup/toolchains/{tc.version}-{TRIPLE}/bin/{tool}")
    shim = cargo_bin / "rustup"
    shim.write_text(_RUSTUP_SHIM.format(version=tc.version, triple=TRIPLE))
    shim.chmod(0o755)
    (dest / "usr/local/rustup/settings.toml").write_text(
        f'version = "12"\ndefault_toolchain = "{tc.version}-{TRIPLE}"\n'
    )


_RUSTUP_SHIM = """#!/bin/sh
# rustdock e2e stand-in for rustup: the toolchain is copied in, nothing can be downloaded.
case "$1 $2" in
  "target list"|"target list "*) echo "{triple} (installed)";;
  "target add")
    shift 2
    for t in "$@"; do
      [ "$t" = "{triple}" ] && continue
      echo "rustup (rustdock stand-in): cannot download target $t offline" >&2; exit 1
    done;;
  "show "*|"show"|"--version "*) echo "rustup stand-in; active toolchain {version}-{triple}";;
  "toolchain list") echo "{version}-{triple} (default)";;
  *) echo "rustup (rustdock stand-in): '$*' needs the network" >&2; exit 1;;
esac
"""

_PASSWD = (
    "root:x:0:0:root:/root:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    f"nonroot:x:{NONROOT_UID}:{NONROOT_UID}:nonroot:/home/nonroot:/sbin/nologin\n"
)
_GROUP = f"root:x:0:\nnobody:x:65534:\nnonroot:x:{NONROOT_UID}:\n"
_NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"


def _distroless_rootfs(debian: Path, dest: Path, packages: tuple[str, ...]) -> None:
    """distroless/static (CA bundle, tzdata, passwd, /tmp) or /cc (plus glibc and friends)."""
    for pkg in ("tzdata", "netbase", *packages):
        for rel in _package_files(debian, pkg):
            _copy_rel(debian, dest, rel)
    for rel in ("etc/ssl/certs/ca-certificates.crt", "etc/os-release", "usr/lib/os-release"):
        _copy_rel(debian, dest, rel)
    if packages:  # glibc's loader is reached through the usrmerge links /lib and /lib64
        for link in ("lib", "lib64"):
            if (debian / link).is_symlink() and not (dest / link).is_symlink():
                (dest / link).symlink_to((debian / link).readlink())
    etc = dest / "etc"
    etc.mkdir(exist_ok=True)
    (etc / "passwd").write_text(_PASSWD)
    (etc / "group").write_text(_GROUP)
    (etc / "nsswitch.conf").write_text(_NSSWITCH)
    (dest / "tmp").mkdir(mode=0o1777)
    (dest / "tmp").chmod(0o1777)
    for home, uid in (("root", 0), ("home/nonroot", NONROOT_UID)):
        (dest / home).mkdir(parents=True, mode=0o700)
        shutil.chown(dest / home, uid, uid)


def _package_files(root: Path, package: str) -> list[str]:
    info = root / "var/lib/dpkg/info"
    for name in (f"{package}:amd64.list", f"{package}.list"):
        if (info / name).exists():
            rels = (line.strip().lstrip("/") for line in (info / name).read_text().splitlines())
            return [r for r in rels if r and not r.startswith(("usr/share/doc", "usr/share/man",
                                                               "usr/share/lintian", "usr/share/locale"))]
    return []


def _copy_rel(src_root: Path, dest_root: Path, rel: str) -> None:
    # dpkg still lists /lib/... for files that live in /usr/lib behind the usrmerge link.
    top, _, below = rel.partition("/")
    if below and (src_root / top).is_symlink():
        rel = f"{(src_root / top).readlink()}/{below}"
    src = src_root / rel
    if not (src.is_symlink() or src.is_file()):
        return
    dest = dest_root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() or dest.is_symlink():
        return
    if src.is_symlink():
        dest.symlink_to(src.readlink())
    else:
        shutil.copy2(src, dest)


def _log(message: str) -> None:
    print(f"[standins {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _commit(buildah: Buildah, standin: StandIn, make: Callable[[Path], None]) -> None:
    _log(f"making {standin.names[0]}")
    ctr = buildah.call("from", "scratch").strip()
    try:
        mnt = buildah.mount(ctr)
        staging = _work() / f"rootfs-{standin.key}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        make(staging)
        subprocess.run(["cp", "-a", f"{staging}/.", f"{mnt}/"], check=True)
        shutil.rmtree(staging, ignore_errors=True)
        config = ["--label", f"rustdock.standin={_stamp()}"]
        if standin.key == "builder":
            tc = host_toolchain()
            config += ["--env", "RUSTUP_HOME=/usr/local/rustup", "--env", "CARGO_HOME=/usr/local/cargo",
                       "--env", f"PATH={PATH}", "--env", f"RUST_VERSION={tc.version}", "--cmd", "bash"]
        elif standin.key == "slim":
            config += ["--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "--cmd", "bash"]
        else:
            config += ["--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "--env", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]
        if standin.user:
            config += ["--user", f"{standin.user}:{standin.user}", "--workingdir", "/home/nonroot"]
        buildah.call("config", *config, ctr)
        _log(f"committing {standin.names[0]}")
        buildah.call("commit", "--rm", "--format", "docker", ctr, standin.names[0])
        ctr = ""
        buildah.tag(standin.names[0], *standin.names[1:])
    finally:
        if ctr:
            buildah.rm(ctr)
