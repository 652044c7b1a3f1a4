"""The builder's commands: cargo invocations, stubs, mounts, cross set-up, environment.

Pure functions of a Plan that return the exact text of a command or instruction part, so
the template only places them and tests can check them one by one.
"""

from __future__ import annotations

import json
import re
import shlex

from .plan import Plan
from .render_sources import package_flag, stub_dirs, stubs
from .render_target import (
    BIN_DIR,
    LINKER_FILE,
    TARGET_FILE,
    copies_out,
    cross_links_openssl,
    cross_packages,
    cross_targets,
    is_cross,
    other_arch,
    pkg_config_dir,
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

_BARE = re.compile(r"[A-Za-z0-9_./:,@%+=-]+")


def quote(value: str) -> str:
    """A Dockerfile ENV/LABEL value: bare when safe, else double-quoted with \\ " $ escaped
    (Docker expands $VARS inside ENV and LABEL values)."""
    value = " ".join(value.split())
    if _BARE.fullmatch(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def exec_form(words: list[str]) -> str:
    """A JSON array for exec-form ENTRYPOINT/CMD/HEALTHCHECK."""
    return json.dumps(words, ensure_ascii=False)


def printf_lines(lines: list[str], path: str) -> str:
    return "printf '%s\\n' " + " ".join(shlex.quote(line) for line in lines) + f" > {path}"


def cargo_home(plan: Plan) -> str:
    return "/root/.cargo" if plan.builder == "muslrust" else "/usr/local/cargo"


def registry_token_var(plan: Plan) -> str:
    name = re.sub(r"[^A-Z0-9]", "_", plan.registry_name.upper())
    return f"CARGO_REGISTRIES_{name}_TOKEN"


def cargo_build(plan: Plan) -> str:
    """The release build command for the chosen binary."""
    parts = ["cargo build --release"]
    if plan.project.has_lockfile:
        parts.append("--locked")
    parts += [target_arg(plan), package_flag(plan), features_flag(plan), f"--bin {plan.binary}"]
    return " ".join(p for p in parts if p)


def features_flag(plan: Plan) -> str:
    """`--features` for a binary whose [[bin]] has `required-features`: without them cargo
    refuses to build it ("target ... requires the features")."""
    binary = plan.target_binary
    if binary is None or not binary.required_features:
        return ""
    return "--features " + shlex.quote(",".join(binary.required_features))


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
    home = cargo_home(plan)
    return [
        f"--mount=type=cache,target={home}/registry",
        f"--mount=type=cache,target={home}/git/db",
        "--mount=type=cache,target=/app/target",
    ]


def builder_env(plan: Plan) -> list[tuple[str, str, str]]:
    """(name, value, why) of every ENV the builder needs. Never a secret."""
    env: list[tuple[str, str, str]] = []
    if plan.libc == "glibc-static":
        env.append(("RUSTFLAGS", quote("-C target-feature=+crt-static"),
                    "Static glibc; with --target it reaches the program only, not build scripts."))
    if plan.builder == "alpine" and plan.tls == "openssl-system":
        env.append(("OPENSSL_STATIC", "1", "Link Alpine's static OpenSSL into the binary."))
    if is_cross(plan):
        for target in cross_targets(plan):
            env.append((f"CARGO_TARGET_{target.env_suffix}_LINKER", target.linker,
                        "Linker and C compiler for each target triple."))
            if target.cc != "cc":
                env.append((f"CC_{target.triple.replace('-', '_')}", target.cc,
                            "Linker and C compiler for each target triple."))
    if cross_links_openssl(plan):
        env.append(("PKG_CONFIG_ALLOW_CROSS", "1",
                    "openssl-sys finds the target's OpenSSL through pkg-config."))
        for target in cross_targets(plan):
            env.append((f"PKG_CONFIG_LIBDIR_{target.triple.replace('-', '_')}",
                        pkg_config_dir(target.arch),
                        "openssl-sys finds the target's OpenSSL through pkg-config."))
    if any(d.strip("/").split("/")[-1] == ".sqlx" for d in plan.project.extra_dirs):
        env.append(("SQLX_OFFLINE", "true",
                    "sqlx checks queries against .sqlx, not a live database."))
    if plan.private_git:
        env.append(("CARGO_NET_GIT_FETCH_WITH_CLI", "true",
                    "git itself fetches private repositories, through the ssh agent mount."))
    return env


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


def stub_commands(plan: Plan) -> list[str]:
    """Create the stubs, build the dependencies against them, delete them."""
    project = plan.project
    found = stubs(project)
    mains = [s.path for s in found if s.kind == "main"]
    libs = [s.path for s in found if s.kind == "lib"]
    commands = []
    if stub_dirs(project):
        commands.append("mkdir -p " + " ".join(stub_dirs(project)))
    if len(mains) == 1:
        commands.append(f"printf 'fn main() {{}}\\n' > {mains[0]}")
    else:
        commands.append(
            f"for f in {' '.join(mains)}; do printf 'fn main() {{}}\\n' > \"$f\"; done"
        )
    if libs:
        commands.append("touch " + " ".join(libs))
    commands.append(fetch_prefix(plan) + cargo_build(plan))
    commands.append("rm -f " + " ".join(s.path for s in found))
    return commands


def touch_commands(plan: Plan) -> list[str]:
    paths = " ".join(s.path for s in stubs(plan.project))
    return [f'for f in {paths}; do if [ -e "$f" ]; then touch "$f"; fi; done']


def copy_out(plan: Plan) -> list[str]:
    if not copies_out(plan):
        return []
    return [f"mkdir -p {BIN_DIR}", f'cp "{release_dir(plan)}/{plan.binary}" {BIN_DIR}/']


def chef_prepare(plan: Plan) -> str:
    parts = ["cargo chef prepare --recipe-path recipe.json"]
    if plan.project.is_workspace:
        # --bin trims the recipe to what this binary needs, so unrelated members' new
        # dependencies do not invalidate the cooked layer.
        parts.append(f"--bin {plan.binary}")
    return " ".join(parts)


def chef_cook(plan: Plan) -> str:
    parts = ["cargo chef cook --release"]
    if plan.project.has_lockfile:
        parts.append("--locked")
    parts += [target_arg(plan), package_flag(plan), features_flag(plan), "--recipe-path recipe.json"]
    return " ".join(p for p in parts if p)


def probe_command(plan: Plan) -> str:
    """rustc line that builds the static probe for the same target as the program."""
    parts = ["rustc -O -C strip=symbols -C target-feature=+crt-static"]
    if is_cross(plan):
        parts.append(f'--target "$(cat {TARGET_FILE})" -C linker="$(cat {LINKER_FILE})"')
    elif static_triple(plan):
        parts.append(f"--target {static_triple(plan)}")
    parts.append("-o /app/healthprobe .rustdock/healthprobe.rs")
    return " ".join(parts)
