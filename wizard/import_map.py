"""One reader per choice: what a Dockerfile says about each rustdock option.

Each reader returns the values it found, each with the line that says so, and marks the
instructions it used, so everything else can be listed as left over. A value is
"stated" when the Dockerfile says it; an absence (no USER, no HEALTHCHECK) is only
"faithful": the check runs the rules on it, but a new plan starts from the default.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .dockerfile.facts import DockerfileFacts
from .dockerfile.facts_build import run_commands
from .dockerfile.facts_runtime import YES
from .dockerfile.parse import Instruction, expand
from .dockerfile.shell import created_users
from .rules_base import CA_RUNTIMES
from .rules_runtime import HEALTH_TOOL_RUNTIME
from .versions import DEFAULT_UID, DISTROLESS_NONROOT_UID

#: Known uids of users that base images already have.
IMAGE_UIDS = {"root": 0, "nonroot": DISTROLESS_NONROOT_UID, "nobody": 65534}
#: Tools rustdock would use for the same check on each runtime, when the Dockerfile's
#: own tool exists but rustdock only installs it elsewhere.
HEALTH_EQUIVALENT = {"alpine": "wget", "debian-slim": "curl"}
_MOVING_RELEASES = frozenset({"bookworm", "trixie"})


@dataclass
class Reading:
    """What the readers found, filled in as they go."""

    #: option -> (value, line); stated values start a new plan.
    stated: dict[str, tuple[Any, int]] = field(default_factory=dict)
    #: option -> (value, line); what the Dockerfile does when it says nothing.
    absent: dict[str, tuple[Any, int]] = field(default_factory=dict)
    #: option -> (value, line); what it meant but does not do (a user created, never
    #: used): a new plan starts from it, the check judges the absence.
    intent: dict[str, tuple[Any, int]] = field(default_factory=dict)
    #: env key -> line of the ENV that set it.
    env_lines: dict[str, int] = field(default_factory=dict)
    #: Lines of instructions some reader used.
    used: set[int] = field(default_factory=set)
    #: (line, why) for what was read but could not become a choice.
    notes: list[tuple[int, str]] = field(default_factory=list)

    def state(self, key: str, value: Any, instruction: Instruction | None, line: int = 0) -> None:
        self.stated[key] = (value, instruction.line if instruction else line)
        if instruction is not None:
            self.used.add(instruction.line)

    def lack(self, key: str, value: Any, line: int) -> None:
        self.absent[key] = (value, line)


def read_build(facts: DockerfileFacts, out: Reading) -> None:
    """Binary, Rust version, builder, Debian release, libc, platforms, caching, features."""
    build = facts.main_build
    shipped = facts.shipped
    if shipped is not None and shipped.placed is not None:
        name = posixpath.basename(shipped.placed.path if not shipped.placed.is_dir else shipped.path)
        if name in facts.binary_names:
            out.state("binary", name, shipped.placed.instruction)
    if "binary" not in out.stated and build is not None:
        names = [n for n in (*build.call.bins, *sorted(build.names or ())) if n in facts.binary_names]
        if names:
            out.state("binary", names[0], build.instruction)
    if build is None:
        runtime = facts.runtime_image
        out.lack("libc", "musl" if runtime.libc in {"none", "musl"} else "glibc", facts.final.line)
        return
    out.used.add(build.instruction.line)
    image = facts.image_of(build.stage)
    from_line = facts.df.lineage(build.stage)[-1].line
    if image.rust:
        out.state("rust_version", image.rust, None, from_line)
    elif image.family:
        out.notes.append((from_line, f"{image.ref} names no Rust release: rustdock pins one"))
    if image.builder:
        out.state("builder", image.builder, None, from_line)
    elif image.ref:
        out.notes.append((from_line, f"builder {image.ref} has no rustdock equivalent; rustdock builds on the official rust image"))
    out.used.add(from_line)
    if build.libc:
        out.state("libc", build.libc, build.instruction)
    else:
        # Unknown (a target from a variable, an unknown image): judge it as the C library
        # the runtime image expects, so no rule speaks about a guess.
        runtime = facts.runtime_image
        expected = "musl" if runtime.libc in {"none", "musl"} else "glibc"
        out.lack("libc", expected, build.line)
    _read_release(facts, out)
    _read_platforms(facts, out)
    _read_caching(facts, out)
    _read_features(facts, out)


def _read_release(facts: DockerfileFacts, out: Reading) -> None:
    for image, line in ((facts.runtime_image, facts.final.line),
                        (facts.builder_image, facts.df.lineage(facts.builder)[-1].line if facts.builder else 0)):
        if image is not None and image.release in _MOVING_RELEASES and not image.release_inferred:
            out.state("debian", image.release, None, line)
            return
        if image is not None and image.release and image.libc == "glibc" and not image.release_inferred:
            out.notes.append((line, f"{image.ref} is {image.release}: rustdock builds on bookworm or trixie"))
    builder = facts.builder_image
    if builder is not None and builder.release in _MOVING_RELEASES:
        out.state("debian", builder.release, None, facts.df.lineage(facts.builder)[-1].line)


def _read_platforms(facts: DockerfileFacts, out: Reading) -> None:
    text = facts.df.text
    arches = {arch for arch, cpu in (("amd64", "x86_64"), ("arm64", "aarch64")) if f"{cpu}-unknown-linux" in text}
    if "arm64" in arches and ("TARGETARCH" in text or "TARGETPLATFORM" in text or len(arches) > 1):
        line = next((i.line for i in facts.df.instructions if "aarch64" in i.original), 0)
        out.state("platforms", "amd64,arm64" if "amd64" in arches else "arm64", None, line)
    elif arches == {"arm64"}:
        line = next((i.line for i in facts.df.instructions if "aarch64" in i.original), 0)
        out.state("platforms", "arm64", None, line)


def _read_caching(facts: DockerfileFacts, out: Reading) -> None:
    main = facts.main_build
    builds = facts.build.in_lineage(main.stage) if main else ()
    cook = next((b for b in builds if b.call.sub == "chef-cook"), None)
    dummy = next((b for b in builds if b.dummy and b.call.sub != "chef-cook"), None)
    if cook is not None:
        out.state("caching", "cargo-chef", cook.instruction)
    elif dummy is not None:
        out.state("caching", "dummy-main", dummy.instruction)
    elif main is not None and main.cache_targets:
        out.state("caching", "cache-mounts", main.instruction)
    elif main is not None:
        out.lack("caching", "none", main.line)
    for build in builds:
        out.used.add(build.instruction.line)


def _read_features(facts: DockerfileFacts, out: Reading) -> None:
    from .options import OPTIONS_BY_KEY  # the features options come with the build work

    call = facts.main_build.call if facts.main_build else None
    if call is None:
        return
    line = facts.main_build.instruction
    if call.features:
        if "features" in OPTIONS_BY_KEY:
            out.state("features", list(call.features), line)
        else:
            out.notes.append((line.line, f"features {', '.join(call.features)}: not carried over yet"))
    for flag, key in (("--no-default-features", "no_default_features"), ("--all-features", "all_features")):
        if call.has(flag):
            if key in OPTIONS_BY_KEY:
                out.state(key, True, line)
            else:
                out.notes.append((line.line, f"{flag}: not carried over yet"))


def read_runtime(facts: DockerfileFacts, out: Reading) -> None:
    """Runtime image, CA certificates, tzdata, user, init, args, env, extra files."""
    image = facts.runtime_image
    final = facts.final
    if image.runtime:
        out.state("runtime", image.runtime, None, final.line)
        out.used.add(final.line)
    else:
        out.notes.append((final.line, f"runtime image {facts.runtime.image.ref} has no rustdock equivalent"))
    _read_files(facts, out)
    _read_user(facts, out)
    _read_program(facts, out)
    _read_env(facts, out)


def _read_files(facts: DockerfileFacts, out: Reading) -> None:
    runtime = facts.runtime
    # ca_certs means "the Dockerfile adds them"; images rustdock knows carry their own
    # (CA_RUNTIMES), others that have them (a rust image run as is) count as adding them.
    has_certs = bool(facts.runtime_image.ca_certs) and facts.runtime_image.runtime not in CA_RUNTIMES
    for key, folder, package, by_default in (("ca_certs", "/etc/ssl", "ca-certificates", has_certs),
                                             ("tzdata", "/usr/share/zoneinfo", "tzdata", False)):
        copied = [p for p in runtime.placed.values() if p.path.startswith(folder)]
        if copied:
            out.state(key, True, copied[0].instruction)
        elif package in runtime.packages:
            out.state(key, True, _installing(facts, package))
        else:
            out.lack(key, by_default, facts.final.line)
    project = facts.project
    extra = []
    seen: set[tuple[int, str]] = set()
    for placed in runtime.placed.values():
        instruction = placed.instruction
        if (instruction.line, placed.source) in seen:
            continue  # `COPY a /x` places a at /x or /x/a (if /x is a folder): the first says it
        seen.add((instruction.line, placed.source))
        if placed.stage is not None or instruction.name not in {"COPY", "ADD"}:
            if placed.stage is not None and placed.source in {"/etc/passwd", "/etc/group"}:
                out.used.add(instruction.line)
            continue
        if instruction.flag("from") is not None:
            continue  # from another image: left over
        relative = posixpath.normpath(placed.source.lstrip("./") or ".")
        if project is not None and relative != "." and (project.root / relative).exists():
            extra.append((_entry(relative, placed.path, runtime.workdir, out, instruction), instruction))
    if extra:
        out.state("extra_files", [r for r, _ in dict.fromkeys(extra)], extra[0][1])
        out.used.update(i.line for _, i in extra)


def _entry(source: str, dest: str, workdir: str, out: Reading, instruction: Instruction) -> str:
    """The extra_files entry for a COPY of `source` to `dest`: "static" when it lands at
    WORKDIR/static, "config/prod.toml:config.toml" when the COPY renames it. rustdock
    copies to its own WORKDIR: a destination outside theirs is noted, not lost."""
    base = workdir.rstrip("/") or ""
    if base and dest.startswith(base + "/"):
        where = posixpath.relpath(dest, base)
        return source if where == source else f"{source}:{where}"
    out.notes.append((instruction.line, f"{source} goes to WORKDIR/{source} in the new Dockerfile, "
                      f"not {dest}: point the program there, or move it back by hand"))
    return source


def _installing(facts: DockerfileFacts, package: str) -> Instruction | None:
    from .dockerfile.shell import installed_packages

    for instruction in facts.runtime.instructions:
        if any(package in installed_packages(c) for c in run_commands(instruction)):
            return instruction
    return None


def _read_user(facts: DockerfileFacts, out: Reading) -> None:
    runtime = facts.runtime
    user = runtime.last("USER")
    if user is None or not user.args:
        created = _created(facts)
        if created is not None:
            uid, instruction = created
            out.intent.update(user=("nonroot", instruction.line), uid=(uid, instruction.line))
            out.used.add(instruction.line)
        out.lack("user", "root", facts.final.line)
        return
    name = user.args[0].split(":")[0]
    if name in {"0", "root"}:
        out.state("user", "root", user)
        return
    out.state("user", "nonroot", user)
    uid = int(name) if name.isdigit() else runtime.users.get(name) or IMAGE_UIDS.get(name)
    if uid:
        out.state("uid", uid, user)
    else:
        out.notes.append((user.line, f"USER {name}: its uid is unknown, rustdock uses {DEFAULT_UID}"))


def _created(facts: DockerfileFacts) -> tuple[int, Instruction] | None:
    """A user created (with a uid) in the final image or in the stage it copies passwd from."""
    for stage in facts.df.stages:
        for instruction in stage.instructions:
            for command in run_commands(instruction):
                for user in created_users(command):
                    if user.uid and user.name in facts.runtime.users and user.uid > 0:
                        return user.uid, instruction
    return None


def _read_program(facts: DockerfileFacts, out: Reading) -> None:
    program = facts.runtime.program
    if program is None:
        return
    out.used.update(i.line for i in (program.entrypoint, program.cmd) if i is not None)
    name = posixpath.basename(program.path)
    if facts.binary_names and name not in facts.binary_names:
        out.notes.append((program.instruction.line, f"{program.instruction.name} runs {program.path}, not the "
                          "program itself: rustdock starts the binary directly (copy the script with "
                          "extra_files and set args if it does more)"))
    stop = facts.final.last("STOPSIGNAL")
    if program.init:
        out.state("init", "tini", program.entrypoint or program.instruction)
    elif stop is not None and stop.args and stop.args[0].upper().removeprefix("SIG") in {"INT", "2"}:
        out.state("init", "sigint", stop)
    else:
        # No init: the program is PID 1 (what rustdock's default would be is judged apart).
        out.lack("init", "none", program.instruction.line)
    if program.args:
        text = shlex.join(program.args)
        if "\n" not in text and len(text) <= 500:
            out.state("args", text, program.cmd or program.instruction)
    _read_ports(facts, out)
    _read_health(facts, out)


def _read_ports(facts: DockerfileFacts, out: Reading) -> None:
    from .option_model import OptionError
    from .port_spec import parse_ports

    exposed = facts.runtime.exposed
    if not exposed:
        out.lack("ports", (), facts.final.line)
        return
    specs: list[str] = []
    for word, instruction in exposed:
        try:
            specs += [s for s in parse_ports([word]) if s not in specs]
        except OptionError:
            out.notes.append((instruction.line, f"EXPOSE {word}: not a port number"))
            continue
        out.used.add(instruction.line)
    if specs:
        out.state("ports", tuple(specs), exposed[0][1])


def _read_health(facts: DockerfileFacts, out: Reading) -> None:
    check = facts.runtime.last("HEALTHCHECK")
    if check is None or check.args[:1] == ("NONE",):
        out.lack("healthcheck", "none", check.line if check else facts.final.line)
        return
    words = list(check.args[1:]) if check.json else _words(" ".join(check.args[1:]))
    if words[:2] in (["/bin/sh", "-c"], ["sh", "-c"]) and len(words) > 2:
        words = _words(words[2])
    program = posixpath.basename(words[0]) if words else ""
    if program in HEALTH_TOOL_RUNTIME:
        value = program
        runtime = out.stated.get("runtime", ("", 0))[0]
        if facts.runtime.has_tool(program) == YES and HEALTH_TOOL_RUNTIME[program] != runtime:
            value = HEALTH_EQUIVALENT.get(runtime, "probe")  # the image has it; rustdock would not
        out.state("healthcheck", value, check)
        url = next((w for w in words if "://" in w), "")
        if url:
            # The shell expands it when the check runs: ${PORT:-8888} with the image's ENV.
            url = expand(url, facts.runtime.env)[0]
            parts = urlsplit(url)
            out.state("health_path", parts.path or "/", check)
            port = parts.netloc.rpartition(":")[2]
            if port.isdigit() and "ports" not in out.stated:
                out.state("ports", (port,), check)
    elif program in facts.binary_names or (facts.shipped and words and words[0] == facts.shipped.program.path):
        out.state("healthcheck", "program", check)
        if words[1:]:
            out.state("health_args", " ".join(words[1:]), check)
    else:
        out.notes.append((check.line, f"HEALTHCHECK runs {program or 'nothing'}: rustdock offers its program, a probe, wget or curl"))


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


#: Variables rustdock writes itself or that only make sense in the image they came from.
_ENV_SKIPPED = frozenset({"PATH", "HOME", "HOSTNAME", "DEBIAN_FRONTEND", "TERM"})


def _read_env(facts: DockerfileFacts, out: Reading) -> None:
    items = []
    for key, (value, instruction) in facts.runtime.env_lines.items():
        raw = dict(zip(instruction.raw[::2], instruction.raw[1::2]))
        from_args = "$" in raw.get(key, "")  # set from a build argument: no fixed value
        if key in _ENV_SKIPPED or "${" in value or "\n" in value or from_args:
            out.notes.append((instruction.line, f"ENV {key}: not carried over (rustdock sets its own, or the value refers to the image)"))
            continue
        items.append(f"{key}={value}")
        out.env_lines[key] = instruction.line
        out.used.add(instruction.line)
    if items:
        out.state("env", items, None, min(out.env_lines.values()))


def read_private(facts: DockerfileFacts, out: Reading) -> None:
    """Secret and ssh mounts, and labels."""
    for instruction in facts.df.instructions:
        for mount in instruction.mounts():
            kind = mount.get("type")
            if kind == "ssh":
                out.state("private_git", True, instruction)
            elif kind == "secret" and re.search(r"cargo|registry|token", mount.get("id", ""), re.I):
                out.state("private_registry", True, instruction)
    if any(i.name == "LABEL" for i in facts.runtime.instructions):
        label = next(i for i in facts.runtime.instructions if i.name == "LABEL")
        out.state("labels", True, label)
        out.notes.append((label.line, "LABEL values: rustdock writes the OCI labels from Cargo.toml"))
    else:
        out.lack("labels", False, facts.final.line)
