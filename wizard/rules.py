"""Plan -> Findings: every pitfall of KNOWLEDGE.md as a small rule with a stable id.

Errors block saving; warnings and tips explain trade-offs. Each finding names the option
and the fix, and carries `fix_choices` (the {option: value} change the wizard offers on
one key) whenever one change is enough.
"""

from __future__ import annotations

from dataclasses import replace

from . import rules_build as build
from . import rules_data as data
from . import rules_features as feat
from . import rules_net as net
from . import rules_files as files
from . import rules_project as proj
from . import rules_runtime as run
from . import rules_scripts as scr
from . import rules_syslibs as sys_
from .findings import SEVERITY_ORDER, Finding
from .plan import Plan
from .rules_base import RuleFn

#: Every rule, registered once: (stable id, function). The id is what tests, the wizard
#: and users refer to, so never rename one.
RULES: tuple[tuple[str, RuleFn], ...] = (
    # what the builder makes
    ("library-only", proj.library_only),
    ("binary-missing", proj.binary_missing),
    ("unknown-feature", feat.unknown_feature),
    ("feature-gate", feat.feature_gate),
    ("dynamic-in-static-runtime", build.dynamic_in_static_runtime),
    ("glibc-on-alpine", build.glibc_on_alpine),
    ("static-on-glibc-runtime", build.static_on_glibc_runtime),
    ("builder-cannot-target", build.builder_cannot_target),
    ("glibc-mismatch", build.glibc_mismatch),
    ("builder-cannot-cross", build.builder_cannot_cross),
    ("cross-musl-c-code", build.cross_musl_c_code),
    ("rust-older-than-msrv", build.rust_older_than_msrv),
    ("rust-older-than-edition", build.rust_older_than_edition),
    ("toolchain-file-differs", build.toolchain_file_differs),
    ("rust-image-missing", build.rust_image_missing),
    # system libraries (the crates-to-system-needs table)
    ("runtime-lacks-library", sys_.runtime_lacks_library),
    ("static-cannot-link", sys_.static_cannot_link),
    ("cross-system-library", sys_.cross_system_library),
    # what build scripts and the build need from outside the sources
    ("build-script-git", scr.build_script_git),
    ("build-script-git-how", scr.build_script_git_how),
    ("build-script-downloads", scr.build_script_downloads),
    ("git-dependencies", scr.git_dependencies),
    ("submodule-missing", scr.submodule_missing),
    # TLS and certificates
    ("openssl-musl-unlinkable", build.openssl_musl_unlinkable),
    ("openssl-without-tls", build.openssl_without_tls),
    ("openssl-added", build.openssl_added),
    ("vendored-on-glibc-runtime", build.vendored_on_glibc_runtime),
    ("libssl-missing", build.libssl_missing),
    ("rustls-but-tls-none", build.rustls_but_tls_none),
    ("no-ca-roots", build.no_ca_roots),
    ("platform-verifier", build.platform_verifier),
    ("aws-lc-build", build.aws_lc_build),
    # allocator and DNS
    ("musl-system-allocator", build.musl_system_allocator),
    ("allocator-scope-unused", build.allocator_scope_unused),
    ("jemalloc-arm64-pages", build.jemalloc_arm64_pages),
    ("static-glibc-dns", build.static_glibc_dns),
    # runtime image, user, health, signals
    ("missing-tzdata", run.missing_tzdata),
    ("healthcheck-tool-missing", run.healthcheck_tool_missing),
    ("healthcheck-needs-port", run.healthcheck_needs_port),
    ("healthcheck-program", run.healthcheck_program),
    ("server-without-healthcheck", run.server_without_healthcheck),
    ("server-without-port", run.server_without_port),
    ("root-user", run.root_user),
    ("privileged-port", run.privileged_port),
    ("uid-system-range", run.uid_system_range),
    ("uid-nobody", run.uid_nobody),
    ("uid-beyond-subuid", run.uid_beyond_subuid),
    ("distroless-nonroot-uid", run.distroless_nonroot_uid),
    ("pid1-signals", data.pid1_signals),
    ("init-misses-signal", data.init_misses_signal),
    ("writes-not-writable", data.writes_not_writable),
    ("runtime-needs-emulation", run.runtime_needs_emulation),
    ("chainguard-unpinned", run.chainguard_unpinned),
    ("scratch-keeps-profile", run.scratch_keeps_profile),
    ("size-profile-aborts", run.size_profile_aborts),
    # project files, secrets, caching, private dependencies
    ("no-lockfile", proj.no_lockfile),
    ("lock-too-old-for-rust", proj.lock_too_old_for_rust),
    ("path-dep-outside-root", proj.path_dep_outside_root),
    ("extra-file-escapes", files.extra_file_escapes),
    ("extra-file-missing", files.extra_file_missing),
    ("extra-file-secret", files.extra_file_secret),
    ("runtime-dir-not-copied", files.runtime_dir_not_copied),
    ("runtime-path-absent", files.runtime_path_absent),
    ("extra-file-embedded", files.extra_file_embedded),
    ("secret-in-env", proj.secret_in_env),
    ("env-duplicate", proj.env_duplicate),
    ("env-port-mismatch", proj.env_port_mismatch),
    ("secret-in-args", proj.secret_in_args),
    ("args-shell-syntax", proj.args_shell_syntax),
    ("binds-localhost", net.binds_localhost),
    ("config-argument", net.config_argument),
    ("loco-needs-start", proj.loco_needs_start),
    ("leptos-needs-cargo-leptos", proj.leptos_needs_cargo_leptos),
    ("chef-path-deps", proj.chef_path_deps),
    ("chef-needs-network", proj.chef_needs_network),
    ("cache-mounts-in-ci", proj.cache_mounts_in_ci),
    ("no-caching", proj.no_caching),
    ("sqlx-offline", scr.sqlx_offline),
    ("private-registry-how", proj.private_registry_how),
    ("private-git-how", proj.private_git_how),
    ("private-registry-off", proj.private_registry_off),
    ("private-git-off", proj.private_git_off),
    ("labels-without-metadata", proj.labels_without_metadata),
)

RULE_IDS: tuple[str, ...] = tuple(rule_id for rule_id, _ in RULES)


def check(plan: Plan) -> tuple[Finding, ...]:
    """Every finding for the plan, errors first (stable within a severity)."""
    found = [
        replace(finding, rule=rule_id) for rule_id, rule in RULES for finding in rule(plan)
    ]
    return tuple(sorted(found, key=lambda f: SEVERITY_ORDER[f.severity]))


def errors(plan: Plan) -> tuple[Finding, ...]:
    return tuple(f for f in check(plan) if f.is_error)
