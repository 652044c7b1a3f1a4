"""Knowledge about how servers listen: each framework's default port and address and the
variable that moves it, and which config and setting names mean "where it listens"."""

from __future__ import annotations

import re

#: framework crate -> (default port, default address, the variable that sets the address,
#: its value for "every interface"). "" when the framework has no such variable (axum,
#: actix-web and hyper take whatever address the code gives them). Framework defaults
#: are the last resort of port detection (cargo_facts.FRAMEWORK_PORTS keeps the order).
FRAMEWORK_LISTEN: dict[str, tuple[int, str, str, str]] = {
    # Rocket: 127.0.0.1:8000 unless Rocket.toml or ROCKET_ADDRESS says otherwise.
    "rocket": (8000, "127.0.0.1", "ROCKET_ADDRESS", "0.0.0.0"),
    # Leptos' site-addr (Cargo.toml [package.metadata.leptos]) defaults to 127.0.0.1:3000.
    "leptos_axum": (3000, "127.0.0.1", "LEPTOS_SITE_ADDR", "0.0.0.0:{port}"),
    "leptos_actix": (3000, "127.0.0.1", "LEPTOS_SITE_ADDR", "0.0.0.0:{port}"),
    # loco's `server.binding` comes from config/<env>.yaml (localhost in development).
    "loco-rs": (5150, "", "", ""),
    "actix-web": (8080, "", "", ""),
    "axum": (3000, "", "", ""),
    "warp": (3030, "", "", ""),
    "poem": (3000, "", "", ""),
    "salvo": (5800, "", "", ""),
    "tide": (8080, "", "", ""),
    # hyper is a library (reqwest and proxies pull it in): no port of its own.
    "hyper": (0, "", "", ""),
}

#: The last key of a setting that holds a port ("port", "http_port", "grpcPort", "ports").
PORT_KEY = re.compile(r"(?i)^(?:[a-z0-9]+[_-]?)?ports?$|^port[_-]?\w+$")
#: ... that holds an address to listen on ("address", "bind", "listen_addr", "host").
ADDRESS_KEY = re.compile(r"(?i)addr|address|bind|binding|listen|^(?:\w+_)?host$")
#: Arguments and constants that bound or forward ports rather than listen on one (bore's
#: --min-port/--max-port, a tunnel client's --local-port/--remote-port).
NOT_LISTEN_ARG = re.compile(r"(?i)(^|_)(min|max|range|local|remote|forward|upstream|to|dest|target)(_|$)")
#: Settings about something the program connects to, never where it listens.
OUTBOUND = re.compile(
    r"(?i)(^|[._-])(db|database|postgres\w*|pg|mysql|mariadb|sqlite|redis|mongo\w*|smtp|mail|email"
    r"|sentry|upstream|client|remote|target|backend|kafka|nats|amqp|rabbit\w*|elastic\w*|s3|ldap"
    r"|oauth|oidc|proxy|peers?|bootstrap|jaeger|otlp|otel|collector|telemetry|tracing|zipkin"
    r"|statsd|influx\w*|clickhouse|cassandra|etcd|consul|vault|minio|webhook|api_url|url|uri"
    r"|origin|cors|redirect|public|external|advertised?)([._-]|$)"
)



def outbound(key: str, own: str = "") -> bool:
    """A setting about something the program connects to. A word of the program's own
    name is what it serves: lldap's ldap_port, mini-redis' redis_port (short words like
    db or pg only as a whole word). `own`: net_table.own_words of its names."""
    words = own.split()
    return any(not any(w == m[2].lower() or (len(m[2]) >= 4 and m[2].lower() in w) for w in words)
               for m in OUTBOUND.finditer(key))


def own_words(names: tuple[str, ...]) -> str:
    """The words of the program's package and binary names: "lldap", "mini-redis-server"
    -> "lldap mini redis server"."""
    return " ".join(dict.fromkeys(w for n in names for w in re.split(r"[^a-z0-9]+", n.lower()) if w))


#: Config files that never configure the program: tools' and CI's.
NOT_PROGRAM_CONFIG = re.compile(
    r"(?i)^(cargo|clippy|\.?rustfmt|rust-toolchain|deny|cliff|typos|_typos|taplo|\.?taplo|release"
    r"|release-plz|dist-workspace|dist|cross|makefile|netlify|fly|vercel|codecov|\.?codecov|mkdocs"
    r"|package|package-lock|tsconfig|jsconfig|renovate|dependabot|\.?pre-commit-config|crowdin"
    r"|docker-compose[\w.-]*|compose[\w.-]*|\.?markdownlint|book|rustdoc|tarpaulin|nextest"
    r"|\.?gitlab-ci|appveyor|\.?travis|azure-pipelines|openapi|swagger|schema|lock|flake|trunk"
    r"|deno|biome|turbo|lerna|\.?prettierrc|\.?eslintrc|components|manifest)$"
)
#: Names of default configuration files, best first.
DEFAULT_CONFIG_NAMES = ("default", "config", "settings", "base", "production", "prod", "app",
                        "server", "configuration", "application")
#: Words that mark an example or a test configuration.
EXAMPLE_WORDS = re.compile(r"(?i)example|sample|template|dist|default")
TEST_WORDS = re.compile(
    r"(?i)(^|[._-])(test|tests|testing|ci|dev|development|local|debug|bench|schema|openapi)([._-]|$)")
#: Directories config files live in.
CONFIG_DIRS = ("", "config", "configs", "conf", "etc", "configuration", "settings")
CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
#: Crates that read configuration files (so a config file in the repo is the program's).
CONFIG_CRATES = frozenset({"config", "figment", "confy", "confique", "twelf", "serde_yaml",
                           "serde_yml", "toml", "serde_json", "json5", "hocon", "envy", "rocket",
                           "loco-rs", "settings", "clap-serde-derive", "ortho_config"})
