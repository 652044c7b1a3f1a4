"""What build scripts need: git (kept reachable or passed as a build argument), the
network, files they read; git dependencies; submodules; sqlx's DATABASE_URL from .env."""

from __future__ import annotations

import pytest
from sys_projects import write_project

from rustdock.wizard.build_scripts import read_script
from rustdock.wizard.cli import main
from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.plan import make_plan
from rustdock.wizard.render import render
from rustdock.wizard.rules import check

GIT_SCRIPT = '''use std::process::Command;
fn main() {
    let version = std::env::var("APP_VERSION").or_else(|_| {
        let out = Command::new("git").args(["describe", "--tags"]).output()?;
        Ok::<_, std::io::Error>(String::from_utf8_lossy(&out.stdout).into_owned())
    });
    println!("cargo:rustc-env=APP_VERSION={}", version.unwrap_or_default());
    println!("cargo:rerun-if-env-changed=CARGO_PKG_VERSION");
}
'''


def _ids(plan) -> set[str]:
    return {f.rule for f in check(plan)}


# -- reading one script -----------------------------------------------------------------

def test_a_script_that_runs_git_and_reads_an_override():
    facts = read_script("build.rs", "app", ".", GIT_SCRIPT, [])
    assert facts.git == "build.rs:4 runs git"
    assert facts.env == ("APP_VERSION",)  # CARGO_* are cargo's own


@pytest.mark.parametrize("deps, found", [
    ([("vergen", ("build", "git"))], "vergen's git feature"),
    ([("vergen-gitcl", ())], "vergen-gitcl"),
    ([("shadow-rs", ())], "shadow-rs"),
    ([("vergen", ("build", "cargo"))], ""),  # near miss: vergen without git
    ([("cc", ())], ""),
])
def test_crates_that_read_git(deps, found):
    facts = read_script("build.rs", "app", ".", "fn main() {}\n", deps)
    assert (found in facts.git) if found else facts.git == ""


def test_downloads_name_the_tool_and_the_url():
    text = ('fn main() { std::process::Command::new("curl").args(["-o", "x.bin", '
            '"https://example.com/model.bin"]).status().unwrap(); }\n')
    facts = read_script("crates/ml/build.rs", "ml", "crates/ml", text, [])
    assert facts.downloads == "runs curl" and facts.urls == ("https://example.com/model.bin",)
    quiet = read_script("build.rs", "app", ".", 'fn main() { let _ = "https://x.org"; }\n', [])
    assert quiet.downloads == "" and quiet.urls == ()  # a URL alone is no download


def test_files_a_script_reads_are_relative_to_its_package():
    text = ('fn main() { let _ = std::fs::read_to_string("../../proto/schema.json"); '
            'println!("cargo:rerun-if-changed=assets/icons"); }\n')
    facts = read_script("crates/api/build.rs", "api", "crates/api", text, [])
    assert facts.reads == ("proto/schema.json", "crates/api/assets/icons")


# -- git in the build --------------------------------------------------------------------

def _git_project(tmp_path, script=GIT_SCRIPT):
    return write_project(tmp_path, build_rs=script, lock=[])


def test_an_override_variable_becomes_a_build_argument_by_default(tmp_path):
    plan = make_plan(_git_project(tmp_path), overrides=["caching=dummy-main"])
    assert plan.build_git == "build-arg"
    assert values(needs(plan).build_args) == ("APP_VERSION",)
    dockerfile = render(plan).dockerfile
    arg = dockerfile.index("ARG APP_VERSION")
    assert dockerfile.index("printf 'fn main()") < arg < dockerfile.rindex("cargo build")
    assert "--build-arg APP_VERSION=" in dockerfile.replace("\n# ", " ")  # how to pass it
    assert ".git" not in values(needs(plan).build_files)


GIT_ONLY = 'fn main() { let _ = std::process::Command::new("git").arg("rev-parse").output(); }\n'


def test_without_an_override_git_stays_reachable(tmp_path):
    (tmp_path / ".git").mkdir(parents=True)
    plan = make_plan(_git_project(tmp_path, GIT_ONLY), overrides=["caching=dummy-main",
                                                                    "builder=debian-slim"])
    assert plan.build_git == "context"
    assert ".git/" in values(needs(plan).sources)
    assert "git" in values(needs(plan).builder_packages)
    rendered = render(plan)
    assert "COPY .git .git/" in rendered.dockerfile
    assert "!.git" in rendered.dockerignore.splitlines()
    tip = next(f for f in check(plan) if f.rule == "build-script-git-how")
    assert "build.rs:1 runs git" in tip.message


def test_without_a_repository_there_is_nothing_to_copy(tmp_path):
    plan = make_plan(_git_project(tmp_path, GIT_ONLY), overrides=["caching=dummy-main"])
    assert plan.build_git == "none" and ".git/" not in values(needs(plan).sources)
    forced = plan.with_choice("build_git", "context")
    assert ".git/" not in values(needs(forced).sources)  # COPY .git would fail
    found = next(f for f in check(forced) if f.rule == "build-script-git")
    assert "no .git directory" in found.message and found.fix_choices == ()


def test_leaving_git_out_warns_that_the_program_says_unknown(tmp_path):
    plan = make_plan(_git_project(tmp_path), overrides=["build_git=none"])
    found = next(f for f in check(plan) if f.rule == "build-script-git")
    assert found.severity == "warning" and found.fix_choices == (("build_git", "build-arg"),)
    assert "!.git" not in render(plan).dockerignore.splitlines()


def test_no_git_no_question(tmp_path):
    plan = make_plan(write_project(tmp_path, build_rs="fn main() {}\n", lock=[]))
    assert not {"build-script-git", "build-script-git-how"} & _ids(plan)
    assert values(needs(plan).build_args) == ()


# -- network, git dependencies, submodules -------------------------------------------------

def test_a_download_at_build_time_is_a_warning_naming_the_file(tmp_path):
    script = ('fn main() { std::process::Command::new("wget").arg('
              '"https://example.com/data.tar.gz").status().unwrap(); }\n')
    plan = make_plan(write_project(tmp_path, build_rs=script, lock=[]))
    found = next(f for f in check(plan) if f.rule == "build-script-downloads")
    assert "build.rs" in found.message and "https://example.com/data.tar.gz" in found.message


def test_git_dependencies_say_the_build_needs_their_host(tmp_path):
    project = write_project(tmp_path, deps={"team": {"git": "https://github.com/rust-lang/team"}},
                            lock=[])
    lock = (tmp_path / "Cargo.lock").read_text().replace(
        'version = "0.1.0"\ndependencies', 'version = "0.1.0"\ndependencies', 1)
    lock += ('\n[[package]]\nname = "team"\nversion = "0.1.0"\nsource = '
             '"git+https://github.com/rust-lang/team#1a2b3c"\n')
    (tmp_path / "Cargo.lock").write_text(lock)
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(tmp_path))
    found = next(f for f in check(plan) if f.rule == "git-dependencies")
    assert "https://github.com/rust-lang/team" in found.message


def test_a_path_dependency_in_an_absent_submodule_is_an_error_saying_how(tmp_path):
    project = write_project(tmp_path, deps={"common": {"path": "libs/common"}}, lock=[],
                            files={".gitmodules": '[submodule "libs/common"]\n\tpath = libs/common\n'
                                   '\turl = https://github.com/example/common\n'})
    (tmp_path / "libs" / "common").mkdir(parents=True)
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(tmp_path))
    found = next(f for f in check(plan) if f.rule == "submodule-missing")
    assert found.is_error and "git submodule update --init" in found.fix
    assert "libs/common" in found.message


def test_a_workspace_member_in_an_absent_submodule_says_so(tmp_path, capsys):
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["server", "libs/common"]\n')
    write_project(tmp_path / "server", lock=[])
    (tmp_path / "libs" / "common").mkdir(parents=True)
    (tmp_path / ".gitmodules").write_text('[submodule "c"]\n\tpath = libs/common\n\turl = x\n')
    assert main(["generate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "git submodule update --init" in err and "Traceback" not in err


# -- sqlx and .env -----------------------------------------------------------------------------

QUERY = 'fn main() { let _ = sqlx::query!("SELECT 1 as one"); }\n'


def _sqlx(tmp_path, env: str | None, sqlx_dir=False):
    files = {"src/main.rs": QUERY}
    if env is not None:
        files[".env"] = env
    if sqlx_dir:
        files[".sqlx/query-1.json"] = "{}"
    return write_project(tmp_path, deps={"sqlx": {"version": "0.8", "features": ["sqlite"]}},
                         lock=[("sqlx", "0.8.2", ["sqlx-macros"]), ("sqlx-macros", "0.8.2", [])],
                         files=files)


def test_a_sqlite_database_url_from_env_reaches_the_build(tmp_path):
    (tmp_path / "dev.db").parent.mkdir(parents=True, exist_ok=True)
    project = _sqlx(tmp_path, "DATABASE_URL=sqlite://./dev.db\n")
    (tmp_path / "dev.db").write_bytes(b"SQLite format 3\x00")
    from rustdock.wizard.detect import detect

    plan = make_plan(detect(tmp_path), overrides=["caching=dummy-main"])
    files = values(needs(plan).sources)
    assert ".env" in files and "dev.db" in files
    rendered = render(plan)
    assert "COPY .env .env" in rendered.dockerfile and "COPY dev.db dev.db" in rendered.dockerfile
    assert "!.env" in rendered.dockerignore.splitlines()
    assert "sqlx-offline" not in {f.rule for f in check(plan) if f.severity != "tip"}


def test_a_server_database_url_needs_a_live_database_or_offline_data(tmp_path):
    plan = make_plan(_sqlx(tmp_path, "DATABASE_URL=postgres://app:pw@localhost/app\n"))
    found = next(f for f in check(plan) if f.rule == "sqlx-offline")
    assert found.severity == "warning" and "cargo sqlx prepare" in found.fix
    assert ".env" not in values(needs(plan).sources)  # its secrets stay out


def test_offline_data_needs_no_env(tmp_path):
    plan = make_plan(_sqlx(tmp_path, "DATABASE_URL=sqlite://./dev.db\n", sqlx_dir=True))
    assert "sqlx-offline" not in _ids(plan)
    assert ".env" not in values(needs(plan).sources)


def test_sqlx_without_its_macros_gets_no_word(tmp_path):
    project = write_project(tmp_path, deps={"sqlx": "0.8"},
                            lock=[("sqlx", "0.8.2", ["sqlx-macros"]), ("sqlx-macros", "0.8.2", [])],
                            files={"src/main.rs": 'fn main() { let _ = sqlx::query("SELECT 1"); }\n'})
    assert "sqlx-offline" not in _ids(make_plan(project))
