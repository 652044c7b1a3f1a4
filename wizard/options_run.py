"""Options of what the container runs with: port, arguments, environment, files,
labels, comments (group run), then private dependencies (group private). Rows keep the
table's order."""

from __future__ import annotations

from .code_writes import top_dirs
from .option_model import Choices, Option, Value
from .port_spec import parse_ports
from .project import Project


def _default_writable(project: Project, chosen: Choices) -> tuple[str, ...]:
    """The directories the code writes, for a server (a command's output goes where its
    user mounts); none for a program that runs as root."""
    if not project.serves or chosen.get("user") == "root":
        return ()
    return top_dirs(path for path, _ in project.writes)


def _default_args(project: Project, chosen: Choices) -> str:
    """The service's subcommand when the command line requires one (without it the
    program prints its help and exits), then the flag that moves a localhost listener
    to 0.0.0.0 when only a flag can."""
    flag = project.listen.flag if project.listen.localhost and not project.listen.env else ""
    return " ".join(a for a in (project.service_command, flag) if a)


#: A relative path without a ".." segment.
_PATH = r"(?!(?:[^:]*/)?\.\.(?:[/:]|$))[A-Za-z0-9._][A-Za-z0-9._/-]*"


def _runtime_entries(project: Project) -> tuple[str, ...]:
    """The runtime files detect found: what the code reads, at the path it reads it
    from ("crates/web/templates:templates"), then the rest of runtime_dirs."""
    entries = {r.source: r.entry for r in project.runtime_reads}
    return tuple(entries.get(d, d) for d in project.runtime_dirs)


RUN_OPTIONS: tuple[Option, ...] = (
    # port, arguments, environment, extra files
    Option(
        "ports",
        "Ports",
        "list",
        "run",
        "The ports the program listens on, for EXPOSE: 8080, or 6333,6334, or 21116/udp for "
        "UDP. The first TCP one is the healthcheck's. Empty for none.",
        lambda p, c: tuple(port.spec for port in p.ports) or ((str(p.port_guess),) if p.port_guess else ()),
        expects="a port: 8080 or 21116/udp",
        derived="the default config file, clap defaults, listening calls, else the framework's default",
        clean=parse_ports,
        aliases=("port",),
    ),
    Option(
        "args",
        "Arguments",
        "text",
        "run",
        "Default arguments (CMD) passed to the program; `docker run IMAGE ...` replaces them.",
        _default_args,
        pattern=r"[^\n]{0,500}",
        expects="arguments on one line",
        derived="the subcommand that serves when one is required (`server`, `start`), and the "
                "flag that moves a localhost listener to 0.0.0.0 when only a flag can",
    ),
    Option(
        "env",
        "Environment",
        "list",
        "run",
        "Environment variables baked into the image (never secrets: use runtime env or "
        "secret mounts). One KEY=VALUE per item.",
        lambda p, c: (),
        pattern=r"[A-Za-z_][A-Za-z0-9_]*=[^\n]*",
        expects="KEY=VALUE",
    ),
    Option(
        "extra_files",
        "Extra files",
        "list",
        "run",
        "Files and directories the program reads at run time (templates, static assets), "
        "relative to the project root. Each lands at the same path under the working "
        "directory; PATH:WHERE puts it elsewhere (crates/web/templates:templates).",
        lambda p, c: _runtime_entries(p),
        # No absolute paths and no ".." segment: the build context ends at the project root,
        # and the destination stays inside the working directory.
        pattern=rf"{_PATH}(:{_PATH})?",
        expects="a relative path inside the project, optionally :WHERE relative to the working directory",
        derived="what the code reads at run time (Tera, Handlebars, minijinja templates; "
                "ServeDir, actix-files static files; paths it names), placed where it reads them",
    ),
    Option(
        "writable",
        "Writable data",
        "list",
        "run",
        "Directories the program writes, relative to its working directory /app (\".\" is "
        "/app itself) or absolute. Each is made empty in the builder and copied in owned by "
        "the program's user, so a non-root program can write there on any runtime, scratch "
        "included; the binary stays root-owned.",
        _default_writable,
        pattern=r"(?!(.*/)?\.\.(/|$))(?!/$)/?[A-Za-z0-9._][A-Za-z0-9._/-]*",
        expects="a directory: relative to /app (\".\" for /app) or absolute, no ..",
        derived="for a server, the directories its code writes (./data, sqlite://./app.db)",
    ),
    Option(
        "volume",
        "Volume for the data",
        "bool",
        "run",
        "Declare the writable directories as VOLUMEs, so their data outlives the container "
        "even when nobody mounts one (Docker makes an anonymous volume on each run).",
        lambda p, c: False,
        relevant=lambda p, c: bool(c.get("writable")),
    ),
    Option(
        "config_file",
        "Config file",
        "choice",
        "run",
        "The program reads a config file when it starts. Copy the repository's (default or "
        "example) file where it looks, or leave a mount point: the Dockerfile says where.",
        lambda p, c: "copy" if p.config is not None and p.config.source else "mount",
        values=(
            Value("copy", "Copy the repository's file",
                  "The image starts as is; change settings with env vars or by mounting over it."),
            Value("mount", "Mount your own at run time",
                  "Nothing is copied: `docker run -v ./config.toml:/app/config.toml:ro` gives it "
                  "yours (secrets stay out of the image)."),
        ),
        relevant=lambda p, c: p.config is not None and bool(p.config.path),
        derived="copy when the repository has the file or an example of it",
    ),
    Option(
        "labels",
        "OCI labels",
        "bool",
        "run",
        "org.opencontainers.image.* labels from Cargo.toml (version, license, source) so "
        "registries and scanners can tell what the image is.",
        lambda p, c: True,
    ),
    Option(
        "comments",
        "Explain in comments",
        "bool",
        "run",
        "Short comments in the Dockerfile saying why each non-obvious line is there.",
        lambda p, c: True,
    ),
    # private dependencies
    Option(
        "private_registry",
        "Private registry token",
        "bool",
        "private",
        "Pass a private registry's token as a BuildKit secret (never ARG or ENV, which "
        "stay in the image history).",
        lambda p, c: p.private_registry,
        derived="on when a dependency comes from another registry",
    ),
    Option(
        "registry_name",
        "Registry name",
        "text",
        "private",
        "The registry's name in .cargo/config.toml; its token goes to "
        "CARGO_REGISTRIES_<NAME>_TOKEN.",
        lambda p, c: p.registry_names[0] if p.registry_names else "private",
        pattern=r"[A-Za-z0-9_-]{1,64}",
        expects="a registry name (letters, digits, - and _)",
        relevant=lambda p, c: bool(c.get("private_registry")),
        derived="the registry named in Cargo.toml",
    ),
    Option(
        "private_git",
        "Private git dependencies",
        "bool",
        "private",
        "Fetch git dependencies over ssh with the build machine's ssh agent "
        "(`--ssh default`), never by copying a key into the image.",
        lambda p, c: p.private_git,
        derived="on when a git dependency is fetched over ssh",
    ),
)
