"""What a program's sources say about the network: clap/structopt arguments (their
defaults and env vars), listening calls, port constants, env vars read for an address,
and config layers (config-rs, figment, envy) that map env vars onto settings.

Reads Sources (test code already blanked by cargo_sources) and returns plain values with
"path:line"; detect_ports and detect_config decide what they mean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass

from .cargo_sources import Sources
from .rust_text import item_end

#: Argument names that carry a listening port or address.
NET_ARG = re.compile(r"(?i)port|addr|address|bind|listen|host|endpoint")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_HOST = r"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]|\[::1\]|::|)"
#: "0.0.0.0:8080", ":3000", "[::]:8000", "localhost:9000"
HOST_PORT = re.compile(rf"^(?:[a-z]+://)?({_HOST}):(\d{{1,5}})/?$")


@dataclass(frozen=True)
class Arg:
    """One command-line argument declared with clap/structopt/argh (derive or builder)."""

    name: str
    where: str
    default: str = ""
    env: str = ""
    long: str = ""
    short: str = ""
    #: The field's type as written ("u16", "Option<PathBuf>"), "" for the builder API.
    type: str = ""
    required: bool = False
    #: A default is given (even an empty one: `default_value = ""`).
    has_default: bool = False
    #: Declared in an enum variant (a subcommand's argument): needed only by that command.
    in_subcommand: bool = False


@dataclass(frozen=True)
class Found:
    """A literal found in the code: a port, an address, an env var name."""

    value: str
    where: str
    #: "tcp"/"udp" for listening calls; the env var's name for env readers.
    extra: str = ""


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


_ATTR_START = re.compile(r"#\[\s*(arg|clap|structopt|argh|option)\s*\(")
_FIELD = re.compile(r"(?:\s*(?:///[^\n]*|//[^\n]*|#\[[^\]]*\]))*\s*(?:pub(?:\([^)]*\))?\s+)?(\w+)\s*:\s*")
_KEY_STR = r'\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,)\]]+))'


def _attr_value(body: str, key: str) -> str | None:
    """`key = "x"` (the string) or `key = expr` (the expression text), None if absent;
    "" for a bare `key` flag (clap's `env`, `long`)."""
    match = re.search(rf"(?<![\w.]){key}{_KEY_STR}", body)
    if match:
        return match[1] if match[1] is not None else match[2].strip()
    return "" if re.search(rf"(?<![\w.=]){key}\b(?!\s*[=(])", body) else None


def _derive_args(path: str, text: str) -> Iterator[Arg]:
    for match in _ATTR_START.finditer(text):
        end = item_end(text.replace("(", "{").replace(")", "}"), match.end() - 1)
        body = text[match.end():end - 1]
        field = _FIELD.match(text, end + 1 if text[end:end + 1] == "]" else end)
        if field is None:
            continue
        type_end = item_end(text.replace("<", "{").replace(">", "}").replace(",", ";"), field.end())
        ftype = text[field.end():type_end].rstrip(";,} \n")
        name = field[1]
        env = _attr_value(body, "env")
        default = None
        for key in ("default_value_t", "default_value", "default"):
            default = _attr_value(body, key)
            if default is not None:
                break
        long = _attr_value(body, "long")
        short = _attr_value(body, "short")
        before = text[:match.start()]
        enum_at = max(before.rfind("enum "), before.rfind("Subcommand)"))
        yield Arg(
            name=name,
            where=f"{path}:{_line(text, match.start())}",
            default=(default or "").strip('"'),
            has_default=default is not None or bool(re.search(r"\bdefault_value", body)),
            env=(name.upper() if env == "" else env or ""),
            long=(name.replace("_", "-") if long == "" else (long or "")).strip('"'),
            short=(name[0] if short == "" else (short or "")).strip("'\""),
            type=ftype,
            required=bool(re.search(r"\brequired\s*=\s*true", body)),
            in_subcommand=enum_at > before.rfind("struct "),
        )


_BUILDER = re.compile(r'Arg::(?:new|with_name)\(\s*"([\w-]+)"\s*\)')
_CALL = re.compile(r'\s*\.(\w+)\(\s*(?:"((?:[^"\\]|\\.)*)"|\'(.)\'|([^()]*))\s*\)')


def _builder_args(path: str, text: str) -> Iterator[Arg]:
    for match in _BUILDER.finditer(text):
        calls: dict[str, str] = {}
        pos = match.end()
        while (call := _CALL.match(text, pos)) is not None:
            calls[call[1]] = call[2] if call[2] is not None else call[3] or call[4] or ""
            pos = call.end()
        yield Arg(
            name=match[1].replace("-", "_"),
            where=f"{path}:{_line(text, match.start())}",
            default=calls.get("default_value", ""),
            has_default="default_value" in calls,
            env=calls.get("env", ""),
            long=calls.get("long", ""),
            short=calls.get("short", ""),
            required=calls.get("required") == "true",
        )


@lru_cache(maxsize=8)
def args(sources: Sources) -> tuple[Arg, ...]:
    """Every command-line argument the program declares, in reading order."""
    found: list[Arg] = []
    for path, text in sources.files:
        if "clap" in text or "structopt" in text or "argh" in text or "Parser" in text or "Arg::" in text:
            found += _derive_args(path, text)
            found += _builder_args(path, text)
    return tuple(found)


def frameworks_named(frameworks: tuple[str, ...], sources: Sources) -> tuple[str, ...]:
    """The frameworks the code names (`axum::`, `use rocket`, `extern crate rocket`): a
    framework that is only a dependency (rustdesk-server's unused axum) serves nothing,
    so its default port is no evidence."""
    text = "\n".join(t for _, t in sources.files)
    return tuple(f for f in frameworks if re.search(rf"\b{re.escape(f.replace('-', '_'))}\b", text))


def split_address(value: str) -> tuple[str, int]:
    """("127.0.0.1", 8080) from "127.0.0.1:8080"; ("", 8080) from "8080"; ("", 0) else."""
    value = value.strip().strip('"')
    if value.isdigit():
        return "", int(value)
    match = HOST_PORT.match(value)
    if match:
        return match[1], int(match[2])
    return (value, 0) if value in LOOPBACK | {"0.0.0.0", "::", "[::]"} else ("", 0)


#: Listening calls: the address literal they are given, and the protocol.
_LISTEN_CALLS = (
    (re.compile(r'\bUdpSocket::bind\(\s*(?:&?\s*format!\(\s*)?"([^"]*)"'), "udp"),
    (re.compile(r'\bUdpSocket::bind\(\s*\(\s*"([^"]*)"\s*,\s*(\d{1,5})\s*\)'), "udp"),
    (re.compile(r'\b(?:bind|listen|serve|bind_rustls|bind_openssl|run|bind_tcp|TcpListener::bind)'
                r'\(\s*&?\s*"([^"]*)"'), "tcp"),
    (re.compile(r'\b(?:bind|listen|TcpListener::bind)\(\s*\(\s*"([^"]*)"\s*,\s*(\d{1,5})\s*\)'), "tcp"),
    # TcpListener::bind(&format!("127.0.0.1:{port}")): the host is written, the port is not
    (re.compile(rf'\b(?:bind|listen|serve|bind_tcp|TcpListener::bind)\(\s*&?\s*format!\(\s*"({_HOST}):\{{'), "tcp"),
    (re.compile(r"\[\s*(0\s*,\s*0\s*,\s*0\s*,\s*0|127\s*,\s*0\s*,\s*0\s*,\s*1)\s*\]\s*,\s*(\d{1,5})\s*\)"), "tcp"),
    (re.compile(r"\b(?:Ipv4Addr::(UNSPECIFIED|LOCALHOST))\s*,\s*(\d{1,5})\s*\)"), "tcp"),
    # A whole string literal "0.0.0.0:8080" anywhere: an address, most likely a listen one.
    (re.compile(rf'"({_HOST}:\d{{2,5}})"'), "tcp"),
)
_HOSTS = {"0,0,0,0": "0.0.0.0", "127,0,0,1": "127.0.0.1", "UNSPECIFIED": "0.0.0.0",
          "LOCALHOST": "127.0.0.1"}


@lru_cache(maxsize=8)
def listen_literals(sources: Sources) -> tuple[Found, ...]:
    """Addresses given to listening calls (or written as "host:port" literals): value
    "host:port", extra "tcp"/"udp"; in reading order, each place once."""
    found: dict[str, Found] = {}
    for path, text in sources.files:
        hits = []
        for pattern, proto in _LISTEN_CALLS:
            for m in pattern.finditer(text):
                host = re.sub(r"\s+", "", m[1])
                host = _HOSTS.get(host, host)
                value = f"{host}:{m[2]}" if m.lastindex and m.lastindex >= 2 else host
                host, port = split_address(value)
                if port or (host and ":" not in value):  # a bare host: format! adds the port
                    hits.append((m.start(), value, proto))
        for pos, value, proto in sorted(hits):
            where = f"{path}:{_line(text, pos)}"
            found.setdefault(f"{where} {value}", Found(value, where, proto))
    return tuple(found.values())


#: `const HTTP_PORT: u16 = 8080;` (PORT a word of the name and a u16: bindgen's
#: `SO_REUSEPORT: u32` constants are not ports).
_PORT_CONST = re.compile(r"\b(?:pub(?:\([^)]*\))?\s+)?const\s+((?:\w+_)?PORT(?:_\w+)?)\s*:\s*u16\s*=\s*(\d{2,5})\s*;")
_PORT_ENV_DEFAULT = re.compile(r'"(\w*PORT)"\s*\)[^;]{0,120}?(?<![\w.])"?(\d{2,5})"?(?![\w.])')
#: `match env::var("PORT") { Ok(text) => ..., Err(_) => 8080 }`: the default sits in the
#: Err arm, after whatever the Ok arm does (a parse, an error message and an exit).
_PORT_ENV_MATCH = re.compile(r'"(\w*PORT)"\s*\)\s*\{(?:(?!\}\s*;).){0,400}?\bErr\(\s*_\w*\s*\)\s*=>\s*(\d{2,5})\b', re.S)
#: A serde/clap default function: `fn default_port() -> u16 { 5000 }`.
_PORT_FN = re.compile(r"\bfn\s+(\w*port\w*)\s*\(\s*\)\s*->\s*u16\s*\{\s*(\d{2,5})\s*\}", re.IGNORECASE)
#: A settings field's default: `#[builder(default = "17170")] pub http_port: u16`
#: (derive_builder, serde_inline_default, smart-default...).
_PORT_FIELD = re.compile(r'\bdefault\w*\s*(?:=\s*|\(\s*)"?(?P<port>\d{2,5})"?\s*\)\s*\]\s*'
                         r"(?:pub(?:\([^)]*\))?\s+)?(?P<name>\w*port\w*)\s*:\s*(?:Option<\s*)?u16\b", re.IGNORECASE)
#: `config.port.unwrap_or(7867)`: a port setting's fallback. A field, not `.port()`: an
#: URL's or a socket address's port falls back to where it connects.
_PORT_FALLBACK = re.compile(r"\.(?P<name>\w*port)\s*\.unwrap_or\(\s*(?P<port>\d{2,5})\s*\)", re.IGNORECASE)
_STRUCT = re.compile(r"\bstruct\s+(\w+)")
_SWITCHED_OFF = re.compile(r'default\w*\s*(?:=\s*|\(\s*)"?false"?\s*\)\s*\]\s*(?:pub(?:\([^)]*\))?\s+)?enabled?\s*:')


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _field_port(text: str, m: re.Match[str]) -> str:
    """`struct_field` of a port field ("mail_options_port": OUTBOUND knows it connects),
    "" when its struct is switched off by default (`#[builder(default = "false")] enabled`)."""
    struct = None
    for struct in _STRUCT.finditer(text, 0, m.start()):
        pass
    if struct is None:
        return m["name"]
    if _SWITCHED_OFF.search(text, struct.end(), m.start()):
        return ""
    return f"{_snake(struct[1])}_{m['name']}"


def _port_found(path: str, text: str) -> Iterator[Found]:
    for pattern in (_PORT_CONST, _PORT_ENV_DEFAULT, _PORT_ENV_MATCH, _PORT_FN):
        for m in pattern.finditer(text):
            yield Found(m[2], f"{path}:{_line(text, m.start())}", m[1])
    for m in _PORT_FIELD.finditer(text):
        if name := _field_port(text, m):
            yield Found(m["port"], f"{path}:{_line(text, m.start())}", name)
    for m in _PORT_FALLBACK.finditer(text):
        yield Found(m["port"], f"{path}:{_line(text, m.start())}", m["name"])


def port_constants(sources: Sources) -> tuple[Found, ...]:
    """`const HTTP_PORT: u16 = 8080;`, `env::var("PORT")...unwrap_or("8080")`, default
    functions and fields, `port.unwrap_or(N)`: value the port, extra the constant's,
    field's or variable's name."""
    found = [f for path, text in sources.files for f in _port_found(path, text)]
    return tuple(sorted(found, key=lambda f: (f.where.split(":")[0], int(f.where.rsplit(":", 1)[1]))))


#: config-rs `.set_default("server.port", 8080)`: the settings' defaults, in the code.
_SET_DEFAULT = re.compile(r'\.set_default\(\s*"([\w.-]+)"\s*,\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*\)')


def code_defaults(sources: Sources) -> tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]:
    """(file, settings) for each file that sets config defaults in code (config-rs
    `set_default`), settings as a config file's are (key, value, line)."""
    found = []
    for path, text in sources.files:
        rows = tuple((m[1], m[2].strip('"'), _line(text, m.start())) for m in _SET_DEFAULT.finditer(text))
        if rows:
            found.append((path, rows))
    return tuple(found)


#: env::var("APP_HOST").unwrap_or("127.0.0.1".into()): a variable read for an address
#: with a loopback fallback.
_ENV_ADDRESS = re.compile(
    r'\bvar(?:_os)?\(\s*"(\w*(?:HOST|ADDR|ADDRESS|BIND|LISTEN)\w*)"\s*\)[^;]{0,160}?"([^"]*)"'
)


def env_addresses(sources: Sources) -> tuple[Found, ...]:
    """Env vars read for a listening address with a default: value the default, extra
    the variable's name."""
    return tuple(Found(m[2], f"{path}:{_line(text, m.start())}", m[1])
                 for path, text in sources.files for m in _ENV_ADDRESS.finditer(text))


@dataclass(frozen=True)
class Layer:
    """An env-var layer over the settings: how a setting's key path becomes a variable."""

    #: "config-rs", "figment", "envy".
    crate: str
    prefix: str
    #: What joins nested keys ("__"); "" when only top-level keys map.
    separator: str
    where: str

    def var(self, key_path: str) -> str:
        """The variable that sets `key_path` ("server.address" -> "APP__SERVER__ADDRESS")."""
        parts = key_path.split(".")
        if len(parts) > 1 and not self.separator:
            return ""
        return self.prefix + self.separator.join(parts).upper() if self.separator else \
            self.prefix + parts[0].upper()


_CONFIG_ENV = re.compile(r"\bEnvironment::(?:with_prefix\(\s*\"(\w*)\"\s*\)|default\(\)|new\(\))")
_FIGMENT_ENV = re.compile(r"\bEnv::(?:prefixed\(\s*\"(\w*)\"\s*\)|raw\(\))")
_ENVY = re.compile(r"\benvy::(?:prefixed\(\s*\"(\w*)\"\s*\)|from_env)")


def config_layers(sources: Sources) -> tuple[Layer, ...]:
    """config-rs `Environment`, figment `Env`, envy, with their prefix and separator."""
    found: list[Layer] = []
    for path, text in sources.files:
        for m in _CONFIG_ENV.finditer(text):
            chain = text[m.end():m.end() + 300].split(";")[0]
            sep = re.search(r'\.separator\(\s*"([^"]*)"', chain)
            psep = re.search(r'\.prefix_separator\(\s*"([^"]*)"', chain)
            separator = sep[1] if sep else ""
            prefix = m[1] or ""
            if prefix:
                # config-rs joins prefix and key with prefix_separator, else the
                # separator, else "_".
                prefix += psep[1] if psep else (separator or "_")
            found.append(Layer("config-rs", prefix.upper(), separator, f"{path}:{_line(text, m.start())}"))
        for m in _FIGMENT_ENV.finditer(text):
            chain = text[m.end():m.end() + 300].split(";")[0]
            split = re.search(r'\.split\(\s*"([^"]*)"', chain)
            found.append(Layer("figment", (m[1] or "").upper(), split[1] if split else "",
                               f"{path}:{_line(text, m.start())}"))
        for m in _ENVY.finditer(text):
            found.append(Layer("envy", (m[1] or "").upper(), "", f"{path}:{_line(text, m.start())}"))
    return tuple(found)
