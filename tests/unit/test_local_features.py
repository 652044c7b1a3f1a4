"""Code behind a feature a default build leaves off is no evidence: hickory-dns' TLS and
HTTPS ports (853, 443) sit in `#[cfg(feature = "__tls")]` functions its default features
do not turn on, and its mDNS port in a module its `mdns` feature gates."""

from __future__ import annotations

from rustdock.wizard.detect import detect
from rustdock.wizard.rust_text import strip_disabled

GATED = '''fn default_port() -> u16 {
    53
}

#[cfg(any(feature = "__tls", feature = "__quic"))]
fn default_tls_port() -> u16 {
    853
}

#[cfg(not(feature = "__https"))]
const NO_HTTPS: bool = true;

#[cfg(all(feature = "sqlite", target_env = "musl"))]
fn unknown_env() -> u16 { 7000 }
'''


def test_items_behind_a_feature_that_is_off_are_blanked_lines_kept():
    text, mods = strip_disabled(GATED, frozenset({"sqlite"}))
    assert "853" not in text and "53" in text
    assert text.count("\n") == GATED.count("\n")  # every path:line stays right
    assert "NO_HTTPS" in text  # not(off) holds
    assert "7000" in text  # depends on target_env: kept
    on, _ = strip_disabled(GATED, frozenset({"__tls", "__https"}))
    assert "853" in on and "NO_HTTPS" not in on
    assert mods == ()


def test_a_feature_that_gates_main_itself_counts_as_on():
    # Leptos: the server's main exists only with `ssr`; the other main is the browser's.
    text = ('#[cfg(feature = "ssr")]\n#[tokio::main]\nasync fn main() { serve(3000).await }\n\n'
            '#[cfg(not(feature = "ssr"))]\npub fn main() { hydrate() }\n')
    kept, _ = strip_disabled(text, frozenset())
    assert "serve(3000)" in kept and "hydrate" not in kept


def test_a_gated_module_file_and_a_gated_file_are_left_out():
    _, mods = strip_disabled('#[cfg(feature = "mdns")]\npub mod multicast;\npub mod tcp;\n', frozenset())
    assert mods == ("multicast",)
    text, _ = strip_disabled('#![cfg(feature = "mdns")]\nconst PORT: u16 = 5353;\n', frozenset())
    assert "5353" not in text


def _write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _project(root, default='"sqlite"', net='{ path = "crates/net" }'):
    _write(root, "Cargo.toml", '[package]\nname = "dns"\nversion = "0.1.0"\n\n'
           f'[features]\ndefault = [{default}]\nsqlite = []\ntls = ["net/tls"]\n\n'
           f'[dependencies]\nnet = {net}\ntokio = "1"\n')
    _write(root, "src/main.rs",
           'use tokio::net::TcpListener;\n\n#[cfg(feature = "tls")]\n'
           'async fn tls() { TcpListener::bind("0.0.0.0:853").await.unwrap(); }\n\n'
           '#[tokio::main]\nasync fn main() {\n    let _ = net::NAME;\n'
           '    TcpListener::bind("0.0.0.0:5300").await.unwrap();\n}\n')
    _write(root, "crates/net/Cargo.toml", '[package]\nname = "net"\nversion = "0.1.0"\n\n'
           '[features]\ntls = []\nmdns = []\n')
    _write(root, "crates/net/src/lib.rs",
           'pub const NAME: &str = "net";\n#[cfg(feature = "mdns")]\npub mod multicast;\n')
    _write(root, "crates/net/src/multicast.rs",
           'pub async fn serve() { tokio::net::UdpSocket::bind("0.0.0.0:5353").await.unwrap(); }\n')
    return root


def _ports(root):
    return {p.number for p in detect(root).ports}


def test_detection_reads_the_default_build_s_code_across_path_dependencies(tmp_path):
    assert _ports(_project(tmp_path / "dns")) == {5300}


def test_the_gated_code_is_read_once_the_default_build_turns_it_on(tmp_path):
    root = _project(tmp_path / "dns", default='"sqlite", "tls"',
                    net='{ path = "crates/net", features = ["mdns"] }')
    assert _ports(root) == {5300, 853, 5353}


def test_control_without_the_gates_every_port_is_seen(tmp_path, monkeypatch):
    # Proves the first test's {5300} is the gates' doing, not files never read.
    import rustdock.wizard.cargo_sources as cargo_sources
    monkeypatch.setattr(cargo_sources, "strip_disabled", lambda text, on: (text, ()))
    assert _ports(_project(tmp_path / "dns")) == {5300, 853, 5353}
