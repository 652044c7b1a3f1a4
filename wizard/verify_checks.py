"""The judgements of `rustdock verify`: pure functions from what was seen to a verdict.

wizard/verify.py runs the image and gathers the facts (uids, seconds, tar headers,
logs); each function here turns facts into a Check that names what to change when it
fails. Kept free of any engine so every verdict is tested without one.
"""

from __future__ import annotations

import io
import re
import struct
import tarfile
from dataclasses import dataclass

PASS, FAIL, SKIP = "pass", "fail", "skip"

#: `docker stop` must end the container within this many seconds.
STOP_LIMIT = 2.0

MB = 1_000_000


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    #: What was seen ("uid 10001", "stopped in 0.3 s").
    detail: str
    #: What to change when it failed, naming the option ("" otherwise).
    fix: str = ""

    def line(self) -> str:
        text = f"{self.name}: {self.detail}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class Expect:
    """What the plan (rustdock.toml) says the running image must do."""

    #: The uid the program must run as; None when no plan says (the image's USER rules).
    uid: int | None = None
    #: The path an HTTP health request goes to on `health_port` ("" for none).
    health_path: str = ""
    health_port: int = 0
    #: Directories the program's user must be able to write, absolute or relative to the
    #: image's WORKDIR (the plan's `writable` option; empty for none).
    writable: tuple[str, ...] = ()
    #: "none" (the program handles SIGTERM), "tini" or "sigint" (STOPSIGNAL SIGINT).
    init: str = "none"
    #: The runtime choice ("scratch", "distroless-cc", ...; "" when unknown).
    runtime: str = ""
    #: Where the program is in the image ("" when unknown: the entrypoint's first word).
    binary: str = ""


# -- user -------------------------------------------------------------------------------


def user_uid(user: str) -> int | None:
    """The uid of an image's USER ("10001", "10001:10001"); None for a name, 0 for none."""
    name = user.split(":", 1)[0].strip()
    if not name:
        return 0
    return int(name) if name.isdigit() else None


def judge_user(uids: list[int], expect: Expect, image_user: str) -> Check:
    """Every process of the container runs as the planned uid, and that is not root
    unless the plan chose root."""
    if not uids:
        return Check("user", SKIP, "no process left to look at")
    seen = ", ".join(str(u) for u in sorted(set(uids)))
    return _judge_uid(set(uids), expect, image_user, f"runs as uid {seen}")


def judge_configured_user(image_user: str, expect: Expect) -> Check:
    """For a one-off command (it has exited by now): the USER the image runs as."""
    uid = user_uid(image_user)
    seen = {uid} if uid is not None else set()
    return _judge_uid(seen, expect, image_user, f"USER {image_user or 'unset'} in the image config")


def _judge_uid(seen: set[int], expect: Expect, image_user: str, detail: str) -> Check:
    wanted = expect.uid if expect.uid is not None else user_uid(image_user)
    if wanted is None or not seen:
        return Check("user", FAIL, f"{detail}: USER {image_user!r} is a name",
                     "use a numeric uid (Kubernetes' runAsNonRoot checks a number): user=nonroot, uid=N")
    if seen != {wanted}:
        root = " (root)" if 0 in seen else ""
        return Check("user", FAIL, f"{detail}{root}, rustdock.toml plans {wanted}",
                     "the Dockerfile's USER differs from rustdock.toml: write it again "
                     "(rustdock generate --write)")
    if wanted == 0:
        if expect.uid is None:
            return Check("user", FAIL, f"{detail} (root)", "set user=nonroot")
        return Check("user", PASS, f"{detail} (root), as planned: user=nonroot is safer")
    return Check("user", PASS, detail)


# -- stop -------------------------------------------------------------------------------


def judge_stop(seconds: float, expect: Expect, limit: float = STOP_LIMIT) -> Check:
    if seconds < limit:
        return Check("stop", PASS, f"stopped in {seconds:.1f} s")
    detail = f"stop took {seconds:.1f} s"
    if expect.init == "tini":
        return Check("stop", FAIL, f"{detail}: tini passed SIGTERM on, the program did not exit",
                     "handle SIGTERM in the program (tokio::signal, ctrlc, signal-hook)")
    if expect.init == "sigint":
        return Check("stop", FAIL, f"{detail}: the program ignored SIGINT (STOPSIGNAL SIGINT)",
                     "choose Signals=tini (init=tini) or handle SIGINT/SIGTERM in the program")
    return Check("stop", FAIL, f"{detail}: the program ignores SIGTERM",
                 "choose Signals=tini (init=tini) or handle SIGTERM in the program")


# -- writable -----------------------------------------------------------------------------


def judge_writable(tar: bytes | None, path: str, uid: int, gid: int) -> Check:
    """Whether uid:gid may create files in `path`, from the directory's tar header."""
    name = f"writable {path}"
    if tar is None:
        return Check(name, FAIL, f"{path} does not exist in the image",
                     f"set writable={path} so rustdock creates it for uid {uid}")
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        top = next(iter(archive), None)
    if top is None:
        return Check(name, FAIL, f"{path} is empty in the image")
    mode = top.mode
    owner = f"owner {top.uid}:{top.gid}, mode {mode & 0o7777:o}"
    if not top.isdir():
        return Check(name, FAIL, f"{path} is not a directory ({owner})", f"set writable={path}")
    allowed = uid == 0 or (top.uid == uid and mode & 0o200) or (top.gid == gid and mode & 0o020) or mode & 0o002
    if allowed:
        return Check(name, PASS, f"uid {uid} may write it ({owner})")
    return Check(name, FAIL, f"uid {uid} may not write it ({owner})",
                 f"set writable={path} so rustdock makes it belong to uid {uid}")


def tar_top_exists(tar: bytes) -> bool:
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        return next(iter(archive), None) is not None


# -- size -------------------------------------------------------------------------------


def stripped_size(elf: bytes) -> int:
    """What `strip` would leave of an ELF file: its size without the symbol table, the
    string table and debug sections (estimated from the section headers)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2:  # 64-bit only: what rustdock builds
        return len(elf)
    endian = "<" if elf[5] == 1 else ">"
    shoff, = struct.unpack_from(endian + "Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", elf, 0x3A)
    if not shoff or shoff + shnum * shentsize > len(elf):
        return len(elf)
    sections = [struct.unpack_from(endian + "IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    names_at = sections[shstrndx][4] if shstrndx < shnum else 0

    def name(offset: int) -> str:
        end = elf.find(b"\0", names_at + offset)
        return elf[names_at + offset:end].decode(errors="replace")

    removable = 0
    for sh_name, sh_type, flags, _addr, _offset, size in sections:
        section = name(sh_name)
        alloc = flags & 0x2
        if sh_type == 8:  # NOBITS (.bss) takes no room in the file
            continue
        if sh_type == 2 or section == ".strtab" or (not alloc and section.startswith((".debug", ".zdebug"))):
            removable += size
    return len(elf) - removable


def budget(runtime_size: str) -> float:
    """Bytes a runtime image adds to the binary, from the option table's size text
    ("binary + ~23 MB"); 0 when unknown."""
    found = re.search(r"~?([\d.]+)\s*MB", runtime_size)
    return float(found.group(1)) * MB if found else 0.0


def judge_size(image: int, binary: int, stripped: int, other_app: int, runtime: str,
               runtime_size: str) -> Check:
    """The image against the stripped binary: what the runtime base adds must stay near
    what that base weighs (symbols and the program's own files are reported, not judged)."""
    base = image - binary - other_app
    symbols = binary - stripped
    detail = (f"{image / MB:.1f} MB = stripped binary {stripped / MB:.1f} MB"
              + (f" + symbols {symbols / MB:.1f} MB" if symbols >= 0.05 * MB else "")
              + (f" + files in /app {other_app / MB:.1f} MB" if other_app >= 0.05 * MB else "")
              + f" + {runtime or 'base'} {base / MB:.1f} MB")
    expected = budget(runtime_size)
    if symbols > 0.1 * binary and symbols > MB:
        detail += " (profile=size strips the symbols)"
    if expected and base > expected * 1.5 + 2 * MB:
        return Check("size", FAIL, detail + f", expected ~{expected / MB:.1f} MB for {runtime}",
                     "the image carries files the runtime base does not: look at the COPY lines")
    return Check("size", PASS, detail)


# -- what went wrong, in words ---------------------------------------------------------

#: Build-log and start-log patterns, with what to change. The first match wins.
BUILD_ADVICE = (
    (r"docker/dockerfile[:/]|frontend gateway",
     "the builder cannot fetch the Dockerfile frontend from a registry: choose frontend=builtin"),
    (r"buildx component is missing", "install the buildx plugin, or use another engine (--engine)"),
    (r"pull access denied|failed to resolve source metadata|manifest unknown|not found: manifest",
     "a base image could not be pulled: check the registry is reachable, or the image name"),
    (r"Could not find directory of OpenSSL installation|openssl-sys.*failed",
     "OpenSSL is not found at build time: choose tls=rustls or tls=openssl-vendored"),
    (r"linker `cc` not found|cannot find -l", "the builder lacks a C compiler or library: choose builder=debian"),
    (r"requires the features|required-features", "the binary needs features: set features=..."),
    (r"lock file .* needs to be updated|cannot update the lock file|--locked was passed",
     "Cargo.lock is out of date: run cargo update (or cargo build) and save it"),
)
START_ADVICE = (
    (r"GLIBC_[\d.]+' not found", "builder and runtime use different Debian releases: choose one debian= for both"),
    (r"error while loading shared libraries: (\S+)",
     "the runtime image lacks a library the program links: choose runtime=distroless-cc or debian-slim"),
    (r"exec .*no such file or directory|exec format error|not found$",
     "the program cannot be executed there: a dynamic binary in a static image? choose "
     "libc=musl or glibc-static, or runtime=distroless-cc"),
    (r"[Pp]ermission denied", "the program writes where its user may not: set writable=PATH"),
    (r"[Aa]ddress already in use", "two programs want the same port: check ports="),
)


def advice(log: str, table: tuple[tuple[str, str], ...]) -> str:
    for pattern, fix in table:
        if re.search(pattern, log, re.M):
            return fix
    return ""
