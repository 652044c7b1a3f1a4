"""Unit tests of the Cargo.toml / main.rs patch, one edit at a time."""

from __future__ import annotations

import tomllib

from patch_helpers import apply, crate, plan, workspace
from rustdock.wizard import versions
from rustdock.wizard.changes import unified_diff
from rustdock.wizard.patch import patch_project
from rustdock.wizard.patch.source import insert_block, remove_block
from rustdock.wizard.patch.tls_table import major, row_for

HAND_MADE = """\
# The app.   Hand formatted on purpose.
[package]
name    = "app"   # the name
version = "0.1.0"
edition = "2021"
metadata.docs.rs.all-features = true

[dependencies]
serde = { version = "1", features = ["derive"] }  # serde
reqwest = { version = "0.12", features = [
    "json",      # json bodies
    "native-tls",
] }
tokio.version = "1"
tokio.features = ["full"]

[dependencies.sqlx]
version = "0.8"
features = ["postgres", "runtime-tokio-native-tls"]

[[bin]]
name = "app"
path = "src/main.rs"

[profile.release]
debug = 1 # keep line tables
opt-level = 3
"""


def _change(result, path):
    return next(c for c in result.changes if c.path == path)


def test_size_profile_merges_and_reports_the_conflicting_key(tmp_path):
    project = crate(tmp_path, HAND_MADE)
    result = patch_project(plan(project, "profile=size"))
    after = tomllib.loads(_change(result, "Cargo.toml").after)["profile"]["release"]
    assert after["opt-level"] == 3  # the user's value stays
    assert after["debug"] == 1
    assert after["lto"] is True and after["codegen-units"] == 1 and after["panic"] == "abort"
    (finding,) = [f for f in result.findings if f.rule == "profile-conflict"]
    assert finding.is_error and "opt-level = 3" in finding.message
    assert finding.fix_choices == (("profile_overwrite", True),)


def test_overwrite_writes_ours_and_keep_restores_the_users_value(tmp_path):
    project = crate(tmp_path, HAND_MADE)
    result = patch_project(plan(project, "profile=size", "profile_overwrite=true"))
    assert not [f for f in result.findings if f.rule == "profile-conflict"]
    text = _change(result, "Cargo.toml").after
    assert tomllib.loads(text)["profile"]["release"]["opt-level"] == "z"
    assert "debug = 1 # keep line tables\nopt-level = \"z\"" in text
    apply(tmp_path, result)
    back = patch_project(plan(project, "profile=keep"))
    assert _change(back, "Cargo.toml").after == HAND_MADE


def test_only_touched_lines_change_in_a_hand_formatted_manifest(tmp_path):
    project = crate(tmp_path, HAND_MADE)
    result = patch_project(plan(project, "tls=rustls", "libc=musl"))
    diff = unified_diff(result.changes)
    removed = [l for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    assert sorted(removed) == sorted(['-    "native-tls",', '-] }',
                                      '-features = ["postgres", "runtime-tokio-native-tls"]'])
    data = tomllib.loads(_change(result, "Cargo.toml").after)
    reqwest = data["dependencies"]["reqwest"]
    assert reqwest["default-features"] is False
    assert reqwest["features"] == ["json", "rustls-tls", "charset", "http2"]
    assert data["dependencies"]["sqlx"]["features"] == ["postgres", "runtime-tokio-rustls"]
    assert "default-features" not in data["dependencies"]["sqlx"]  # its defaults have no TLS
    assert '    "json",      # json bodies\n' in _change(result, "Cargo.toml").after


def test_string_spec_becomes_a_table_and_reqwest_013_only_drops_native(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'lettre = "0.11"\nreqwest = { version = "0.13", features = ["native-tls", "json"] }\n')
    data = tomllib.loads(_change(patch_project(plan(project, "tls=rustls")), "Cargo.toml").after)
    assert data["dependencies"]["lettre"] == {
        "version": "0.11", "default-features": False,
        "features": ["smtp-transport", "pool", "hostname", "builder", "rustls-tls"]}
    assert data["dependencies"]["reqwest"] == {"version": "0.13", "features": ["json"]}


def test_unknown_and_unswitchable_crates_are_named_in_a_warning(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'hyper-tls = "0.6"\n',
                    tls_dependents=(("weird-client", "Cargo.toml"), ("hyper-tls", "Cargo.toml")))
    (finding,) = patch_project(plan(project, "tls=rustls")).findings
    assert finding.rule == "tls-unswitched" and finding.severity == "warning"
    assert "weird-client" in finding.message and "hyper-rustls" in finding.message


def test_tls_table_is_keyed_by_major_version():
    assert major("^0.12.4") == "0.12" and major("2.1") == "2" and major("") == ""
    assert row_for("reqwest", "0.11.27").rustls == "rustls-tls"
    assert row_for("reqwest", "0.13").rustls == "rustls"
    assert row_for("reqwest", "0.9") is None


def test_jemalloc_for_musl_goes_to_the_member_and_main_rs(tmp_path):
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
        "crates/app/Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n',
        "crates/app/src/main.rs": "//! The app.\n#![deny(\n    warnings\n)]\n\nfn main() {}\n",
    }
    project = workspace(tmp_path, files)
    result = patch_project(plan(project, "allocator=jemalloc", "allocator_scope=musl-only"))
    member = tomllib.loads(_change(result, "crates/app/Cargo.toml").after)
    assert member["target"]['cfg(target_env = "musl")']["dependencies"] == {
        "tikv-jemallocator": versions.CRATES["tikv-jemallocator"]}
    main = _change(result, "crates/app/src/main.rs").after
    assert main.startswith("//! The app.\n#![deny(\n    warnings\n)]\n\n// Global allocator")
    assert '#[cfg(target_env = "musl")]\n#[global_allocator]\n' in main
    assert "Cargo.toml" not in [c.path for c in result.changes]  # root untouched


def test_workspace_inheritance_puts_the_version_in_the_root(tmp_path):
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/app"]\n\n[workspace.dependencies]\n'
                      'serde = "1"\n',
        "crates/app/Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n\n'
                                 '[dependencies]\nserde = { workspace = true }\n',
        "crates/app/src/main.rs": "fn main() {}\n",
    }
    project = workspace(tmp_path, files)
    result = patch_project(plan(project, "allocator=mimalloc", "allocator_scope=all",
                                "profile=speed"))
    root = tomllib.loads(_change(result, "Cargo.toml").after)
    member = tomllib.loads(_change(result, "crates/app/Cargo.toml").after)
    assert root["workspace"]["dependencies"]["mimalloc"] == versions.CRATES["mimalloc"]
    assert root["profile"]["release"]["lto"] == "fat"
    assert member["dependencies"]["mimalloc"] == {"workspace": True}
    assert "profile" not in member
    # rustdock's bookkeeping stays out of the user's manifests: rustdock.toml holds it.
    assert "rustdock" not in _change(result, "Cargo.toml").after
    records = tomllib.loads(_change(result, "rustdock.toml").after)["edits"]
    assert set(records) == {"Cargo.toml", "crates/app/Cargo.toml"}


def test_an_allocator_the_user_has_is_left_alone(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'mimalloc = "0.1"\n', allocator_crates=frozenset({"mimalloc"}))
    result = patch_project(plan(project, "allocator=jemalloc"))
    assert result.changes == ()
    assert [(f.rule, f.severity) for f in result.findings] == [("allocator-exists", "warning")]
    # Left at its default, the plan follows the user's allocator: news, not a warning.
    quiet = patch_project(plan(project))
    assert quiet.changes == ()
    assert [(f.rule, f.severity) for f in quiet.findings] == [("allocator-exists", "tip")]


def test_vendored_openssl_under_the_musl_target(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n')
    result = patch_project(plan(project, "tls=openssl-vendored", "libc=musl"))
    data = tomllib.loads(_change(result, "Cargo.toml").after)
    assert data["target"]['cfg(target_env = "musl")']["dependencies"]["openssl"] == {
        "version": versions.CRATES["openssl"], "features": ["vendored"]}


def test_source_block_round_trips_at_the_top_of_a_bare_file():
    text = "use std::io;\n\nfn main() {}\n"
    patched = insert_block(text, "mimalloc", musl_only=False)
    assert patched.startswith("// Global allocator") and "#[cfg" not in patched
    assert remove_block(patched) == text


def test_a_block_the_user_edited_is_theirs():
    patched = insert_block("fn main() {}\n", "jemalloc", musl_only=True)
    edited = patched.replace("GLOBAL", "ALLOC")
    assert remove_block(edited) == edited


def test_invalid_manifest_is_one_error_finding(tmp_path):
    project = crate(tmp_path, '[package\nname = "app"\n')
    result = patch_project(plan(project, "profile=size"))
    assert result.changes == ()
    (finding,) = result.findings
    assert finding.is_error and "Cargo.toml" in finding.message and "invalid TOML" in finding.message


def test_diff_is_a_clean_unified_diff(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"')  # no final newline
    result = patch_project(plan(project, "profile=size"))
    diff = unified_diff(result.changes)
    assert diff.startswith("--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ ")
    assert "\\ No newline at end of file" in diff
    assert '+[profile.release]\n+opt-level = "z"\n' in diff


def test_dotted_keys_and_sub_tables_are_edited_where_they_live_and_restored(tmp_path):
    cases = {
        'profile.release.debug = 1\n[package]\nname = "app"\nversion = "0.1.0"\n':
            'profile.release.debug = 1\nprofile.release.opt-level = "z"\n',
        '[package]\nname = "app"\nversion = "0.1.0"\n\n[profile]\nrelease.debug = 1\n':
            'release.debug = 1\nrelease.opt-level = "z"\n',
        '[package]\nname = "app"\nversion = "0.1.0"\n\n[profile.release.package.app]\n'
        'opt-level = 0\n\n[[bin]]\nname = "app"\npath = "src/main.rs"\n':
            '\n[profile.release]\nopt-level = "z"\n',
    }
    for text, expected in cases.items():
        project = crate(tmp_path, text)
        result = patch_project(plan(project, "profile=size"))
        after = _change(result, "Cargo.toml").after
        assert expected in after, after
        assert tomllib.loads(after)["profile"]["release"]["lto"] is True
        assert not [f for f in result.findings if f.rule == "patch-moves-tables"]
        apply(tmp_path, result)
        assert patch_project(plan(project, "profile=size")).changes == ()
        back = patch_project(plan(project, "profile=keep"))
        assert _change(back, "Cargo.toml").after == text


def test_sentry_defaults_are_kept_without_native_tls(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'sentry = "0.34"\n', tls_dependents=(("sentry", "Cargo.toml"),))
    result = patch_project(plan(project, "tls=rustls"))
    assert result.findings == ()
    spec = tomllib.loads(_change(result, "Cargo.toml").after)["dependencies"]["sentry"]
    assert spec["default-features"] is False
    assert "native-tls" not in spec["features"] and "transport" not in spec["features"]
    assert {"reqwest", "rustls", "backtrace", "panic"} <= set(spec["features"])


def test_out_of_order_tables_are_edited_in_place_without_moving_a_line(tmp_path):
    # tomlkit 0.13 moved [profile.release.package.app] below [profile.release] here (the
    # patch-moves-tables warning); the pinned 0.15 keeps every untouched line in place.
    text = ('[package]\nname = "app"\nversion = "0.1.0"\n\n[profile.release.package.app]\n'
            'opt-level = 0\n\n[[bin]]\nname = "app"\npath = "src/main.rs"\n\n'
            '[profile.release]\ndebug = 1\n')
    project = crate(tmp_path, text)
    result = patch_project(plan(project, "profile=size"))
    assert "patch-moves-tables" not in [f.rule for f in result.findings]
    after = _change(result, "Cargo.toml").after
    assert after.startswith(text)  # only lines added under [profile.release], at the end
    assert tomllib.loads(after)["profile"]["release"]["opt-level"] == "z"


def test_a_dependency_change_warns_that_cargo_lock_needs_refreshing(tmp_path):
    project = crate(tmp_path, '[package]\nname = "app"\nversion = "0.1.0"\n', has_lockfile=True)
    rules = [f.rule for f in patch_project(plan(project, "allocator=mimalloc")).findings]
    assert rules == ["lockfile-stale"]
    assert patch_project(plan(project, "profile=size")).findings == ()


def test_inherited_tls_crate_is_switched_in_the_root_and_its_member_features(tmp_path):
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/app"]\n\n[workspace.dependencies]\n'
                      'reqwest = { version = "0.12", features = ["json"] }\n',
        "crates/app/Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\n'
                                 'reqwest = { workspace = true, features = ["native-tls"] }\n',
        "crates/app/src/main.rs": "fn main() {}\n",
    }
    result = patch_project(plan(workspace(tmp_path, files), "tls=rustls"))
    root = tomllib.loads(_change(result, "Cargo.toml").after)["workspace"]["dependencies"]
    member = tomllib.loads(_change(result, "crates/app/Cargo.toml").after)["dependencies"]
    assert root["reqwest"] == {"version": "0.12", "default-features": False,
                               "features": ["json", "charset", "http2", "rustls-tls"]}
    # A member cannot turn the workspace's defaults off; it only swaps its own features.
    assert member["reqwest"] == {"workspace": True, "features": ["rustls-tls"]}


def test_a_users_own_rustdock_metadata_is_never_taken_for_the_record(tmp_path):
    text = ('[package]\nname = "app"\nversion = "0.1.0"\n\n[package.metadata.rustdock]\n'
            'team = "infra"\n')
    project = crate(tmp_path, text)
    result = patch_project(plan(project, "profile=size"))
    after = _change(result, "Cargo.toml").after
    assert after.startswith(text), "the user's table stays as it is"
    assert tomllib.loads(after)["package"]["metadata"]["rustdock"] == {"team": "infra"}
    assert not any(f.is_error for f in result.findings)


def test_a_record_an_older_rustdock_kept_in_cargo_toml_moves_to_rustdock_toml(tmp_path):
    user = '[package]\nname = "app"\nversion = "0.1.0"\n'
    # What rustdock 0.1.0 wrote for profile=size, record included.
    legacy = (user + '\n[profile.release]\nopt-level = "z"\nlto = true\ncodegen-units = 1\n'
              'strip = true\npanic = "abort"\n\n[package.metadata.rustdock]\n'
              "# rustdock's edits to this file (value set, and the value it replaced).\n"
              'edits = [\n    { path = ["profile", "release"], table = true },\n'
              '    { path = ["profile", "release", "opt-level"], set = "z" },\n'
              '    { path = ["profile", "release", "lto"], set = true },\n'
              '    { path = ["profile", "release", "codegen-units"], set = 1 },\n'
              '    { path = ["profile", "release", "strip"], set = true },\n'
              '    { path = ["profile", "release", "panic"], set = "abort" },\n]\n')
    project = crate(tmp_path, legacy)
    moved = patch_project(plan(project, "profile=keep"))
    # Nothing wanted any more: rustdock's values go, the user's bytes come back exactly.
    assert _change(moved, "Cargo.toml").after == user
    assert "rustdock.toml" not in [c.path for c in moved.changes]
    kept = patch_project(plan(project, "profile=size"))
    after = _change(kept, "Cargo.toml").after
    assert "metadata" not in after and 'opt-level = "z"' in after
    assert "Cargo.toml" in tomllib.loads(_change(kept, "rustdock.toml").after)["edits"]


def test_a_missing_member_manifest_stops_the_patch_with_one_error(tmp_path):
    files = {"Cargo.toml": '[workspace]\nmembers = ["crates/app"]\n',
             "crates/app/src/main.rs": "fn main() {}\n"}
    result = patch_project(plan(workspace(tmp_path, files), "allocator=mimalloc"))
    assert result.changes == ()
    (finding,) = result.findings
    assert finding.is_error and "crates/app/Cargo.toml" in finding.message
