"""The subcommand that runs the service is the image's default argument when the command
line requires a subcommand (bore `server`, atuin-server `start`, warpgate `run`, lldap's
renamed `run`); an optional subcommand needs none."""

from __future__ import annotations

import pytest

from rustdock.wizard.cargo_sources import Sources
from rustdock.wizard.code_commands import service_command
from rustdock.wizard.detect import detect
from rustdock.wizard.generate import outcome
from rustdock.wizard.plan import make_plan

BORE = """use clap::{Parser, Subcommand};
#[derive(Parser, Debug)]
struct Args {
    #[clap(subcommand)]
    command: Command,
}
#[derive(Subcommand, Debug)]
enum Command {
    Local {
        #[clap(long, default_value = "localhost")]
        local_host: String,
    },
    Server {
        #[clap(long, default_value_t = 1024)]
        min_port: u16,
    },
}
"""
ATUIN = """#[derive(Parser, Debug)]
#[clap(name = "svc", version, infer_subcommands = true)]
enum Cmd {
    Start { host: Option<String> },
    DefaultConfig,
}
"""
LLDAP = """#[derive(Debug, Parser, Clone)]
pub struct CLIOpts {
    #[clap(subcommand)]
    pub command: Command,
}
#[derive(Debug, Parser, Clone)]
pub enum Command {
    #[clap(name = "export_graphql_schema")]
    ExportGraphQLSchema(ExportOpts),
    #[clap(name = "run")]
    Run(RunOpts),
}
"""
OPTIONAL = BORE.replace("command: Command,", "command: Option<Command>,")


@pytest.mark.parametrize(("text", "name", "line"), [
    (BORE, "server", 13), (ATUIN, "start", 4), (LLDAP, "run", 11), (OPTIONAL, "", 0),
    ("fn main() {}\n", "", 0),
])
def test_the_service_subcommand(text, name, line):
    found = service_command(Sources(files=(("src/main.rs", "use clap::Parser;\n" + text),)))
    assert (found.name, found.where) == (name, f"src/main.rs:{line + 1}" if name else "")


def test_the_image_runs_the_service_subcommand(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "tunnel"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n')
    (tmp_path / "src/main.rs").write_text(BORE + "fn main() { let args = Args::parse(); }\n")
    p = detect(tmp_path)
    assert (p.service_command, p.service_command_why) == ("server", "src/main.rs:13")
    plan = make_plan(p)
    assert plan.args == "server"
    text = outcome(plan).rendered.dockerfile
    assert 'CMD ["server"]' in text and "`server` is the subcommand that runs the service (src/main.rs:13)" in text
