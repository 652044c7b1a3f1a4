"""What dependencies imply: TLS stack, networking, time zones, signals, web frameworks.

Each fact reads the dependency entries of manifests (features matter) and, when there is a
Cargo.lock, the crates it resolves. Tables here are the only place crate names live."""

from __future__ import annotations

from collections.abc import Iterable

from .cargo_manifest import Dep

TLS_CRATES = ("openssl-sys", "native-tls", "rustls", "aws-lc-sys", "ring")
ALLOCATORS = ("tikv-jemallocator", "jemallocator", "mimalloc")
#: Crates that check a server's certificate against root certificates (or load them): with
#: one in the program's dependencies it is a TLS client and needs a CA bundle. rustls or
#: ring alone may only serve HTTPS (miniserve, dufs); OpenSSL is counted as a client.
TLS_CLIENT_CRATES = frozenset({
    "webpki-roots", "webpki-root-certs", "rustls-native-certs", "rustls-platform-verifier",
    "openssl-probe", "native-tls", "openssl-sys", "hyper-rustls", "hyper-tls", "reqwest", "ureq",
})

_NATIVE = frozenset({"native-tls", "openssl-sys"})
_OPENSSL = frozenset({"openssl-sys"})
_RUSTLS_RING = frozenset({"rustls", "ring"})
_RUSTLS_AWS = frozenset({"rustls", "aws-lc-sys"})

#: Without a lock file, the TLS crates a direct dependency pulls in, by trigger:
#: "always", "default" (its default features are on) or a substring of an enabled feature.
_TLS_TRIGGERS: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    "reqwest": (("default", _NATIVE), ("native-tls", _NATIVE), ("rustls", _RUSTLS_RING)),
    "sqlx": (("native-tls", _NATIVE), ("rustls", _RUSTLS_RING)),
    "lettre": (("default", _NATIVE), ("native-tls", _NATIVE), ("rustls", _RUSTLS_RING)),
    "tokio-tungstenite": (("native-tls", _NATIVE), ("rustls", _RUSTLS_RING)),
    "ureq": (("default", _RUSTLS_RING), ("native-tls", _NATIVE), ("rustls", _RUSTLS_RING)),
    "hyper-tls": (("always", _NATIVE),),
    "hyper-rustls": (("always", frozenset({"rustls"})), ("default", _RUSTLS_AWS), ("ring", _RUSTLS_RING)),
    "async-nats": (("default", _RUSTLS_RING),),
    "native-tls": (("always", _NATIVE),),
    "tokio-native-tls": (("always", _NATIVE),),
    "postgres-native-tls": (("always", _NATIVE),),
    "openssl": (("always", _OPENSSL),),
    "openssl-sys": (("always", _OPENSSL),),
    "tokio-openssl": (("always", _OPENSSL),),
    "postgres-openssl": (("always", _OPENSSL),),
    "rustls": (("always", frozenset({"rustls"})), ("default", _RUSTLS_AWS), ("ring", _RUSTLS_RING)),
    "tokio-rustls": (("always", frozenset({"rustls"})), ("default", _RUSTLS_AWS), ("ring", _RUSTLS_RING)),
    "aws-lc-rs": (("always", frozenset({"aws-lc-sys"})),),
    "aws-lc-sys": (("always", frozenset({"aws-lc-sys"})),),
    "ring": (("always", frozenset({"ring"})),),
    "redis": (("tls-native-tls", _NATIVE), ("tls-rustls", _RUSTLS_RING)),
    "mongodb": (("default", _RUSTLS_RING), ("openssl-tls", _OPENSSL)),
    "actix-web": (("openssl", _OPENSSL), ("rustls", _RUSTLS_RING)),
    "tonic": (("tls", _RUSTLS_RING),),
    "git2": (("default", _OPENSSL), ("https", _OPENSSL)),
    "curl": (("default", _OPENSSL), ("ssl", _OPENSSL)),
}

#: Crates that open network connections (so the program resolves host names).
NET_CRATES = frozenset(
    {
        "reqwest", "hyper", "sqlx", "redis", "tokio-postgres", "postgres", "mysql", "mysql_async",
        "mongodb", "lettre", "ureq", "surf", "isahc", "curl", "hickory-resolver",
        "trust-dns-resolver", "async-nats", "rdkafka", "tonic", "lapin", "sea-orm", "scylla",
        "tokio-tungstenite", "tungstenite", "attohttpc", "awc", "rumqttc", "fred", "aws-config",
    }
)

#: Web frameworks and the port each listens on in its documentation's examples.
FRAMEWORK_PORTS = (
    # Leptos full-stack apps (their server integration crates); site-addr defaults to 3000.
    ("leptos_axum", 3000),
    ("leptos_actix", 3000),
    ("loco-rs", 5150),
    ("rocket", 8000),
    ("actix-web", 8080),
    ("axum", 3000),
    ("warp", 3030),
    ("poem", 3000),
    ("salvo", 5800),
    ("tide", 8080),
    ("hyper", 3000),
)

#: Template engines that compile templates into the binary, and ones that read them at run time.
COMPILED_TEMPLATES = frozenset({"askama", "rinja", "sailfish", "yarte", "ructe", "askama_axum"})
RUNTIME_TEMPLATES = frozenset({"tera", "handlebars", "minijinja", "liquid", "tinytemplate", "upon"})


def _enabled(dep: Dep, trigger: str) -> bool:
    if trigger == "always":
        return True
    if trigger == "default":
        return dep.default_features or "default" in dep.features
    return any(trigger in feature for feature in dep.features)


def tls_of(dep: Dep) -> frozenset[str]:
    """TLS crates a direct dependency pulls in, judged from its name and features alone."""
    crates: set[str] = set()
    for trigger, pulled in _TLS_TRIGGERS.get(dep.name, ()):
        if _enabled(dep, trigger):
            crates |= pulled
    return frozenset(crates)


def _has_feature(dep: Dep, *names: str) -> bool:
    return any(f in names for f in dep.features)


def uses_timezones(deps: Iterable[Dep]) -> bool:
    """chrono's clock (local time), jiff without its bundled database, tz-rs, time's
    local-offset: all read /etc/localtime or /usr/share/zoneinfo at run time.
    chrono-tz compiles its database in, so it alone does not count."""
    for dep in deps:
        if dep.name == "chrono" and (dep.default_features or _has_feature(dep, "clock", "default")):
            return True
        if dep.name == "jiff" and not _has_feature(dep, "tzdb-bundle-always"):
            return True
        if dep.name in {"tz-rs", "tzfile", "iana-time-zone"}:
            return True
        if dep.name == "time" and _has_feature(dep, "local-offset"):
            return True
    return False


def tokio_has(deps: Iterable[Dep], *features: str) -> bool:
    """Whether tokio is a dependency with one of `features` (or "full")."""
    return any(d.name == "tokio" and _has_feature(d, "full", *features) for d in deps)
