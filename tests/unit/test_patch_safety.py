"""Cargo.toml edits that cannot hurt: findings about OpenSSL only for crates that pull it,
no second global allocator, no panic=abort where code catches unwinds, no new dependency
in the default plan."""

from __future__ import annotations

from sys_projects import write_project

from rustdock.wizard.patch import patch_project
from rustdock.wizard.plan import make_plan


def _unswitched(plan) -> list[str]:
    return [f.message for f in patch_project(plan).findings if f.rule == "tls-unswitched"]


def test_a_crate_that_only_pulls_rustls_is_not_said_to_link_openssl(tmp_path):
    project = write_project(
        tmp_path, deps={"actix-files": "0.6", "webby": "1"},
        lock=[("actix-files", "0.6.6", ["actix-web"]), ("actix-web", "4.9.0", ["rustls"]),
              ("webby", "1.0.0", ["rustls"]), ("rustls", "0.23.20", ["ring"]),
              ("ring", "0.17.8", [])])
    plan = make_plan(project, overrides=["tls=rustls"])
    assert _unswitched(plan) == []


def test_a_crate_that_really_pulls_openssl_sys_is_named(tmp_path):
    project = write_project(
        tmp_path, deps={"webby": "1"},
        lock=[("webby", "1.0.0", ["native-tls"]), ("native-tls", "0.2.12", ["openssl"]),
              ("openssl", "0.10.68", ["openssl-sys"]), ("openssl-sys", "0.9.104", [])])
    plan = make_plan(project, overrides=["tls=rustls"])
    assert any("webby" in m for m in _unswitched(plan))
