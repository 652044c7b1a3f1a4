"""Rules about the running container: runtime image, user, healthcheck, signals, tzdata."""

from __future__ import annotations

from .need import values
from .needs import needs
from .plan import Plan
from .rules_base import (
    NO_LIBC_RUNTIMES,
    NONROOT_RUNTIMES,
    SUGGESTED_PORT,
    Findings,
    error,
    has_zoneinfo,
    tip,
    warning,
)
from .runtime_stage import runs_nothing
from .versions import DEFAULT_UID, DISTROLESS_NONROOT_UID

#: The only runtime where each download tool exists.
HEALTH_TOOL_RUNTIME = {"curl": "debian-slim", "wget": "alpine"}
NOBODY_UID = 65534
#: Rootless Docker and Podman map 65536 ids into a container by default.
SUBUID_RANGE = 65536


def healthcheck_tool_missing(plan: Plan) -> Findings:
    home = HEALTH_TOOL_RUNTIME.get(plan.healthcheck)
    if home is None or plan.runtime == home:
        return ()
    return error(
        "healthcheck",
        f"healthcheck={plan.healthcheck} needs {plan.healthcheck}, which {plan.runtime} "
        f"does not have (only {home} does here).",
        "set healthcheck=probe (a tiny static probe) or healthcheck=program.",
        healthcheck="probe",
    )


def healthcheck_needs_port(plan: Plan) -> Findings:
    if plan.healthcheck not in {"probe", "wget", "curl"} or plan.port:
        return ()
    port = plan.project.port_guess or SUGGESTED_PORT
    return error(
        "ports",
        f"healthcheck={plan.healthcheck} requests http://localhost:PORT{plan.health_path}, "
        "but ports has no TCP port.",
        f"set ports to the port the program listens on (e.g. {port}).",
        ports=(str(port), *plan.ports),
    )


def healthcheck_program(plan: Plan) -> Findings:
    if plan.healthcheck != "program":
        return ()
    return tip(
        "health_args",
        f"the HEALTHCHECK runs `{plan.binary} {plan.health_args}`: your program must "
        "implement it and exit 0 when healthy, 1 when not.",
        "add that flag to the program, or choose healthcheck=probe.",
    )


def server_without_healthcheck(plan: Plan) -> Findings:
    if plan.healthcheck != "none" or not plan.project.frameworks or not plan.port:
        return ()
    return tip(
        "healthcheck",
        "without a HEALTHCHECK, plain Docker cannot tell a hung server from a healthy one.",
        "set healthcheck=probe, unless Kubernetes probes do this job.",
        healthcheck="probe",
    )


def server_without_port(plan: Plan) -> Findings:
    if plan.port or not plan.project.frameworks:
        return ()
    return tip(
        "ports",
        f"the project uses {plan.project.frameworks[0]} but ports is empty: no EXPOSE line "
        "documents where it listens.",
        f"set ports (e.g. {SUGGESTED_PORT}).",
        ports=(str(SUGGESTED_PORT), *plan.ports),
    )


def missing_tzdata(plan: Plan) -> Findings:
    if not plan.project.uses_timezones or plan.tzdata or has_zoneinfo(plan):
        return ()
    return warning(
        "tzdata",
        f"the program looks up time zones, but {plan.runtime} has no /usr/share/zoneinfo: "
        "lookups fail or fall back to UTC.",
        "set tzdata=true.",
        tzdata=True,
    )


def root_user(plan: Plan) -> Findings:
    if plan.user != "root":
        return ()
    return warning(
        "user",
        "the program runs as root: a compromise of it owns the whole container.",
        "set user=nonroot (ports below 1024 can be mapped with -p 80:8080).",
        user="nonroot",
    )


def privileged_port(plan: Plan) -> Findings:
    low = [spec for spec in plan.ports if int(spec.split("/")[0]) < 1024]
    if plan.user != "nonroot" or not low:
        return ()
    number = int(low[0].split("/")[0])
    moved = tuple(str(SUGGESTED_PORT) if spec == low[0] else spec for spec in plan.ports)
    return warning(
        "ports",
        f"a non-root user cannot bind port {number} without CAP_NET_BIND_SERVICE.",
        f"listen on {SUGGESTED_PORT} and map it: docker run -p {number}:{SUGGESTED_PORT}.",
        **({"ports": moved} if str(SUGGESTED_PORT) not in plan.ports else {}),
    )


def uid_system_range(plan: Plan) -> Findings:
    if plan.user != "nonroot" or plan.uid >= 1000:
        return ()
    return warning(
        "uid",
        f"uid {plan.uid} is in the system range, where images keep their own accounts "
        "(daemon, mail, nobody...): files they own become yours.",
        f"use a uid of 1000 or more, e.g. {DEFAULT_UID}.",
        uid=DEFAULT_UID,
    )


def uid_nobody(plan: Plan) -> Findings:
    if plan.user != "nonroot" or plan.uid != NOBODY_UID:
        return ()
    return warning(
        "uid",
        f"uid {NOBODY_UID} is `nobody`, shared by unrelated processes and NFS squashing.",
        f"use a uid of its own, e.g. {DEFAULT_UID}.",
        uid=DEFAULT_UID,
    )


def uid_beyond_subuid(plan: Plan) -> Findings:
    if plan.user != "nonroot" or plan.uid < SUBUID_RANGE:
        return ()
    return warning(
        "uid",
        f"uid {plan.uid} is above 65535: rootless Docker and Podman map only 65536 ids "
        "and fail with \"insufficient UIDs\".",
        f"use a uid below 65536, e.g. {DEFAULT_UID}.",
        uid=DEFAULT_UID,
    )


def distroless_nonroot_uid(plan: Plan) -> Findings:
    if (
        plan.user != "nonroot"
        or plan.runtime not in NONROOT_RUNTIMES
        or plan.uid == DISTROLESS_NONROOT_UID
    ):
        return ()
    return tip(
        "uid",
        f"{plan.runtime} already has the user `nonroot` ({DISTROLESS_NONROOT_UID}); for uid "
        f"{plan.uid} the Dockerfile writes its own /etc/passwd and /etc/group into the image "
        "(nonroot and nobody kept, a user `app` added).",
        f"uid={DISTROLESS_NONROOT_UID} uses the image's own user and files as they are, one "
        "build step less.",
        uid=DISTROLESS_NONROOT_UID,
    )


def chainguard_unpinned(plan: Plan) -> Findings:
    if not plan.runtime.startswith("chainguard"):
        return ()
    return tip(
        "runtime",
        "Chainguard's free images are only :latest, so the runtime changes under you "
        "between builds.",
        "pin it by digest (@sha256:...) after a build, or use distroless.",
        runtime=plan.runtime.replace("chainguard", "distroless").replace("glibc", "cc"),
    )


#: [profile.release] keys that show the project already trims its binary.
_TRIMMED = {"strip": {"true", '"symbols"', '"debuginfo"'}, "opt-level": {'"z"', '"s"'}}


def _profile_trimmed(plan: Plan) -> bool:
    return any(value in _TRIMMED.get(key, ()) for key, value in plan.project.release_profile)


def scratch_keeps_profile(plan: Plan) -> Findings:
    if plan.profile != "keep" or plan.runtime not in NO_LIBC_RUNTIMES or _profile_trimmed(plan):
        return ()
    return tip(
        "profile",
        f"in {plan.runtime} your binary is almost the whole image, and the default release "
        "profile keeps symbols and unused code.",
        "profile=size often halves the binary.",
        profile="size",
    )


def size_profile_aborts(plan: Plan) -> Findings:
    # A trade-off the size profile makes on purpose (the "smallest" preset picks it), so
    # a tip that explains it rather than a warning against the user's own choice.
    # Code that catches unwinds keeps panic = "unwind" (the patch says so): no abort.
    if plan.profile != "size" or not plan.project.frameworks or plan.project.build.catch_unwind:
        return ()
    return tip(
        "profile",
        "profile=size sets panic=abort: one panicking request handler takes the whole "
        f"{plan.project.frameworks[0]} server down instead of one request.",
        "profile=speed keeps unwinding (or accept it and let the orchestrator restart).",
        profile="speed",
    )


def runtime_needs_emulation(plan: Plan) -> Findings:
    """Multi-arch builds never RUN in the runtime stage (it would run under QEMU); what
    cannot be copied from the builder (libssl3, curl) has no place there."""
    if not runs_nothing(plan):
        return ()
    packages = values(needs(plan).runtime_packages)
    if not packages:
        return ()
    fix: dict[str, str] = {}
    hows = []
    if "curl" in packages:
        fix["healthcheck"] = "probe"
        hows.append("set healthcheck=probe (a static probe built in the builder)")
    if set(packages) - {"curl"}:
        fix["runtime"] = "distroless-cc"
        hows.append("set runtime=distroless-cc, which ships glibc and libssl3")
    how = " and ".join(hows)
    return error(
        next(iter(fix)),
        f"platforms={plan.platforms} with runtime={plan.runtime} would install "
        f"{', '.join(packages)} in the runtime stage, which runs under QEMU emulation for "
        "the other architecture (slow, and often absent on CI runners).",
        f"{how}, or platforms=amd64.",
        **fix,
    )
