"""The Dockerfile variants the benchmark times against the generated one (benchmarks/overhead.py),
and the edit it times rebuilds of.

The variants are made by text surgery on rustdock's output, so a change in the template
could quietly turn one into something else; these tests pin what each must be.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dockerfile
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.overhead import bind_mounts, named_copies  # noqa: E402
from benchmarks.pipeline import copy_project, plan_outcome  # noqa: E402
from benchmarks.vendorgen import edit_main  # noqa: E402

SETS = ("libc=glibc", "runtime=distroless-cc", "user=nonroot")


@pytest.fixture
def rendered(tmp_path):
    root = copy_project("vendored", tmp_path / "vendored")
    return {caching: plan_outcome(root, [*SETS, f"caching={caching}"]).rendered.dockerfile
            for caching in ("cache-mounts", "none")}


def _context_copies(text: str) -> list[str]:
    return [c.original for c in dockerfile.parse_string(text) if c.cmd == "COPY" and not c.flags]


def test_generated_cache_mounts_copies_the_context_once(rendered):
    assert _context_copies(rendered["cache-mounts"]) == ["COPY . ."]


def test_named_variant_has_the_named_steps_and_keeps_everything_else(rendered):
    variant = named_copies(rendered["cache-mounts"], rendered["none"])
    assert _context_copies(variant) == [
        "COPY Cargo.toml Cargo.lock ./",
        "COPY .cargo/config.toml .cargo/config.toml",
        "COPY vendor vendor/",
        "COPY src src/",
    ]
    others = lambda text: [c.original for c in dockerfile.parse_string(text)  # noqa: E731
                           if not (c.cmd == "COPY" and not c.flags)]
    assert others(variant) == others(rendered["cache-mounts"])


def test_named_variant_refuses_a_dockerfile_without_the_one_copy(rendered):
    with pytest.raises(ValueError, match="COPY . ."):
        named_copies(rendered["none"], rendered["none"])


def test_bind_mount_variant_copies_nothing_and_mounts_every_input(rendered):
    variant = bind_mounts(rendered["cache-mounts"])
    assert _context_copies(variant) == []
    run = next(c for c in dockerfile.parse_string(variant) if c.cmd == "RUN" and "cargo build" in c.value[0])
    for source in (".cargo", "vendor", "src", "Cargo.toml", "Cargo.lock"):
        assert f"source={source},target=/app/{source}" in run.original


def test_each_edit_changes_what_the_program_prints(tmp_path):
    """A comment would leave the binary as it was, and every stage after the build would
    come from the cache: the edit must change the program itself."""
    root = copy_project("vendored", tmp_path / "vendored")
    main = root / "src/main.rs"
    before = main.read_text()
    edit_main(root, 1)
    first = main.read_text()
    edit_main(root, 2)
    second = main.read_text()
    assert 'println!("[edit 1] vendored-app' in first
    assert 'println!("[edit 2] vendored-app' in second and "[edit 1]" not in second
    assert len(second.splitlines()) == len(before.splitlines())
    with pytest.raises(ValueError, match="edit 2"):
        edit_main(root, 2)
