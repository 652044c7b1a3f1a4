"""The trees the stand-in images are made of: debootstraps of Debian plus the host's Rust.

Pure file work (no engine): benchmarks/standins.py turns each tree into an image.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SUITE = "bookworm"
TRIPLE = "x86_64-unknown-linux-gnu"
NONROOT_UID = 65532
PATH = "/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


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


def apt_sources(etc: Path = Path("/etc/apt")) -> dict[str, str]:
    """The Debian archives this machine's apt already uses (never a hard-coded host):
    {"main": uri, "security": uri or ""}."""
    found = {"main": "", "security": ""}
    for uri, suites in _apt_sources(etc):
        if any(s == f"{SUITE}-security" for s in suites) and not found["security"]:
            found["security"] = uri
        elif any(s in {SUITE, "stable"} for s in suites) and "security" not in uri and not found["main"]:
            found["main"] = uri
    if not found["main"]:
        raise NotOffline(f"no Debian {SUITE} mirror in {etc}/sources.list*: stand-ins cannot be made")
    return found


def apt_mirror(etc: Path = Path("/etc/apt")) -> str:
    return apt_sources(etc)["main"]


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


def debian_sources(sources: Mapping[str, str]) -> str:
    """/etc/apt/sources.list.d/debian.sources as the official Debian images ship it
    (release, updates, security), on this machine's mirrors: `apt-get install` in a build
    works as it does on the real image."""
    text = (f"Types: deb\nURIs: {sources['main']}\nSuites: {SUITE} {SUITE}-updates\n"
            "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    if sources.get("security"):
        text += (f"\nTypes: deb\nURIs: {sources['security']}\nSuites: {SUITE}-security\n"
                 "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    return text


# -- debootstrap -------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[standins {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Tree:
    """A debootstrap the stand-ins are cut from."""

    #: What it includes beyond minbase.
    packages: tuple[str, ...]
    #: Configured like Debian's slim images (dpkg leaves docs, man pages, locales out).
    slim: bool = False


def bootstrap(work: Path, debs: Path, jobs: Mapping[str, Tree]) -> dict[str, Path]:
    """Debootstrap one tree per job, two at a time."""
    sources = apt_sources()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_debootstrap, work / name, tree, sources, debs)
                   for name, tree in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def _debootstrap(target: Path, tree: Tree, sources: Mapping[str, str], debs: Path) -> Path:
    include = tree.packages
    shutil.rmtree(target, ignore_errors=True)
    debs.mkdir(parents=True, exist_ok=True)
    cmd = ["debootstrap", "--variant=minbase", f"--cache-dir={debs}"]
    if include:
        cmd.append("--include=" + ",".join(include))
    log(f"debootstrap {target.name} from {sources['main']}")
    proc = subprocess.run([*cmd, SUITE, str(target), sources["main"]], capture_output=True, text=True)
    if proc.returncode != 0:
        log_file = target / "debootstrap" / "debootstrap.log"
        detail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else proc.stderr[-2000:]
        raise RuntimeError(f"debootstrap of {target.name} from {sources['main']} failed:\n{detail}")
    trust_local_cas(target)
    docker_config(target, tree.slim)
    (target / "etc/apt/sources.list").unlink(missing_ok=True)
    (target / "etc/apt/sources.list.d").mkdir(parents=True, exist_ok=True)
    (target / "etc/apt/sources.list.d/debian.sources").write_text(debian_sources(sources))
    _slim_down(target)
    return target


#: What the official Debian images add to apt's and dpkg's configuration (debuerreotype):
#: apt keeps no downloaded .deb and no package cache in a layer, fetches no translations.
_APT_CONF = {
    "docker-clean": (
        'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n'
        'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'),
    "docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
    "docker-no-languages": 'Acquire::Languages "none";\n',
    "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
}
#: The slim images' dpkg exclusions: documentation, man pages and translations never land.
_DPKG_SLIM = "".join(f"{rule}\n" for rule in (
    "path-exclude /usr/share/doc/*", "path-include /usr/share/doc/*/copyright",
    "path-exclude /usr/share/groff/*", "path-exclude /usr/share/info/*",
    "path-exclude /usr/share/linda/*", "path-exclude /usr/share/lintian/overrides/*",
    "path-exclude /usr/share/locale/*", "path-exclude /usr/share/man/*"))


def docker_config(root: Path, slim: bool) -> None:
    """apt and dpkg configured as in the official images, so a build's `apt-get install`
    leaves the same layer behind (without it, every downloaded .deb stayed: +80 MB)."""
    apt = root / "etc/apt/apt.conf.d"
    apt.mkdir(parents=True, exist_ok=True)
    for name, text in _APT_CONF.items():
        (apt / name).write_text(text)
    dpkg = root / "etc/dpkg/dpkg.cfg.d"
    dpkg.mkdir(parents=True, exist_ok=True)
    (dpkg / "docker-apt-speedup").write_text("force-unsafe-io\n")
    if slim:
        (dpkg / "docker").write_text(_DPKG_SLIM)


#: Where this machine keeps the CA certificates it trusts beyond Debian's own.
LOCAL_CAS = Path("/usr/local/share/ca-certificates")


def local_cas() -> list[Path]:
    return sorted(p for p in LOCAL_CAS.rglob("*.crt") if p.is_file()) if LOCAL_CAS.is_dir() else []


def trust_local_cas(root: Path) -> None:
    """The stand-ins trust what this machine trusts. Here a TLS-inspecting proxy stands
    between the builds and crates.io and signs with a CA the host has added; without it
    every `cargo` download in a build fails ("self-signed certificate in certificate
    chain"). The certificates also go where a later `apt-get install ca-certificates`
    picks them up again."""
    cas = local_cas()
    if not cas:
        return
    dest = root / "usr/local/share/ca-certificates"
    dest.mkdir(parents=True, exist_ok=True)
    for ca in cas:
        shutil.copy2(ca, dest / ca.name)
    if (root / "usr/sbin/update-ca-certificates").exists():
        subprocess.run(["chroot", str(root), "update-ca-certificates"], check=True, capture_output=True)


def _slim_down(root: Path) -> None:
    """What Debian's own images leave out: apt lists, .debs, docs, man pages, locales."""
    for rel in ("var/lib/apt/lists", "var/cache/apt/archives", "usr/share/doc", "usr/share/man",
                "usr/share/info", "usr/share/locale", "var/log", "debootstrap"):
        path = root / rel
        if path.exists():
            shutil.rmtree(path)
            if rel.startswith("var/"):
                path.mkdir(parents=True)
    (root / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    for bin_cache in (root / "var/cache/apt").glob("*.bin"):
        bin_cache.unlink()


def move(src: Path, dest: Path) -> None:
    if dest.exists():
        dest.rmdir()
    src.rename(dest)


def installed_packages(root: Path) -> frozenset[str]:
    """Package names dpkg lists as installed in a tree."""
    status = (root / "var/lib/dpkg/status").read_text(errors="replace")
    found = set()
    for stanza in status.split("\n\n"):
        name = re.search(r"^Package: (\S+)", stanza, re.M)
        if name and re.search(r"^Status: .* installed$", stanza, re.M):
            found.add(name.group(1))
    return frozenset(found)


# -- the builder -------------------------------------------------------------------------


def builder_rootfs(base: Path, dest: Path) -> None:
    """A Debian tree plus the host toolchain, laid out like the official rust image."""
    move(base, dest)
    tc = host_toolchain()
    home = dest / "usr/local/rustup/toolchains" / f"{tc.version}-{TRIPLE}"
    (home / "bin").mkdir(parents=True)
    for tool in ("cargo", "rustc", "rustdoc"):
        shutil.copy2(tc.sysroot / "bin" / tool, home / "bin" / tool)
    shutil.copytree(tc.sysroot / "lib", home / "lib", symlinks=True,
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

# -- distroless ----------------------------------------------------------------------------

#: What distroless/cc adds to distroless/static (its Debian packages, minus docs).
CC_PACKAGES = ("libc6", "libgcc-s1", "libssl3", "libstdc++6", "libgomp1")

_PASSWD = (
    "root:x:0:0:root:/root:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    f"nonroot:x:{NONROOT_UID}:{NONROOT_UID}:nonroot:/home/nonroot:/sbin/nologin\n"
)
_GROUP = f"root:x:0:\nnobody:x:65534:\nnonroot:x:{NONROOT_UID}:\n"
_NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"


def distroless_rootfs(debian: Path, dest: Path, packages: tuple[str, ...]) -> None:
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
