"""Binary roles and the default binary: the one that serves ships (detect_roles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustdock.wizard.crate_modules import module_tree
from rustdock.wizard.detect import detect
from rustdock.wizard.detect_roles import name_role
from rustdock.wizard.options import option
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render

PROJECTS = Path(__file__).parents[1] / "projects"


@pytest.fixture
def project(fixture_copy):
    return lambda name: detect(fixture_copy(name))


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _package(name: str = "app", deps: str = "", extra: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n{extra}\n[dependencies]\n{deps}\n'


def _roles(root: Path) -> list[tuple[str, str]]:
    return [(b.name, b.role) for b in detect(root).binaries]


def test_workspace_cli_listed_first_ships_the_server(project):
    p = project("roles-workspace")
    assert _roles(p.root) == [("shopd", "server"), ("shop", "client")]
    assert p.name == "shopd" and p.default_binary.package_dir == "crates/server"
    # The evidence is in a module of the binary (mod listen;), with its line.
    assert p.binaries[0].role_reason == "binds a socket (crates/server/src/listen.rs:4 TcpListener::bind)"
    assert "crates/cli/src/main.rs:6 TcpStream::connect" in p.binaries[1].role_reason


def test_src_bin_migration_tool_never_ships_over_the_server(project):
    p = project("roles-src-bin")
    assert _roles(p.root) == [("ledgerd", "server"), ("migrate", "migration")]
    # The server code is in the library main.rs calls; migrate calls it too, but its name wins.
    assert "in a library it calls (src/http.rs:2" in p.binaries[0].role_reason


def test_server_named_server_beats_the_cli(project):
    p = project("roles-named")
    assert _roles(p.root) == [("weather-server", "server"), ("weather-cli", "client")]


def test_inventory_sample_defaults_to_its_server():
    p = detect(PROJECTS / "inventory")
    assert [(b.name, b.role) for b in p.binaries] == [("inventory-server", "server"), ("inv", "client")]
    assert p.name == "inventory-server" and p.frameworks == ("axum",)


def test_bin_rename_server_over_default_run_utility(project):
    p = project("bin-rename")
    assert p.default_binary.name == "server" and p.binary("admin").role == "utility"


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts", "cargo-chef"])
def test_dockerfile_builds_only_the_server(fixture_copy, caching):
    plan = make_plan(detect(fixture_copy("roles-workspace")), overrides=[f"caching={caching}"])
    code = "\n".join(line for line in render(plan).dockerfile.splitlines() if not line.startswith("#"))
    assert "shopd" in code and "--bin shop " not in code and "-p shop " not in code
    for command in [line for line in code.splitlines() if "cargo build" in line or "chef cook" in line]:
        assert "-p shopd" in command, command


def test_binary_step_shows_each_role_and_why(project):
    p = project("roles-workspace")
    values = option("binary").allowed(p)
    assert [v.label for v in values] == ["shopd (server)", "shop (client)"]
    assert values[0].help.startswith("Binds a socket (crates/server/src/listen.rs:4")


# Near misses: evidence that looks like serving and is not.

def test_sqlx_bind_and_a_test_listener_are_no_server(tmp_path):
    _write(tmp_path, {
        "Cargo.toml": _package(),
        "src/main.rs": 'mod tests;\nmod db;\nfn main() { db::save(); }\n',
        "src/db.rs": 'pub fn save() { let _q = sqlx::query("insert").bind(1).bind("x"); }\n',
        "src/tests.rs": "fn t() { std::net::TcpListener::bind(\"127.0.0.1:0\").unwrap(); }\n",
    })
    assert _roles(tmp_path) == [("app", "cli")]


def test_another_binarys_listener_is_not_main_s(tmp_path):
    # src/bin/probe.rs binds; src/main.rs shares src/ but not its module tree.
    _write(tmp_path, {
        "Cargo.toml": _package(),
        "src/main.rs": "fn main() {}\n",
        "src/bin/probe.rs": 'fn main() { std::net::TcpListener::bind("0.0.0.0:9").unwrap(); }\n',
    })
    assert _roles(tmp_path) == [("probe", "server"), ("app", "cli")]


def test_library_code_counts_only_when_the_binary_calls_it(tmp_path):
    _write(tmp_path, {
        "Cargo.toml": _package(),
        "src/lib.rs": 'pub fn serve() { std::net::TcpListener::bind("0.0.0.0:9").unwrap(); }\n',
        "src/main.rs": "fn main() { println!(\"hi\"); }\n",
    })
    assert _roles(tmp_path) == [("app", "cli")]


def test_dev_dependency_framework_is_no_server_but_a_used_one_is(tmp_path):
    _write(tmp_path, {
        "Cargo.toml": _package(extra="") + '\n[dev-dependencies]\naxum = "0.8"\n',
        "src/main.rs": "fn main() {}\n",
    })
    assert _roles(tmp_path) == [("app", "cli")]
    _write(tmp_path, {"Cargo.toml": _package(deps='axum = "0.8"'),
                      "src/main.rs": "fn main() { let _r = axum::Router::<()>::new(); }\n"})
    assert detect(tmp_path).binaries[0].role_reason == "uses axum (src/main.rs:1)"


def test_name_words(tmp_path):
    assert name_role("mini-redis-server") == ("server", "server")
    assert name_role("ssserver") == ("server", "server")
    assert name_role("server-cli") == ("client", "cli")  # a client of a server
    assert name_role("lldap_migration_tool")[0] == "migration"
    assert name_role("lldap_set_password")[0] == "utility"
    assert name_role("kubectl") == ("client", "ctl")
    assert name_role("shopd", ["shop"]) == ("server", "shop + d")
    # Near misses: a word inside another word, a "d" ending that is no daemon.
    assert name_role("observer") == ("", "")
    assert name_role("find", ["fd"]) == ("", "")
    assert name_role("clippy") == ("", "")
    assert name_role("ctl") == ("client", "ctl")


def test_module_tree_follows_mod_declarations_only(tmp_path):
    _write(tmp_path, {
        "src/main.rs": '// mod commented;\nmod a;\n#[path = "x/b.rs"]\nmod b;\nmod inline { }\n#[cfg(test)]\nmod t;\n',
        "src/a.rs": "mod deep;\n",
        "src/a/deep.rs": "",
        "src/x/b.rs": "",
        "src/t.rs": "",
        "src/commented.rs": "",
        "src/unrelated.rs": "",
    })
    assert module_tree(tmp_path, "src/main.rs") == ["src/main.rs", "src/a.rs", "src/x/b.rs", "src/a/deep.rs"]


def test_test_servers_and_spec_printers_never_ship(tmp_path):
    # A conformance test server binds a socket; a spec printer is named like HTTP; the real
    # server's socket is in a library it calls: it still ships.
    listen = 'pub fn run() { std::net::TcpListener::bind("0.0.0.0:53").unwrap(); }\n'
    _write(tmp_path, {
        "Cargo.toml": '[workspace]\nmembers = ["conformance/test-server", "proto-http", "app"]\n',
        "conformance/test-server/Cargo.toml": _package("probe"),
        "conformance/test-server/src/main.rs": "fn main() { std::net::UdpSocket::bind(\"0.0.0.0:53\").unwrap(); }\n",
        "proto-http/Cargo.toml": _package("proto-http"),
        "proto-http/src/lib.rs": listen,
        "proto-http/src/main.rs": "fn main() { println!(\"{}\", api_service().spec()); }\n",
        "app/Cargo.toml": _package("app", deps='proto-http = { path = "../proto-http" }'),
        "app/src/main.rs": "fn main() { proto_http::run(); }\n",
    })
    binaries = detect(tmp_path).binaries
    assert [(b.name, b.role) for b in binaries] == [("app", "server"), ("probe", "utility"),
                                                    ("proto-http", "utility")]
    assert binaries[1].role_reason == "test or example tooling (it lives in conformance/)"
    assert binaries[2].role_reason.startswith("prints an OpenAPI spec (proto-http/src/main.rs:1")
