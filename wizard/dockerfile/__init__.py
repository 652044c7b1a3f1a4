"""Dockerfiles rustdock did not write: find, parse, read what they do, check, import."""
