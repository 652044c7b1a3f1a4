"""Detect on project shapes found by trying rustdock on real projects (ripgrep, a Rocket
app, an sqlx workspace): each test pins a fact that was wrong or missing."""

from __future__ import annotations

import pytest

from rustdock.wizard.cargo_sources import Sources
from rustdock.wizard.detect import detect


def test_root_package_without_src(fixture_copy):
    """ripgrep's root package keeps its binary in crates/core and has no src/."""
    p = detect(fixture_copy("bin-outside-src"))
    root = p.member("searcher")
    assert root is not None and root.dir == "." and not root.has_src
    assert p.member("matcher").has_src
    assert p.default_binary.path == "crates/core/main.rs"


def test_release_profile_is_read(fixture_copy):
    p = detect(fixture_copy("bin-outside-src"))
    assert dict(p.release_profile) == {"debug": "1", "strip": "true", "lto": '"fat"'}
    assert detect(fixture_copy("rocket-config")).release_profile == ()


def test_rocket_toml_is_a_runtime_file(fixture_copy):
    """Rocket reads Rocket.toml (port, template_dir, databases) from its working
    directory at run time, so the image needs it next to the binary."""
    p = detect(fixture_copy("rocket-config"))
    assert p.runtime_dirs == ("templates", "static", "Rocket.toml")
    assert "Rocket.toml" not in p.extra_dirs  # a file: never copied as a directory
    assert p.port_guess == 8000


def test_rocket_toml_without_rocket_is_ignored(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "a"\nversion = "0.1.0"\n')
    (tmp_path / "src/main.rs").write_text("fn main() {}\n")
    (tmp_path / "Rocket.toml").write_text("[default]\nport = 1\n")
    assert detect(tmp_path).runtime_dirs == ()


def test_sqlx_data_of_a_library_member_is_found(fixture_copy):
    """`cargo sqlx prepare` writes .sqlx next to the crate with the queries (here the db
    library, not the binary's crate): without it SQLX_OFFLINE is never set."""
    p = detect(fixture_copy("workspace-sqlx"))
    assert p.extra_dirs == ("crates/db/.sqlx",)
    assert p.runtime_dirs == ()


def test_loopback_bind_is_detected(fixture_copy):
    p = detect(fixture_copy("workspace-sqlx"))
    assert p.binds_localhost and p.port_guess == 3000
    assert not detect(fixture_copy("single-crate")).binds_localhost


@pytest.mark.parametrize(
    ("text", "loopback"),
    [
        ('.bind("127.0.0.1:8443")', True),
        ('TcpListener::bind(("localhost", 3000))', True),
        ("SocketAddr::from(([127, 0, 0, 1], 3000))", True),
        ('.bind("0.0.0.0:8080")', False),
        ("SocketAddr::from(([0, 0, 0, 0], 3000))", False),
        # The first listening address decides, like the port guess.
        ('bind("0.0.0.0:80"); let admin = "127.0.0.1:9000";', False),
        ('let url = "http://127.0.0.1/health";', False),
    ],
)
def test_binds_localhost_reads_the_first_address(text, loopback):
    assert Sources(files=(("src/main.rs", text),)).binds_localhost() is loopback



def test_leptos_server_integration_is_a_framework(tmp_path):
    """Leptos' SSR crates are optional and switched on by the `ssr` feature: they still
    make the project a Leptos server, with site-addr's default port."""
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "site"\nversion = "0.1.0"\n\n[dependencies]\n'
        'axum = { version = "0.8", optional = true }\n'
        'leptos_axum = { version = "0.8", optional = true }\n\n'
        '[features]\nssr = ["dep:axum", "dep:leptos_axum"]\n'
    )
    (tmp_path / "src/main.rs").write_text(
        '#[cfg(feature = "ssr")]\n#[tokio::main]\nasync fn main() { let routes = leptos_axum::generate_route_list(App); }\n')
    p = detect(tmp_path)
    assert p.frameworks == ("leptos_axum", "axum") and p.port_guess == 3000
