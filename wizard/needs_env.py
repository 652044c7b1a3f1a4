"""The builder's environment and the flags every cargo command passes, with reasons.

Pure functions of a Plan. Never a secret: tokens reach cargo through BuildKit secret
mounts for one command (render_commands.fetch_prefix), never through ENV.
"""

from __future__ import annotations

from . import needs_features, needs_syslibs
from .need import Need, Needs_
from .plan import Plan
from .quoting import quote
from .target import cross_links_openssl, cross_targets, is_cross, pkg_config_dir

_CROSS = "Linker and C compiler for each target triple."
_PKG_CROSS = "openssl-sys finds the target's OpenSSL through pkg-config."


def _env(name: str, value: str, why: str) -> Need:
    return Need(f"{name}={value}", why)


def build_env(plan: Plan) -> Needs_:
    """Every ENV the builder needs, in the order the Dockerfile sets them."""
    env: list[Need] = []
    if plan.libc == "glibc-static":
        env.append(_env("RUSTFLAGS", quote("-C target-feature=+crt-static"),
                        "Static glibc; with --target it reaches the program only, not build scripts."))
    if plan.builder == "alpine" and plan.tls == "openssl-system":
        env.append(_env("OPENSSL_STATIC", "1", "Link Alpine's static OpenSSL into the binary."))
    if is_cross(plan):
        for target in cross_targets(plan):
            env.append(_env(f"CARGO_TARGET_{target.env_suffix}_LINKER", target.linker, _CROSS))
            if target.cc != "cc":
                env.append(_env(f"CC_{target.triple.replace('-', '_')}", target.cc, _CROSS))
    if cross_links_openssl(plan):
        env.append(_env("PKG_CONFIG_ALLOW_CROSS", "1", _PKG_CROSS))
        for target in cross_targets(plan):
            env.append(_env(f"PKG_CONFIG_LIBDIR_{target.triple.replace('-', '_')}",
                            pkg_config_dir(target.arch), _PKG_CROSS))
    if any(d.strip("/").split("/")[-1] == ".sqlx" for d in plan.project.extra_dirs):
        env.append(_env("SQLX_OFFLINE", "true",
                        "sqlx checks queries against .sqlx, not a live database."))
    if plan.private_git:
        env.append(_env("CARGO_NET_GIT_FETCH_WITH_CLI", "true",
                        "git itself fetches private repositories, through the ssh agent mount."))
    return tuple(env) + needs_syslibs.build_env(plan)


def cargo_flags(plan: Plan) -> Needs_:
    """Flags every cargo build and cook of the binary passes, so the cached dependency
    build and the final one compile the same thing: the package, then its features."""
    flags: list[Need] = []
    binary = plan.target_binary
    if plan.project.is_workspace and binary is not None:
        flags.append(Need(f"-p {binary.package}",
                          "a workspace: build only the binary's package and what it uses"))
    return tuple(flags) + needs_features.cargo_flags(plan)
