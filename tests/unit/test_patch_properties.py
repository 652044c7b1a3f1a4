"""Property tests: generated manifests, patched with generated plans."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patch_helpers import apply, crate, plan
from rustdock.wizard.patch import patch_project

NAMES = st.sampled_from(["serde", "anyhow", "reqwest", "sqlx", "lettre", "ureq", "log", "tokio"])
FEATURES = st.lists(st.sampled_from(["json", "native-tls", "macros", "postgres",
                                     "runtime-tokio-native-tls", "derive"]), unique=True, max_size=3)
VERSIONS = st.sampled_from(["1", "0.12", "0.11.4", "0.8", "2"])
COMMENT = st.sampled_from(["", "  # why", " #x"])


@st.composite
def specs(draw):
    version = draw(VERSIONS)
    style = draw(st.sampled_from(["string", "inline", "spaced"]))
    if style == "string":
        return f'"{version}"'
    features = ", ".join(f'"{f}"' for f in draw(FEATURES))
    if style == "inline":
        return f'{{version="{version}", features=[{features}]}}'
    return f'{{ version = "{version}", features = [ {features} ] }}'


@st.composite
def manifests(draw):
    lines = ["# generated", "[package]", 'name = "app"  # name', 'version = "0.1.0"', ""]
    deps = draw(st.dictionaries(NAMES, specs(), max_size=4))
    if deps:
        lines.append("[dependencies]")
        lines += [f"{name} = {spec}{draw(COMMENT)}" for name, spec in deps.items()]
        lines.append("")
    profile = draw(st.dictionaries(st.sampled_from(["opt-level", "debug", "lto"]),
                                   st.sampled_from(["3", "1", "true", '"thin"']), max_size=2))
    style = draw(st.sampled_from(["table", "dotted", "in-profile", "sub-table"]))
    if profile and style == "table":
        lines += ["[profile.release]", *(f"{k} = {v}" for k, v in profile.items()), ""]
    elif profile and style == "dotted":
        lines = [f"profile.release.{k} = {v}" for k, v in profile.items()] + lines
    elif profile and style == "in-profile":
        lines += ["[profile]", *(f"release.{k} = {v}" for k, v in profile.items()), ""]
    elif style == "sub-table":
        lines += ["[profile.release.package.app]", "opt-level = 0", ""]
    lines += ["[[bin]]", 'name = "app"', 'path = "src/main.rs"']
    return "\n".join(lines) + "\n"


CHOICES = st.fixed_dictionaries({
    "profile": st.sampled_from(["keep", "size", "speed"]),
    "profile_overwrite": st.booleans(),
    "allocator": st.sampled_from(["system", "jemalloc", "mimalloc"]),
    "allocator_scope": st.sampled_from(["musl-only", "all"]),
    "tls": st.sampled_from(["none", "rustls", "openssl-vendored", "openssl-system"]),
})


TOUCHABLE = ("[dependencies", "[profile", "[target", "[workspace", "[package.metadata.rustdock")


def _untouched_sections(text: str) -> dict[str, str]:
    """Each table's text by header, leaving out the tables a plan may edit."""
    sections: dict[str, list[str]] = {"": []}
    header = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            header = line.strip() if line.strip() not in sections else f"{line.strip()}#{len(sections)}"
            sections[header] = []
        if line.startswith("profile.") and header == "":
            continue  # top-level dotted profile keys belong to [profile.release]
        sections[header].append(line)
    return {h: "".join(body).rstrip("\n") for h, body in sections.items()
            if not h.startswith(TOUCHABLE)}


def _plan(project, choices: dict):
    return plan(project, *(f"{k}={v}" for k, v in choices.items()))


def _patched(result, text):
    return next((c.after for c in result.changes if c.path == "Cargo.toml"), text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests(), CHOICES, CHOICES)
def test_patch_keeps_data_is_idempotent_and_reversible(text, first, second):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project = crate(root, text)
        result = patch_project(_plan(project, first))
        after = _patched(result, text)
        before_data, after_data = tomllib.loads(text), tomllib.loads(after)
        # Everything outside the tables a plan may touch is byte-identical.
        kept = _untouched_sections(after)
        for header, section in _untouched_sections(text).items():
            assert kept.get(header) == section, header
        assert after_data["package"]["name"] == "app" and after_data["bin"] == before_data["bin"]
        for name, spec in before_data.get("dependencies", {}).items():
            new = after_data["dependencies"][name]
            assert (new if isinstance(new, str) else new["version"]) == (
                spec if isinstance(spec, str) else spec["version"])
        for key, value in before_data.get("profile", {}).get("release", {}).items():
            if not first["profile_overwrite"] or first["profile"] == "keep":
                assert after_data["profile"]["release"][key] == value
        # Patch twice == patch once.
        apply(root, result)
        assert patch_project(_plan(project, first)).changes == ()
        # Any other plan, then back to the first: the same data (tables rustdock creates may
        # come back in another order), and settled: one more run changes nothing.
        apply(root, patch_project(_plan(project, second)))
        apply(root, patch_project(_plan(project, first)))
        cycled = (root / "Cargo.toml").read_text()
        assert tomllib.loads(cycled) == after_data
        assert patch_project(_plan(project, first)).changes == ()
        # And all the way back: the user's file, byte for byte.
        neutral = {"profile": "keep", "profile_overwrite": False, "allocator": "system",
                   "allocator_scope": "musl-only", "tls": "none"}
        apply(root, patch_project(_plan(project, neutral)))
        assert (root / "Cargo.toml").read_text() == text
        assert (root / "src/main.rs").read_text() == "fn main() {}\n"
