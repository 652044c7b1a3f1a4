"""The runtime stage: its image, user, healthcheck, entrypoint, labels and tini.

Pure functions of a Plan; each only uses what the chosen runtime image has.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from . import versions
from .needs import needs
from .needs_runtime import WORKDIR
from .plan import Plan
from .quoting import quote
from .runtime_stage import SHELL_RUNTIMES, runs_nothing
from .target import is_cross

APP_USER = "app"

#: Files the runtime image receives from the builder's /rootfs (passwd and group).
ROOTFS = "/rootfs"

HEALTH_TIMING = "--interval=30s --timeout=3s --start-period=10s --retries=3"

#: An empty directory made in the builder: copied with --chown, it becomes a directory the
#: program's user owns, in images that have no shell to run mkdir and chown (scratch,
#: distroless), and the same way everywhere else. In a folder of its own, not at /:
#: BuildKit checksums what COPY --from takes by walking the folder that holds it, and at /
#: that is the whole builder image, again after every build (0.6-0.9 s of each rebuild,
#: measured on notes).
EMPTY_DIR = "/rustdock/empty"
#: Where the program goes when its working directory is writable: a user who owns /app
#: could replace a binary kept there, so it moves to a root-owned directory.
SAFE_BIN_DIR = "/usr/local/bin"


def writable_dirs(needs_writable: Iterable[str]) -> tuple[bool, list[str]]:
    """(the working directory itself is writable, the other writable directories)."""
    paths = [p.rstrip("/") for p in needs_writable]
    return WORKDIR in paths, [p for p in paths if p != WORKDIR]


def program_dir(plan: Plan) -> str:
    """The directory of the binary (and the health probe) in the image."""
    workdir, _ = writable_dirs(n.value for n in needs(plan).writable)
    return SAFE_BIN_DIR if workdir else WORKDIR


def user_mode(plan: Plan) -> str:
    """How the runtime gets its user: "root", "builtin" (the image's own nonroot),
    "passwd" (files written in the builder), "alpine" or "debian" (their own tools)."""
    if plan.user != "nonroot":
        return "root"
    if plan.runtime in SHELL_RUNTIMES:
        if runs_nothing(plan):
            return "passwd"
        return "alpine" if plan.runtime == "alpine" else "debian"
    if plan.runtime != "scratch" and plan.uid == versions.DISTROLESS_NONROOT_UID:
        return "builtin"
    return "passwd"


def passwd_lines(plan: Plan) -> tuple[list[str], list[str]]:
    """/etc/passwd and /etc/group for images without a shell to run adduser."""
    uid = plan.uid
    users = ["root:x:0:0:root:/root:/sbin/nologin"]
    groups = ["root:x:0:"]
    if plan.runtime in SHELL_RUNTIMES:
        # Replaces the image's own file: root keeps a shell for `docker exec` debugging.
        users = ["root:x:0:0:root:/root:/bin/sh",
                 "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin"]
        groups += ["nogroup:x:65534:"]
    elif plan.runtime != "scratch":
        # Replaces distroless'/Chainguard's own file: keep the accounts it had.
        nonroot = versions.DISTROLESS_NONROOT_UID
        users += [f"nonroot:x:{nonroot}:{nonroot}:nonroot:/home/nonroot:/sbin/nologin",
                  "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin"]
        groups += [f"nonroot:x:{nonroot}:", "nobody:x:65534:"]
    users.append(f"{APP_USER}:x:{uid}:{uid}::/nonexistent:/sbin/nologin")
    groups.append(f"{APP_USER}:x:{uid}:")
    return users, groups


def entrypoint(plan: Plan) -> list[str]:
    program = f"{program_dir(plan)}/{plan.binary}"
    return ["/tini", "--", program] if plan.init == "tini" else [program]


def healthcheck(plan: Plan) -> list[str]:
    """The HEALTHCHECK command, using only what the runtime image has."""
    url = f"http://127.0.0.1:{plan.port}{plan.health_path}"
    kind = plan.healthcheck
    if kind == "program":
        return [f"{program_dir(plan)}/{plan.binary}", *shlex.split(plan.health_args)]
    if kind == "probe":
        return [f"{program_dir(plan)}/healthprobe", f"127.0.0.1:{plan.port}", plan.health_path]
    if kind == "wget":
        return ["wget", "-q", "-O", "/dev/null", url]
    if kind == "curl":
        return ["curl", "-fsS", "-o", "/dev/null", url]
    return []


def labels(plan: Plan) -> list[str]:
    project = plan.project
    values = [
        ("title", plan.binary),
        ("description", project.description),
        ("version", project.version),
        ("licenses", project.license),
        ("source", project.repository),
        ("authors", ", ".join(project.authors)),
    ]
    return [f"org.opencontainers.image.{k}={quote(v)}" for k, v in values if v.strip()]


def runtime_image(plan: Plan) -> str:
    return versions.runtime_image(plan.runtime, plan.debian)


def runtime_pragma(plan: Plan) -> tuple[str, str]:
    """(hadolint rule, why) for runtime images that publish no version tag to pin."""
    image = runtime_image(plan)
    if image.endswith(":latest"):
        return ("DL3007", "Chainguard publishes only :latest for free; pin a digest "
                "(@sha256:...) for reproducible builds.")
    if image != "scratch" and ":" not in image.rsplit("/", 1)[-1]:
        return ("DL3006", "distroless publishes no version tags, only latest, nonroot and "
                "debug; pin a digest (@sha256:...) for reproducible builds.")
    return ("", "")


def package_manager(image_family: str) -> str:
    """"apk" for alpine images, "apt" for Debian and Ubuntu ones, "" for none."""
    if image_family == "alpine":
        return "apk"
    if image_family in {"debian", "debian-slim", "muslrust"}:
        return "apt"
    return ""


#: Where a cross build unpacks the target architecture's tini package.
CROSS_TINI_ROOT = "/tmp/tini"


def cross_tini_from_debian(plan: Plan) -> bool:
    """Cross builds on Debian take tini from the target architecture's .deb (unpacked,
    never run), so the image gets a tini for its own CPU."""
    return plan.init == "tini" and is_cross(plan) and plan.builder in {"debian", "debian-slim"}


def tini_path(plan: Plan) -> str:
    """Where the builder has the static tini the runtime image copies."""
    if cross_tini_from_debian(plan):
        return CROSS_TINI_ROOT + "/usr/bin/tini-static"
    return "/sbin/tini-static" if plan.builder == "alpine" else "/usr/bin/tini-static"
