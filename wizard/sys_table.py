"""THE table from crates to system needs: what a crate in Cargo.lock asks of the builder
and of the runtime image, per image family.

Data only; needs_sys.py reads it. A row says how its crate links (`link`):

- "tool":           its build script runs a program (protoc, cmake, clang): builder only.
- "bundled":        it compiles its own copy of the C library: a C compiler, maybe tools.
- "prefers-system": it links the system library when the builder has its -dev package
                    (found with pkg-config), else compiles its own copy; `bundled_env`
                    forces the copy.
- "system":         it links the system library (dynamically) unless a feature in
                    `bundled_by` (or a dependent's feature in `bundled_via`) bundles it.

Package names are Debian bookworm's (apt) and Alpine 3.22's (apk); trixie renames are in
DEBIAN_RENAMES. Checked against the distributions' package lists (late 2026). The musl
column is derived (`musl_static`): a static musl build on a Debian builder has musl-gcc
for C and nothing for C++ or for system libraries; clux/muslrust carries static OpenSSL,
curl, libpq, SQLite and zlib (`muslrust`); Alpine links static archives (`apk_static`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Packages:
    """Packages of one family: for the build, and for run time when linked dynamically."""

    build: tuple[str, ...] = ()
    run: tuple[str, ...] = ()


@dataclass(frozen=True)
class SysRow:
    crate: str
    #: What it does that needs the system, in words: "links libpq, PostgreSQL's client".
    does: str
    link: str
    apt: Packages = Packages()
    apk: Packages = Packages()
    #: Its own features that compile the bundled copy instead of linking the system's.
    bundled_by: tuple[str, ...] = ()
    #: Features of crates that depend on it and turn one of those on: (crate, feature).
    bundled_via: tuple[tuple[str, str], ...] = ()
    #: KEY=VALUE that makes a "prefers-system" crate compile its bundled copy.
    bundled_env: str = ""
    #: Build tools its own build runs (Debian names; Alpine's are the same).
    tools: tuple[str, ...] = ()
    #: Its C/C++ code needs a C++ compiler: no static musl build with musl-gcc.
    cpp: bool = False
    #: Crates that, in the same build, remove the need (protox compiles .proto in Rust).
    unless_crates: tuple[str, ...] = ()
    #: Environment variables that remove the need when the build sets them.
    unless_env: tuple[str, ...] = ()
    #: Crates that depend on it without using it here: when they are all that pulls it
    #: in, the need is theirs to state (aws-lc-sys keeps the cmake crate for other
    #: targets but has its own row).
    unless_only_via: tuple[str, ...] = ()
    #: Only versions from `since` on (inclusive) and before `until` need it ("" = any).
    since: str = ""
    until: str = ""
    #: clux/muslrust carries a static build of its library.
    muslrust: bool = False
    #: Alpine packages with its static archive (a musl build links it from there).
    apk_static: tuple[str, ...] = ()
    #: An option of the plan decides how it links (openssl-sys: tls), not this row.
    decided_by: str = ""
    #: The crate its bundling features add to its dependencies in Cargo.lock: when the
    #: lock does not list it there, no build of the workspace bundles the library.
    bundled_dep: str = ""

    def musl_static(self, bundled: bool) -> bool:
        """Whether a static musl build on a Debian builder (musl-gcc) can build it."""
        if self.cpp:
            return False
        if self.link == "system":
            return bundled
        return self.crate not in _NEEDS_GLIBC_HEADERS


#: Tools whose use needs the glibc toolchain even for a C-only build: bindgen runs clang
#: against the C library's headers, and musl-tools' headers are not where clang looks.
_NEEDS_GLIBC_HEADERS = frozenset({"bindgen"})

_PROTOC = dict(
    does="runs protoc to compile .proto files",
    link="tool",
    apt=Packages(("protobuf-compiler",)),
    apk=Packages(("protoc", "protobuf-dev")),
    unless_crates=("protox", "protoc-bin-vendored", "protobuf-src"),
    unless_env=("PROTOC",),
)
_ROCKSDB = dict(
    does="compiles RocksDB (C++) from source",
    link="bundled",
    tools=("g++",),
    cpp=True,
    unless_env=("ROCKSDB_LIB_DIR",),
)
_UNWIND = dict(
    does="links libunwind for stack traces",
    link="system",
    apt=Packages(("libunwind-dev", "pkg-config"), ("libunwind8",)),
    apk=Packages(("libunwind-dev", "pkgconf"), ("libunwind",)),
)
_FONTCONFIG = dict(
    does="links fontconfig, found with pkg-config",
    apt=Packages(("libfontconfig-dev", "pkg-config"), ("libfontconfig1",)),
    apk=Packages(("fontconfig-dev", "pkgconf"), ("fontconfig",)),
)

ROWS: tuple[SysRow, ...] = (
    SysRow("openssl-sys", "links OpenSSL", "system",
           Packages(("libssl-dev", "pkg-config"), ("libssl3",)),
           Packages(("openssl-dev", "pkgconf"), ("libssl3",)),
           bundled_by=("vendored",),
           bundled_via=(("openssl", "vendored"), ("native-tls", "vendored"),
                        ("reqwest", "native-tls-vendored"), ("git2", "vendored-openssl"),
                        ("curl", "static-ssl"), ("hyper-tls", "vendored")),
           muslrust=True, apk_static=("openssl-libs-static",), decided_by="tls",
           bundled_dep="openssl-src"),
    SysRow("openssl-src", "compiles OpenSSL from source (a vendored feature)", "bundled",
           tools=("perl", "make")),
    SysRow("pq-sys", "links libpq, PostgreSQL's client library", "system",
           Packages(("libpq-dev", "pkg-config"), ("libpq5",)),
           Packages(("libpq-dev", "pkgconf"), ("libpq",)),
           bundled_by=("bundled", "bundled_without_openssl"), muslrust=True,
           bundled_dep="pq-src"),
    SysRow("mysqlclient-sys", "links the MySQL/MariaDB client library", "system",
           Packages(("default-libmysqlclient-dev", "pkg-config"), ("libmariadb3",)),
           Packages(("mariadb-connector-c-dev", "pkgconf"), ("mariadb-connector-c",)),
           bundled_by=("bundled",), tools=("cmake", "g++"), cpp=True,
           bundled_dep="mysqlclient-src"),
    SysRow("libsqlite3-sys", "links SQLite", "system",
           Packages(("libsqlite3-dev", "pkg-config"), ("libsqlite3-0",)),
           Packages(("sqlite-dev", "pkgconf"), ("sqlite-libs",)),
           bundled_by=("bundled", "bundled-windows", "bundled-sqlcipher",
                       "bundled-sqlcipher-vendored-openssl"),
           bundled_via=(("rusqlite", "bundled"), ("rusqlite", "bundled-full"),
                        ("rusqlite", "bundled-sqlcipher"), ("sqlx", "sqlite"),
                        ("sqlx-sqlite", "bundled"), ("sea-orm", "sqlx-sqlite"),
                        ("sea-orm", "sqlx-all")),
           muslrust=True, apk_static=("sqlite-static",), bundled_dep="cc"),
    SysRow("prost-build", since="0.11", **_PROTOC),
    SysRow("tonic-build", since="0.8", **_PROTOC),
    SysRow("tonic-prost-build", **_PROTOC),
    SysRow("bindgen", "runs libclang to generate bindings", "tool",
           Packages(("libclang-dev",)), Packages(("clang-dev",))),
    SysRow("cmake", "runs cmake to build C/C++ code", "tool",
           Packages(("cmake",)), Packages(("cmake",)), tools=("make",),
           unless_only_via=("aws-lc-sys",)),
    SysRow("aws-lc-sys", "compiles AWS-LC with cmake (before 0.16)", "bundled",
           tools=("cmake", "make"), until="0.16"),
    SysRow("aws-lc-sys", "compiles AWS-LC (C) from source", "bundled", since="0.16"),
    SysRow("aws-lc-fips-sys", "compiles AWS-LC's FIPS module with cmake and Go", "bundled",
           tools=("cmake", "make", "golang")),
    SysRow("zstd-sys", "compiles zstd from source", "bundled"),
    SysRow("bzip2-sys", "compiles bzip2 from source (Debian's libbz2-dev has no "
           "bzip2.pc for it to find)", "bundled"),
    SysRow("lzma-sys", "links liblzma (xz), found with pkg-config", "prefers-system",
           Packages(("liblzma-dev", "pkg-config"), ("liblzma5",)),
           Packages(("xz-dev", "pkgconf"), ("xz-libs",)),
           bundled_by=("static",), bundled_env="LZMA_API_STATIC=1", apk_static=("xz-static",)),
    SysRow("libz-sys", "links zlib, found with pkg-config", "prefers-system",
           Packages(("zlib1g-dev", "pkg-config"), ("zlib1g",)),
           Packages(("zlib-dev", "pkgconf"), ("zlib",)),
           bundled_by=("static",), bundled_env="LIBZ_SYS_STATIC=1", muslrust=True,
           apk_static=("zlib-static",)),
    SysRow("libgit2-sys", "compiles libgit2 from source (no matching system libgit2)",
           "bundled"),
    SysRow("libssh2-sys", "compiles libssh2 from source", "bundled"),
    SysRow("curl-sys", "links libcurl, found with pkg-config", "prefers-system",
           Packages(("libcurl4-openssl-dev", "pkg-config"), ("libcurl4",)),
           Packages(("curl-dev", "pkgconf"), ("libcurl",)),
           bundled_by=("static-curl",), bundled_via=(("curl", "static-curl"),),
           muslrust=True, apk_static=("curl-static",)),
    SysRow("librocksdb-sys", **_ROCKSDB),
    SysRow("rust-librocksdb-sys", **_ROCKSDB),
    SysRow("rdkafka-sys", "compiles librdkafka (with its C++ wrapper) from source",
           "bundled", tools=("make", "g++"), cpp=True),
    SysRow("libsodium-sys", "compiles libsodium from source", "bundled", tools=("make",),
           unless_env=("SODIUM_LIB_DIR",)),
    SysRow("libsodium-sys-stable", "compiles libsodium from source", "bundled",
           tools=("make",), unless_env=("SODIUM_LIB_DIR",)),
    SysRow("unwind-sys", **_UNWIND),
    SysRow("unwind", **_UNWIND),
    SysRow("tikv-jemalloc-sys", "compiles jemalloc from source", "bundled", tools=("make",)),
    SysRow("jemalloc-sys", "compiles jemalloc from source", "bundled", tools=("make",)),
    SysRow("freetype-sys", "links FreeType, found with pkg-config", "prefers-system",
           Packages(("libfreetype-dev", "pkg-config"), ("libfreetype6",)),
           Packages(("freetype-dev", "pkgconf"), ("freetype",)),
           bundled_by=("bundled",)),
    SysRow("servo-fontconfig-sys", link="prefers-system", **_FONTCONFIG),
    SysRow("yeslogic-fontconfig-sys", link="system", **_FONTCONFIG),
    SysRow("libudev-sys", "links libudev", "system",
           Packages(("libudev-dev", "pkg-config"), ("libudev1",)),
           Packages(("eudev-dev", "pkgconf"), ("eudev-libs",))),
    SysRow("alsa-sys", "links ALSA's libasound", "system",
           Packages(("libasound2-dev", "pkg-config"), ("libasound2",)),
           Packages(("alsa-lib-dev", "pkgconf"), ("alsa-lib",))),
    SysRow("gdal-sys", "links GDAL", "system",
           Packages(("libgdal-dev", "pkg-config"), ("libgdal32",)),
           Packages(("gdal-dev", "pkgconf"), ("gdal",))),
    SysRow("pcre2-sys", "links PCRE2, found with pkg-config", "prefers-system",
           Packages(("libpcre2-dev", "pkg-config"), ("libpcre2-8-0",)),
           Packages(("pcre2-dev", "pkgconf"), ("pcre2",)),
           bundled_env="PCRE2_SYS_STATIC=1"),
)

#: Dependency edges of Cargo.lock whose presence a parent's features decide, for parents
#: the project names itself (so their features are known): (parent, child) -> the parent's
#: features that pull the child in; () for an edge that is always there. Cargo.lock holds
#: the union over every feature of the workspace, so without this a backend the build
#: does not enable (diesel's postgres when only sqlite is on) would count.
EDGES = MappingProxyType({
    ("diesel", "pq-sys"): ("postgres",),
    ("diesel", "mysqlclient-sys"): ("mysql",),
    ("diesel", "libsqlite3-sys"): ("sqlite",),
    ("sqlx", "sqlx-sqlite"): ("sqlite", "sqlite-unbundled", "_sqlite"),
    ("sqlx-sqlite", "libsqlite3-sys"): (),
    ("sea-orm", "sqlx"): ("sqlx-sqlite", "sqlx-postgres", "sqlx-mysql", "sqlx-all",
                          "sqlx-dep"),
    ("rusqlite", "libsqlite3-sys"): (),
    ("flate2", "libz-sys"): ("zlib", "zlib-default", "zlib-ng-compat", "cloudflare_zlib"),
    ("git2", "libgit2-sys"): (),
    ("libgit2-sys", "libssh2-sys"): ("ssh",),
    ("ssh2", "libssh2-sys"): (),
    ("curl", "curl-sys"): (),
    ("rocksdb", "librocksdb-sys"): (),
    ("rust-rocksdb", "rust-librocksdb-sys"): (),
    ("librocksdb-sys", "bindgen"): (),
    ("rust-librocksdb-sys", "bindgen"): (),
    ("rdkafka", "rdkafka-sys"): (),
    ("zstd", "zstd-safe"): (),
    ("zstd-safe", "zstd-sys"): (),
    ("xz2", "lzma-sys"): (),
    ("tonic-build", "prost-build"): ("default", "prost"),
    ("tonic-prost-build", "prost-build"): (),
    ("sodiumoxide", "libsodium-sys"): (),
    ("alsa", "alsa-sys"): (),
    ("libudev", "libudev-sys"): (),
    ("gdal", "gdal-sys"): (),
    ("pcre2", "pcre2-sys"): (),
    ("tikv-jemallocator", "tikv-jemalloc-sys"): (),
    # actix's OpenSSL support is a feature (rustypaste keeps it off by default).
    ("actix-tls", "openssl"): ("openssl",),
    ("actix-tls", "tokio-openssl"): ("openssl",),
    ("awc", "openssl"): ("openssl",),
    ("aws-lc-rs", "aws-lc-sys"): ("default", "aws-lc-sys"),
    ("aws-lc-rs", "aws-lc-fips-sys"): ("fips",),
})

#: Debian packages renamed in trixie (the 64-bit time_t transition, new sonames).
DEBIAN_RENAMES = MappingProxyType({
    "trixie": MappingProxyType({"libssl3": "libssl3t64", "libcurl4": "libcurl4t64",
                                "libasound2": "libasound2t64", "libgdal32": "libgdal36"}),
})

#: What each builder image ships that a row may ask for. The Debian builder is the
#: official rust:<ver>-bookworm, i.e. buildpack-deps:bookworm (its curl, scm and full
#: layers); this is the dependency closure of that package list as apt resolves it on
#: bookworm (apt-get -s on an empty status), cut to the names this table and render use.
BUILDER_HAS = MappingProxyType({
    "debian": frozenset({
        "gcc", "g++", "make", "perl", "pkg-config", "autoconf", "automake", "libtool",
        "patch", "xz-utils", "bzip2", "unzip", "file", "dpkg-dev", "ca-certificates",
        "curl", "wget", "git", "openssh-client",
        "libssl-dev", "libpq-dev", "libsqlite3-dev", "default-libmysqlclient-dev",
        "libmariadb-dev", "zlib1g-dev", "liblzma-dev", "libbz2-dev", "libzstd-dev",
        "libcurl4-openssl-dev", "libpcre2-dev", "libfreetype-dev", "libfontconfig-dev",
        "libffi-dev", "libxml2-dev", "libyaml-dev",
    }),
    # rust:<ver>-slim-bookworm adds gcc, libc6-dev and ca-certificates to debian:slim.
    "debian-slim": frozenset({"gcc", "ca-certificates"}),
    "alpine": frozenset(),
    # clux/muslrust (Ubuntu): build tools, plus musl builds of the libraries in `muslrust`.
    "muslrust": frozenset({"gcc", "make", "perl", "pkg-config", "libssl-dev", "git",
                           "ca-certificates"}),
})

#: Shared libraries each runtime image already has, as Debian package names (glibc
#: runtimes only: a static binary links nothing). distroless cc is base (libc6, libssl3)
#: plus libgcc-s1, libstdc++6, libgomp1 (GoogleContainerTools/distroless base/ and cc/
#: config.bzl); its debian13 flavour adds zlib1g and libzstd1. Chainguard glibc-dynamic is
#: glibc, libgcc and libstdc++ (chainguard-images glibc-dynamic config). debian:slim has
#: Debian's required packages (those dpkg and apt need, zlib and liblzma among them).
RUNTIME_HAS = MappingProxyType({
    ("distroless-cc", "bookworm"): frozenset({"libc6", "libssl3", "libgcc-s1", "libstdc++6",
                                               "libgomp1"}),
    ("distroless-cc", "trixie"): frozenset({"libc6", "libssl3t64", "libgcc-s1", "libstdc++6",
                                             "libgomp1", "zlib1g", "libzstd1"}),
    ("chainguard-glibc", "bookworm"): frozenset({"libc6", "libgcc-s1", "libstdc++6"}),
    ("chainguard-glibc", "trixie"): frozenset({"libc6", "libgcc-s1", "libstdc++6"}),
})

#: Runtimes that install what the binary links (apt in debian-slim).
INSTALLING_RUNTIMES = frozenset({"debian-slim"})


def rows_for(crate: str) -> tuple[SysRow, ...]:
    return tuple(row for row in ROWS if row.crate == crate)


def debian_name(package: str, release: str) -> str:
    return DEBIAN_RENAMES.get(release, {}).get(package, package)


def lacks(packages: tuple[str, ...], runtime: str, release: str) -> tuple[str, ...]:
    """Of Debian runtime packages, those a runtime image that installs nothing lacks."""
    has = RUNTIME_HAS.get((runtime, release), frozenset())
    return tuple(p for p in (debian_name(p, release) for p in packages) if p not in has)
