"""TLS follows the build, not the lock file's union of every feature: a project whose
OpenSSL support is an off-by-default feature (rustypaste: `openssl = ["actix-web/openssl",
"awc/openssl"]`, default rustls) gets no OpenSSL, no Cargo.toml edit and no warning; with
the feature chosen, it gets OpenSSL back."""

from __future__ import annotations

from sys_projects import write_project

from rustdock.wizard.needs_sys import tls_in_build
from rustdock.wizard.patch import patch_project
from rustdock.wizard.plan import make_plan
from rustdock.wizard.rules import check

#: Cargo.lock as cargo writes it for such a project: every feature's edges are there.
ACTIX_LOCK = [
    ("actix-web", "4.13.0", ["actix-http", "actix-tls"]),
    ("actix-http", "3.11.0", []),
    ("awc", "3.8.2", ["actix-tls", "openssl", "rustls"]),
    ("actix-tls", "3.5.0", ["openssl", "tokio-openssl", "tokio-rustls"]),
    ("tokio-openssl", "0.6.5", ["openssl", "openssl-sys"]),
    ("openssl", "0.10.73", ["openssl-sys"]),
    ("openssl-sys", "0.9.109", []),
    ("tokio-rustls", "0.26.2", ["rustls"]),
    ("rustls", "0.23.40", ["ring"]),
    ("ring", "0.17.14", []),
]
FEATURES = {
    "default": ["rustls"],
    "openssl": ["actix-web/openssl", "awc/openssl"],
    "rustls": ["actix-web/rustls-0_23", "awc/rustls-0_23-webpki-roots"],
}


def _project(tmp_path):
    return write_project(tmp_path / "paste", deps={"actix-web": "4.13.0", "awc": "3.8.2"},
                         features=FEATURES, lock=ACTIX_LOCK)


def test_the_lock_holds_openssl_but_the_default_build_does_not(tmp_path):
    project = _project(tmp_path)
    assert "openssl-sys" in project.tls_crates  # the lock's union: what used to decide
    assert tls_in_build(project, {}) == {"rustls", "ring"}
    assert "openssl-sys" in tls_in_build(project, {"features": ("openssl",)})


def test_default_plan_is_rustls_with_no_cargo_edit_and_no_openssl_warning(tmp_path):
    plan = make_plan(_project(tmp_path), overrides=["libc=musl"])
    assert plan.tls == "rustls"
    result = patch_project(plan)
    assert [c.path for c in result.changes if c.path.endswith("Cargo.toml")] == []
    assert not [f for f in (*result.findings, *check(plan)) if "openssl" in f.message.lower()]


def test_choosing_the_openssl_feature_brings_openssl_back(tmp_path):
    project = _project(tmp_path)
    assert make_plan(project, overrides=["features=openssl"]).tls == "openssl-system"
    assert make_plan(project, overrides=["features=openssl"]).libc == "glibc"
    musl = make_plan(project, overrides=["features=openssl", "libc=musl"])
    assert musl.tls == "openssl-vendored"


def test_an_optional_native_tls_no_feature_turns_on_is_not_reported_unswitched(tmp_path):
    # shadowsocks-service: native-tls and tokio-native-tls are optional, off by default.
    project = write_project(
        tmp_path / "proxy",
        deps={"native-tls": {"version": "0.2", "optional": True},
              "tokio-rustls": "0.26"},
        features={"default": [], "local-http-native-tls": ["dep:native-tls"]},
        lock=[("native-tls", "0.2.14", ["openssl", "openssl-sys"]),
              ("openssl", "0.10.73", ["openssl-sys"]), ("openssl-sys", "0.9.109", []),
              ("tokio-rustls", "0.26.2", ["rustls"]), ("rustls", "0.23.40", ["ring"]),
              ("ring", "0.17.14", [])])
    plan = make_plan(project, overrides=["tls=rustls"])
    assert not [f for f in patch_project(plan).findings if f.rule == "tls-unswitched"]
    chosen = make_plan(project, overrides=["tls=rustls", "features=local-http-native-tls"])
    (finding,) = [f for f in patch_project(chosen).findings if f.rule == "tls-unswitched"]
    assert "native-tls" in finding.message
