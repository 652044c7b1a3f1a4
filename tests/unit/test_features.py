"""Cargo features: reading them, resolving what a build enables, the flags every cargo
command passes, unknown names, and compile_error! gates on features."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_render_cases import single_crate, workspace

from rustdock.wizard.cargo_features import Feature, read_features, resolve, unknown
from rustdock.wizard.cli import main
from rustdock.wizard.detect import detect
from rustdock.wizard.feature_gates import Gate, find_gates
from rustdock.wizard.need import values
from rustdock.wizard.needs import needs
from rustdock.wizard.options import OptionError, option
from rustdock.wizard.plan import make_plan
from rustdock.wizard.project import Binary, Member
from rustdock.wizard.render import render
from rustdock.wizard.rules import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GATED = FIXTURES / "features-gated"


# -- reading and resolving --------------------------------------------------------------

def test_optional_dependencies_are_features_unless_a_feature_names_them_with_dep():
    data = {
        "features": {"db": ["dep:pq-sys", "diesel/postgres"], "default": ["db"]},
        "dependencies": {"pq-sys": {"version": "0.6", "optional": True},
                         "serde": {"version": "1", "optional": True},
                         "itoa": "1"},
        "target": {"cfg(unix)": {"dependencies": {"nix": {"version": "0.29", "optional": True}}}},
    }
    names = [f.name for f in read_features(data)]
    assert names == ["db", "default", "serde", "nix"]  # pq-sys is dep:-named: no feature
    assert read_features(data)[2].enables == ("dep:serde",)


def test_a_manifest_without_features_has_none():
    assert read_features({"dependencies": {"serde": "1"}}) == ()


FEATURES = (
    Feature("default", ("json",)),
    Feature("json", ("dep:serde_json", "serde?/derive")),
    Feature("postgres", ("dep:pq-sys", "diesel/postgres", "tls")),
    Feature("tls", ()),
)


def test_resolve_follows_defaults_and_what_each_feature_turns_on():
    got = resolve(FEATURES, ["postgres"])
    assert got.features == {"default", "json", "postgres", "tls"}
    assert got.deps == {"serde_json", "pq-sys", "diesel"}  # serde? is weak: not turned on
    assert ("diesel", "postgres") in got.dep_features and ("serde", "derive") in got.dep_features


def test_resolve_without_defaults_and_with_every_feature():
    assert resolve(FEATURES, [], defaults=False).features == frozenset()
    assert resolve(FEATURES, ["tls"], defaults=False).features == {"tls"}
    assert resolve(FEATURES, [], every=True).features == {"default", "json", "postgres", "tls"}


def test_unknown_names_only_the_package_s_own_missing_features():
    assert unknown(FEATURES, ["json", "nope", "diesel/sqlite"]) == ("nope",)


# -- gates ------------------------------------------------------------------------------

GATE_SOURCE = '''//! A service with a choice of backends.
#[cfg(not(any(feature = "postgres", feature = "sqlite")))]
// one of them, please
compile_error!("enable \\"postgres\\" or \\"sqlite\\"");

#[cfg(all(feature = "postgres", feature = "sqlite"))]
compile_error!("not both");

#[cfg(test)]
compile_error!("never in tests");

#[cfg(all(target_os = "windows", not(feature = "wintls")))]
compile_error!("needs wintls on windows");

#[cfg(all(target_env = "musl", not(feature = "vendored")))]
compile_error!("musl needs vendored");

fn main() {}
'''


def test_gates_are_found_with_their_line_and_message():
    gates = find_gates("src/main.rs", GATE_SOURCE, "svc")
    assert [(g.line, g.message) for g in gates] == [
        (2, 'enable "postgres" or "sqlite"'), (6, "not both"),
        (12, "needs wintls on windows"), (15, "musl needs vendored"),
    ]
    assert gates[0].package == "svc" and gates[0].where == "src/main.rs:2"


def test_a_gate_fails_until_one_of_its_features_is_on():
    gate = find_gates("src/main.rs", GATE_SOURCE)[0]
    assert gate.fails(frozenset()) is True
    ways = {"postgres": frozenset({"postgres"}), "lite": frozenset({"lite", "sqlite"}),
            "json": frozenset({"json"})}
    assert gate.fixes(ways) == ("postgres", "lite")  # lite turns sqlite on
    assert gate.fails(frozenset({"sqlite"})) is False


def test_a_gate_on_both_features_fails_only_with_both():
    gate = find_gates("src/main.rs", GATE_SOURCE)[1]
    assert gate.fails(frozenset({"sqlite"})) is False
    assert gate.fails(frozenset({"sqlite", "postgres"})) is True
    assert gate.fixes({"json": frozenset({"sqlite", "postgres", "json"})}) == ()


def test_what_every_image_build_is_decides_other_predicates():
    windows, musl = find_gates("src/main.rs", GATE_SOURCE)[2:]
    assert windows.fails(frozenset()) is False  # the image is Linux
    assert musl.fails(frozenset(), "musl") is True
    assert musl.fails(frozenset(), "gnu") is False
    assert musl.fails(frozenset()) is None  # target_env unknown: no verdict


def test_predicates_that_cannot_be_known_give_no_verdict():
    gate = Gate("build.rs", 1, 'all(feature = "a", my_custom_cfg)')
    assert gate.fails(frozenset({"a"})) is None
    assert Gate("build.rs", 1, 'not(feature = "a"').fails(frozenset()) is None  # unreadable


def test_compile_error_without_a_feature_cfg_is_no_gate():
    text = 'compile_error!("always");\n#[cfg(unix)]\ncompile_error!("unix");\n'
    assert find_gates("src/lib.rs", text) == ()


# -- detect, options, rules and render on the fixture ------------------------------------

def test_detect_reads_the_package_features_and_its_gates():
    project = detect(GATED)
    assert [f.name for f in project.members[0].features] == [
        "default", "metrics", "postgres", "sqlite", "tracing"]
    assert [g.where for g in project.build.gates] == ["build.rs:1", "src/main.rs:1"]


def test_the_features_option_lists_the_package_features_with_what_they_turn_on():
    project = detect(GATED)
    offered = {v.value: v.help for v in option("features").allowed(project)}
    assert list(offered) == ["metrics", "postgres", "sqlite", "tracing"]  # not "default"
    assert "itoa" in offered["postgres"]
    plan = make_plan(project)
    assert option("features").relevant(project, plan.choices)
    assert not option("features").relevant(detect(FIXTURES / "single-crate"),
                                           plan.choices | {"binary": "x"})


def test_a_feature_name_cargo_cannot_take_is_bad_usage():
    with pytest.raises(OptionError, match="feature name"):
        option("features").parse("bad name!")
    assert option("features").parse("sqlite, serde/derive") == ("sqlite", "serde/derive")


def test_the_default_plan_of_a_gated_package_is_an_error_with_one_fix_per_feature():
    plan = make_plan(detect(GATED))
    gates = [f for f in check(plan) if f.rule == "feature-gate"]
    assert [f.fix_choices for f in gates] == [(("features", ("postgres",)),),
                                             (("features", ("sqlite",)),)]
    assert all(f.is_error and "src/main.rs:1" in f.message for f in gates)
    for finding in gates:
        fixed = plan.with_choices(dict(finding.fix_choices))
        assert not [f for f in check(fixed) if f.rule == "feature-gate"]


def test_all_features_trips_the_gate_that_forbids_both_backends():
    plan = make_plan(detect(GATED), overrides=["all_features=true"])
    gates = [f for f in check(plan) if f.rule == "feature-gate"]
    assert len(gates) == 1 and "build.rs:1" in gates[0].message
    assert gates[0].fix_choices == (("all_features", False),)


def test_cli_names_the_valid_features_and_exits_1(capsys):
    assert main(["generate", str(GATED), "--set", "features=nope"]) == 1
    err = capsys.readouterr().err
    assert "no feature nope; its features are metrics, postgres, sqlite, tracing" in err


def test_cli_builds_with_the_chosen_feature(capsys, tmp_path):
    root = Path(shutil.copytree(GATED, tmp_path / "gated"))
    assert main(["generate", str(root), "--set", "features=sqlite",
                 "--set", "caching=dummy-main"]) == 0
    builds = [line for line in capsys.readouterr().out.splitlines()
              if "cargo build" in line and not line.startswith("#")]
    assert len(builds) == 2 and all("--features sqlite --bin gated" in b for b in builds)


def _featured(**binary) -> object:
    features = (Feature("default", ("json",)), Feature("json", ()), Feature("db", ()))
    return single_crate(members=(Member("api", ".", features=features),),
                        binaries=(Binary("api", "api", ".", "src/main.rs", **binary),))


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts", "cargo-chef"])
def test_every_cargo_command_passes_the_same_feature_flags(caching):
    plan = make_plan(_featured(required_features=("json",)),
                     overrides=[f"caching={caching}", "features=db", "no_default_features=true"])
    assert values(needs(plan).cargo_flags) == ("--features json,db", "--no-default-features")
    commands = [line for line in render(plan).dockerfile.splitlines()
                if ("cargo build" in line or "cargo chef cook" in line) and not line.startswith("#")]
    assert commands
    assert all("--features json,db --no-default-features" in line for line in commands)


def test_all_features_replaces_the_list_and_the_default_switch():
    plan = make_plan(_featured(), overrides=["features=db", "all_features=true",
                                              "no_default_features=true"])
    assert values(needs(plan).cargo_flags) == ("--all-features",)
    assert set(values(needs(plan).features)) == {"default", "json", "db"}


def test_needs_say_why_each_feature_is_on():
    plan = make_plan(_featured(required_features=("db",)))
    why = {n.value: n.reason for n in needs(plan).features}
    assert why == {"default": "a default feature of the package",
                   "json": "a default feature of the package",
                   "db": "required-features of binary api"}


def test_a_workspace_builds_the_package_then_its_features():
    project = workspace(members=(Member("server", "crates/server", features=(Feature("db"),)),
                                 Member("core", "crates/core")))
    plan = make_plan(project, overrides=["features=db", "binary=server"])
    assert values(needs(plan).cargo_flags) == ("-p server", "--features db")
