"""The frozen Plan: defaults derived from the project, explicit choices kept."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from rustdock.wizard.options import OPTIONS, OptionError
from rustdock.wizard.plan import make_plan
from rustdock.wizard.presets import PRESETS
from rustdock.wizard.project import Binary, Project

ROOT = Path("/p")
BIN = Binary("svc", "svc", ".", "src/main.rs")


def project(**facts) -> Project:
    return Project(root=ROOT, name="svc", binaries=(BIN,), **facts)


def test_plain_crate_defaults_to_static_musl_on_distroless():
    plan = make_plan(project())
    assert (plan.libc, plan.runtime, plan.uid, plan.tls) == ("musl", "distroless-static", 65532, "none")
    assert plan.explicit == frozenset()
    assert list(plan.choices) == [o.key for o in OPTIONS]


def test_openssl_in_the_lock_moves_defaults_to_glibc():
    plan = make_plan(project(tls_crates=frozenset({"openssl-sys", "native-tls"})))
    assert (plan.libc, plan.tls, plan.runtime, plan.ca_certs) == (
        "glibc", "openssl-system", "distroless-cc", True)


def test_changing_one_choice_rederives_dependent_defaults_but_not_explicit_ones():
    plan = make_plan(project())
    glibc = plan.with_choice("libc", "glibc")
    assert glibc.runtime == "distroless-cc"
    pinned = plan.with_choice("runtime", "alpine").with_choice("libc", "glibc")
    assert pinned.runtime == "alpine"  # the user's pick survives
    assert pinned.uid == 10001  # derived from the runtime
    assert plan.libc == "musl"  # the original value is untouched


def test_with_default_forgets_an_explicit_choice():
    plan = make_plan(project()).with_choice("uid", 4242)
    assert plan.uid == 4242 and plan.answers() == {"uid": 4242}
    assert plan.with_default("uid").uid == 65532


def test_plan_is_frozen():
    plan = make_plan(project())
    with pytest.raises(FrozenInstanceError):
        plan.preset = "x"
    with pytest.raises(TypeError):
        plan.choices["libc"] = "glibc"


def test_order_is_preset_then_answers_then_set():
    plan = make_plan(
        project(),
        preset_name="smallest",
        answers={"runtime": "distroless-static", "port": 3000},
        overrides=["port=8080", "env=RUST_LOG=info"],
    )
    assert plan.runtime == "distroless-static" and plan.port == 8080
    assert plan.profile == "size" and plan.env == ("RUST_LOG=info",)
    assert plan.preset == "smallest"
    assert plan.answers()["ports"] == ["8080"]  # `port` is the old name of `ports`


def test_bad_override_names_the_option():
    with pytest.raises(OptionError, match="--set takes KEY=VALUE"):
        make_plan(project(), overrides=["runtime"])
    with pytest.raises(OptionError, match="no option named 'color'"):
        make_plan(project(), overrides=["color=red"])
    with pytest.raises(OptionError, match="no preset named 'tiny'"):
        make_plan(project(), preset_name="tiny")


@pytest.mark.parametrize("preset", [p.name for p in PRESETS])
def test_every_preset_is_a_valid_plan(preset):
    plan = make_plan(project(), preset_name=preset)
    assert plan.answers().keys() == set(dict(next(p for p in PRESETS if p.name == preset).choices))


def test_answers_round_trip_through_the_answers_file(tmp_path):
    from rustdock.wizard.answers import read_answers, render_answers

    plan = make_plan(project(), preset_name="alpine-debug", overrides=["env=A=1,B=2", "port=9000"])
    file = tmp_path / "rustdock.toml"
    file.write_text(render_answers(plan.preset, plan.answers()))
    preset, answers = read_answers(file)
    again = make_plan(project(), preset_name=preset, answers=answers)
    assert again.choices == plan.choices and again.explicit == plan.explicit


def test_broken_answers_file_names_file_and_line(tmp_path):
    from rustdock.wizard.answers import AnswersError, read_answers

    file = tmp_path / "rustdock.toml"
    file.write_text("[answers]\nport = \n")
    with pytest.raises(AnswersError, match=r"rustdock.toml: invalid TOML: .*line 2"):
        read_answers(file)
