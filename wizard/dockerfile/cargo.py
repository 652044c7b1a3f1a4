"""A cargo command line from a RUN, read as cargo would: what it builds, for which
target and profile, with which features, and where the files land."""

from __future__ import annotations

from dataclasses import dataclass

from .shell import Command, option_values, positional

#: Tools that run cargo's own build with the same flags and output layout.
CARGO_TOOLS = frozenset({"cargo", "cross", "xx-cargo", "cargo-zigbuild"})
#: Subcommands that compile the package the way `cargo build` does.
BUILDS = frozenset({"build", "b", "zigbuild", "rustc", "auditable-build"})
_WITH_VALUE = frozenset(
    "-p --package --bin --example --test --bench --target --target-dir --features -F "
    "--profile --manifest-path -j --jobs --config -Z --color --message-format --root "
    "--path --git --branch --tag --rev --version --index --registry --recipe-path "
    "--lockfile-path --out-dir --artifact-dir --exclude".split()
)


@dataclass(frozen=True)
class CargoCall:
    """One cargo invocation."""

    command: Command
    #: "build", "install", "chef-cook", "chef-prepare", "new", "init", "fetch", or the
    #: subcommand as written for anything else ("leptos", "test", ...).
    sub: str
    #: The words after the subcommand.
    args: tuple[str, ...]

    def values(self, *names: str) -> list[str]:
        return option_values(self.args, *names)

    def has(self, *flags: str) -> bool:
        return any(word in flags for word in self.args)

    @property
    def builds(self) -> bool:
        """Compiles the project's own code (a chef cook only compiles dependencies, and
        `cargo install cargo-sbom` someone else's)."""
        return self.sub == "build" or self.sub == "install" and bool(self.install_path)

    @property
    def target(self) -> str:
        """The --target triple, or CARGO_BUILD_TARGET from the same RUN; "" for none."""
        found = self.values("--target")
        return found[-1] if found else self.command.env.get("CARGO_BUILD_TARGET", "")

    @property
    def profile(self) -> str:
        """The directory under target/ cargo writes to: release, debug or a custom name."""
        named = self.values("--profile")
        if named:
            return {"dev": "debug", "test": "debug", "bench": "release"}.get(named[-1], named[-1])
        if self.has("--release", "-r"):
            return "release"
        return "debug" if self.sub != "install" or self.has("--debug") else "release"

    @property
    def locked(self) -> bool:
        return self.has("--locked", "--frozen")

    @property
    def bins(self) -> tuple[str, ...]:
        return tuple(self.values("--bin"))

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(self.values("-p", "--package"))

    @property
    def features(self) -> tuple[str, ...]:
        words = [w for value in self.values("--features", "-F") for w in value.replace(",", " ").split()]
        return tuple(dict.fromkeys(words))

    @property
    def target_dir(self) -> str:
        found = self.values("--target-dir")
        return found[-1] if found else self.command.env.get("CARGO_TARGET_DIR", "")

    @property
    def install_path(self) -> str:
        """`cargo install --path DIR`, "" when it installs from a registry or git."""
        found = self.values("--path")
        return found[-1] if found else ""

    @property
    def install_root(self) -> str:
        found = self.values("--root")
        return found[-1] if found else self.command.env.get("CARGO_INSTALL_ROOT", "")

    @property
    def manifest_dir(self) -> str:
        found = self.values("--manifest-path")
        if not found:
            return ""
        path = found[-1]
        return path.rsplit("/", 1)[0] if "/" in path else "."

    @property
    def new_dir(self) -> str:
        """The directory `cargo new NAME` creates ("" for any other command)."""
        if self.sub != "new":
            return ""
        names = positional(self.args, _WITH_VALUE | {"--name", "--vcs", "--edition"})
        return names[0] if names else ""


def cargo_call(command: Command) -> CargoCall | None:
    """The cargo call a simple command makes, or None when it is not cargo."""
    words = list(command.words)
    program = command.program
    if program not in CARGO_TOOLS and not (program == "cargo-chef" and len(words) > 1):
        return None
    rest = words[1:]
    if rest and rest[0].startswith("+"):  # cargo +nightly build
        rest = rest[1:]
    if program == "cargo-zigbuild":
        rest = ["zigbuild", *rest]
    if not rest:
        return None
    sub = rest[0]
    if sub in {"chef", "auditable"} and len(rest) > 1:
        sub, rest = f"{sub}-{rest[1]}", rest[1:]
    if sub in BUILDS or sub == "auditable-build":
        sub = "build"
    return CargoCall(command, sub, tuple(rest[1:]))
