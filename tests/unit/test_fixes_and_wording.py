"""A fix applies its follow-up fixes; findings read in the wizard's words, not keys."""

from __future__ import annotations

from pathlib import Path

from rustdock.wizard.detect import detect
from rustdock.wizard.fixes import apply_fix
from rustdock.wizard.options import OPTIONS
from rustdock.wizard.plan import make_plan
from rustdock.wizard.rules import check, errors
from rustdock.wizard.wording import choice_words, in_words, step_number, value_label, where

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def openssl_plan(*sets: str):
    project = detect(FIXTURES / "openssl-lock")
    return make_plan(project, overrides=["port=8080", *sets])


def test_a_fix_that_raises_a_new_error_applies_its_follow_up():
    plan = openssl_plan("libc=glibc", "runtime=scratch", "tls=openssl-system")
    (dynamic,) = [f for f in errors(plan) if f.rule == "dynamic-in-static-runtime"]
    assert dynamic.fix_choices == (("libc", "musl"),)
    alone = plan.with_choices(dict(dynamic.fix_choices))
    assert any(f.rule == "openssl-musl-unlinkable" for f in errors(alone)), "the fix alone breaks"
    result = apply_fix(plan, dynamic)
    assert [f.rule for f in result.follow_ups] == ["openssl-musl-unlinkable"]
    assert result.applied == (("libc", "musl"), ("tls", "openssl-vendored"))
    assert not errors(result.plan) and result.left == ()


def test_a_fix_without_consequences_applies_alone():
    plan = openssl_plan("healthcheck=curl", "runtime=distroless-cc")
    finding = next(f for f in errors(plan) if f.fix_choices)
    result = apply_fix(plan, finding)
    assert result.follow_ups == () and result.applied == finding.fix_choices
    assert finding.rule not in {f.rule for f in errors(result.plan)}


def test_every_fix_text_reads_in_labels_not_keys():
    plan = openssl_plan("libc=glibc", "runtime=scratch", "tls=none", "user=root", "port=80",
                        "healthcheck=curl", "caching=none", "profile=keep")
    keys = {opt.key for opt in OPTIONS}
    for finding in check(plan):
        for text in (finding.message, finding.fix):
            shown = in_words(text, plan.project)
            leftover = [k for k in keys if f"{k}=" in shown]
            assert not leftover, (finding.rule, shown)


def test_words_for_choices_and_steps():
    assert in_words("set tls=openssl-vendored, or runtime=distroless-cc.") == (
        "set TLS “OpenSSL, vendored”, or Runtime image “distroless cc”.")
    assert in_words("keep LOCO_ENV=production and panic=abort") == "keep LOCO_ENV=production and panic=abort"
    assert value_label("ca_certs", "true") == "on" and value_label("ca_certs", False) == "off"
    assert choice_words("platforms", "amd64,arm64") == "Architectures: both (multi-arch)"
    assert step_number("build") == 1 and step_number("review") == 0
    assert where("runtime") == f"Runtime image (step {step_number('runtime')}, Runtime image)"
