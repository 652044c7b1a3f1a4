"""The project's `.cargo/config.toml`: vendored sources, named registries, the [env] it
sets for builds and the linkers it names per target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cargo_manifest import join, read_toml


@dataclass(frozen=True)
class CargoConfig:
    exists: bool = False
    #: The directory crates-io is replaced with, relative to the root ("" when none).
    vendor_dir: str = ""
    #: Registry name -> index URL, from `[registries]`.
    registries: tuple[tuple[str, str], ...] = ()
    #: `[build] target` and `target-dir`: where a plain `cargo build` writes ("" for none).
    build_target: str = ""
    target_dir: str = ""
    #: Names of the variables `[env]` sets for builds (PROTOC, ...).
    env: tuple[str, ...] = ()
    #: (target triple, program) for each linker `[target.<triple>]` names: its `linker`,
    #: a `-C linker=...` in its rustflags, and a `-fuse-ld=...` there ("lld", "mold").
    linkers: tuple[tuple[str, str], ...] = ()


def config_path(root: Path) -> Path | None:
    """`.cargo/config.toml`, or the legacy `.cargo/config`, when one exists."""
    for name in ("config.toml", "config"):
        path = root / ".cargo" / name
        if path.is_file():
            return path
    return None


def _vendor_dir(data: dict) -> str:
    """Follow `[source.crates-io] replace-with` to a `directory` source."""
    sources = data.get("source")
    if not isinstance(sources, dict):
        return ""
    name, seen = "crates-io", set()
    while name not in seen:  # replace-with may chain; a loop is cargo's error, not ours
        seen.add(name)
        source = sources.get(name)
        if not isinstance(source, dict):
            return ""
        if source.get("directory"):
            # Relative paths in a config file are relative to the directory holding .cargo/.
            return join(".", str(source["directory"])) if name != "crates-io" else ""
        replacement = source.get("replace-with")
        if not replacement:
            return ""
        name = str(replacement)
    return ""


def _linkers(section: dict) -> list[str]:
    """Programs one `[target.<triple>]` section links with (basenames)."""
    found = [str(section["linker"])] if isinstance(section.get("linker"), str) else []
    flags = section.get("rustflags")
    words = flags.split() if isinstance(flags, str) else [str(f) for f in flags or []] \
        if isinstance(flags, list) else []
    for word in " ".join(words).replace("-C ", "-C").split():
        if word.startswith("-Clinker="):
            found.append(word.removeprefix("-Clinker="))
        if "-fuse-ld=" in word:
            found.append(word.split("-fuse-ld=", 1)[1])
    return [f.rsplit("/", 1)[-1] for f in found if f]


def read_config(root: Path) -> CargoConfig:
    path = config_path(root)
    if path is None:
        return CargoConfig()
    data = read_toml(path)
    registries = data.get("registries")
    named = tuple(
        sorted(
            (str(name), str(entry.get("index", "")))
            for name, entry in (registries.items() if isinstance(registries, dict) else ())
            if isinstance(entry, dict)
        )
    )
    build = data.get("build") if isinstance(data.get("build"), dict) else {}
    target = build.get("target", "")
    env = data.get("env")
    targets = data.get("target")
    linkers = tuple(
        (str(triple), program)
        for triple, section in (targets.items() if isinstance(targets, dict) else ())
        if isinstance(section, dict)
        for program in _linkers(section)
    )
    return CargoConfig(
        exists=True,
        vendor_dir=_vendor_dir(data),
        registries=named,
        # A list of targets builds each; only a single one names one output directory.
        build_target=target if isinstance(target, str) else "",
        target_dir=str(build.get("target-dir", "")),
        env=tuple(str(k) for k in env) if isinstance(env, dict) else (),
        linkers=linkers,
    )
