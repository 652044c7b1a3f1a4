"""Which engine `rustdock verify` picks, and the one line it says when none can build.

The docker clients here are tiny scripts on a PATH of their own that answer `version`
and `buildx version` the way each kind of real client does (this machine has only one
kind of each), so every branch of the choice is exercised.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from rustdock.wizard.engine import find_engine, major, on_path
from rustdock.wizard.engine_base import NoEngine, stream
from rustdock.wizard.engine_buildah import config_flags


def _client(folder, version: str, *, daemon: bool = True, buildx: bool = False):
    folder.mkdir(parents=True, exist_ok=True)
    answer = json.dumps({"Client": {"Version": version},
                         "Server": {"Version": "20.10.24"} if daemon else None})
    script = folder / "docker"
    script.write_text(
        "#!/bin/sh\n"
        f"if [ \"$1\" = version ]; then echo '{answer}'; exit {0 if daemon else 1}; fi\n"
        f"if [ \"$1\" = buildx ]; then exit {0 if buildx else 1}; fi\n"
        "exit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.fixture
def path(monkeypatch, tmp_path):
    def set_path(*folders):
        monkeypatch.setenv("PATH", os.pathsep.join(str(f) for f in folders))
    return set_path


def test_a_new_client_without_buildx_gives_way_to_an_old_one(path, tmp_path):
    new = _client(tmp_path / "new", "28.2.2")
    old = _client(tmp_path / "old", "20.10.24")
    path(new, old)
    engine = find_engine("docker")
    assert engine.program == str(old / "docker")
    assert engine.build_command == ("build",) and engine.build_env == {"DOCKER_BUILDKIT": "1"}


def test_buildx_is_used_where_the_plugin_is(path, tmp_path):
    path(_client(tmp_path / "new", "28.2.2", buildx=True))
    assert find_engine("docker").build_command == ("buildx", "build", "--load")


def test_no_client_can_build_says_what_to_install_in_one_line(path, tmp_path):
    path(_client(tmp_path / "new", "28.2.2"))
    with pytest.raises(NoEngine) as err:
        find_engine("docker")
    message = str(err.value)
    assert "\n" not in message
    assert "docker 28.2.2" in message and "buildx plugin is missing" in message
    assert "docker-buildx-plugin" in message


def test_a_silent_daemon_is_named(path, tmp_path):
    path(_client(tmp_path / "old", "20.10.24", daemon=False))
    with pytest.raises(NoEngine, match="daemon does not answer"):
        find_engine("docker")


def test_no_engine_at_all_lists_each_one(path, tmp_path):
    path(tmp_path / "empty")
    with pytest.raises(NoEngine) as err:
        find_engine()
    assert str(err.value) == ("no container engine can build here: docker is not installed; "
                              "podman is not installed; buildah is not installed")


def test_an_unknown_engine_name_is_refused():
    with pytest.raises(NoEngine, match="--engine takes docker, podman, buildah"):
        find_engine("kaniko")


def test_on_path_lists_each_real_file_once(path, tmp_path):
    a = _client(tmp_path / "a", "20.10.24")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "docker").symlink_to(a / "docker")
    path(a, tmp_path / "b")
    assert on_path("docker") == [str(a / "docker")]


def test_major_version():
    assert major("20.10.24+dfsg1") == 20 and major("28.2.2") == 28 and major("") == 0


def test_stream_hands_over_each_line_and_reports_the_code():
    seen = []
    code, log, _ = stream(["sh", "-c", "echo one; echo two >&2; exit 3"], on_line=seen.append)
    assert code == 3 and seen == ["one", "two"] and log == "one\ntwo"


def test_stream_stops_a_command_that_runs_too_long():
    code, _, seconds = stream(["sleep", "30"], timeout=0.5)
    assert code == -1 and seconds < 10


def test_import_changes_become_buildah_config_flags():
    assert config_flags(["ENV PATH=/usr/bin:/bin", "USER 65532:65532", "WORKDIR /home/nonroot",
                         'CMD ["bash"]', "LABEL rustdock.standin=4:x"]) == [
        "--env", "PATH=/usr/bin:/bin", "--user", "65532:65532", "--workingdir", "/home/nonroot",
        "--cmd", '["bash"]', "--label", "rustdock.standin=4:x"]


def _tar(entries: dict[str, bytes | None]) -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_saved_files_apply_layers_and_whiteouts():
    from rustdock.wizard.engine_docker import saved_files

    base = _tar({"etc": None, "etc/passwd": b"root", "app": None, "app/old": b"1", "tmp/x/y": b"2"})
    top = _tar({"app/.wh.old": b"", "app/new": b"3", "tmp/x/.wh..wh..opq": b"", "tmp/x/z": b"4"})
    manifest = json.dumps([{"Layers": ["a/layer.tar", "b/layer.tar"]}]).encode()
    saved = _tar({"manifest.json": manifest, "a/layer.tar": base, "b/layer.tar": top})
    assert saved_files(saved) == {"etc/passwd", "app/new", "tmp/x/z"}


def test_docker_timestamps():
    from rustdock.wizard.engine_docker import _timestamp

    assert _timestamp("2026-12-02T15:50:01.123456789Z") == pytest.approx(1796226601.123456)
    assert _timestamp("2026-12-02T16:50:01+01:00") == pytest.approx(1796226601.0)
    assert _timestamp("0001-01-01T00:00:00Z") == 0.0
    assert _timestamp("") == 0.0
