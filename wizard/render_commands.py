"""The builder's commands: cargo invocations, mounts and the cross set-up.

Pure functions of a Plan and its Needs that return the exact text of a command or
instruction part, so the template only places them and tests can check them one by one.
"""

from __future__ import annotations

import re

from .need import values
from .needs import Needs
from .plan import Plan
from .target import (
    BIN_DIR,
    LINKER_FILE,
    TARGET_FILE,
    copies_out,
    cross_links_openssl,
    cross_packages,
    is_cross,
    other_arch,
    release_dir,
    static_triple,
    target_arg,
)

#: The secret id users pass with `docker build --secret id=cargo_registry_token,...`.
SECRET_ID = "cargo_registry_token"

#: GitHub's and GitLab's published ssh host keys (docs.github.com "GitHub's SSH key
#: fingerprints", docs.gitlab.com "SSH host keys fingerprints"): pinned instead of
#: ssh-keyscan, which would trust whatever answers at build time.
KNOWN_HOSTS = (
    "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "gitlab.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAfuCHKVTjquxvt6CM6tdG4SLp1Btn/nOeHHE5UOzRdf",
)


def cargo_home(plan: Plan) -> str:
    return "/root/.cargo" if plan.builder == "muslrust" else "/usr/local/cargo"


def registry_token_var(plan: Plan) -> str:
    name = re.sub(r"[^A-Z0-9]", "_", plan.registry_name.upper())
    return f"CARGO_REGISTRIES_{name}_TOKEN"


def _cargo(plan: Plan, needs: Needs, head: str, tail: str) -> str:
    """One cargo command: --locked when there is a lock, the target, then the flags every
    build and cook shares (needs.cargo_flags), so cached and final builds match."""
    parts = [head]
    if plan.project.has_lockfile:
        parts.append("--locked")
    parts += [target_arg(plan), *values(needs.cargo_flags), tail]
    return " ".join(p for p in parts if p)


def cargo_build(plan: Plan, needs: Needs) -> str:
    """The release build command for the chosen binary."""
    return _cargo(plan, needs, "cargo build --release", f"--bin {plan.binary}")


def chef_cook(plan: Plan, needs: Needs) -> str:
    return _cargo(plan, needs, "cargo chef cook --release", "--recipe-path recipe.json")


def chef_prepare(plan: Plan) -> str:
    parts = ["cargo chef prepare --recipe-path recipe.json"]
    if plan.project.is_workspace:
        # --bin trims the recipe to what this binary needs, so unrelated members' new
        # dependencies do not invalidate the cooked layer.
        parts.append(f"--bin {plan.binary}")
    return " ".join(parts)


def fetch_mounts(plan: Plan) -> list[str]:
    """BuildKit mounts a RUN that downloads crates needs (secret token, ssh agent)."""
    mounts = []
    if plan.private_registry:
        mounts.append(f"--mount=type=secret,id={SECRET_ID}")
    if plan.private_git:
        mounts.append("--mount=type=ssh")
    return mounts


def fetch_prefix(plan: Plan) -> str:
    """Put the registry token in cargo's environment for one command, never in a layer."""
    if not plan.private_registry:
        return ""
    return f'{registry_token_var(plan)}="$(cat /run/secrets/{SECRET_ID})" '


def cache_mounts(plan: Plan) -> list[str]:
    """The registry is shared by every build on the daemon (crates are the same files);
    the target directory is the project's own (id=): a cache keyed by its path alone is
    shared with every other project built in /app, and cargo takes a binary built there
    from newer sources for fresh when this project's files are older (it compares mtimes)."""
    home = cargo_home(plan)
    return [
        f"--mount=type=cache,target={home}/registry",
        f"--mount=type=cache,target={home}/git/db",
        f"--mount=type=cache,id={target_cache_id(plan)},target=/app/target",
    ]


def target_cache_id(plan: Plan) -> str:
    """"<package>-target": BuildKit cache ids are free text; keep them to a safe alphabet."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", plan.project.name).strip("-") or "app"
    return f"{name}-target"


def cross_arms(plan: Plan) -> list[str]:
    """`case "$BUILDARCH"` arms: the cross toolchain for the other architecture."""
    arms = []
    for build_arch in ("amd64", "arm64"):
        steps = []
        if cross_links_openssl(plan):
            steps.append(f"dpkg --add-architecture {other_arch(build_arch)}")
        steps.append("set -- " + " ".join(cross_packages(plan, build_arch)))
        arms.append(f"{build_arch}) {' && '.join(steps)} ;;")
    return arms


def copy_out(plan: Plan) -> list[str]:
    if not copies_out(plan):
        return []
    return [f"mkdir -p {BIN_DIR}", f'cp "{release_dir(plan)}/{plan.binary}" {BIN_DIR}/']


def probe_command(plan: Plan) -> str:
    """rustc line that builds the static probe for the same target as the program."""
    parts = ["rustc -O -C strip=symbols -C target-feature=+crt-static"]
    if is_cross(plan):
        parts.append(f'--target "$(cat {TARGET_FILE})" -C linker="$(cat {LINKER_FILE})"')
    elif static_triple(plan):
        parts.append(f"--target {static_triple(plan)}")
    parts.append("-o /app/healthprobe .rustdock/healthprobe.rs")
    return " ".join(parts)
