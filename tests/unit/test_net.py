"""Ports with where they come from, the listen address and what moves it: one fixture per
class of project (config file, clap default + env, UDP relay with a test-only module), and
near misses that must not count (test code, outbound settings, disabled sections)."""

from __future__ import annotations

import pytest

from rustdock.wizard.cargo_sources import Sources
from rustdock.wizard.code_net import args, config_layers, listen_literals, port_constants
from rustdock.wizard.detect import detect
from rustdock.wizard.detect_config import required_settings
from rustdock.wizard.generate import outcome
from rustdock.wizard.plan import make_plan
from rustdock.wizard.rust_text import strip_tests


def ports(project):
    return [(p.spec, p.source) for p in project.ports]


def dockerfile(plan) -> str:
    return outcome(plan).rendered.dockerfile


def test_ports_come_from_the_default_config_file_not_dev_db_or_disabled_sections(fixture_copy):
    p = detect(fixture_copy("net-config-rs"))
    # development.yaml's 7333, the database's 5432 and the disabled cluster's 6335 are not listened on.
    assert ports(p) == [("6333", "config/default.yaml:5"), ("6334", "config/default.yaml:6")]
    assert p.port_guess == 6333


def test_config_rs_layer_moves_a_localhost_setting(fixture_copy):
    p = detect(fixture_copy("net-config-rs"))
    assert p.listen.localhost and p.listen.where == "config/default.yaml:4"
    assert [(s.name, s.value) for s in p.listen.env] == [("SERVICE__HOST", "0.0.0.0")]
    text = dockerfile(make_plan(p))
    assert "EXPOSE 6333 6334\n" in text
    assert "ENV SERVICE__HOST=0.0.0.0\n" in text
    assert "# config-rs (src/main.rs:19) maps SERVICE__HOST onto service.host" in text


def test_clap_default_and_its_env_var(fixture_copy):
    p = detect(fixture_copy("net-clap-env"))
    # The database address is where it connects, and the test module's literal is test code.
    assert ports(p) == [("8080", "src/main.rs:8 clap default"), ("9090", "src/main.rs:11 clap default")]
    assert p.listen.localhost and [(s.name, s.value) for s in p.listen.env] == [("X_HTTP_ADDR", "0.0.0.0:8080")]
    plan = make_plan(p)
    assert "ENV X_HTTP_ADDR=0.0.0.0:8080\n" in dockerfile(plan)
    assert "binds-localhost" not in {f.rule for f in outcome(plan).findings}


def test_udp_and_tcp_ports_and_a_test_module_file_ignored(fixture_copy):
    p = detect(fixture_copy("net-udp-relay"))
    assert [x.spec for x in p.ports] == ["21117", "21116", "21116/udp"]
    assert not p.listen.localhost  # src/tests.rs binds 127.0.0.1:8080, but only under cargo test
    text = dockerfile(make_plan(p))
    assert "EXPOSE 21117 21116 21116/udp\n" in text


def test_framework_default_is_the_last_resort_and_rocket_gets_its_variable(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "r"\nversion = "0.1.0"\n[dependencies]\nrocket = "0.5"\n')
    (tmp_path / "src/main.rs").write_text("#[rocket::launch]\nfn rocket() -> _ { rocket::build() }\n")
    p = detect(tmp_path)
    assert ports(p) == [("8000", "rocket default")]
    assert p.listen.localhost and p.listen.env[0].name == "ROCKET_ADDRESS"
    assert "ENV ROCKET_ADDRESS=0.0.0.0\n" in dockerfile(make_plan(p))


def test_localhost_with_nothing_to_move_it_says_where_in_the_code(fixture_copy):
    plan = make_plan(detect(fixture_copy("workspace-sqlx")))
    found = next(f for f in outcome(plan).findings if f.rule == "binds-localhost")
    assert "crates/api/src/main.rs:3" in found.message


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("#[cfg(test)]\nmod t { fn a() { bind(\"127.0.0.1:1\"); } }\nfn b() {}", "fn b() {}"),
        ("#[test]\nfn a() { let s = \"}\"; }\nfn b() {}", "fn b() {}"),
        ("#[cfg(all(test, unix))]\nfn a() {}\nfn b() {}", "fn b() {}"),
        # Not test-only: cfg(not(test)) and a feature named test-utils.
        ("#[cfg(not(test))]\nfn a() {}", "fn a() {}"),
        ('#[cfg(feature = "test-utils")]\nfn a() {}', "fn a() {}"),
    ],
)
def test_test_only_items_are_blanked_with_their_lines(text, kept):
    stripped, _ = strip_tests(text)
    assert kept in stripped and stripped.count("\n") == text.count("\n")


def test_clap_arguments_builder_and_derive():
    text = (
        '#[arg(short, long, env)]\nconfig: Option<PathBuf>,\n'
        'let m = Command::new("x").arg(Arg::new("port").long("port").default_value("7000").env("X_PORT"));\n'
    )
    found = {a.name: a for a in args(Sources(files=(("src/main.rs", text),)))}
    assert (found["config"].env, found["config"].short, found["config"].type) == ("CONFIG", "c", "Option<PathBuf>")
    assert (found["port"].default, found["port"].env) == ("7000", "X_PORT")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('UdpSocket::bind("0.0.0.0:5353")', [("0.0.0.0:5353", "udp")]),
        ('TcpListener::bind(("127.0.0.1", 3000))', [("127.0.0.1:3000", "tcp")]),
        ("SocketAddr::from(([0, 0, 0, 0], 7000))", [("0.0.0.0:7000", "tcp")]),
        # An URL is not a listening address.
        ('let url = "http://127.0.0.1/health";', []),
    ],
)
def test_listening_calls(text, found):
    assert [(f.value, f.extra) for f in listen_literals(Sources(files=(("src/main.rs", text),)))] == found


@pytest.mark.parametrize(
    ("text", "key", "var"),
    [
        ('Environment::with_prefix("APP").separator("__")', "server.address", "APP__SERVER__ADDRESS"),
        ('Environment::with_prefix("APP").prefix_separator("_").separator("__")', "server.address",
         "APP_SERVER__ADDRESS"),
        ('Environment::default().separator("__")', "server.address", "SERVER__ADDRESS"),
        ('Env::prefixed("APP_")', "address", "APP_ADDRESS"),
        # Without a separator, nested keys cannot be set from the environment.
        ('Env::prefixed("APP_")', "server.address", ""),
        ('envy::prefixed("MY_").from_env::<Config>()', "bind", "MY_BIND"),
    ],
)
def test_config_layers_name_the_variable(text, key, var):
    (layer,) = config_layers(Sources(files=(("src/main.rs", text),)))
    assert layer.var(key) == var


def test_config_file_read_at_start_is_copied_where_the_program_looks(fixture_copy):
    p = detect(fixture_copy("net-config-file"))
    c = p.config
    assert (c.path, c.source, c.env, c.flag, c.where) == (
        "config.toml", "config.example.toml", "NOTES_CONFIG", "-c/--config", "src/main.rs:8")
    # The secret has no default and is not optional; the database URL is read with expect.
    assert [(s.name, s.where) for s in p.required_settings] == [
        ("DATABASE_URL", "src/main.rs:23"), ("NOTES_SECRET", "src/main.rs:11")]
    plan = make_plan(p)
    assert plan.config_file == "copy"
    text = dockerfile(plan)
    assert "COPY config.example.toml /app/config.toml\n" in text
    assert "DATABASE_URL\n# (src/main.rs:23), NOTES_SECRET" in text or "DATABASE_URL (src/main.rs:23)" in text
    mounted = dockerfile(plan.with_choice("config_file", "mount"))
    assert "COPY config.example.toml" not in mounted
    assert "docker run -v ./config.toml:/app/config.toml:ro" in mounted.replace("\n# ", " ")
    # Set in env, a setting is no longer listed as missing.
    assert "NOTES_SECRET (" not in dockerfile(plan.with_choice("env", "NOTES_SECRET=x"))


def test_config_rs_file_is_found_with_its_extension(fixture_copy):
    p = detect(fixture_copy("net-config-rs"))
    assert (p.config.path, p.config.source, p.config.required) == (
        "config/default.yaml", "config/default.yaml", True)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Optional: a fallback, .required(false), figment's providers.
        ('let s = std::fs::read_to_string("config.toml").unwrap_or_default();', None),
        ('File::with_name("config/app").required(false)', None),
        ('let t = std::fs::read_to_string("settings.yaml")?;', "settings.yaml"),
        # Not a config file.
        ('let t = std::fs::read_to_string("notes.txt")?;', None),
    ],
)
def test_config_reads_near_misses(tmp_path, text, found):
    from rustdock.wizard.detect_config import detect_config

    fact = detect_config(tmp_path, ["."], Sources(files=(("src/main.rs", f"fn main() {{ {text} }}"),)))
    assert (fact.path if fact else None) == found


def test_ports_option_old_answers_and_validation(fixture_copy):
    p = detect(fixture_copy("net-udp-relay"))
    assert make_plan(p).ports == ("21117", "21116", "21116/udp")
    old = make_plan(p, answers={"port": 9000})
    assert old.ports == ("9000",) and old.port == 9000 and old.answers() == {"ports": ["9000"]}
    udp_only = make_plan(p, overrides=["ports=5353/udp"])
    assert udp_only.port == 0  # no TCP port: nothing for the healthcheck


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('let p = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());', [("8080", "PORT")]),
        # The default in a match's Err arm, after an Ok arm that prints {braces} and exits.
        ('let port = match std::env::var("APP_PORT") {\n'
         '    Ok(text) => text.parse().unwrap_or_else(|_| {\n'
         '        eprintln!("bad port {text:?}");\n        std::process::exit(2)\n    }),\n'
         '    Err(_) => 9090,\n};', [("9090", "APP_PORT")]),
        # The match ended before any Err arm: a later number is not its default.
        ('let port = match std::env::var("PORT") { Ok(v) => v, _ => panic!() };\nlet n = 5;\n'
         'match x { Err(_) => 4000 }', []),
        ('const HTTP_PORT: u16 = 7070;', [("7070", "HTTP_PORT")]),
    ],
)
def test_port_defaults_in_code(text, found):
    assert [(f.value, f.extra) for f in port_constants(Sources(files=(("src/main.rs", text),)))] == found


@pytest.mark.parametrize(
    ("text", "required"),
    [
        ('let url = env::var("DATABASE_URL").expect("set DATABASE_URL");', ["DATABASE_URL"]),
        ('let key = std::env::var_os("API_KEY").unwrap();', ["API_KEY"]),
        # realworld-rust-rocket: a fallback that panics (in release builds) is no default.
        ('let secret = env::var("SECRET_KEY").unwrap_or_else(|err| {\n'
         '    if cfg!(debug_assertions) { SECRET.to_string() }\n'
         '    else { panic!("No SECRET_KEY: {:?}", err) }\n});', ["SECRET_KEY"]),
        ('let port = env::var("PORT").unwrap_or_else(|_| "8000".to_string());', []),
        # warpgate: required only when a flag asks for it.
        ('let token = flag.then(|| {\n    std::env::var("ADMIN_TOKEN").unwrap_or_else(|_| {\n'
         '        std::process::exit(1);\n    })\n});', []),
        # a fallback that ends before a later panic of the same function
        ('let a = env::var("LEVEL").unwrap_or_else(|_| "info".into());\npanic!("later");', []),
    ],
)
def test_required_settings_are_reads_the_program_cannot_go_on_without(text, required):
    found = required_settings(Sources(files=(("src/main.rs", text),)))
    assert [s.name for s in found] == required


RATHOLE_CLI = '''use clap::{ArgGroup, Parser};

#[derive(Parser, Debug)]
#[clap(group(
            ArgGroup::new("cmds")
                .required(true)
                .args(&["CONFIG", "genkey"]),
        ))]
pub struct Cli {
    /// The path to the configuration file
    #[clap(parse(from_os_str), name = "CONFIG")]
    pub config_path: Option<std::path::PathBuf>,
    #[clap(long, short)]
    pub server: bool,
}

fn main() {
    let cli = Cli::parse();
}
'''


def _positional_config_project(root, cli=RATHOLE_CLI):
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "tunnel"\nversion = "0.1.0"\n\n'
                                     '[dependencies]\nclap = { version = "3", features = ["derive"] }\n')
    (root / "src" / "main.rs").write_text(cli)
    for rel in ("examples/iperf3/server.toml", "examples/minimal/server.toml",
                "examples/minimal/client.toml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("[server]\nbind_addr = \"0.0.0.0:2333\"\n")
    return detect(root)


def test_a_config_file_given_as_the_argument_is_asked_for_with_an_example(tmp_path):
    project = _positional_config_project(tmp_path / "tunnel")
    c = project.config
    assert (c.positional, c.required, c.where, c.source) == (
        True, True, "src/main.rs:11", "examples/minimal/server.toml")
    plan = make_plan(project)
    (finding,) = [f for f in outcome(plan).findings if f.rule == "config-argument"]
    assert "examples/minimal/server.toml" in finding.fix
    fixed = outcome(plan.with_choice("args", "/app/config.toml"))
    assert "config-argument" not in [f.rule for f in fixed.findings]
    assert 'CMD ["/app/config.toml"]' in fixed.rendered.dockerfile
    assert "docker run -v ./config.toml:/app/config.toml:ro" in fixed.rendered.dockerfile.replace("\n# ", " ")
    # The note follows the path args gives.
    elsewhere = outcome(plan.with_choice("args", "/etc/tunnel/server.toml")).rendered.dockerfile
    assert "docker run -v ./server.toml:/etc/tunnel/server.toml:ro" in elsewhere.replace("\n# ", " ")


def test_an_optional_positional_config_is_no_error(tmp_path):
    cli = RATHOLE_CLI.replace(".required(true)", ".required(false)")
    project = _positional_config_project(tmp_path / "tunnel", cli)
    assert project.config.positional and not project.config.required
    assert "config-argument" not in [f.rule for f in outcome(make_plan(project)).findings]


def test_a_flattened_config_struct_is_no_config_file_argument(tmp_path):
    # lychee: `#[clap(flatten)] config: Config` holds flags; its file comes with --config.
    cli = RATHOLE_CLI.replace("pub config_path: Option<std::path::PathBuf>,",
                              "#[clap(flatten)]\n    pub config: Config,")
    project = _positional_config_project(tmp_path / "tunnel", cli)
    assert project.config is None or not project.config.positional
