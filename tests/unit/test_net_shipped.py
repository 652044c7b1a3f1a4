"""Ports and the listen address come from the shipped binary's own code: never from the
package's other binaries (a CLI client's connect address), nor from comments (doc
examples in a vendored library). Shapes from the QA corpus (mini-redis, warpgate)."""

from __future__ import annotations

from rustdock.wizard.detect import detect

SERVER = """use clap::Parser;
#[derive(Parser)]
struct Cli { #[arg(long)] port: Option<u16> }
#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let port = cli.port.unwrap_or(app::DEFAULT_PORT);
    let listener = TcpListener::bind(&format!("127.0.0.1:{port}")).await.unwrap();
}
"""
CLIENT = """use clap::Parser;
#[derive(Parser)]
struct Cli {
    #[arg(id = "hostname", long, default_value = "127.0.0.1")]
    host: String,
    #[arg(long, default_value_t = 7000)]
    port: u16,
}
fn main() {}
"""


def _package(root, lib: str) -> None:
    (root / "src/bin").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        '[package]\nname = "app"\nversion = "0.1.0"\n\n[[bin]]\nname = "app-server"\npath = "src/bin/server.rs"\n\n'
        '[[bin]]\nname = "app-cli"\npath = "src/bin/cli.rs"\n\n[dependencies]\nclap = "4"\ntokio = "1"\n')
    (root / "src/bin/server.rs").write_text(SERVER)
    (root / "src/bin/cli.rs").write_text(CLIENT)
    (root / "src/lib.rs").write_text(lib)


def test_the_server_binary_is_read_not_its_cli_client(tmp_path):
    _package(tmp_path, "pub const DEFAULT_PORT: u16 = 6379;\n")
    p = detect(tmp_path)
    assert p.binaries[0].name == "app-server"
    # the client's --port default 7000 and --host 127.0.0.1 are where it connects
    assert [(x.spec, x.source) for x in p.ports] == [("6379", "src/lib.rs:1 DEFAULT_PORT")]
    # the server hard-codes 127.0.0.1: nothing but the code moves it
    assert p.listen.localhost and p.listen.where == "src/bin/server.rs:8"
    assert not p.listen.env and not p.listen.flag


def test_comments_are_no_evidence(tmp_path):
    lib = ('//! ```\n//! let tcp = TcpStream::connect("127.0.0.1:5900").await?;\n//! ```\n'
           "/// Listens on \"0.0.0.0:1234\" in the example.\npub const DEFAULT_PORT: u16 = 6379;\n")
    _package(tmp_path, lib)
    (tmp_path / "src/bin/server.rs").write_text(SERVER.replace('"127.0.0.1:{port}"', '"0.0.0.0:{port}"'))
    p = detect(tmp_path)
    assert [x.spec for x in p.ports] == ["6379"]
    assert not p.listen.localhost


def _single(root, main: str, deps: str = "") -> None:
    (root / "src").mkdir()
    (root / "Cargo.toml").write_text(f'[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\n{deps}')
    (root / "src/main.rs").write_text(main)


def test_config_rs_defaults_in_code_give_the_port_and_the_listen_address(tmp_path):
    """atuin-server: no config file in the repo, the defaults are set_default calls."""
    _single(tmp_path, """fn settings() -> Result<Settings, ConfigError> {
    let builder = Config::builder()
        .set_default("host", "127.0.0.1")?
        .set_default("port", 8888)?
        .set_default("metrics.enable", false)?
        .set_default("metrics.port", 9001)?
        .add_source(Environment::with_prefix("svc").prefix_separator("_").separator("__"));
    builder.build()?.try_deserialize()
}
fn main() {}
""", 'axum = "0.8"\nconfig = "0.14"\n')
    p = detect(tmp_path)
    # axum's 3000 is only the last resort; the switched-off metrics listener is not exposed
    assert [(x.spec, x.source) for x in p.ports] == [("8888", "src/main.rs:4")]
    assert p.listen.localhost and p.listen.where == "src/main.rs:3"
    assert [(s.name, s.value) for s in p.listen.env] == [("SVC_HOST", "0.0.0.0")]


def test_settings_field_defaults_leave_out_outbound_and_switched_off_structs(tmp_path):
    """lldap: derive_builder defaults; the SMTP port is where it sends mail, LDAPS is off."""
    _single(tmp_path, """pub struct MailOptions {
    #[builder(default = "587")]
    pub port: u16,
}
pub struct TlsOptions {
    #[builder(default = "false")]
    pub enabled: bool,
    #[builder(default = "6360")]
    pub port: u16,
}
pub struct Configuration {
    #[builder(default = "17170")]
    pub http_port: u16,
}
fn main() {}
""", 'actix-web = "4"\n')
    assert [(x.spec, x.source) for x in detect(tmp_path).ports] == [
        ("17170", "src/main.rs:12 configuration_http_port")]


def test_a_port_settings_fallback_counts_an_urls_does_not(tmp_path):
    """notify_push: config.port.unwrap_or(7867); an URL's port().unwrap_or(3478) is where
    it connects (rustdesk's STUN server)."""
    _single(tmp_path, """fn main() {
    let stun = u.port().unwrap_or(3478);
    let port = config.port.unwrap_or(7867);
}
""", 'warp = "0.3"\n')
    assert [(x.spec, x.source) for x in detect(tmp_path).ports] == [("7867", "src/main.rs:3 port")]


def test_a_framework_only_in_the_dependencies_gives_no_default_port(tmp_path):
    """rustdesk-server depends on axum but never names it: no EXPOSE 3000."""
    _single(tmp_path, "fn main() { let l = std::net::TcpListener::bind(addr()).unwrap(); }\n", 'axum = "0.5"\n')
    assert detect(tmp_path).ports == ()
    (tmp_path / "src/main.rs").write_text("fn main() { let app = axum::Router::new(); serve(app); }\n")
    assert [(x.spec, x.source) for x in detect(tmp_path).ports] == [("3000", "axum default")]


def test_a_list_of_default_config_places_names_the_repository_file(tmp_path):
    """sonic tries ./config.cfg, then /etc/...: the repository's config.cfg is copied
    where the program looks first."""
    _single(tmp_path, """const DEFAULT_CONFIG_FILE_PATHS: [&str; 3] = [
    // the working directory first
    "./config.cfg",
    "/etc/svc.cfg",
    "/etc/svc/config.toml",
];
fn main() {
    let matches = Command::new("svc").arg(Arg::new("config").short('c').long("config")).get_matches();
}
""", 'clap = "4"\n')
    (tmp_path / "config.cfg").write_text("[server]\nlog_level = \"debug\"\n")
    p = detect(tmp_path)
    assert (p.config.path, p.config.source, p.config.where) == ("config.cfg", "config.cfg", "src/main.rs:3")
    from rustdock.wizard.generate import outcome
    from rustdock.wizard.plan import make_plan
    text = outcome(make_plan(p)).rendered.dockerfile
    assert "COPY config.cfg /app/config.cfg" in text
    assert "(or the file -c/--config names)" in text


def test_a_protocol_the_program_is_named_for_is_what_it_serves(tmp_path):
    """lldap serves LDAP: its ldap_port listens, while a mail port is where it sends."""
    main = """pub struct MailOptions {
    #[builder(default = "587")]
    pub port: u16,
}
pub struct Configuration {
    #[builder(default = "3890")]
    pub ldap_port: u16,
    #[builder(default = "17170")]
    pub http_port: u16,
}
fn main() {}
"""
    _single(tmp_path, main)
    assert [x.spec for x in detect(tmp_path).ports] == ["17170"]  # "svc": ldap is outbound
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "lldap"\nversion = "0.1.0"\n')
    assert [x.spec for x in detect(tmp_path).ports] == ["3890", "17170"]
