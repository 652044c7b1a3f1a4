"""The option table: one source for screens, CLI, answers file and `options --json`."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustdock.wizard import versions
from rustdock.wizard.options import GROUPS, OPTIONS, OptionError, option
from rustdock.wizard.project import Binary, Project

PROJECT = Project(root=Path("/p"), name="app", binaries=(Binary("app", "app", ".", "src/main.rs"),))


def test_keys_are_unique_and_every_group_is_a_step():
    keys = [o.key for o in OPTIONS]
    assert len(keys) == len(set(keys))
    steps = {g for g, _ in GROUPS}
    assert {o.group for o in OPTIONS} == steps


def test_every_choice_value_explains_itself():
    for opt in OPTIONS:
        assert opt.label and len(opt.help) > 40, opt.key
        for value in opt.values:
            assert value.help and value.label, (opt.key, value.value)
        # Choices list their values; a list may draw its values from the project (features).
        assert (opt.kind == "choice") == bool(opt.values or opt.dynamic_values and opt.kind != "list"), opt.key


def test_runtime_values_give_a_size_and_match_the_version_table():
    runtime = option("runtime")
    assert {v.value for v in runtime.values} == set(versions.RUNTIME_IMAGES)
    assert all(v.size for v in runtime.values)
    assert {v.value for v in option("builder").values} == set(versions.BUILDER_IMAGES)
    assert {v.value for v in option("debian").values} == set(versions.DEBIAN_RELEASES)


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("ca_certs", "yes", True),
        ("ca_certs", "OFF", False),
        ("port", " 8080 ", ("8080",)),
        ("ports", "6333, 6334 21116/udp 80/tcp", ("6333", "6334", "21116/udp", "80")),
        ("ports", 0, ()),
        ("env", "A=1, B=two", ("A=1", "B=two")),
        ("env", ["X=1"], ("X=1",)),
        ("rust_version", "1.95.0", "1.95.0"),
        ("runtime", "scratch", "scratch"),
        ("args", "-a 0.0.0.0 -p 8080", "-a 0.0.0.0 -p 8080"),
    ],
)
def test_parse_turns_raw_text_into_typed_values(key, raw, expected):
    assert option(key).parse(raw, PROJECT) == expected


@pytest.mark.parametrize(
    ("key", "raw", "says"),
    [
        ("runtime", "ubuntu", "runtime takes one of scratch"),
        ("ports", "http", "'http' is not a port; write 8080"),
        ("ports", "70000", "70000 is not a port number; use 1 to 65535"),
        ("ports", "0,8080", "0 is not a port number"),
        ("ports", "8080/sctp", "is not a port"),
        ("ports", "8080, 8080/tcp", "8080 is listed twice"),
        ("uid", "0", "from 1 to"),
        ("ca_certs", "maybe", "true or false"),
        ("rust_version", "stable", "a Rust release such as 1.95"),
        ("env", "NOVALUE", "KEY=VALUE"),
        ("extra_files", "../outside", "a relative path inside the project"),
        ("args", "'unclosed", "No closing quotation"),
        ("binary", "nope", "binary takes one of app"),
    ],
)
def test_bad_values_say_what_the_option_accepts(key, raw, says):
    with pytest.raises(OptionError, match=says):
        option(key).parse(raw, PROJECT)


def test_unknown_key_suggests_close_names():
    with pytest.raises(OptionError, match="did you mean runtime"):
        option("runtim")


def test_defaults_only_read_keys_above_them():
    """The table order is the resolution order: a default may not look ahead."""
    seen: list[str] = []

    class Spy(dict):
        def get(self, key, default=None):
            assert key in seen, f"{current} reads {key}, which comes later in the table"
            return super().get(key, default)

    chosen = Spy()
    for opt in OPTIONS:
        current = opt.key
        chosen[opt.key] = opt.default(PROJECT, chosen)
        seen.append(opt.key)


def test_json_rows_carry_values_and_derivation():
    row = option("runtime").to_json()
    assert row["kind"] == "choice" and row["derived"]
    assert [v["value"] for v in row["values"]][0] == "scratch"
    assert option("port").to_json()["key"] == "ports"  # the old name still finds it


def test_binary_choices_say_which_features_a_binary_needs(fixture_copy):
    from rustdock.wizard.detect import detect
    from rustdock.wizard.options import option

    values = {v.value: v.help for v in option("binary").allowed(detect(fixture_copy("bin-rename")))}
    assert values["server"].endswith("with features http (its required-features)")
    assert "features" not in values["admin"]
