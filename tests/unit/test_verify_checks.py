"""The verdicts of `rustdock verify`, from facts to pass/fail with what to change."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile

import pytest

from rustdock.wizard.engine_base import image_info
from rustdock.wizard.verify_checks import (
    BUILD_ADVICE,
    START_ADVICE,
    Expect,
    advice,
    budget,
    judge_configured_user,
    judge_size,
    judge_stop,
    judge_user,
    judge_writable,
    stripped_size,
    user_uid,
)
from rustdock.wizard.verify_progress import Progress, step_of
from rustdock.wizard.verify_report import Console, table
from rustdock.wizard.verify import Report


def _dir_tar(uid: int, gid: int, mode: int, kind=tarfile.DIRTYPE) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as archive:
        info = tarfile.TarInfo("data")
        info.type, info.uid, info.gid, info.mode = kind, uid, gid, mode
        archive.addfile(info)
    return buf.getvalue()


@pytest.mark.parametrize("user, uid", [("", 0), ("10001", 10001), ("10001:10001", 10001),
                                       ("65532:65532", 65532), ("nonroot", None), ("0", 0)])
def test_user_uid(user, uid):
    assert user_uid(user) == uid


def test_user_passes_when_every_process_runs_as_the_planned_uid():
    check = judge_user([10001, 10001], Expect(uid=10001), "10001:10001")
    assert (check.status, check.detail) == ("pass", "runs as uid 10001")


def test_user_fails_naming_root_when_the_image_lost_its_user():
    check = judge_user([0], Expect(uid=10001), "")
    assert check.status == "fail"
    assert check.detail == "runs as uid 0 (root), rustdock.toml plans 10001"
    assert "rustdock generate --write" in check.fix


def test_user_without_a_plan_follows_the_image_and_refuses_root():
    assert judge_user([4242], Expect(), "4242").status == "pass"
    root = judge_user([0], Expect(), "")
    assert (root.status, root.fix) == ("fail", "set user=nonroot")
    named = judge_user([1000], Expect(), "app")
    assert named.status == "fail" and "numeric" in named.fix


def test_root_passes_only_when_the_plan_chose_it():
    check = judge_user([0], Expect(uid=0), "")
    assert check.status == "pass" and "as planned" in check.detail


def test_a_command_is_judged_on_the_image_config():
    assert judge_configured_user("10001:10001", Expect(uid=10001)).status == "pass"
    assert judge_configured_user("", Expect(uid=10001)).status == "fail"


def test_stop_under_two_seconds_passes_and_ten_names_the_fix():
    assert judge_stop(0.4, Expect()).status == "pass"
    slow = judge_stop(10.2, Expect(init="none"))
    assert slow.line() == ("stop: stop took 10.2 s: the program ignores SIGTERM. Fix: choose "
                           "Signals=tini (init=tini) or handle SIGTERM in the program")
    with_tini = judge_stop(10.2, Expect(init="tini"))
    assert with_tini.status == "fail" and "tini" not in with_tini.fix


@pytest.mark.parametrize("owner, mode, uid, ok", [
    ((10001, 10001), 0o755, 10001, True),    # owned by the user
    ((0, 10001), 0o775, 10001, True),        # its group may write
    ((0, 0), 0o1777, 10001, True),           # like /tmp
    ((0, 0), 0o755, 10001, False),           # root's: the classic crash at start
    ((10001, 10001), 0o555, 10001, False),   # the user's, but read-only
    ((0, 0), 0o755, 0, True),                # root writes anything
])
def test_writable_from_the_directory_header(owner, mode, uid, ok):
    check = judge_writable(_dir_tar(*owner, mode), "/app/data", uid, uid)
    assert (check.status == "pass") is ok, check
    if not ok:
        assert check.fix == f"set writable=/app/data so rustdock makes it belong to uid {uid}"


def test_writable_path_missing_or_a_file():
    assert judge_writable(None, "/app/data", 10001, 10001).detail == "/app/data does not exist in the image"
    file_ = judge_writable(_dir_tar(10001, 10001, 0o644, tarfile.REGTYPE), "/app/data", 10001, 10001)
    assert file_.status == "fail" and "not a directory" in file_.detail


@pytest.mark.skipif(not (shutil.which("cc") and shutil.which("strip")), reason="needs cc and strip")
def test_stripped_size_matches_what_strip_leaves(tmp_path):
    source = tmp_path / "hello.c"
    source.write_text("#include <stdio.h>\nstatic int table[512] = {1};\n"
                      "int main(void) { printf(\"%d\\n\", table[3]); return 0; }\n")
    binary, stripped = tmp_path / "hello", tmp_path / "hello.stripped"
    subprocess.run(["cc", "-g", "-O1", "-o", str(binary), str(source)], check=True)
    subprocess.run(["strip", "-o", str(stripped), str(binary)], check=True)
    full, estimate = binary.read_bytes(), stripped_size(binary.read_bytes())
    assert len(full) > stripped.stat().st_size  # -g left something to strip
    # strip also drops a few small sections and realigns: close, never above the file.
    assert abs(estimate - stripped.stat().st_size) <= 0.1 * stripped.stat().st_size
    assert stripped_size(stripped.read_bytes()) == stripped.stat().st_size
    assert stripped_size(b"#!/bin/sh\n") == 10


def test_size_budget_comes_from_the_runtime_option_table():
    assert budget("binary + ~23 MB") == 23_000_000
    assert budget("binary + ~0.3 MB") == 300_000
    assert budget("") == 0


def test_size_passes_near_the_base_and_fails_far_above_it():
    mb = 1_000_000
    ok = judge_size(image=int(6.4 * mb), binary=6 * mb, stripped=5 * mb, other_app=0,
                    runtime="scratch", runtime_size="binary + ~0.3 MB")
    assert ok.status == "pass"
    assert ok.detail == "6.4 MB = stripped binary 5.0 MB + symbols 1.0 MB + scratch 0.4 MB"
    fat = judge_size(image=60 * mb, binary=5 * mb, stripped=5 * mb, other_app=0,
                     runtime="distroless-static", runtime_size="binary + ~2 MB")
    assert fat.status == "fail" and "expected ~2.0 MB" in fat.detail


def test_advice_tables_name_the_option():
    assert "frontend=builtin" in advice(
        "ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1",
        BUILD_ADVICE)
    assert "frontend=builtin" in advice(
        'failed to solve with frontend gateway.v0: failed to do request: Head '
        '"https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": no such host', BUILD_ADVICE)
    assert "cargo update" in advice(
        "error: cannot update the lock file /app/Cargo.lock because --locked was passed", BUILD_ADVICE)
    assert "libc=musl" in advice("exec /app/server: no such file or directory", START_ADVICE)
    assert "debian=" in advice("/app/x: version `GLIBC_2.39' not found", START_ADVICE)
    assert advice("all good", START_ADVICE) == ""


def test_image_info_reads_docker_config():
    info = image_info({"Entrypoint": ["/tini", "--", "/app/x"], "Cmd": None, "User": "10001:10001",
                       "ExposedPorts": {"8080/tcp": {}, "21116/udp": {}, "9000": {}},
                       "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"], "Timeout": 3_000_000_000}},
                      size=42)
    assert info.argv == ("/tini", "--", "/app/x")
    assert info.tcp_ports == (8080, 9000)
    assert info.health_argv == ("/bin/sh", "-c", "curl -f localhost")
    assert info.health_timeout == 3.0
    assert image_info({"Healthcheck": {"Test": ["NONE"]}}).health_argv == ()
    assert image_info({"Healthcheck": {"Test": ["CMD", "/app/probe", "x"]}}).health_argv == ("/app/probe", "x")


@pytest.mark.parametrize("line, step", [
    ("#9 [builder 4/9] RUN cargo build --release", ("builder 4/9", "RUN cargo build --release")),
    ("#1 [internal] load build definition from Dockerfile", None),
    ("#9 12.3    Compiling serde v1.0.0", None),
    ("STEP 3/7: COPY src src/", ("3/7", "COPY src src/")),
    ("[2/3] STEP 5/8: RUN cargo build", ("stage 2/3, 5/8", "RUN cargo build")),
])
def test_build_steps_from_buildkit_and_buildah_logs(line, step):
    found = step_of(line)
    assert (found.number, found.what) == step if step else found is None


def test_progress_counts_new_steps_only():
    progress = Progress()
    assert progress.feed("#5 [builder 1/3] FROM rust") is True
    assert progress.feed("#5 DONE 0.1s") is False
    assert progress.feed("#5 [builder 1/3] FROM rust") is False
    assert progress.line().startswith("building, step builder 1/3: FROM rust (")


def test_console_prints_each_status_once_off_a_terminal():
    out = io.StringIO()
    console = Console(out)
    console.status("building, step 1/3: FROM x (0 s)")
    console.status("building, step 1/3: FROM x (1 s)")
    console.line("log line")
    console.status("building, step 2/3: RUN y (2 s)")
    assert out.getvalue().splitlines() == [
        "[verify] building, step 1/3: FROM x (0 s)", "log line", "[verify] building, step 2/3: RUN y (2 s)"]


def test_table_lines_up_the_checks():
    from rustdock.wizard.verify_checks import Check

    report = Report("img", "docker", (Check("build", "pass", "built in 3 s"),
                                      Check("port 8080", "fail", "nothing answered", "fix it")))
    assert table(report).splitlines() == ["check      result  detail",
                                          "build      pass    built in 3 s",
                                          "port 8080  FAIL    nothing answered"]
    assert not report.ok and report.to_json()["checks"][1]["fix"] == "fix it"
