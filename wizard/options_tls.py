"""Options of TLS, certificates, time zones (group tls) and the allocator (group
allocator). Rows keep the table's order."""

from __future__ import annotations

from .option_model import Choices, Option, Value
from .needs_sys import tls_in_build
from .options_build import OPENSSL_LINKERS
from .project import Project


def _default_tls(project: Project, chosen: Choices) -> str:
    crates = tls_in_build(project, chosen)
    if crates & OPENSSL_LINKERS:
        return "openssl-system" if chosen.get("libc") != "musl" else "openssl-vendored"
    if crates & {"rustls", "ring", "aws-lc-sys"}:
        return "rustls"
    return "none"


def _asks_allocator_scope(project: Project, chosen: Choices) -> bool:
    return chosen.get("allocator") != "system"


TLS_OPTIONS: tuple[Option, ...] = (
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
        lambda p, c: c.get("tls") != "none" and p.tls_client,
        derived="on when the program is a TLS client (not when it only serves HTTPS)",
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
)
