"""The values the Dockerfile template reads, from a Plan and its Needs.

The template only arranges lines; every decision is made either in the needs step (what
the build and the image need) or in the render_* modules (how to write it), where it can
be tested without rendering. This module calls each of them once and goes no further:
no render_* helper calls another.
"""

from __future__ import annotations

import shlex
import textwrap
from typing import Any

from . import versions
from .frontend import syntax_line
from .meta import HEADER
from .need import Need, values
from .needs_net import config_notes
from .needs_runtime import ENV_OPTION
from .needs import Needs
from .plan import Plan
from .quoting import exec_form, printf_lines
from .render_commands import (
    KNOWN_HOSTS,
    cache_mounts,
    cargo_build,
    chef_cook,
    chef_prepare,
    copy_out,
    cross_arms,
    fetch_mounts,
    fetch_prefix,
    probe_command,
)
from .render_runtime import (
    APP_USER,
    CROSS_TINI_ROOT,
    EMPTY_DIR,
    HEALTH_TIMING,
    ROOTFS,
    cross_tini_from_debian,
    entrypoint,
    healthcheck,
    labels,
    package_manager,
    passwd_lines,
    program_dir,
    runtime_image,
    runtime_pragma,
    tini_path,
    user_mode,
    writable_dirs,
)
from .render_stubs import stub_commands, touch_commands
from .runtime_stage import copies_system_files, runs_nothing
from .target import (
    LINKER_FILE,
    TARGET_FILE,
    binary_source,
    cross_targets,
    is_cross,
    needs_rustup_target,
)

__all__ = ["HEADER", "context"]


def builder_image(plan: Plan) -> str:
    return versions.builder_image(plan.builder, plan.rust_version, plan.debian)


def context(plan: Plan, needs: Needs) -> dict[str, Any]:
    """Everything Dockerfile.j2 reads."""
    project = plan.project
    build = fetch_prefix(plan) + cargo_build(plan, needs)
    passwd, group = passwd_lines(plan)
    workdir_writable, writable_paths = writable_dirs(values(needs.writable))
    return {
        "syntax_line": syntax_line(plan),
        "header": HEADER,
        "comments": plan.comments,
        "plan": plan,
        "bin": plan.binary,
        "builder_image": builder_image(plan),
        "runtime_image": runtime_image(plan),
        "builder_pm": package_manager(plan.builder),
        "builder_packages": values(needs.builder_packages),
        "runtime_pm": package_manager(plan.runtime),
        "runtime_packages": values(needs.runtime_packages),
        "rustup_target": needs_rustup_target(plan),
        "cross": is_cross(plan),
        "cross_targets": cross_targets(plan),
        "cross_debian": plan.builder in {"debian", "debian-slim"},
        "cross_arms": cross_arms(plan),
        "target_file": TARGET_FILE,
        "linker_file": LINKER_FILE,
        "builder_env": values(needs.build_env),
        "env_why": list(dict.fromkeys(n.reason for n in needs.build_env)),
        "builder_needs": needs.builder_packages,
        "runtime_needs": needs.runtime_packages,
        "runtime_pragma": runtime_pragma(plan),
        "known_hosts_cmd": printf_lines(list(KNOWN_HOSTS), "/root/.ssh/known_hosts"),
        "stub_commands": stub_commands(project, build),
        "touch_commands": touch_commands(project),
        "copy_out": copy_out(plan),
        "chef_version": versions.CARGO_CHEF,
        "tini_version": versions.TINI,
        "tini_path": tini_path(plan),
        "cross_tini": cross_tini_from_debian(plan),
        "cross_tini_root": CROSS_TINI_ROOT,
        "root_manifests": [n.value for n in needs.manifests if "/" not in n.value],
        "member_manifests": [n for n in needs.manifests if "/" in n.value],
        "build_inputs": needs.build_inputs,
        "sources": needs.sources,
        "outside_path_deps": values(needs.outside_context),
        "cargo_build": cargo_build(plan, needs),
        "chef_cook": chef_cook(plan, needs),
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
        "passwd": printf_lines(passwd, f"{ROOTFS}/etc/passwd"),
        "group": printf_lines(group, f"{ROOTFS}/etc/group"),
        "healthcheck": exec_form(healthcheck(plan)) if plan.healthcheck != "none" else "",
        "health_timing": HEALTH_TIMING,
        "probe_command": probe_command(plan),
        "entrypoint": exec_form(entrypoint(plan)),
        "cmd": exec_form(shlex.split(plan.args)) if plan.args.strip() else "",
        "env": values(needs.env),
        "runtime_env_why": list(dict.fromkeys(n.reason for n in needs.env if n.reason != ENV_OPTION)),
        "labels": labels(plan) if plan.labels else [],
        "extra_files": [(n.path, n.dest.rstrip("/") or n.path) for n in needs.runtime_files],
        "runtime_files": [Need(n.dest or n.value, n.reason if n.dest in {"", n.value}
                               else f"{n.reason}; from {n.value}") for n in needs.runtime_files],
        "config_copies": [(*n.value.split(" ", 1), n.reason) for n in needs.config_files],
        "config_notes": [_comment(note) for note in config_notes(plan)],
        "ports": values(needs.ports),
        "writable_needs": needs.writable,
        "workdir_writable": workdir_writable,
        "writable_paths": writable_paths,
        "empty_dir": EMPTY_DIR,
        "program_dir": program_dir(plan),
        "volumes": exec_form([n.path for n in needs.writable]) if plan.volume and needs.writable else "",
        "args": needs.build_args,
    }


def _comment(text: str) -> str:
    """A comment written whatever `comments` says: where to mount the config, what the
    program cannot start without (the user needs it to run the image at all)."""
    return "\n".join(textwrap.wrap(text, 86, initial_indent="# ", subsequent_indent="# "))
