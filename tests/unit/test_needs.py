"""The needs step: Project + Plan -> Needs, each entry with its reason, computed once per
Plan and read by render straight down."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest
from test_render_cases import CASES, case_plan, single_crate, workspace

from rustdock.wizard import needs as needs_module
from rustdock.wizard.need import Need, merged, values
from rustdock.wizard.needs import Needs, needs
from rustdock.wizard.plan import make_plan
from rustdock.wizard.project import Binary
from rustdock.wizard.render import render

WIZARD = Path(__file__).resolve().parents[2] / "wizard"


def _fields(found: Needs) -> dict[str, tuple[Need, ...]]:
    return {name: getattr(found, name) for name in Needs.__dataclass_fields__}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_need_has_a_value_and_a_reason(name):
    for field, entries in _fields(needs(case_plan(name))).items():
        for need in entries:
            assert isinstance(need, Need), field
            assert need.value.strip() and need.reason.strip(), (field, need)


def test_needs_are_computed_once_per_plan_and_dropped_with_it():
    plan = make_plan(single_crate())
    first = needs(plan)
    assert needs(plan) is first
    key = id(plan)
    del plan
    gc.collect()
    assert key not in needs_module._CACHE


def test_a_new_plan_gets_its_own_needs():
    plan = make_plan(single_crate(), overrides=["libc=glibc"])
    other = plan.with_choice("tls", "openssl-system")
    assert values(needs(plan).builder_packages) == ()
    assert values(needs(other).builder_packages) == ()  # the debian builder has it
    slim = other.with_choice("builder", "debian-slim")
    assert {"libssl-dev", "pkg-config"} <= set(values(needs(slim).builder_packages))


def test_a_package_wanted_twice_is_listed_once_with_both_reasons():
    plan = make_plan(single_crate(), overrides=["builder=debian-slim", "libc=musl",
                                                  "tls=openssl-vendored", "allocator=jemalloc"])
    make = [n for n in needs(plan).builder_packages if n.value == "make"]
    assert len(make) == 1
    assert "openssl-vendored" in make[0].reason and "jemalloc" in make[0].reason


def test_packages_the_builder_image_has_are_not_needs():
    debian = make_plan(single_crate(), overrides=["tls=openssl-system", "libc=glibc"])
    slim = debian.with_choice("builder", "debian-slim")
    assert "libssl-dev" not in values(needs(debian).builder_packages)
    assert "libssl-dev" in values(needs(slim).builder_packages)


def test_alpine_names_replace_debian_ones_and_keep_the_reason():
    plan = make_plan(single_crate(), overrides=["builder=alpine", "libc=musl",
                                                  "tls=openssl-system"])
    found = {n.value: n.reason for n in needs(plan).builder_packages}
    assert "libssl-dev" not in found and "pkg-config" not in found
    assert "OpenSSL" in found["openssl-dev"] and "OpenSSL" in found["pkgconf"]


def test_merged_keeps_first_order_and_joins_distinct_reasons():
    got = merged([Need("a", "x"), Need("b", "y"), Need("a", "z"), Need("a", "x")])
    assert got == (Need("a", "x; z"), Need("b", "y"))


def test_one_set_of_cargo_flags_reaches_every_cargo_command():
    project = workspace(binaries=(
        Binary("server", "server", "crates/server", "crates/server/src/main.rs",
               required_features=("db",)),
    ))
    for caching in ("dummy-main", "cargo-chef", "cache-mounts", "none"):
        plan = make_plan(project, overrides=[f"caching={caching}"])
        flags = values(needs(plan).cargo_flags)
        assert flags == ("-p server", "--features db")
        commands = [line for line in render(plan).dockerfile.splitlines()
                    if ("cargo build" in line or "cargo chef cook" in line)
                    and not line.startswith("#")]
        assert commands, caching
        for line in commands:
            assert "-p server --features db" in line, (caching, line)


def test_build_files_name_why_each_is_copied():
    plan = make_plan(workspace(), overrides=["caching=none"])
    found = {n.value: n.reason for n in needs(plan).build_files}
    assert found["Cargo.lock"].startswith("--locked")
    assert "server" in found["libs/shared/"]  # a path dependency, and whose
    assert found["vendor/"].startswith("vendored crates")
    dockerfile = render(plan).dockerfile
    for need in needs(plan).build_inputs + needs(plan).sources:
        assert f"COPY {need.path} {need.value}\n" in dockerfile


def test_a_path_dependency_outside_the_project_is_an_unmet_need():
    project = single_crate(members=(single_crate().members[0].__class__(
        "api", ".", path_deps=("../shared",)),))
    plan = make_plan(project)
    assert values(needs(plan).outside_context) == ("../shared",)
    assert "../shared" in render(plan).dockerignore


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module}


@pytest.mark.parametrize("path", sorted(WIZARD.glob("render_*.py")), ids=lambda p: p.name)
def test_render_helpers_do_not_call_each_other(path):
    """Render goes straight down: only render.py and render_context gather the render_*
    helpers; a helper reads the Plan and the Needs, never another helper."""
    if path.name == "render_context.py":
        return
    siblings = {m for m in _imports(path) if m.startswith("render_")}
    assert not siblings, f"{path.name} imports {siblings}"


@pytest.mark.parametrize("path", sorted(WIZARD.glob("needs*.py")) + [WIZARD / "need.py"],
                         ids=lambda p: p.name)
def test_the_needs_step_never_reads_render(path):
    assert not {m for m in _imports(path) if m.startswith("render")}, path.name
