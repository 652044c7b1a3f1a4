"""Whatever the TOML files hold, detect returns a Project or raises DetectError: never
another exception (which the CLI would show as a traceback)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rustdock.wizard.detect import DetectError, detect
from rustdock.wizard.project import Project

KEYS = [
    "name", "version", "workspace", "path", "features", "default-features", "package", "git",
    "registry", "members", "exclude", "default-members", "bin", "autobins", "default-run",
    "build", "rust-version", "authors", "dependencies", "dev-dependencies", "target",
    "channel", "toolchain", "source", "replace-with", "directory", "registries", "index",
]
scalars = st.one_of(st.text(alphabet="ab.*/-_1 ", max_size=6), st.integers(-1, 70000), st.booleans())
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=10,
)
tables = st.dictionaries(st.sampled_from(KEYS), values, max_size=5)
manifests = st.fixed_dictionaries(
    {"package": st.one_of(tables, tables.map(lambda t: {**t, "name": "app"}))},
    optional={
        "workspace": tables,
        "dependencies": st.dictionaries(st.sampled_from(["reqwest", "tokio", "chrono", "a"]), values, max_size=3),
        "bin": values,
        "target": values,
    },
)
side_files = st.fixed_dictionaries(
    {},
    optional={
        "Cargo.lock": st.fixed_dictionaries({"package": st.lists(tables, max_size=3)}),
        "rust-toolchain.toml": tables,
        ".cargo/config.toml": tables,
        "rustdock.toml": tables,
    },
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=manifests, files=side_files)
def test_any_toml_gives_a_project_or_a_detect_error(manifest, files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "src").mkdir()
        (root / "src/main.rs").write_text("fn main() {}\n")
        for rel, data in {"Cargo.toml": manifest, **files}.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(tomlkit.dumps(data))
        try:
            project = detect(root)
        except DetectError as err:
            assert str(err) and "\n" not in str(err)
        else:
            assert isinstance(project, Project) and project.binaries
            assert all(isinstance(b.path, str) and b.path for b in project.binaries)
