"""Locked versions newer Rust rejects (lock_breaks.py): the table, detect, and the rule on
a real-shaped lock (rathole's: time 0.3.29 stops at E0282 on Rust 1.80 and later)."""

from __future__ import annotations

from rustdock.wizard.detect import detect
from rustdock.wizard.lock_breaks import locked_breaks
from rustdock.wizard.plan import make_plan
from rustdock.wizard.rules import check


def test_versions_below_the_fix_count_and_the_fix_itself_does_not():
    assert locked_breaks({"time": ("0.3.29",)}) == (("time", "0.3.29"),)
    assert locked_breaks({"time": ("0.3.35", "0.3.41")}) == ()
    # time 0.1 and 0.2 (Rocket 0.4's cookie) never had the code Rust 1.80 rejects.
    assert locked_breaks({"time": ("0.1.44", "0.2.27", "0.3.36")}) == ()
    assert locked_breaks({"time": ("0.2.27", "0.3.0")}) == (("time", "0.3.0"),)
    assert locked_breaks({"serde": ("1.0.0",)}) == ()


LOCK = '''version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "time",
]

[[package]]
name = "time"
version = "{time}"
source = "registry+https://github.com/rust-lang/crates.io-index"
'''


def _project(tmp_path, time: str):
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n'
                                          '[dependencies]\ntime = "0.3"\n')
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "main.rs").write_text("fn main() {}\n")
    (tmp_path / "Cargo.lock").write_text(LOCK.format(time=time))
    return detect(tmp_path)


def test_the_default_rust_stops_on_an_old_time_and_the_error_says_both_ways_out(tmp_path):
    project = _project(tmp_path, "0.3.29")
    assert project.lock_breaks == (("time", "0.3.29"),)
    plan = make_plan(project)
    (found,) = [f for f in check(plan) if f.rule == "lock-too-old-for-rust"]
    assert found.severity == "error" and "time 0.3.29" in found.message and "E0282" in found.message
    assert "cargo update -p time" in found.fix and dict(found.fix_choices) == {"rust_version": "1.79"}
    assert "lock-too-old-for-rust" not in {f.rule for f in check(plan.with_choices({"rust_version": "1.79"}))}


def test_a_fixed_time_is_quiet(tmp_path):
    plan = make_plan(_project(tmp_path, "0.3.36"))
    assert "lock-too-old-for-rust" not in {f.rule for f in check(plan)}
