"""THE table of crates rustdock switches to rustls, by crate and version.

Feature names were checked against each crate's Cargo.toml (late 2026). A row says which
native-TLS features map to which rustls ones, which feature turns rustls on, and the default
features minus native TLS, added when the defaults themselves pull native TLS (then
rustdock sets `default-features = false` and lists what the defaults gave). Platform-only
defaults (reqwest's macOS proxy support) are left out: the image runs Linux. Crates that
cannot be switched by features name what to do instead (`note`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class TlsRow:
    crate: str
    #: Version prefixes the row covers ("0.12" matches 0.12.x); () covers every version.
    versions: tuple[str, ...] = ()
    #: native feature -> rustls feature ("" to drop it).
    replace: Mapping[str, str] = field(default_factory=dict)
    #: The feature that turns rustls on ("" when no feature is needed).
    rustls: str = ""
    #: True when the default features pull native TLS.
    native_default: bool = False
    #: True when the default features already give rustls.
    rustls_default: bool = False
    #: Default features minus native TLS.
    defaults: tuple[str, ...] = ()
    #: Features that need a code change to leave OpenSSL: feature -> what to do.
    manual: Mapping[str, str] = field(default_factory=dict)
    #: Set when the crate itself is the native-TLS dependency: what to do instead.
    note: str = ""


_REQWEST_NATIVE = {"native-tls": "rustls-tls", "native-tls-vendored": "rustls-tls",
                   "native-tls-alpn": "rustls-tls", "default-tls": ""}

ROWS: tuple[TlsRow, ...] = (
    TlsRow("reqwest", ("0.11",), _REQWEST_NATIVE, "rustls-tls", native_default=True),
    TlsRow("reqwest", ("0.12",), _REQWEST_NATIVE, "rustls-tls", native_default=True,
           defaults=("charset", "http2")),
    TlsRow("reqwest", ("0.13",),
           {"native-tls": "", "native-tls-no-alpn": "", "native-tls-vendored": "",
            "native-tls-vendored-no-alpn": ""},
           "rustls", rustls_default=True),
    TlsRow("sqlx", (), {"runtime-tokio-native-tls": "runtime-tokio-rustls",
                        "runtime-async-std-native-tls": "runtime-async-std-rustls",
                        "runtime-actix-native-tls": "runtime-actix-rustls",
                        "tls-native-tls": "tls-rustls"}),
    TlsRow("lettre", ("0.10", "0.11"),
           {"native-tls": "rustls-tls", "tokio1-native-tls": "tokio1-rustls-tls",
            "async-std1-native-tls": "async-std1-rustls-tls"},
           "rustls-tls", native_default=True,
           defaults=("smtp-transport", "pool", "hostname", "builder")),
    TlsRow("tokio-tungstenite", (), {"native-tls": "rustls-tls-webpki-roots",
                                     "native-tls-vendored": "rustls-tls-webpki-roots"}),
    TlsRow("tungstenite", (), {"native-tls": "rustls-tls-webpki-roots",
                               "native-tls-vendored": "rustls-tls-webpki-roots"}),
    TlsRow("ureq", ("2",), {"native-tls": ""}, "tls", rustls_default=True),
    TlsRow("ureq", ("3",), {"native-tls": ""}, "rustls", rustls_default=True),
    TlsRow("redis", (), {"tls-native-tls": "tls-rustls",
                         "tokio-native-tls-comp": "tokio-rustls-comp",
                         "async-std-native-tls-comp": "async-std-rustls-comp"}),
    TlsRow("mongodb", (), {"openssl-tls": ""}, "rustls-tls", rustls_default=True),
    TlsRow("kube", (), {"openssl-tls": "rustls-tls"}, "rustls-tls", rustls_default=True),
    TlsRow("surf", ("2",), {"curl-client": "h1-client-rustls", "h1-client": "h1-client-rustls"},
           "h1-client-rustls", native_default=True, defaults=("middleware-logger", "encoding")),
    # sentry's `transport` default is reqwest + native-tls; 0.32 added release-health.
    TlsRow("sentry", ("0.27", "0.28", "0.29", "0.30", "0.31"),
           {"native-tls": "rustls", "transport": "reqwest"}, "rustls", native_default=True,
           defaults=("backtrace", "contexts", "debug-images", "panic", "reqwest")),
    TlsRow("sentry", (), {"native-tls": "rustls", "transport": "reqwest"}, "rustls",
           native_default=True,
           defaults=("backtrace", "contexts", "debug-images", "panic", "reqwest", "release-health")),
    # Features that need a code change, not just a feature swap.
    TlsRow("actix-web", (), manual={"openssl": "replace bind_openssl with bind_rustls_0_23 "
                                    "and the rustls-0_23 feature"}),
    TlsRow("awc", (), manual={"openssl": "use the rustls-0_23 feature and its connector"}),
    # Crates that are themselves the OpenSSL dependency.
    TlsRow("hyper-tls", note="swap it for hyper-rustls (HttpsConnectorBuilder): a code change"),
    TlsRow("native-tls", note="your code uses native-tls directly: port it to rustls"),
    TlsRow("tokio-native-tls", note="port it to tokio-rustls: a code change"),
    TlsRow("async-native-tls", note="port it to futures-rustls: a code change"),
    TlsRow("openssl", note="your code uses OpenSSL directly: choose tls=openssl-vendored"),
    TlsRow("postgres-native-tls", note="swap it for tokio-postgres-rustls: a code change"),
    TlsRow("postgres-openssl", note="swap it for tokio-postgres-rustls: a code change"),
    TlsRow("isahc", note="it links libcurl with OpenSSL and has no rustls option"),
)

#: Crates that use rustls already: nothing to switch, nothing to warn about.
RUSTLS_ONLY = frozenset({
    "async-nats", "rustls", "tokio-rustls", "hyper-rustls", "futures-rustls", "tonic",
    "webpki-roots", "rustls-native-certs", "rustls-platform-verifier", "aws-config",
})

CRATES = MappingProxyType({row.crate: None for row in ROWS})


def major(version: str) -> str:
    """"0.12" for "^0.12.4", "2" for "2.1"; "" when the text holds no version."""
    text = version.strip().lstrip("^~=<>! ").split(",")[0].strip()
    parts = text.split(".")
    if not parts[0].isdigit():
        return ""
    if parts[0] == "0" and len(parts) > 1 and parts[1].isdigit():
        return f"0.{parts[1]}"
    return parts[0]


def row_for(crate: str, version: str) -> TlsRow | None:
    """The row for a crate at a version; None when the crate or that version is unknown."""
    rows = [row for row in ROWS if row.crate == crate]
    wanted = major(version)
    for row in rows:
        if not row.versions or wanted in row.versions:
            return row
    return None
