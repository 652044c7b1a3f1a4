"""The table of every choice rustdock offers.

One table drives the wizard's screens, `generate --set`, the answers file and
`rustdock options --json`. A default may depend on the project and on choices made
earlier in the table, so the table's order matters: an option only reads keys above it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import versions
from .project import Project

Choices = Mapping[str, Any]


class OptionError(ValueError):
    """A value that an option does not accept; the message says what it does accept."""


@dataclass(frozen=True)
class Value:
    """One allowed value of a choice option, with its plain-words trade-off."""

    value: str
    label: str
    help: str
    #: The expected final image size, for runtime choices ("" when it does not apply).
    size: str = ""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    #: "choice", "bool", "int", "text" or "list".
    kind: str
    #: The step of the wizard that asks it.
    group: str
    help: str
    default: Callable[[Project, Choices], Any]
    values: tuple[Value, ...] = ()
    #: For choices whose values come from the project (binaries): project -> values.
    dynamic_values: Callable[[Project], tuple[Value, ...]] | None = None
    #: For text options: a regular expression the whole value must match.
    pattern: str = ""
    #: For int options.
    minimum: int = 0
    maximum: int = 0
    #: What the pattern means, for error messages.
    expects: str = ""
    #: When to ask: (project, choices) -> bool. The value still exists when not asked.
    relevant: Callable[[Project, Choices], bool] = field(default=lambda p, c: True)
    #: How the default is derived, in words ("" when it is the same for every project).
    derived: str = ""

    def allowed(self, project: Project | None) -> tuple[Value, ...]:
        if self.dynamic_values is not None:
            return self.dynamic_values(project) if project is not None else ()
        return self.values

    def value_help(self, value: Any, project: Project | None = None) -> Value | None:
        return next((v for v in self.allowed(project) if v.value == value), None)

    def parse(self, raw: Any, project: Project | None = None) -> Any:
        """Turn a raw value (from --set, a TOML file or a widget) into this option's type."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"true", "yes", "on", "1"}:
                return True
            if text in {"false", "no", "off", "0"}:
                return False
            raise OptionError(f"{self.key} takes true or false, not {raw!r}")
        if self.kind == "int":
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise OptionError(f"{self.key} takes a whole number, not {raw!r}") from None
            if not self.minimum <= number <= self.maximum:
                raise OptionError(
                    f"{self.key} takes a number from {self.minimum} to {self.maximum}, not {number}"
                )
            return number
        if self.kind == "list":
            items = raw if isinstance(raw, list | tuple) else _split_list(str(raw))
            items = tuple(str(item).strip() for item in items if str(item).strip())
            if self.pattern:
                for item in items:
                    if not re.fullmatch(self.pattern, item):
                        raise OptionError(f"{self.key}: {item!r} is not {self.expects}")
            return items
        text = str(raw).strip()
        if self.kind == "choice":
            allowed = [v.value for v in self.allowed(project)]
            if project is None and self.dynamic_values is not None:
                return text
            if text not in allowed:
                raise OptionError(f"{self.key} takes one of {', '.join(allowed)}; not {text!r}")
            return text
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise OptionError(f"{self.key}: {text!r} is not {self.expects}")
        if self.key == "args":
            try:
                shlex.split(text)
            except ValueError as err:
                raise OptionError(f"args: {err} in {text!r}") from None
        return text

    def to_json(self, project: Project | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "group": self.group,
            "help": self.help,
        }
        if self.kind == "choice":
            data["values"] = [
                {"value": v.value, "label": v.label, "help": v.help, "size": v.size}
                for v in self.allowed(project)
            ]
        if self.kind == "int":
            data["minimum"], data["maximum"] = self.minimum, self.maximum
        if self.pattern:
            data["expects"] = self.expects
        if self.derived:
            data["derived"] = self.derived
        return data


def plain(value: Any) -> Any:
    """A value as TOML and JSON write it: tuples (list options) become lists."""
    return list(value) if isinstance(value, tuple) else value


def _split_list(text: str) -> list[str]:
    return [part for part in re.split(r"[,\n]", text)]


# -- defaults ---------------------------------------------------------------------------

_OPENSSL = {"openssl-sys", "native-tls"}


def _default_binary(project: Project, chosen: Choices) -> str:
    return project.default_binary.name if project.default_binary else project.name


def _binary_values(project: Project) -> tuple[Value, ...]:
    return tuple(
        Value(
            b.name,
            b.name,
            f"built from {b.path} in package {b.package}"
            + ("" if b.package_dir == "." else f" ({b.package_dir})")
            + (f", with features {', '.join(b.required_features)} (its required-features)"
               if b.required_features else ""),
        )
        for b in project.binaries
    )


def _default_libc(project: Project, chosen: Choices) -> str:
    # Like nixpacks: static musl unless OpenSSL is linked, where glibc avoids the classic
    # "Could not find directory of OpenSSL installation" on musl.
    return "glibc" if project.tls_crates & _OPENSSL else "musl"


def _default_builder(project: Project, chosen: Choices) -> str:
    return "debian"


def _default_tls(project: Project, chosen: Choices) -> str:
    crates = project.tls_crates
    if crates & _OPENSSL:
        return "openssl-system" if chosen.get("libc") != "musl" else "openssl-vendored"
    if crates & {"rustls", "ring", "aws-lc-sys"}:
        return "rustls"
    return "none"


def _default_runtime(project: Project, chosen: Choices) -> str:
    return "distroless-static" if chosen.get("libc") in {"musl", "glibc-static"} else "distroless-cc"


def _default_uid(project: Project, chosen: Choices) -> int:
    if str(chosen.get("runtime", "")).startswith(("distroless", "chainguard")):
        return versions.DISTROLESS_NONROOT_UID
    return versions.DEFAULT_UID


def _is_musl(project: Project, chosen: Choices) -> bool:
    return chosen.get("libc") == "musl"


def _asks_allocator_scope(project: Project, chosen: Choices) -> bool:
    return chosen.get("allocator") != "system"


def _asks_user(project: Project, chosen: Choices) -> bool:
    return chosen.get("user") == "nonroot"


def _asks_health(kind: str) -> Callable[[Project, Choices], bool]:
    return lambda project, chosen: chosen.get("healthcheck") in kind.split("|")


# -- the table --------------------------------------------------------------------------

OPTIONS: tuple[Option, ...] = (
    # build and target
    Option(
        "binary",
        "Binary to ship",
        "choice",
        "build",
        "The program the image runs. Workspaces and crates with several [[bin]] targets "
        "have more than one; the image carries exactly one.",
        _default_binary,
        dynamic_values=_binary_values,
        derived="the default-run binary, else the first binary found",
    ),
    Option(
        "rust_version",
        "Rust version",
        "text",
        "build",
        "The Rust release the builder image carries. Pinning it (1.NN or 1.NN.P) keeps "
        "builds reproducible; rustdock reads rust-toolchain.toml or `rust-version` first.",
        lambda p, c: _usable_rust(p.rust_version) or versions.RUST_DEFAULT,
        pattern=r"1\.\d{1,3}(\.\d{1,3})?",
        expects="a Rust release such as 1.95 or 1.95.0",
        derived="rust-toolchain(.toml), then rust-version, else the current release",
    ),
    Option(
        "libc",
        "C library (target)",
        "choice",
        "build",
        "musl makes one static file that runs anywhere, even in an empty image. glibc is "
        "the usual Linux C library: faster memory allocation and DNS that just works, but "
        "the image must ship a matching glibc.",
        _default_libc,
        values=(
            Value("musl", "static musl", "One self-contained binary; runs on scratch. "
                  "musl's allocator is slow under heavy allocation: pair it with jemalloc or "
                  "mimalloc for servers."),
            Value("glibc", "glibc (dynamic)", "The default Linux target. Needs a runtime image "
                  "with glibc from the same Debian release (distroless/cc or debian-slim)."),
            Value("glibc-static", "glibc, statically linked", "crt-static glibc: one file like "
                  "musl, but host-name lookups (getaddrinfo) need NSS libraries at run time "
                  "and fail in scratch. Only for programs that never resolve names."),
        ),
        derived="glibc when the project links OpenSSL, else musl",
    ),
    Option(
        "builder",
        "Builder image",
        "choice",
        "build",
        "The image that compiles the program. It never ships: only the binary is copied "
        "out, so a big builder costs build time, not image size.",
        _default_builder,
        values=(
            Value("debian", "rust (Debian)", "Official rust image on Debian: gcc, make, perl, "
                  "pkg-config and libssl-dev are there. Cross-compiles to arm64 without QEMU."),
            Value("debian-slim", "rust slim (Debian)", "Smaller download; rustdock installs "
                  "what the build needs (gcc, pkg-config, libssl-dev) itself."),
            Value("alpine", "rust (Alpine)", "musl is the native C library: static builds "
                  "without extra tools. C dependencies need their -dev packages from apk."),
            Value("muslrust", "clux/muslrust", "Ubuntu with musl builds of OpenSSL, zlib, curl, "
                  "pq and sqlite: the shortest way to a static binary that links OpenSSL."),
        ),
    ),
    Option(
        "debian",
        "Debian release",
        "choice",
        "build",
        "Builder and runtime must share a Debian release, or the binary asks for a newer "
        "glibc than the runtime has (\"GLIBC_2.39 not found\").",
        lambda p, c: "bookworm",
        values=(
            Value("bookworm", "Debian 12 bookworm", "glibc 2.36; distroless *-debian12."),
            Value("trixie", "Debian 13 trixie", "glibc 2.41; distroless *-debian13. What "
                  "rust:latest uses now."),
        ),
    ),
    Option(
        "platforms",
        "Architectures",
        "choice",
        "build",
        "Which CPUs the image runs on. Multi-arch images are cross-compiled on the build "
        "machine's own CPU (TARGETARCH/BUILDPLATFORM), never emulated with QEMU.",
        lambda p, c: "amd64",
        values=(
            Value("amd64", "linux/amd64", "Intel and AMD servers and most CI runners."),
            Value("arm64", "linux/arm64", "Graviton, Ampere, Raspberry Pi 4+, Apple silicon."),
            Value("amd64,arm64", "both (multi-arch)", "One tag for both; build with "
                  "`docker buildx build --platform linux/amd64,linux/arm64`."),
        ),
    ),
    # dependency caching and release profile
    Option(
        "caching",
        "Dependency caching",
        "choice",
        "caching",
        "Dependencies take most of a Rust build. Caching them means a one-line change "
        "rebuilds in seconds instead of minutes.",
        lambda p, c: "cache-mounts",
        values=(
            Value("none", "none", "Simplest: every build compiles everything again."),
            Value("dummy-main", "dummy main layer", "Builds dependencies against a stub "
                  "main.rs in their own layer; works with any builder and with registry "
                  "layer caches in CI."),
            Value("cache-mounts", "BuildKit cache mounts", "Keeps cargo's registry and target "
                  "directory between builds on the same machine: the fastest local rebuilds. "
                  "Copies the project in one step, so .dockerignore decides what goes in. "
                  "CI runners start with an empty cache."),
            Value("cargo-chef", "cargo-chef", "Computes a recipe of the dependencies and "
                  "cooks them in their own layer: the most precise for workspaces. Needs "
                  "crates.io to install cargo-chef."),
        ),
    ),
    Option(
        "profile",
        "Release profile",
        "choice",
        "caching",
        "How cargo optimises the release build. rustdock writes it into [profile.release] "
        "of the workspace root Cargo.toml.",
        lambda p, c: "keep",
        values=(
            Value("keep", "keep Cargo.toml's", "Leave [profile.release] as it is."),
            Value("size", "smallest binary", "opt-level \"z\", LTO, one codegen unit, strip, "
                  "panic=abort: often half the size, builds 2-3x slower, panics abort."),
            Value("speed", "fastest code", "opt-level 3, fat LTO, one codegen unit, strip: "
                  "5-15% faster code, slower builds."),
        ),
    ),
    Option(
        "profile_overwrite",
        "Replace my profile values",
        "bool",
        "caching",
        "When [profile.release] already sets a key the chosen profile also sets (say "
        "opt-level = 3 against \"z\"), rustdock keeps yours and reports a conflict; turn "
        "this on to write the profile's value instead.",
        lambda p, c: False,
        relevant=lambda p, c: c.get("profile") != "keep",
    ),
    # TLS and certificates
    Option(
        "tls",
        "TLS",
        "choice",
        "tls",
        "How the program speaks HTTPS. rustls is pure Rust and links statically anywhere; "
        "OpenSSL must be found at build time and, unless vendored, at run time.",
        _default_tls,
        values=(
            Value("none", "no TLS", "The program makes no TLS connections."),
            Value("rustls", "rustls", "Pure Rust TLS: no OpenSSL anywhere. rustdock switches "
                  "known crates (reqwest, sqlx, ...) to their rustls features."),
            Value("openssl-vendored", "OpenSSL, vendored", "Builds OpenSSL from source into "
                  "the binary (the openssl crate's `vendored` feature): works on musl; "
                  "needs perl, make and a C compiler in the builder."),
            Value("openssl-system", "OpenSSL from the image", "Links the builder's OpenSSL "
                  "(libssl-dev, or clux/muslrust's static one); glibc runtimes need libssl3."),
        ),
        derived="from the TLS crates in Cargo.toml and Cargo.lock",
    ),
    Option(
        "ca_certs",
        "CA certificates",
        "bool",
        "tls",
        "The root certificates a TLS client checks servers against. scratch has none; "
        "without them every HTTPS request fails with an unknown-issuer error.",
        lambda p, c: c.get("tls") != "none",
        derived="on whenever TLS is used",
    ),
    Option(
        "tzdata",
        "Time-zone data",
        "bool",
        "tls",
        "The tz database (/usr/share/zoneinfo). chrono's Local and jiff look zones up "
        "there; scratch has none.",
        lambda p, c: p.uses_timezones,
        derived="on when the project looks time zones up",
    ),
    # allocator
    Option(
        "allocator",
        "Memory allocator",
        "choice",
        "allocator",
        "musl's malloc is 3-8x slower than glibc's under allocation-heavy load; "
        "jemalloc or mimalloc close the gap. rustdock adds the crate and the "
        "#[global_allocator] lines.",
        lambda p, c: (
            "jemalloc"
            if p.allocator_crates & {"tikv-jemallocator", "jemallocator"}
            else "mimalloc" if "mimalloc" in p.allocator_crates else "system"
        ),
        values=(
            Value("system", "system", "The C library's malloc: fine on glibc, slow on musl."),
            Value("jemalloc", "jemalloc", "tikv-jemallocator: steady under fragmentation-heavy "
                  "servers; adds ~300 KB and a C build step."),
            Value("mimalloc", "mimalloc", "Microsoft's allocator: small, fast, builds quickly."),
        ),
        derived="the allocator crate already in Cargo.toml, else system",
    ),
    Option(
        "allocator_scope",
        "Allocator applies to",
        "choice",
        "allocator",
        "Only the musl build (where it matters) or every build, including local ones.",
        lambda p, c: "musl-only",
        values=(
            Value("musl-only", "musl builds only", "cfg(target_env = \"musl\"): local glibc "
                  "builds keep the system allocator."),
            Value("all", "every build", "The same allocator everywhere, so profiles match."),
        ),
        relevant=_asks_allocator_scope,
    ),
    # runtime image
    Option(
        "runtime",
        "Runtime image",
        "choice",
        "runtime",
        "What the final image is made of besides your binary. Smaller means fewer CVEs "
        "to patch and faster pulls; a shell helps debugging.",
        _default_runtime,
        values=(
            Value("scratch", "scratch", "Empty: only what rustdock copies in. Needs a static "
                  "binary; no shell, no certs unless copied.", "binary + ~0.3 MB"),
            Value("distroless-static", "distroless static", "CA certs, /etc/passwd, tzdata, "
                  "/tmp; no libc, no shell. Needs a static binary.", "binary + ~2 MB"),
            Value("distroless-cc", "distroless cc", "glibc, libgcc and libssl for dynamically "
                  "linked Rust; no shell.", "binary + ~23 MB"),
            Value("chainguard-static", "Chainguard static", "Like distroless static, rebuilt "
                  "daily; only :latest is free, so it cannot be pinned.", "binary + ~1 MB"),
            Value("chainguard-glibc", "Chainguard glibc-dynamic", "glibc for dynamic binaries; "
                  "only :latest is free.", "binary + ~7 MB"),
            Value("alpine", "alpine", "musl with a shell and apk for debugging.",
                  "binary + ~8 MB"),
            Value("debian-slim", "debian slim", "A full glibc userland with a shell and apt.",
                  "binary + ~75 MB"),
        ),
        derived="distroless static for static binaries, distroless cc for glibc",
    ),
    # user, healthcheck and signals
    Option(
        "user",
        "Run as",
        "choice",
        "user",
        "Containers run as root unless told otherwise; a non-root user limits what a "
        "compromised program can do.",
        lambda p, c: "nonroot",
        values=(
            Value("nonroot", "a non-root user", "A numeric uid that exists in the image's "
                  "/etc/passwd."),
            Value("root", "root", "Only when the program must bind ports below 1024 or "
                  "write root-owned paths."),
        ),
    ),
    Option(
        "uid",
        "User id",
        "int",
        "user",
        "The numeric uid (and gid). Numeric ids work in Kubernetes' runAsNonRoot check. "
        "65532 is distroless' and Chainguard's own `nonroot`.",
        _default_uid,
        minimum=1,
        maximum=2**31 - 2,
        relevant=_asks_user,
        derived="65532 on distroless and Chainguard, else 10001",
    ),
    Option(
        "healthcheck",
        "Healthcheck",
        "choice",
        "user",
        "A HEALTHCHECK lets Docker restart a hung container. scratch and distroless have "
        "no curl or wget, so the check must be a program the image has.",
        lambda p, c: "none",
        values=(
            Value("none", "none", "Leave health to the orchestrator (Kubernetes probes)."),
            Value("program", "the program itself", "Runs your binary with a flag such as "
                  "--health that exits 0 when healthy. Works in every image."),
            Value("probe", "tiny probe binary", "rustdock writes a 40-line std-only HTTP "
                  "probe, builds it statically in the builder and copies it in (~400 KB)."),
            Value("wget", "busybox wget", "alpine's built-in wget; alpine only."),
            Value("curl", "curl", "Installs curl into a Debian runtime (+~5 MB)."),
        ),
    ),
    Option(
        "health_args",
        "Health flag",
        "text",
        "user",
        "The arguments that make your program check its own health and exit 0 or 1.",
        lambda p, c: "--health",
        pattern=r"[^\n\"\\]{1,200}",
        expects="arguments on one line, without quotes or backslashes",
        relevant=_asks_health("program"),
    ),
    Option(
        "health_path",
        "Health URL path",
        "text",
        "user",
        "The HTTP path the healthcheck requests on the container's own port.",
        lambda p, c: "/health",
        pattern=r"/[A-Za-z0-9._~/?=&%-]{0,200}",
        expects="a URL path starting with /",
        relevant=_asks_health("probe|wget|curl"),
    ),
    Option(
        "init",
        "Signals (PID 1)",
        "choice",
        "user",
        "Your program runs as PID 1, which ignores SIGTERM unless it installs a handler: "
        "`docker stop` then waits 10 s and kills it.",
        lambda p, c: "none",
        values=(
            Value("none", "the program handles them", "Right when the program listens for "
                  "SIGTERM (tokio::signal, ctrlc, signal-hook)."),
            Value("tini", "tini", "A tiny init that forwards signals and reaps zombies "
                  "(static build, ~1 MB; works in scratch)."),
        ),
    ),
    # port, arguments, environment, extra files
    Option(
        "port",
        "Port",
        "int",
        "run",
        "The port the program listens on (EXPOSE and the healthcheck). 0 for none.",
        lambda p, c: p.port_guess,
        minimum=0,
        maximum=65535,
        derived="a port found in the source, else the web framework's default",
    ),
    Option(
        "args",
        "Arguments",
        "text",
        "run",
        "Default arguments (CMD) passed to the program; `docker run IMAGE ...` replaces them.",
        lambda p, c: "",
        pattern=r"[^\n]{0,500}",
        expects="arguments on one line",
    ),
    Option(
        "env",
        "Environment",
        "list",
        "run",
        "Environment variables baked into the image (never secrets: use runtime env or "
        "secret mounts). One KEY=VALUE per item.",
        lambda p, c: (),
        pattern=r"[A-Za-z_][A-Za-z0-9_]*=[^\n]*",
        expects="KEY=VALUE",
    ),
    Option(
        "extra_files",
        "Extra files",
        "list",
        "run",
        "Files and directories the program reads at run time (templates, static assets), "
        "relative to the project root. They are copied next to the binary.",
        lambda p, c: p.runtime_dirs,
        # No absolute paths and no ".." segment: the build context ends at the project root.
        pattern=r"(?!(.*/)?\.\.(/|$))[A-Za-z0-9._][A-Za-z0-9._/-]*",
        expects="a relative path inside the project",
        derived="directories the program reads at run time (static, templates, ...)",
    ),
    Option(
        "labels",
        "OCI labels",
        "bool",
        "run",
        "org.opencontainers.image.* labels from Cargo.toml (version, license, source) so "
        "registries and scanners can tell what the image is.",
        lambda p, c: True,
    ),
    Option(
        "comments",
        "Explain in comments",
        "bool",
        "run",
        "Short comments in the Dockerfile saying why each non-obvious line is there.",
        lambda p, c: True,
    ),
    # private dependencies
    Option(
        "private_registry",
        "Private registry token",
        "bool",
        "private",
        "Pass a private registry's token as a BuildKit secret (never ARG or ENV, which "
        "stay in the image history).",
        lambda p, c: p.private_registry,
        derived="on when a dependency comes from another registry",
    ),
    Option(
        "registry_name",
        "Registry name",
        "text",
        "private",
        "The registry's name in .cargo/config.toml; its token goes to "
        "CARGO_REGISTRIES_<NAME>_TOKEN.",
        lambda p, c: p.registry_names[0] if p.registry_names else "private",
        pattern=r"[A-Za-z0-9_-]{1,64}",
        expects="a registry name (letters, digits, - and _)",
        relevant=lambda p, c: bool(c.get("private_registry")),
        derived="the registry named in Cargo.toml",
    ),
    Option(
        "private_git",
        "Private git dependencies",
        "bool",
        "private",
        "Fetch git dependencies over ssh with the build machine's ssh agent "
        "(`--ssh default`), never by copying a key into the image.",
        lambda p, c: p.private_git,
        derived="on when a git dependency is fetched over ssh",
    ),
)

OPTIONS_BY_KEY: Mapping[str, Option] = {option.key: option for option in OPTIONS}

#: The wizard's steps, in order, with the groups of options each one asks.
GROUPS: tuple[tuple[str, str], ...] = (
    ("build", "Build and target"),
    ("caching", "Caching and profile"),
    ("tls", "TLS and certificates"),
    ("allocator", "Allocator"),
    ("runtime", "Runtime image"),
    ("user", "User, health, signals"),
    ("run", "Port, args, env, files"),
    ("private", "Private dependencies"),
)


def _usable_rust(version: str) -> str:
    """A pinned version usable in an image tag, or "" for channels like "stable"."""
    match = re.fullmatch(r"(1\.\d+)(\.\d+)?", version.strip())
    return match.group(0) if match else ""


def option(key: str) -> Option:
    try:
        return OPTIONS_BY_KEY[key]
    except KeyError:
        close = [k for k in OPTIONS_BY_KEY if k.startswith(key[:3])]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise OptionError(f"no option named {key!r}{hint}; `rustdock options` lists them") from None
