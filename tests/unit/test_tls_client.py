"""A program that only serves HTTPS with rustls is no TLS client: CA certificates are not
added by default and no-ca-roots stays quiet (miniserve, dufs: reqwest only in
[dev-dependencies]). A client crate outside dev-dependencies keeps both."""

from __future__ import annotations

from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.plan import make_plan

LOCK = """version = 4

[[package]]
name = "srv"
version = "0.1.0"
dependencies = [{deps}]

[[package]]
name = "tokio-rustls"
version = "0.26.0"
dependencies = ["rustls"]

[[package]]
name = "rustls"
version = "0.23.0"
dependencies = ["ring"]

[[package]]
name = "ring"
version = "0.17.0"

[[package]]
name = "reqwest"
version = "0.12.0"
dependencies = ["rustls", "webpki-roots"]

[[package]]
name = "webpki-roots"
version = "0.26.0"
"""


def _project(root, client_kind: str):
    (root / "src").mkdir()
    client = 'reqwest = "0.12"\n'
    normal, dev = (client, "") if client_kind == "normal" else ("", client)
    (root / "Cargo.toml").write_text(
        '[package]\nname = "srv"\nversion = "0.1.0"\n\n[dependencies]\ntokio-rustls = "0.26"\n'
        f'{normal}\n[dev-dependencies]\n{dev}')
    deps = '"tokio-rustls", "reqwest"'
    (root / "Cargo.lock").write_text(LOCK.format(deps=deps))
    (root / "src/main.rs").write_text("fn main() {}\n")
    return detect(root)


def test_serving_https_only_is_no_tls_client(tmp_path):
    p = _project(tmp_path, "dev")
    assert p.tls_crates >= {"rustls"} and not p.tls_client
    plan = make_plan(p, answers={"runtime": "scratch"})
    assert plan.tls == "rustls" and not plan.ca_certs
    quiet = make_plan(p, answers={"runtime": "scratch", "ca_certs": False})
    assert "no-ca-roots" not in {f.rule for f in outcome(quiet).findings}


def test_a_client_crate_outside_dev_dependencies_needs_ca_certificates(tmp_path):
    p = _project(tmp_path, "normal")
    assert p.tls_client
    assert make_plan(p, answers={"runtime": "scratch"}).ca_certs
