"""Facts about how a program meets the network and its configuration: the ports it
listens on (each with where it was found), whether it listens on localhost and what moves
it to 0.0.0.0, and the config file it reads at start. Frozen values held by the Project."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortFact:
    """One port the program listens on."""

    number: int
    #: "tcp" or "udp".
    proto: str = "tcp"
    #: Where it was found, for the wizard to show: "config/config.yaml:3",
    #: "src/main.rs:42 clap default", "axum default".
    source: str = ""

    @property
    def spec(self) -> str:
        """As the ports option and EXPOSE write it: "8080", "21116/udp"."""
        return f"{self.number}/udp" if self.proto == "udp" else str(self.number)


@dataclass(frozen=True)
class EnvSetting:
    """An environment variable the image sets, and why."""

    name: str
    value: str
    reason: str


@dataclass(frozen=True)
class ListenFact:
    """Where the program listens by default."""

    #: It listens on 127.0.0.1/localhost unless told otherwise: unreachable through -p.
    localhost: bool = False
    #: Where that default is written ("src/main.rs:42", "config/default.toml:3").
    where: str = ""
    #: Variables that move it to 0.0.0.0 (a framework's, a clap argument's `env`, a
    #: config layer's); empty when only the code can.
    env: tuple[EnvSetting, ...] = ()
    #: A command-line flag that moves it ("--http-addr 0.0.0.0:8080"), "" when none.
    flag: str = ""


@dataclass(frozen=True)
class ConfigFact:
    """A configuration file the program reads when it starts."""

    #: Where the program looks, relative to its working directory ("config/default.toml")
    #: unless absolute.
    path: str
    #: Where in the code it is read ("src/main.rs:12").
    where: str = ""
    #: The program stops without it (no `.required(false)`, no fallback seen).
    required: bool = True
    #: A file of the repository to copy there (the same path, or an example/default
    #: config beside it); "" when the repository has none.
    source: str = ""
    #: An environment variable or a flag that names another file ("APP_CONFIG", "--config").
    env: str = ""
    flag: str = ""
    #: The path is the program's positional argument (rathole's CONFIG), named by `flag`.
    positional: bool = False


@dataclass(frozen=True)
class Setting:
    """Something the program cannot start without (an env var it reads with expect/?)."""

    name: str
    where: str
