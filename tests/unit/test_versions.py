"""Image references come from the one version table."""

from rustdock.wizard.versions import builder_image, runtime_image


def test_builder_tags_follow_each_registrys_scheme():
    assert builder_image("debian", "1.95", "bookworm") == "rust:1.95-bookworm"
    assert builder_image("debian-slim", "1.95.1", "trixie") == "rust:1.95.1-slim-trixie"
    assert builder_image("muslrust", "1.95", "bookworm") == "clux/muslrust:1.95.0-stable"
    assert builder_image("muslrust", "1.94.1", "bookworm") == "clux/muslrust:1.94.1-stable"


def test_distroless_suffix_follows_the_debian_release():
    assert runtime_image("distroless-cc", "bookworm") == "gcr.io/distroless/cc-debian12"
    assert runtime_image("distroless-static", "trixie") == "gcr.io/distroless/static-debian13"
    assert runtime_image("debian-slim", "trixie") == "debian:trixie-slim"
    assert runtime_image("scratch", "bookworm") == "scratch"
