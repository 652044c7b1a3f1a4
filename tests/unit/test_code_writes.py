"""Where a program writes (wizard/code_writes.py) and whether it stops on SIGTERM
(wizard/code_signals.py): the fixtures of each class, then near misses one line each."""

from __future__ import annotations

import pytest

from rustdock.wizard.code_writes import find_writes, program_sources, top_dirs, without_tests
from rustdock.wizard.cargo_sources import Sources
from rustdock.wizard.detect import detect


def writes(code: str) -> list[str]:
    sources = program_sources(Sources(files=(("src/main.rs", code),)))
    return [w.path for w in find_writes(sources)]


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ('fn main() { std::fs::create_dir_all("./data").unwrap(); }', ["data"]),
        ('fn main() { tokio::fs::create_dir("uploads").await; }', ["uploads"]),
        ('fn main() { fs::create_dir_all(Path::new("state/cache")); }', ["state"]),
        ('fn main() { File::create("out.json"); }', ["."]),
        ('fn main() { File::create("./logs/app.log"); }', ["logs"]),
        ('fn main() { std::fs::write("keys/id_ed25519", k); }', ["keys"]),
        ('fn f() { OpenOptions::new().create(true).append(true).open("audit.log"); }', ["."]),
        ('const URL: &str = "sqlite://./app.db";', ["."]),
        ('const URL: &str = "sqlite:data/x.db?mode=rwc";', ["data"]),
        ('let u = "sqlite://users.db?mode=rwc";', ["."]),
        ('let db = sled::open("db").unwrap();', ["db"]),
        ('let c = Connection::open("cache.sqlite3");', ["."]),
        ('#[arg(long, default_value = "./storage")]\n    pub data_dir: PathBuf,', ["storage"]),
        # near misses: reads, absolute paths, in-memory databases, tests, comments,
        # non-data arguments, read-only opens, formatted names
        ('fn main() { std::fs::read_to_string("data/config.toml"); }', []),
        ('fn main() { File::open("data.json"); }', []),
        ('fn main() { std::fs::create_dir_all("/var/lib/app"); }', []),
        ('const URL: &str = "sqlite::memory:";', []),
        ('const URL: &str = "sqlite:///var/lib/app.db";', []),
        ('fn f() { OpenOptions::new().read(true).open("audit.log"); }', []),
        ('#[arg(long, default_value = "config.toml")]\n    pub config: PathBuf,', []),
        ('fn main() { fs::create_dir_all(format!("{}/data", home)); }', []),
        ('// fs::create_dir_all("data")\nfn main() {}', []),
        ('#[cfg(test)]\nmod tests {\n    fn t() { File::create("scratch.txt"); }\n}', []),
        ('#[test]\nfn t() { std::fs::create_dir_all("./tmp"); }', []),
        ('#[tokio::test]\nasync fn t() { File::create("x.db"); }', []),
    ],
)
def test_written_paths(code, found):
    assert writes(code) == found


def test_test_code_is_blanked_but_lines_stay():
    code = 'fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { if x { y } }\n}\nfn c() { File::create("x/y"); }\n'
    clean = without_tests(code)
    assert "fn b" not in clean and clean.count("\n") == code.count("\n")
    assert [w.where for w in find_writes(Sources(files=(("src/main.rs", clean),)))] == ["src/main.rs:6"]


def test_top_dirs_keep_the_fewest_covering_directories():
    assert top_dirs(["data", "data/uploads", "keys"]) == ("data", "keys")
    assert top_dirs(["data", "."]) == (".",)
    assert top_dirs(["./data/", "datastore"]) == ("data", "datastore")
    assert top_dirs([]) == ()


def test_fixtures_of_each_class(fixture_copy):
    data = detect(fixture_copy("writes-data"))
    assert data.writes == (("data", "src/main.rs:8 creates the directory"),)
    assert not data.handles_signals and not data.sigint_only and "axum" in data.signals_why

    sqlite = detect(fixture_copy("sqlite-url"))
    assert sqlite.writes == ((".", "src/main.rs:4 opens a SQLite database"),)
    assert sqlite.handles_signals and sqlite.signals_why == "actix-web handles it by default"

    tests_only = detect(fixture_copy("test-only-writer"))
    assert tests_only.writes == ()
    assert tests_only.handles_signals and tests_only.signals_why == "src/main.rs:11 SignalKind::terminate()"

    ctrl_c = detect(fixture_copy("ctrl-c-only"))
    assert ctrl_c.writes == () and ctrl_c.sigint_only and not ctrl_c.handles_signals
    assert ctrl_c.signals_why == "src/main.rs:9 ctrl_c()"


@pytest.mark.parametrize(
    ("code", "found"),
    [
        # a data setting's literal default, in a config macro or a struct literal
        ('        data_folder:  String, false, def, "data".to_owned();', ["data"]),
        ('    let upload_dir = "./uploads".into();', ["uploads"]),
        ('    storage_path: "./store/index".to_string(),', ["store"]),
        # near misses: an argument's name, a directory that is read, an env var name
        ('    let db_path = matches.value_of("db-path");', []),
        ('    static_dir: "static".into(),', []),
        ('    let data_dir = std::env::var("DATA_DIR");', []),
    ],
)
def test_data_settings_in_the_sources(code, found):
    assert writes(code) == found


def test_data_settings_in_shipped_config_files(tmp_path):
    from rustdock.wizard.code_writes import find_config_writes

    (tmp_path / "config").mkdir()
    (tmp_path / "config.toml").write_text('[server]\naddress = "127.0.0.1:8000"\nupload_path = "./upload"\n')
    (tmp_path / "config" / "default.toml").write_text(
        '[store.kv]\npath = "./data/store/kv/"\n[web]\npath = "./public"\nstatic_dir = "./assets"\n')
    (tmp_path / "spec.toml").write_text('[[param]]\nname = "db_dir"\ndefault = "\\"./db\\".into()"\n')
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\n[package.metadata.configure_me]\nspec = "spec.toml"\n')
    (tmp_path / "rustfmt.toml").write_text('data_dir = "./nope"\n')
    found = {(w.path, w.where) for w in find_config_writes(tmp_path, ["."])}
    assert found == {("upload", "config.toml:3"), ("data", "config/default.toml:2"), ("db", "spec.toml:3")}
