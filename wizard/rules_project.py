"""Rules about the project and its files: binaries, lock file, path dependencies, extra
files, secrets, caching, private dependencies and metadata."""

from __future__ import annotations

import re
import shlex
from pathlib import Path, PurePosixPath

from .memo import per_project
from .plan import Plan
from .project import Project
from .rules_base import Findings, RuleFn, env_items, error, tip, version_tuple, warning
from .lock_breaks import BY_CRATE
from .versions import RUST_DEFAULT

#: Environment keys that hold credentials. AWS_REGION and friends are configuration.
SECRET_KEY = re.compile(
    # Whole words of the name: TOKENSERVER_URL names a server, GITHUB_TOKEN a secret.
    r"(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?)(_|$)|_(KEY|PWD)$|^AWS_"
)
NOT_SECRET_KEY = re.compile(r"(_FILE|_PATH|_DIR)$|^AWS_(DEFAULT_)?REGION$|^AWS_PROFILE$")
#: Values that are credentials whatever their key: known token prefixes, PEM keys and
#: URLs with a password (postgres://user:pass@host).
SECRET_VALUE = re.compile(
    r"^(ghp_|gho_|github_pat_|glpat-|xox[abp]-|sk-|AKIA[0-9A-Z]{12})|-----BEGIN|://[^/\s:@]+:[^/\s@]+@"
)
#: Command-line flags whose value is a credential.
SECRET_FLAG = re.compile(r"^--?(password|passwd|token|secret|api[-_]?key)(=|$)", re.I)
#: Files that must never be baked into an image.
SECRET_FILES = (".env", ".env.*", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*",
                ".git", ".ssh", ".aws", ".netrc", "credentials*")
#: Shell syntax that exec-form CMD passes through literally.
SHELL_SYNTAX = re.compile(r"\$|`|\|\||&&|[|;<>]")


def library_only(plan: Plan) -> Findings:
    if plan.project.binaries:
        return ()
    return error(
        "binary",
        f"{plan.project.name} has no binary target (a library only), so there is no "
        "program to put in an image.",
        "add src/main.rs or a [[bin]] target, or run rustdock in the crate that has one.",
    )


def binary_missing(plan: Plan) -> Findings:
    project = plan.project
    if not project.binaries or project.binary(plan.binary) is not None:
        return ()
    names = ", ".join(b.name for b in project.binaries)
    return error(
        "binary",
        f"the project has no binary named {plan.binary!r} (it has {names}).",
        f"set binary={project.binaries[0].name}.",
        binary=project.binaries[0].name,
    )


def lock_too_old_for_rust(plan: Plan) -> Findings:
    """Cargo.lock pins a crate version the chosen Rust no longer compiles (lock_breaks.py)."""
    chosen = version_tuple(plan.rust_version)
    broken = [(crate, version, BY_CRATE[crate]) for crate, version in plan.project.lock_breaks
              if chosen and chosen >= version_tuple(BY_CRATE[crate].rust_from)]
    if not broken:
        return ()
    crate, version, row = broken[0]
    older = ".".join(str(part) for part in _before(version_tuple(row.rust_from)))
    return error(
        "rust_version",
        f"Cargo.lock pins {crate} {version}, which Rust {row.rust_from} and later no longer "
        f"compile ({row.symptom}): the build with Rust {plan.rust_version} stops there.",
        f"run `cargo update -p {crate}` ({row.fixed_in} or later compiles) and commit "
        f"Cargo.lock; or set rust_version={older}.",
        rust_version=older,
    )


def _before(version: tuple[int, ...]) -> tuple[int, ...]:
    """The release before "1.80": 1.79."""
    return (version[0], version[1] - 1)


def no_lockfile(plan: Plan) -> Findings:
    project = plan.project
    if project.has_lockfile:
        return ()
    # Building with the crate's minimum Rust (rust-version) makes it worse: cargo still
    # resolves the newest dependencies, which often need a newer Rust than that.
    at_msrv = (
        project.rust_version_source == "rust-version"
        and version_tuple(plan.rust_version) == version_tuple(project.rust_version)
        and version_tuple(plan.rust_version) < version_tuple(RUST_DEFAULT)
    )
    older = (
        f"; with Rust {plan.rust_version} (your rust-version, the oldest you support) "
        "those newest versions may not even compile"
        if at_msrv
        else ""
    )
    return warning(
        "caching",
        "there is no Cargo.lock: builds cannot use --locked, pick whatever versions are "
        f"newest that day, and cache dependencies less well{older}.",
        "run `cargo generate-lockfile` and commit Cargo.lock"
        + (f", or set rust_version={RUST_DEFAULT}." if at_msrv else "."),
    )


def _outside(base: Path, relative: str) -> bool:
    if PurePosixPath(relative).is_absolute():
        return True
    return not (base / relative).resolve().is_relative_to(base)


@per_project
def _outside_deps(project: Project) -> tuple[str, ...]:
    # Each member lists its whole closure, and rules run on every change: each directory
    # is resolved once per project (a 60-member workspace has thousands of entries).
    base = project.root.resolve()
    deps = {dep for m in project.members for dep in m.path_deps}
    return tuple(sorted(dep for dep in deps if _outside(base, dep)))


def path_dep_outside_root(plan: Plan) -> Findings:
    outside = _outside_deps(plan.project)
    if not outside:
        return ()
    return error(
        "binary",
        f"path dependencies {', '.join(outside)} lie outside the project, and Docker "
        "cannot COPY from outside the build context.",
        "move them into the project, or make a workspace root that contains both and run "
        "rustdock there.",
    )


def is_secret_env(key: str, value: str) -> bool:
    """A KEY=VALUE that holds a credential (by its name or its value); shared with the
    Dockerfile check, which asks the same of ARG and build-stage ENV."""
    upper = key.upper()
    named = bool(SECRET_KEY.search(upper)) and not NOT_SECRET_KEY.search(upper)
    return named or bool(SECRET_VALUE.search(value))


def secret_in_env(plan: Plan) -> Findings:
    pairs = env_items(plan)
    secret = [key for key, value in pairs if is_secret_env(key, value)]
    if not secret:
        return ()
    keep = tuple(item for item, (key, _) in zip(plan.env, pairs) if key not in secret)
    return error(
        "env",
        f"{', '.join(secret)} looks like a secret: ENV and ARG values stay readable in the "
        "image and its history.",
        "remove it; pass it at run time (docker run -e) or use private_registry "
        "(a BuildKit secret mount) for build-time tokens.",
        env=keep,
    )


def env_duplicate(plan: Plan) -> Findings:
    keys = [key for key, _ in env_items(plan)]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if not twice:
        return ()
    last = {key: index for index, key in enumerate(keys)}
    keep = tuple(item for index, (item, key) in enumerate(zip(plan.env, keys)) if last[key] == index)
    return warning(
        "env",
        f"{', '.join(twice)} is set more than once; only the last value counts.",
        "keep one of them.",
        env=keep,
    )


def env_port_mismatch(plan: Plan) -> Findings:
    ports = [value.strip() for key, value in env_items(plan) if key == "PORT"]
    if not ports or not ports[-1].isdigit() or not plan.port or int(ports[-1]) == plan.port:
        return ()
    wanted = int(ports[-1])
    if not 0 < wanted <= 65535:
        return ()
    moved = tuple(str(wanted) if spec == str(plan.port) else spec for spec in plan.ports)
    return warning(
        "ports",
        f"env sets PORT={wanted} but the ports' first TCP port is {plan.port}: EXPOSE and the "
        "healthcheck point at the wrong port.",
        f"set ports={','.join(moved)}.",
        ports=moved,
    )


def _split_args(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def secret_in_args(plan: Plan) -> Findings:
    words = _split_args(plan.args)
    keep: list[str] = []
    found: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        match = SECRET_FLAG.match(word)
        if match:
            found.append(word.split("=")[0])
            skip = not match.group(2)
            continue
        keep.append(word)
    if not found:
        return ()
    return error(
        "args",
        f"{', '.join(found)} passes a secret in CMD, which anyone who pulls the image "
        "can read.",
        "remove it; pass it at run time (docker run IMAGE ... or an environment variable).",
        args=shlex.join(keep),
    )


def args_shell_syntax(plan: Plan) -> Findings:
    if not SHELL_SYNTAX.search(plan.args):
        return ()
    return warning(
        "args",
        "args run without a shell (exec form), so $VARIABLES, pipes and redirections are "
        "passed to the program literally.",
        "have the program read the environment itself (e.g. PORT) instead.",
    )


def chef_path_deps(plan: Plan) -> Findings:
    deps = {dep for m in plan.project.members for dep in m.path_deps}
    if plan.caching != "cargo-chef" or not deps:
        return ()
    return tip(
        "caching",
        f"cargo-chef cannot cache local path dependencies ({', '.join(sorted(deps))}): "
        "they are rebuilt every time.",
        "fine for small ones; caching=cache-mounts keeps them too.",
        caching="cache-mounts",
    )


def chef_needs_network(plan: Plan) -> Findings:
    if plan.caching != "cargo-chef":
        return ()
    vendored = bool(plan.project.vendor_dir)
    make = warning if vendored else tip
    why = ", but this project vendors its crates for offline builds" if vendored else ""
    return make(
        "caching",
        f"cargo-chef is installed from crates.io during the build{why}: it cannot build "
        "offline.",
        "caching=dummy-main or cache-mounts need no extra tool.",
        caching="dummy-main",
    )


def cache_mounts_in_ci(plan: Plan) -> Findings:
    if plan.caching != "cache-mounts":
        return ()
    return tip(
        "caching",
        "BuildKit cache mounts live on the build machine: fresh CI runners start empty "
        "and are not exported with --cache-to.",
        "in CI, caching=dummy-main or cargo-chef with a registry layer cache.",
        caching="dummy-main",
    )


def no_caching(plan: Plan) -> Findings:
    if plan.caching != "none":
        return ()
    return tip(
        "caching",
        "every build compiles all dependencies again, minutes for a one-line change.",
        "set caching=cache-mounts (or dummy-main).",
        caching="cache-mounts",
    )


def private_registry_how(plan: Plan) -> Findings:
    if not plan.private_registry:
        return ()
    return tip(
        "private_registry",
        f"the token for registry {plan.registry_name!r} comes from a BuildKit secret, never "
        "stored in the image.",
        "build with `docker build --secret id=cargo_registry_token,env=CARGO_REGISTRY_TOKEN .`",
    )


def private_git_how(plan: Plan) -> Findings:
    if not plan.private_git:
        return ()
    return tip(
        "private_git",
        "git dependencies are fetched over ssh with your agent's keys, which never enter "
        "the image.",
        "build with `docker build --ssh default .` (start ssh-agent and ssh-add first).",
    )


def _undeclared(option: str, needs: str) -> RuleFn:
    """A rule for a private source the project uses but the plan does not pass in."""

    def rule(plan: Plan) -> Findings:
        if not getattr(plan.project, option) or plan.choices[option]:
            return ()
        return warning(
            option,
            f"the project uses {needs} but the plan passes no credentials, so fetching "
            "them fails in the build.",
            f"set {option}=true.",
            **{option: True},
        )

    rule.__name__ = f"{option}_off"
    return rule


private_registry_off = _undeclared("private_registry", "a private registry")
private_git_off = _undeclared("private_git", "git dependencies over ssh")


def labels_without_metadata(plan: Plan) -> Findings:
    project = plan.project
    if not plan.labels or project.description or project.license or project.repository:
        return ()
    return tip(
        "labels",
        "Cargo.toml has no description, license or repository, so the OCI labels say "
        "little.",
        "add them to [package] in Cargo.toml.",
    )


def loco_needs_start(plan: Plan) -> Findings:
    """A loco app's binary is its CLI: run bare, it prints help and exits, and it reads
    config/development.yaml unless LOCO_ENV says otherwise."""
    if "loco-rs" not in plan.project.frameworks:
        return ()
    keys = {key for key, _ in env_items(plan)}
    starts = plan.args.split()[:1] == ["start"]
    if starts and "LOCO_ENV" in keys:
        return ()
    env = plan.env if "LOCO_ENV" in keys else (*plan.env, "LOCO_ENV=production")
    return warning(
        "args",
        f"{plan.binary} is loco's command line: without `start` the container prints its "
        "help and exits, and without LOCO_ENV it loads config/development.yaml.",
        "set args=start and env LOCO_ENV=production.",
        **({} if starts else {"args": "start"}),
        env=tuple(env),
    )


def leptos_needs_cargo_leptos(plan: Plan) -> Findings:
    """A Leptos full-stack app is built by cargo-leptos: the server with the `ssr` feature
    plus the WASM client and assets in target/site. A plain cargo build makes neither."""
    leptos = [f for f in plan.project.frameworks if f.startswith("leptos")]
    if not leptos:
        return ()
    return warning(
        "binary",
        f"this is a Leptos app ({leptos[0]}): cargo-leptos builds its server with the ssr "
        "feature and its WASM client into target/site; the plain `cargo build` here makes "
        "neither, so the build stops on required features or the page never hydrates.",
        "build with `cargo leptos build --release` in the builder, copy target/site next to "
        "the binary and set LEPTOS_SITE_ROOT=site and LEPTOS_SITE_ADDR=0.0.0.0:3000 (env).",
    )
