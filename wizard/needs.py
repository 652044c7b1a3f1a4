"""Project + Plan -> Needs: what the build and the image need, each with its reason.

The step between the Plan and render. Every fact about what a build takes (packages per
stage, build environment, cargo flags, the files the build reads) and what the image
takes at run time (packages, files, writable paths, ports, environment) is decided here,
once per Plan, and carries the reason it is there, so render, the rules, the preview and
the review all read the same answer. Render reads Needs and the Plan and goes straight
down; nothing in render computes a need.

Build-side entries come from needs_packages, needs_env and needs_files; run-time ones
from needs_runtime (the place to extend for ports, env, writable data, runtime and
config files).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from . import needs_env, needs_features, needs_files, needs_packages, needs_runtime, needs_scripts
from .need import Need, Needs_
from .plan import Plan


@dataclass(frozen=True)
class Needs:
    """Everything one Plan needs. Each field is a tuple of Need, in the order render
    writes them; `values` and `reasons` read one field as plain strings."""

    #: Packages the builder installs (its own family's names, sorted).
    builder_packages: Needs_ = ()
    #: Packages the runtime stage installs (alpine and debian-slim only).
    runtime_packages: Needs_ = ()
    #: ENV of the builder, as KEY=VALUE with the value already quoted for a Dockerfile.
    build_env: Needs_ = ()
    #: Flags every cargo build and cook passes (package, features), in order.
    cargo_flags: Needs_ = ()
    #: The features the shipped package is compiled with.
    features: Needs_ = ()
    #: ARGs of the builder that stand in for what the build cannot see (git).
    build_args: Needs_ = ()
    #: The manifests cargo reads to resolve the workspace, plus the lock file.
    manifests: Needs_ = ()
    #: What the dependency build needs before the sources: cargo config, vendored crates,
    #: path dependencies that are not members.
    build_inputs: Needs_ = ()
    #: The workspace's own code and what its compilation reads.
    sources: Needs_ = ()
    #: Paths the build would need that lie outside the build context (cannot be copied).
    outside_context: Needs_ = ()
    #: Files and directories copied into the runtime image.
    runtime_files: Needs_ = ()
    #: The config file the program reads at start: "SOURCE DEST" (DEST under /app).
    config_files: Needs_ = ()
    #: Paths the program writes at run time (owned by its user in the image).
    writable: Needs_ = ()
    #: Ports the image EXPOSEs ("8080", "21116/udp").
    ports: Needs_ = ()
    #: ENV of the runtime image, as KEY=VALUE with the value already quoted.
    env: Needs_ = ()

    @property
    def build_files(self) -> Needs_:
        """Every path of the build context the builder copies."""
        return self.manifests + self.build_inputs + self.sources


#: Needs per live Plan: a Plan is frozen, so its needs never change. Keyed by id and
#: dropped when the Plan is collected (a Plan holds mappings, so it cannot be hashed).
_CACHE: dict[int, Needs] = {}


def needs(plan: Plan) -> Needs:
    """What the plan's build and image need, computed once per Plan."""
    key = id(plan)
    found = _CACHE.get(key)
    if found is None:
        found = _compute(plan)
        _CACHE[key] = found
        weakref.finalize(plan, _CACHE.pop, key, None)
    return found


def _compute(plan: Plan) -> Needs:
    files = needs_files.build_files(plan.project)
    return Needs(
        builder_packages=needs_packages.builder_packages(plan),
        runtime_packages=needs_packages.runtime_packages(plan),
        build_env=needs_env.build_env(plan),
        cargo_flags=needs_env.cargo_flags(plan),
        features=needs_features.features(plan),
        build_args=needs_scripts.build_args(plan),
        manifests=files.manifests,
        build_inputs=files.build_inputs,
        sources=files.sources + needs_scripts.sources(plan, files.build_inputs + files.sources),
        outside_context=files.outside,
        runtime_files=needs_runtime.runtime_files(plan),
        config_files=needs_runtime.config_files(plan),
        writable=needs_runtime.writable(plan),
        ports=needs_runtime.ports(plan),
        env=needs_runtime.env(plan),
    )
