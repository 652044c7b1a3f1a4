"""Named starting points: a few choices set at once, the rest derived from the project."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .options import OptionError


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    help: str
    choices: Mapping[str, Any]


PRESETS: tuple[Preset, ...] = (
    Preset(
        "smallest",
        "Smallest static image",
        "A static musl binary alone in scratch, size-optimised, with a numeric non-root "
        "user, and CA certificates when the program uses TLS. Often under 10 MB.",
        MappingProxyType(
            {
                "libc": "musl",
                "runtime": "scratch",
                "profile": "size",
                "user": "nonroot",
                "uid": 10001,
                "caching": "cache-mounts",
            }
        ),
    ),
    Preset(
        "distroless",
        "Distroless with CA certificates",
        "A static musl binary on distroless/static: CA bundle, tzdata and the nonroot user "
        "(65532) come with the image. No shell.",
        MappingProxyType(
            {
                "libc": "musl",
                "runtime": "distroless-static",
                "user": "nonroot",
                "ca_certs": True,
                "tzdata": True,
            }
        ),
    ),
    Preset(
        "alpine-debug",
        "Alpine with a shell",
        "A static musl binary on alpine, which keeps a shell, apk and busybox wget for "
        "debugging and a wget healthcheck.",
        MappingProxyType(
            {
                "libc": "musl",
                "runtime": "alpine",
                "user": "nonroot",
                "ca_certs": True,
            }
        ),
    ),
    Preset(
        "debian-slim",
        "Debian slim (glibc)",
        "A dynamically linked glibc binary on debian-slim from the same Debian release: the "
        "fewest surprises with C libraries, OpenSSL and DNS.",
        MappingProxyType(
            {
                "libc": "glibc",
                "builder": "debian",
                "runtime": "debian-slim",
                "user": "nonroot",
            }
        ),
    ),
)

PRESETS_BY_NAME: Mapping[str, Preset] = {p.name: p for p in PRESETS}


def preset(name: str) -> Preset:
    try:
        return PRESETS_BY_NAME[name]
    except KeyError:
        names = ", ".join(PRESETS_BY_NAME)
        raise OptionError(f"no preset named {name!r}; presets are: {names}") from None
