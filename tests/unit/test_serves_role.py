"""Whether the program serves follows the shipped binary's role when its code says:
a link checker that uses hyper as a client is a command-line tool (lychee: no "server
ignores SIGTERM" warning, no tini by default), a relay that binds sockets with no web
framework and no fixed port is a server (rathole, electrs)."""

from __future__ import annotations

from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.plan import make_plan


def _project(root, main: str, deps: str):
    (root / "src").mkdir()
    (root / "Cargo.toml").write_text(f'[package]\nname = "linkcheck"\nversion = "0.1.0"\n\n[dependencies]\n{deps}')
    (root / "src/main.rs").write_text(main)
    return detect(root)


def test_a_cli_using_an_http_client_is_no_server(tmp_path):
    p = _project(tmp_path, """fn main() {
    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
    check_links(client, std::env::args());
}
""", 'hyper = "1"\nhyper-util = "0.1"\ntokio = { version = "1", features = ["full"] }\n')
    assert p.binaries[0].role == "cli" and "hyper" in p.frameworks
    assert not p.serves
    plan = make_plan(p)
    assert plan.init == "none"
    (found,) = [f for f in outcome(plan).findings if f.rule == "pid1-signals"]
    assert found.severity == "tip" and "the server" not in found.message


def test_a_socket_server_without_framework_or_port_serves(tmp_path):
    p = _project(tmp_path, """async fn run(addr: String) {
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    loop { let (s, _) = listener.accept().await.unwrap(); relay(s).await; }
}
fn main() {}
""", 'tokio = { version = "1", features = ["full"] }\n')
    assert p.binaries[0].role == "server" and not p.frameworks and not p.port_guess
    assert p.serves
    assert make_plan(p).init == "tini"
