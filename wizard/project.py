"""Facts about a Rust project, as `detect` reads them. Frozen: nothing edits a Project."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .build_facts import BuildFacts
from .cargo_features import Feature
from .net_facts import ConfigFact, ListenFact, PortFact, Setting
from .code_reads import RuntimeRead


@dataclass(frozen=True)
class Binary:
    """One binary target cargo can build."""

    name: str
    #: The package (crate) that declares it.
    package: str
    #: The member's directory relative to the project root ("." for a single crate).
    package_dir: str
    #: The binary's root source file relative to the project root, e.g. "src/main.rs".
    path: str
    #: `required-features` of its [[bin]]: cargo refuses `--bin` without them.
    required_features: tuple[str, ...] = ()
    # The fields below describe the target, they do not identify it: equality ignores them.
    #: Its package's `default-run` names it.
    default_run: bool = field(default=False, compare=False)
    #: What it is for, from its code, name and dependencies (detect_roles.py): "server",
    #: "cli", "client", "utility" or "migration"; "" before detection.
    role: str = field(default="", compare=False)
    #: Why, with the evidence: "binds a socket (src/bin/server.rs:36 TcpListener::bind)".
    role_reason: str = field(default="", compare=False)


@dataclass(frozen=True)
class Member:
    """A package of the workspace (or the single package of a plain crate)."""

    name: str
    #: Directory relative to the project root ("." for the root package).
    dir: str
    version: str = ""
    has_build_rs: bool = False
    #: Local path dependencies, as directories relative to the project root.
    path_deps: tuple[str, ...] = ()
    #: The package has a src/ directory (ripgrep's root package keeps its binary in
    #: crates/core/ and has none, so a `COPY src` would fail).
    has_src: bool = True
    #: Its cargo features (`[features]` and optional dependencies), in manifest order.
    features: tuple[Feature, ...] = ()


@dataclass(frozen=True)
class Project:
    """What rustdock knows about the project before asking anything."""

    root: Path
    #: The package name of the root manifest, or of the member that ships the default binary.
    name: str
    #: Every binary in the workspace, the default one first.
    binaries: tuple[Binary, ...] = ()
    #: All packages, the root package first when there is one.
    members: tuple[Member, ...] = ()
    is_workspace: bool = False
    #: A manifest with [workspace] and no [package].
    is_virtual: bool = False
    #: Members listed in `default-members`, relative to the root.
    default_members: tuple[str, ...] = ()
    #: Rust version pinned by rust-toolchain(.toml) or `rust-version`, "" when none.
    rust_version: str = ""
    #: Where rust_version came from: "rust-toolchain.toml", "rust-toolchain", "rust-version", "".
    rust_version_source: str = ""
    #: The newest Rust edition among the workspace's crates ("2021"), "" when none is set.
    edition: str = ""
    #: Crate names of the TLS stack found in manifests and Cargo.lock:
    #: any of "openssl-sys", "native-tls", "rustls", "aws-lc-sys", "ring".
    tls_crates: frozenset[str] = frozenset()
    #: The program may make outbound TLS connections (a TLS_CLIENT_CRATES crate outside
    #: dev-dependencies, or no lock file to tell): it needs CA certificates.
    tls_client: bool = True
    #: Direct dependencies that pull in TLS (e.g. "reqwest", "sqlx"), with the manifest
    #: path (relative) that declares them: ((crate, "Cargo.toml"), ...).
    tls_dependents: tuple[tuple[str, str], ...] = ()
    #: "tikv-jemallocator", "jemallocator", "mimalloc" when already a dependency.
    allocator_crates: frozenset[str] = frozenset()
    #: Every crate name in Cargo.lock (or the manifests when there is no lock file).
    all_crates: frozenset[str] = frozenset()
    has_lockfile: bool = False
    #: Crates the manifests ask for that Cargo.lock lacks: a `--locked` build stops until
    #: `cargo update --workspace` refreshes it (empty when in step or without a lock).
    lock_missing: tuple[str, ...] = ()
    #: (crate, version) locked below the version newer Rust compiles (lock_breaks.py).
    lock_breaks: tuple[tuple[str, str], ...] = ()
    #: `.cargo/config.toml` replaces crates-io with a local directory: its path, else "".
    vendor_dir: str = ""
    has_cargo_config: bool = False
    #: Directories a build or the program at run time needs, relative to the root:
    #: "migrations", "templates", "static", "assets", "public", ".sqlx", ...
    extra_dirs: tuple[str, ...] = ()
    #: What the runtime image gets by default (relative to the root): what the code reads
    #: at run time (runtime_reads), config/ and Rocket.toml. Directories compiled in
    #: (askama, rust-embed, include_dir, sqlx::migrate!) or used by nobody are build-only.
    runtime_dirs: tuple[str, ...] = ()
    #: What the compiler reads of extra_dirs: directories compiled in (askama, rust-embed,
    #: include_dir, sqlx::migrate!) and sqlx's offline data (.sqlx).
    build_dirs: tuple[str, ...] = ()
    #: What the shipped binary's code reads at run time, each with where it must be
    #: relative to the working directory and the code that reads it (code_reads.py).
    runtime_reads: tuple[RuntimeRead, ...] = ()
    #: What that code reads that the repo lacks (a frontend build's output): no source.
    runtime_absent: tuple[RuntimeRead, ...] = ()
    #: Web frameworks among the dependencies: "axum", "actix-web", "rocket", ...
    frameworks: tuple[str, ...] = ()
    #: The port the program likely listens on, 0 when unknown: the first TCP one of `ports`.
    port_guess: int = 0
    #: Every port it listens on, TCP and UDP, each with where it was found (detect_ports).
    ports: tuple[PortFact, ...] = ()
    #: Whether it listens on localhost by default and what moves it (detect_listen).
    listen: ListenFact = field(default_factory=ListenFact)
    #: Configuration files the repository ships for the program (default ones first).
    config_files: tuple[str, ...] = ()
    #: The configuration file the program reads at start, None when none was seen.
    config: ConfigFact | None = None
    #: The subcommand that runs the service when the command line requires one ("server",
    #: "start"; code_commands.py), and where it is declared; "" when none is needed.
    service_command: str = ""
    service_command_why: str = ""
    #: Settings it cannot start without (env vars read with expect/?/unwrap).
    required_settings: tuple[Setting, ...] = ()
    #: The program resolves host names (a network client or server crate is present).
    uses_dns: bool = False
    #: Time-zone lookups at run time (chrono with clock, jiff, chrono-tz...).
    uses_timezones: bool = False
    #: The program stops on SIGTERM: its own handler (tokio signal, signal-hook, ctrlc with
    #: `termination`) or its framework's default (wizard/signals_table.py).
    handles_signals: bool = False
    #: It handles Ctrl-C's SIGINT and not SIGTERM (tokio's ctrl_c alone): STOPSIGNAL SIGINT.
    sigint_only: bool = False
    #: Why, with the file and line or the framework ("src/main.rs:30 SignalKind::terminate(...").
    signals_why: str = ""
    #: Directories the program writes relative to its working directory ("." for the
    #: directory itself), each with where in the non-test sources: (("data", "src/main.rs:12
    #: creates the directory"), ...). wizard/code_writes.py.
    writes: tuple[tuple[str, str], ...] = ()
    #: Dependencies fetched from git over ssh, or from a registry other than crates.io.
    private_git: bool = False
    private_registry: bool = False
    #: Names of registries other than crates.io (from Cargo.toml `registry = ...` keys).
    registry_names: tuple[str, ...] = ()
    #: Package metadata for OCI labels.
    description: str = ""
    license: str = ""
    repository: str = ""
    version: str = ""
    authors: tuple[str, ...] = ()
    #: An existing Dockerfile / .dockerignore, and whether rustdock wrote it (marker line).
    has_dockerfile: bool = False
    dockerfile_is_ours: bool = False
    #: A Dockerfile (or Containerfile, at the root or in docker/) rustdock did not write,
    #: relative to the root; "" when there is none. A new plan can start from it.
    foreign_dockerfile: str = ""
    has_dockerignore: bool = False
    #: Other container build files at the root (Containerfile, Dockerfile.prod, ...).
    other_container_files: tuple[str, ...] = ()
    #: The saved answers file (rustdock.toml) as a plain dict, empty when there is none.
    saved_answers: dict = field(default_factory=dict, hash=False, compare=False)
    #: The toolchain file's channel when it names no version ("stable", "nightly-2026-01-01"),
    #: so the wizard can say so; "" when there is no toolchain file or it pins a version.
    rust_channel: str = ""
    #: The program's sources bind 127.0.0.1/localhost: unreachable from outside a container.
    binds_localhost: bool = False
    #: `[profile.release]` of the root Cargo.toml as (key, value) pairs, values as TOML text.
    release_profile: tuple[tuple[str, str], ...] = ()
    #: The `address` Rocket.toml sets (release, default or global profile), "" when none.
    rocket_address: str = ""
    #: What the build itself needs to know: feature gates, build scripts' needs, the
    #: dependency graph (build_facts.py).
    build: BuildFacts = field(default_factory=BuildFacts)

    @property
    def serves(self) -> bool:
        """The program looks like a server: it runs until stopped and writes its data while
        it runs. The shipped binary's role decides when its code said (detect_roles.py: a
        "cli" has no server code, whatever HTTP crate it uses as a client); else a web
        framework or a port found in it."""
        role = self.binaries[0].role if self.binaries else ""
        if role in ("server", "cli"):
            return role == "server"
        return bool(self.frameworks or self.port_guess)

    @property
    def default_binary(self) -> Binary | None:
        return self.binaries[0] if self.binaries else None

    def binary(self, name: str) -> Binary | None:
        return next((b for b in self.binaries if b.name == name), None)

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def features_of(self, binary_name: str) -> tuple[Feature, ...]:
        """The features of the package that builds a binary (none for an unknown one)."""
        binary = self.binary(binary_name)
        member = self.member(binary.package) if binary is not None else None
        return member.features if member is not None else ()
