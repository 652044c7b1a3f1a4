"""The real-crate samples that test what a build needs (issue 10), each then checked by
`rustdock verify` (issue 9): greeter (build.rs runs protoc), ledger (a features-gated
build on libpq), linkcheck (native-tls on OpenSSL), inventory (a workspace whose server
is the binary to ship, jemalloc set as #[global_allocator] in a library crate).

One build per sample and session (`sample_build`), from rustdock's default plan plus
the choices a user must make (each said below, with the finding that asks for it).
"""

from __future__ import annotations

import re

import pytest

from benchmarks.pipeline import PROJECTS, copy_project, plan_outcome

# `make e2e-full`, not `make test`: cold, these builds compile ~600 crates (tests/e2e/README.md).
pytestmark = [pytest.mark.e2e, pytest.mark.samples]

# Its default is static musl (protoc is a builder need, nothing musl cannot link); the
# musl standard library cannot be installed here.
GREETER = ["libc=glibc"]
# Both from rustdock's own errors on the default plan: build.rs stops the build unless a
# backend feature is on ("Fix: set features=postgres"), and then distroless has no libpq5
# ("Fix: set runtime=debian-slim, which installs libpq5").
LEDGER = ["features=postgres", "runtime=debian-slim"]
LINKCHECK: list[str] = []
# The server's default is now static musl (roles ships inventory-server, which has no
# C library musl cannot link); the musl standard library cannot be installed here.
INVENTORY = ["libc=glibc"]


def _ok(report) -> list[str]:
    return [c.line() for c in report.failed] + [report.output]


def _cargo_commands(dockerfile: str) -> list[str]:
    text = dockerfile.replace("\\\n", " ")
    return [m.group(0) for m in re.finditer(r"cargo (?:build|chef cook|install)[^&\n]*", text)]


# -- greeter: protoc --------------------------------------------------------------------


def test_greeter_builds_with_protoc_and_passes_verify(sample_build, verify, serve, engine):
    greeter = sample_build("greeter", GREETER)
    assert "protobuf-compiler" in greeter.outcome.rendered.dockerfile
    report = verify(greeter)
    assert report.ok, _ok(report)
    assert report.check("port 50051").status == "pass"
    with serve(greeter, ["50051/tcp"], ready="50051/tcp") as running:
        # The image's own binary is its gRPC client: one SayHello over HTTP/2 to the server.
        call = engine.exec(running.name, [f"/app/{greeter.outcome.plan.binary}", "--call",
                                          "http://127.0.0.1:50051", "rustdock"], timeout=60)
        assert call.returncode == 0 and call.stdout.strip() == "hello, rustdock (#1)", call


# -- ledger: features, libpq ------------------------------------------------------------


def test_ledger_without_a_backend_is_an_error_naming_the_features(tmp_path):
    """What sends a user to LEDGER's sets: the default plan cannot build."""
    result = plan_outcome(copy_project("ledger", tmp_path / "ledger"), ["frontend=builtin"])
    fixes = {dict(f.fix_choices).get("features") for f in result.errors if f.option == "features"}
    assert fixes == {("postgres",), ("sqlite",)}, result.errors


def test_ledger_builds_on_libpq_with_its_feature_and_passes_verify(sample_build, verify, serve, image_file):
    ledger = sample_build("ledger", LEDGER)
    dockerfile = ledger.outcome.rendered.dockerfile
    commands = _cargo_commands(dockerfile)
    assert commands and all("--features postgres" in c for c in commands), commands
    assert re.search(r"apt-get install[^\n]*libpq5", dockerfile.replace("\\\n", " "))
    report = verify(ledger)  # start: libpq5 loaded at run time
    assert report.ok, _ok(report)
    assert report.check("port 8000").status == "pass"
    with serve(ledger, ["8000/tcp"], ready="8000/tcp") as running:
        assert running.http("8000/tcp", "/backend") == (200, "postgres\n")
        # No database here: diesel's PgConnection (libpq) answers that it cannot connect.
        status, text = running.http("8000/tcp", "/entries")
        assert status == 503, text
    assert b"libpq.so.5" in image_file(ledger.image, f"/app/{ledger.outcome.plan.binary}")


# -- linkcheck: native-tls (OpenSSL) ----------------------------------------------------


def test_linkcheck_links_openssl_at_run_time(sample_build, serve):
    linkcheck = sample_build("linkcheck", LINKCHECK)
    # Its port is PORT's default in the code (8080), published by the test whatever the
    # image exposes (verify below checks that).
    with serve(linkcheck, ["8080/tcp"], ready="8080/tcp") as running:
        status, version = running.http("8080/tcp", "/tls")
        # Debian bookworm's libssl3, loaded from the runtime image (not vendored).
        assert status == 200 and version.startswith("OpenSSL 3."), version


def test_linkcheck_passes_verify(sample_build, verify):
    report = verify(sample_build("linkcheck", LINKCHECK))
    assert report.ok, _ok(report)
    assert report.check("port 8080").status == "pass"


# -- inventory: the workspace's server, jemalloc in a library ----------------------------


def test_inventory_builds_jemalloc_from_its_library_crate(sample_build, image_file):
    inventory = sample_build("inventory", INVENTORY)
    # Its #[global_allocator] lives in crates/core: kept, not doubled, no crate added.
    for kept in ("Cargo.lock", "crates/core/Cargo.toml", "crates/core/src/lib.rs",
                 "crates/server/Cargo.toml", "crates/server/src/main.rs"):
        assert (inventory.root / kept).read_text() == (PROJECTS / "inventory" / kept).read_text(), kept
    binary = image_file(inventory.image, f"/app/{inventory.outcome.plan.binary}")
    assert b"jemalloc" in binary and b"mimalloc" not in binary


def test_inventory_ships_its_server_and_passes_verify(sample_build, verify, serve):
    inventory = sample_build("inventory", INVENTORY)
    assert inventory.outcome.plan.binary == "inventory-server"
    # Only the server is built: -p/--bin, not the whole workspace.
    assert all("inventory-server" in c for c in _cargo_commands(inventory.outcome.rendered.dockerfile))
    report = verify(inventory)
    assert report.ok, _ok(report)
    assert report.check("port 7878").status == "pass"
    with serve(inventory, ["7878/tcp"], ready="7878/tcp") as running:
        status, health = running.http("7878/tcp", "/health")
        assert status == 200 and '"allocator":"jemalloc"' in health, health
