"""Options of the runtime image (group runtime) and of the user, healthcheck and
signals (group user). Rows keep the table's order."""

from __future__ import annotations

from collections.abc import Callable

from . import versions
from .needs_sys import for_choices
from .option_model import Choices, Option, Value
from .project import Project
from .sys_table import lacks


def _default_runtime(project: Project, chosen: Choices) -> str:
    """distroless: static for a static binary, cc for glibc; debian-slim (which installs
    libraries) when the glibc binary surely links one distroless-cc lacks (libpq5 for
    diesel's pq-sys), so the default plan is not refused by its own rule."""
    if chosen.get("libc") in {"musl", "glibc-static"}:
        return "distroless-static"
    lacking = [n for n in for_choices(project, chosen) if n.certain and n.bundled is False
               and n.row.link == "system" and not n.row.decided_by
               and lacks(n.row.apt.run, "distroless-cc", str(chosen.get("debian", "")))]
    return "debian-slim" if lacking else "distroless-cc"


def _default_uid(project: Project, chosen: Choices) -> int:
    if str(chosen.get("runtime", "")).startswith(("distroless", "chainguard")):
        return versions.DISTROLESS_NONROOT_UID
    return versions.DEFAULT_UID


def _default_init(project: Project, chosen: Choices) -> str:
    """No init when the program stops on SIGTERM; STOPSIGNAL SIGINT when it only handles
    Ctrl-C (tini would pass SIGTERM on, which it ignores); tini for a server that handles
    nothing. Every builder provides tini's static build (wizard/needs_packages.py), so
    every runtime, scratch included, can have it."""
    if project.handles_signals:
        return "none"
    if project.sigint_only:
        return "sigint"
    return "tini" if project.serves else "none"


def _asks_user(project: Project, chosen: Choices) -> bool:
    return chosen.get("user") == "nonroot"


def _asks_health(kind: str) -> Callable[[Project, Choices], bool]:
    return lambda project, chosen: chosen.get("healthcheck") in kind.split("|")


RUNTIME_OPTIONS: tuple[Option, ...] = (
    # runtime image
    Option(
        "runtime",
        "Runtime image",
        "choice",
        "runtime",
        "What the final image is made of besides your binary. Smaller means fewer CVEs "
        "to patch and faster pulls; a shell helps debugging.",
        _default_runtime,
        values=(
            Value("scratch", "scratch", "Empty: only what rustdock copies in. Needs a static "
                  "binary; no shell, no certs unless copied.", "binary + ~0.3 MB"),
            Value("distroless-static", "distroless static", "CA certs, /etc/passwd, tzdata, "
                  "/tmp; no libc, no shell. Needs a static binary.", "binary + ~2 MB"),
            Value("distroless-cc", "distroless cc", "glibc, libgcc and libssl for dynamically "
                  "linked Rust; no shell.", "binary + ~23 MB"),
            Value("chainguard-static", "Chainguard static", "Like distroless static, rebuilt "
                  "daily; only :latest is free, so it cannot be pinned.", "binary + ~1 MB"),
            Value("chainguard-glibc", "Chainguard glibc-dynamic", "glibc for dynamic binaries; "
                  "only :latest is free.", "binary + ~7 MB"),
            Value("alpine", "alpine", "musl with a shell and apk for debugging.",
                  "binary + ~8 MB"),
            Value("debian-slim", "debian slim", "A full glibc userland with a shell and apt.",
                  "binary + ~75 MB"),
        ),
        derived="distroless static for static binaries, distroless cc for glibc",
    ),
    # user, healthcheck and signals
    Option(
        "user",
        "Run as",
        "choice",
        "user",
        "Containers run as root unless told otherwise; a non-root user limits what a "
        "compromised program can do.",
        lambda p, c: "nonroot",
        values=(
            Value("nonroot", "a non-root user", "A numeric uid that exists in the image's "
                  "/etc/passwd."),
            Value("root", "root", "Only when the program must bind ports below 1024 or "
                  "write root-owned paths."),
        ),
    ),
    Option(
        "uid",
        "User id",
        "int",
        "user",
        "The numeric uid (and gid). Numeric ids work in Kubernetes' runAsNonRoot check. "
        "65532 is distroless' and Chainguard's own `nonroot`.",
        _default_uid,
        minimum=1,
        maximum=2**31 - 2,
        relevant=_asks_user,
        derived="65532 on distroless and Chainguard, else 10001",
    ),
    Option(
        "healthcheck",
        "Healthcheck",
        "choice",
        "user",
        "A HEALTHCHECK makes Docker test the running container and mark it healthy or "
        "unhealthy. Plain Docker only reports it (docker ps); Swarm replaces unhealthy "
        "containers and Compose can wait for healthy ones, while Kubernetes ignores it and "
        "uses its own probes. scratch and distroless have no curl or wget, so the check must "
        "be a program the image has.",
        lambda p, c: "none",
        values=(
            Value("none", "none", "Leave health to the orchestrator (Kubernetes probes)."),
            Value("program", "the program itself", "Runs your binary with a flag such as "
                  "--health that exits 0 when healthy. Works in every image."),
            Value("probe", "tiny probe binary", "rustdock writes a 40-line std-only HTTP "
                  "probe, builds it statically in the builder and copies it in (~400 KB)."),
            Value("wget", "busybox wget", "alpine's built-in wget; alpine only."),
            Value("curl", "curl", "Installs curl into a Debian runtime (+~5 MB)."),
        ),
    ),
    Option(
        "health_args",
        "Health flag",
        "text",
        "user",
        "The arguments that make your program check its own health and exit 0 or 1.",
        lambda p, c: "--health",
        pattern=r"[^\n\"\\]{1,200}",
        expects="arguments on one line, without quotes or backslashes",
        relevant=_asks_health("program"),
    ),
    Option(
        "health_path",
        "Health URL path",
        "text",
        "user",
        "The HTTP path the healthcheck requests on the container's own port.",
        lambda p, c: "/health",
        pattern=r"/[A-Za-z0-9._~/?=&%-]{0,200}",
        expects="a URL path starting with /",
        relevant=_asks_health("probe|wget|curl"),
    ),
    Option(
        "init",
        "Signals (PID 1)",
        "choice",
        "user",
        "Your program runs as PID 1, which ignores SIGTERM unless it installs a handler: "
        "`docker stop` then waits 10 s and kills it.",
        _default_init,
        values=(
            Value("none", "the program handles them", "Right when the program listens for "
                  "SIGTERM (tokio::signal, signal-hook) or its framework does (actix-web, "
                  "Rocket)."),
            Value("tini", "tini", "A tiny init that forwards signals and reaps zombies "
                  "(static build, ~1 MB; works in scratch)."),
            Value("sigint", "STOPSIGNAL SIGINT", "docker stop sends Ctrl-C's signal: right "
                  "for a program that handles only Ctrl-C (tokio's ctrl_c)."),
        ),
        derived="none when the program handles SIGTERM, sigint when it handles only "
                "Ctrl-C, tini for a server that handles neither",
    ),
)
