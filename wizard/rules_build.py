"""Rules about what the builder makes: C library, builder image, architectures, TLS,
allocator and Rust version."""

from __future__ import annotations

from .rules_base import (
    CA_RUNTIMES,
    DEBIAN_BUILDERS,
    GLIBC_RUNTIMES,
    NO_LIBC_RUNTIMES,
    RUSTLS_CRATES,
    Findings,
    cross_arm64,
    error,
    links_openssl,
    tls_crates,
    tip,
    version_tuple,
    warning,
)
from .plan import Plan
from .versions import DEBIAN_RELEASES, RUST_VARIANT_SINCE, builder_image


def dynamic_in_static_runtime(plan: Plan) -> Findings:
    if plan.libc != "glibc" or plan.runtime not in NO_LIBC_RUNTIMES:
        return ()
    return error(
        "libc",
        f"a dynamically linked glibc binary does not start in {plan.runtime}, which has "
        "no C library (\"no such file or directory\").",
        "set libc=musl for a static binary, or runtime=distroless-cc.",
        libc="musl",
    )


def glibc_on_alpine(plan: Plan) -> Findings:
    if plan.libc != "glibc" or plan.runtime != "alpine":
        return ()
    return error(
        "runtime",
        "alpine has musl, not glibc: a glibc binary fails there with \"no such file or "
        "directory\" (libc6-compat is no real fix).",
        "set libc=musl, or runtime=distroless-cc or debian-slim.",
        libc="musl",
    )


def static_on_glibc_runtime(plan: Plan) -> Findings:
    if plan.libc == "glibc" or plan.runtime not in GLIBC_RUNTIMES:
        return ()
    return tip(
        "runtime",
        f"a static {plan.libc} binary runs on {plan.runtime}, but the image ships a glibc "
        "the binary never uses.",
        "runtime=distroless-static is smaller and has the same CA certificates.",
        runtime="distroless-static",
    )


def builder_cannot_target(plan: Plan) -> Findings:
    if plan.libc == "musl" or plan.builder not in {"alpine", "muslrust"}:
        return ()
    why = (
        "the alpine builder has only musl, no glibc to link against"
        if plan.builder == "alpine"
        else "clux/muslrust is Ubuntu with musl tooling: its glibc is Ubuntu's, not the "
        "runtime's Debian one"
    )
    return error(
        "builder",
        f"builder={plan.builder} cannot make a {plan.libc} binary: {why}.",
        "set builder=debian (or libc=musl).",
        builder="debian",
    )


def glibc_mismatch(plan: Plan) -> Findings:
    if plan.libc != "glibc" or plan.runtime != "chainguard-glibc":
        return ()
    glibc = DEBIAN_RELEASES[plan.debian]["glibc"]
    return warning(
        "runtime",
        f"Chainguard glibc-dynamic carries Wolfi's newest glibc, not Debian {plan.debian}'s "
        f"{glibc}: newer glibc runs older binaries, but the pair is unpinned and drifts.",
        "runtime=distroless-cc keeps builder and runtime on the same Debian release.",
        runtime="distroless-cc",
    )


def builder_cannot_cross(plan: Plan) -> Findings:
    if not cross_arm64(plan) or plan.builder in DEBIAN_BUILDERS:
        return ()
    return error(
        "builder",
        f"platforms={plan.platforms} needs an arm64 cross-compiler, which the "
        f"{plan.builder} builder lacks: cross-compiling without QEMU needs the debian "
        "builder.",
        "set builder=debian (or platforms=amd64).",
        builder="debian",
    )


def cross_musl_c_code(plan: Plan) -> Findings:
    if not (cross_arm64(plan) and plan.libc == "musl" and plan.builder in DEBIAN_BUILDERS):
        return ()
    c_code = [
        name
        for name, used in (
            ("vendored OpenSSL", plan.tls == "openssl-vendored"),
            ("jemalloc", plan.allocator == "jemalloc"),
            ("aws-lc", "aws-lc-sys" in tls_crates(plan)),
        )
        if used
    ]
    if not c_code:
        return ()
    # One key fixes it only when every piece of C code is a choice (aws-lc is not).
    swap = {} if "aws-lc" in c_code else {
        key: value
        for key, value, used in (
            ("tls", "rustls", plan.tls == "openssl-vendored"),
            ("allocator", "mimalloc", plan.allocator == "jemalloc"),
        )
        if used
    }
    return warning(
        "platforms",
        f"{' and '.join(c_code)} must be compiled as C for arm64 musl with Debian's glibc "
        "cross gcc, which can fail to link.",
        "prefer rustls and mimalloc for arm64 musl, or build arm64 on an arm64 runner.",
        **swap,
    )


def openssl_musl_unlinkable(plan: Plan) -> Findings:
    if not (
        plan.tls == "openssl-system" and plan.libc == "musl" and plan.builder in DEBIAN_BUILDERS
    ):
        return ()
    return error(
        "tls",
        f"the {plan.builder} builder's OpenSSL is built for glibc, so a musl build fails "
        "with \"Could not find directory of OpenSSL installation\".",
        "set tls=openssl-vendored, or tls=rustls, or builder=muslrust or alpine.",
        tls="openssl-vendored",
    )


def openssl_without_tls(plan: Plan) -> Findings:
    if plan.tls != "none" or not links_openssl(plan):
        return ()
    crates = ", ".join(sorted(tls_crates(plan) & {"openssl-sys", "native-tls"}))
    easy = plan.libc != "musl" or plan.builder in {"alpine", "muslrust"}
    value = "openssl-system" if easy else "openssl-vendored"
    return error(
        "tls",
        f"the project links OpenSSL ({crates}) but tls=none: the build or the program "
        "fails without it.",
        f"set tls={value}, or tls=rustls to switch the crates to rustls.",
        tls=value,
    )


def openssl_added(plan: Plan) -> Findings:
    if not plan.tls.startswith("openssl") or links_openssl(plan):
        return ()
    return tip(
        "tls",
        f"tls={plan.tls}, but no dependency uses OpenSSL yet: rustdock adds the `openssl` "
        "crate to Cargo.toml.",
        "keep it if your code will use OpenSSL; otherwise tls=rustls or none.",
    )


def vendored_on_glibc_runtime(plan: Plan) -> Findings:
    if plan.tls != "openssl-vendored" or plan.libc != "glibc" or plan.runtime not in GLIBC_RUNTIMES:
        return ()
    return tip(
        "tls",
        f"{plan.runtime} already ships libssl3; vendoring compiles OpenSSL from source "
        "(a few minutes) for nothing.",
        "tls=openssl-system builds faster.",
        tls="openssl-system",
    )


def libssl_missing(plan: Plan) -> Findings:
    if not (
        plan.tls == "openssl-system" and plan.libc == "glibc" and plan.runtime == "chainguard-glibc"
    ):
        return ()
    return error(
        "tls",
        "Chainguard glibc-dynamic has no libssl.so.3, so a binary linked against the "
        "builder's OpenSSL does not start.",
        "set tls=openssl-vendored, or runtime=distroless-cc (which has libssl3).",
        tls="openssl-vendored",
    )


def rustls_but_tls_none(plan: Plan) -> Findings:
    crates = tls_crates(plan)
    if plan.tls != "none" or not crates & RUSTLS_CRATES or links_openssl(plan):
        return ()
    return warning(
        "tls",
        f"the project uses rustls ({', '.join(sorted(crates & RUSTLS_CRATES))}) but "
        "tls=none, so no CA certificates go into the image.",
        "set tls=rustls.",
        tls="rustls",
    )


def no_ca_roots(plan: Plan) -> Findings:
    crates = plan.project.all_crates
    compiled_in = (
        plan.tls == "rustls"
        and "webpki-roots" in crates
        and "rustls-platform-verifier" not in crates
        and "rustls-native-certs" not in crates
    )
    if (plan.tls == "none" or plan.ca_certs or plan.runtime in CA_RUNTIMES or compiled_in
            or not plan.project.tls_client):
        return ()
    return warning(
        "ca_certs",
        f"{plan.runtime} has no CA certificates, so every HTTPS request the program makes "
        "fails with an unknown-issuer error.",
        "set ca_certs=true (or compile in webpki-roots).",
        ca_certs=True,
    )


def platform_verifier(plan: Plan) -> Findings:
    if (plan.tls != "rustls" or "rustls-platform-verifier" not in plan.project.all_crates
            or not plan.project.tls_client):
        return ()
    return tip(
        "ca_certs",
        "rustls-platform-verifier (reqwest 0.13's default) reads the image's CA bundle; "
        "webpki-roots alone do not help it.",
        "keep ca_certs=true or a runtime that has certificates.",
    )


def aws_lc_build(plan: Plan) -> Findings:
    """Only without a lock file: with one, the system-needs table knows aws-lc-sys's
    version and installs cmake for the versions that need it."""
    if plan.project.build.lock is not None:
        return ()
    if "aws-lc-sys" not in plan.project.tls_crates | plan.project.all_crates:
        return ()
    extra = " and musl-gcc" if plan.libc == "musl" and plan.builder in DEBIAN_BUILDERS else ""
    return warning(
        "builder",
        f"aws-lc-sys (rustls' default crypto, reqwest 0.13) compiles C: the {plan.builder} "
        f"builder needs a C compiler{extra}, plus cmake for its fips feature or aws-lc-rs "
        "before 1.7.",
        "switch rustls to the ring provider, or make sure the builder has cmake and gcc.",
    )


def musl_system_allocator(plan: Plan) -> Findings:
    """A tip, never a warning: the image works as it is, and the default plan of every
    musl web service would otherwise open with a warning about rustdock's own default."""
    if plan.libc != "musl" or plan.allocator != "system":
        return ()
    frameworks = plan.project.frameworks
    load = f"as {frameworks[0]} servers do on every request" if frameworks else "if yours does"
    return tip(
        "allocator",
        f"musl's malloc is often 3-8x slower than glibc's under allocation-heavy load, {load}.",
        "set allocator=mimalloc (or jemalloc): rustdock adds the crate and the "
        "#[global_allocator] lines.",
        allocator="mimalloc",
    )


def allocator_scope_unused(plan: Plan) -> Findings:
    if plan.allocator == "system" or plan.allocator_scope != "musl-only" or plan.libc == "musl":
        return ()
    return tip(
        "allocator_scope",
        f"{plan.allocator} is only enabled for musl builds, but this image is {plan.libc}: "
        "it keeps the system allocator.",
        "set allocator_scope=all to use it here too.",
        allocator_scope="all",
    )


def jemalloc_arm64_pages(plan: Plan) -> Findings:
    if plan.allocator != "jemalloc" or not cross_arm64(plan):
        return ()
    return tip(
        "allocator",
        "jemalloc is built for 4 KB pages; arm64 kernels with 16 or 64 KB pages (Apple "
        "silicon VMs, some Ampere) abort it at start.",
        "mimalloc has no such limit.",
        allocator="mimalloc",
    )


def static_glibc_dns(plan: Plan) -> Findings:
    if plan.libc != "glibc-static" or not plan.project.uses_dns:
        return ()
    if plan.runtime in NO_LIBC_RUNTIMES | {"alpine"}:
        return error(
            "libc",
            f"static glibc resolves host names through NSS libraries loaded at run time, "
            f"and {plan.runtime} has none: every DNS lookup fails.",
            "set libc=musl.",
            libc="musl",
        )
    return warning(
        "libc",
        "static glibc still loads NSS libraries for DNS at run time, and they must be the "
        "exact glibc version it was linked with.",
        "set libc=musl, or libc=glibc for a dynamic binary.",
        libc="musl",
    )


def rust_older_than_msrv(plan: Plan) -> Findings:
    project = plan.project
    if project.rust_version_source != "rust-version":
        return ()
    wanted, chosen = version_tuple(project.rust_version), version_tuple(plan.rust_version)
    # rust:1.80 is the newest 1.80.x, so it satisfies rust-version 1.80.1.
    if not wanted or not chosen or chosen >= wanted[: len(chosen)]:
        return ()
    return error(
        "rust_version",
        f"Cargo.toml needs rust-version {project.rust_version}, but the builder has "
        f"{plan.rust_version}: cargo refuses to build.",
        f"set rust_version={project.rust_version} (or newer).",
        rust_version=project.rust_version,
    )


#: The first Rust release that compiles each edition.
EDITION_SINCE = {"2018": "1.31", "2021": "1.56", "2024": "1.85"}


def rust_older_than_edition(plan: Plan) -> Findings:
    edition = plan.project.edition
    since = EDITION_SINCE.get(edition, "")
    chosen = version_tuple(plan.rust_version)
    if not since or not chosen or chosen >= version_tuple(since)[: len(chosen)]:
        return ()
    return error(
        "rust_version",
        f"Cargo.toml uses edition {edition}, which Rust {plan.rust_version} does not know "
        f"(it needs Rust {since} or newer): cargo stops at the manifest.",
        f"set rust_version={since} or newer.",
        rust_version=since,
    )


def toolchain_file_differs(plan: Plan) -> Findings:
    """The image never reads rust-toolchain.toml (.dockerignore keeps it out), so a version that
    differs from it builds with another Rust than the developer's, and a nightly channel
    builds with stable, where #![feature] fails."""
    project = plan.project
    if not project.rust_version_source.startswith("rust-toolchain"):
        return ()
    source = project.rust_version_source
    channel = project.rust_channel
    if channel.startswith(("nightly", "beta")):
        return warning(
            "rust_version",
            f"{source} asks for {channel!r}, but the official rust images carry stable "
            f"releases only: this image builds with Rust {plan.rust_version}, where "
            "#![feature(...)] and nightly-only flags fail.",
            f"build on stable if the code allows it; otherwise base a builder on "
            f"rustlang/rust:nightly or run `rustup toolchain install {channel}` in it.",
        )
    if not project.rust_version or version_tuple(project.rust_version) == version_tuple(plan.rust_version):
        # "stable" (or no channel): the pinned current release is what stable means today.
        return ()
    return warning(
        "rust_version",
        f"{source} pins {project.rust_version}, but the image builds with "
        f"{plan.rust_version}: the container and your machine compile with different Rust.",
        f"set rust_version={project.rust_version}, or update {source}.",
        rust_version=project.rust_version,
    )


def _variant(plan: Plan) -> str:
    """The builder image variant whose first Rust release matters ("" when none does)."""
    if plan.builder in DEBIAN_BUILDERS:
        return plan.debian
    return "alpine" if plan.builder == "alpine" else ""


def rust_image_missing(plan: Plan) -> Findings:
    variant = _variant(plan)
    since = RUST_VARIANT_SINCE.get(variant, "")
    chosen = version_tuple(plan.rust_version)
    if not since or not chosen or chosen >= version_tuple(since):
        return ()
    image = builder_image(plan.builder, plan.rust_version, plan.debian)
    return warning(
        "rust_version",
        f"{image} may not exist: the official rust image has {variant} variants from "
        f"Rust {since} on, and the pull fails with \"not found\".",
        f"set rust_version={since} or newer (older releases were published for Debian "
        "releases rustdock does not build on).",
        rust_version=since,
    )
