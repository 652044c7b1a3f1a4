"""Build benchmarks and the image-build harness shared with tests/e2e (buildah, stand-ins)."""
