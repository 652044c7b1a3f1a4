"""The values the Dockerfile template reads, computed from a Plan by small pure functions.

The template only arranges lines; every decision (image names, triples, paths, packages,
users, commands) is made in the render_* modules, where it can be tested without
rendering. This one gathers them.
"""

from __future__ import annotations

import shlex
from typing import Any

from . import versions
from .meta import ANSWERS_FILE, MARKER, __version__
from .plan import Plan
from .render_commands import (
    KNOWN_HOSTS,
    builder_env,
    cache_mounts,
    cargo_build,
    chef_cook,
    chef_prepare,
    copy_out,
    cross_arms,
    exec_form,
    fetch_mounts,
    fetch_prefix,
    printf_lines,
    probe_command,
    stub_commands,
    touch_commands,
)
from .render_packages import (
    CROSS_TINI_ROOT,
    builder_packages,
    cross_tini_from_debian,
    package_manager,
    runtime_packages,
    tini_path,
)
from .render_runtime import (
    APP_USER,
    HEALTH_TIMING,
    copies_system_files,
    runs_nothing,
    ROOTFS,
    entrypoint,
    env_lines,
    extra_files,
    healthcheck,
    labels,
    passwd_lines,
    runtime_image,
    runtime_pragma,
    user_mode,
)
from .render_sources import Copy, build_inputs, manifests, outside_path_deps, sources
from .render_target import (
    LINKER_FILE,
    TARGET_FILE,
    binary_source,
    cross_targets,
    is_cross,
    needs_rustup_target,
)

#: The marker alone on its line (save recognises its own files by that exact line), then
#: the version and where the answers live.
HEADER = f"{MARKER}\n# rustdock {__version__}, from {ANSWERS_FILE}: rerun `rustdock` to change it."


def builder_image(plan: Plan) -> str:
    return versions.builder_image(plan.builder, plan.rust_version, plan.debian)


def packages_why(plan: Plan) -> str:
    """Why the builder installs packages, naming what asked for them."""
    return "What this build needs that the builder image lacks: " + ", ".join(
        builder_packages(plan)
    ) + "."


def context(plan: Plan) -> dict[str, Any]:
    """Everything Dockerfile.j2 reads."""
    project = plan.project
    return {
        "header": HEADER,
        "comments": plan.comments,
        "plan": plan,
        "bin": plan.binary,
        "builder_image": builder_image(plan),
        "runtime_image": runtime_image(plan),
        "builder_pm": package_manager(plan.builder),
        "builder_packages": builder_packages(plan),
        "runtime_pm": package_manager(plan.runtime),
        "runtime_packages": runtime_packages(plan),
        "rustup_target": needs_rustup_target(plan),
        "cross": is_cross(plan),
        "cross_targets": cross_targets(plan),
        "cross_debian": plan.builder in {"debian", "debian-slim"},
        "cross_arms": cross_arms(plan),
        "target_file": TARGET_FILE,
        "linker_file": LINKER_FILE,
        "builder_env": [f"{k}={v}" for k, v, _ in builder_env(plan)],
        "env_why": list(dict.fromkeys(why for _, _, why in builder_env(plan))),
        "packages_why": packages_why(plan),
        "runtime_packages_why": "What the program needs at run time that the image lacks.",
        "runtime_pragma": runtime_pragma(plan),
        "known_hosts_cmd": printf_lines(list(KNOWN_HOSTS), "/root/.ssh/known_hosts"),
        "stub_commands": stub_commands(plan),
        "touch_commands": touch_commands(plan),
        "copy_out": copy_out(plan),
        "chef_version": versions.CARGO_CHEF,
        "tini_version": versions.TINI,
        "tini_path": tini_path(plan),
        "cross_tini": cross_tini_from_debian(plan),
        "cross_tini_root": CROSS_TINI_ROOT,
        "root_manifests": [m for m in manifests(project) if "/" not in m],
        "member_manifests": [Copy(m) for m in manifests(project) if "/" in m],
        "build_inputs": build_inputs(project),
        "sources": sources(project),
        "outside_path_deps": outside_path_deps(project),
        "cargo_build": cargo_build(plan),
        "chef_cook": chef_cook(plan),
        "chef_prepare": chef_prepare(plan),
        "fetch_mounts": fetch_mounts(plan),
        "fetch_prefix": fetch_prefix(plan),
        "cache_mounts": cache_mounts(plan),
        "binary_source": binary_source(plan),
        "user_mode": user_mode(plan),
        "runs_nothing": runs_nothing(plan),
        "copies_system_files": copies_system_files(plan),
        "uid": plan.uid,
        "app_user": APP_USER,
        "rootfs": ROOTFS,
        "passwd": printf_lines(passwd_lines(plan)[0], f"{ROOTFS}/etc/passwd"),
        "group": printf_lines(passwd_lines(plan)[1], f"{ROOTFS}/etc/group"),
        "healthcheck": exec_form(healthcheck(plan)) if plan.healthcheck != "none" else "",
        "health_timing": HEALTH_TIMING,
        "probe_command": probe_command(plan),
        "entrypoint": exec_form(entrypoint(plan)),
        "cmd": exec_form(shlex.split(plan.args)) if plan.args.strip() else "",
        "env": env_lines(plan),
        "labels": labels(plan) if plan.labels else [],
        "extra_files": extra_files(plan),
    }
