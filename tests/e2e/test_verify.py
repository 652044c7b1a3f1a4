"""`rustdock verify` on images broken on purpose: each failure is caught, named, and says
what to change; the fixed plan passes. tests/projects/misbehave does what MISBEHAVE says.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from benchmarks.containers import free_port
from benchmarks.pipeline import copy_project
from rustdock.wizard.verify import Options, verify_project

pytestmark = pytest.mark.e2e

GOOD = ["libc=glibc-static", "runtime=distroless-static", "caching=cache-mounts",
        "healthcheck=probe", "user=nonroot", "uid=10001"]


def _sets(port: int, misbehave: str = "", *more: str) -> list[str]:
    env = f"PORT={port}" + (f",MISBEHAVE={misbehave}" if misbehave else "")
    return [*GOOD, f"port={port}", f"env={env}", *more]


def _names(engine, prefix: str) -> set[str]:
    images = subprocess.run([engine.program, "images", "-q", "--filter", f"reference={prefix}*"],
                            capture_output=True, text=True).stdout.split()
    ctrs = subprocess.run([engine.program, "ps", "-aq", "--filter", f"name={prefix}"],
                          capture_output=True, text=True).stdout.split()
    return set(images) | set(ctrs)


def test_the_command_line_builds_checks_and_cleans_up(build, engine, tmp_path):
    """`rustdock verify DIR --json` on the saved project: exit 0, every check named, and
    no image or container of its own left behind."""
    if engine.name != "docker":
        pytest.skip("the command line test drives docker; the fallback engine is buildah")
    port = free_port()
    built = build("misbehave", _sets(port))  # writes the files and makes the stand-ins
    proc = subprocess.run([sys.executable, "-m", "rustdock.wizard", "verify", str(built.root), "--json"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["ok"] and report["engine"] == "docker"
    assert [c["name"] for c in report["checks"]] == [
        "build", "start", f"port {port}", "user", "healthcheck", "writable", "stop", "size"]
    assert "[verify] building" in proc.stderr  # the progress line, off a terminal
    assert _names(engine, "rustdock-verify") == set()


def test_a_program_that_dies_at_start(build, verify):
    built = build("misbehave", _sets(free_port(), "exit"))
    report = verify(built)
    assert [c.name for c in report.failed] == ["start"]
    assert report.check("start").detail == (
        "exited with code 3 at start: misbehave: cannot open the database, giving up")
    assert "cannot open the database" in report.output


def test_a_port_nobody_outside_reaches(build, verify):
    port = free_port()
    built = build("misbehave", _sets(port, "localhost"))
    report = verify(built, start_wait=5)
    failed = {c.name: c for c in report.failed}
    assert f"port {port}" in failed
    assert f"0.0.0.0:{port}" in failed[f"port {port}"].fix


def test_a_program_that_ignores_sigterm_and_the_fix(build, verify):
    port = free_port()
    ignoring = verify(build("misbehave", _sets(port, "sigterm")))
    assert [c.name for c in ignoring.failed] == ["stop"]
    stop = ignoring.check("stop")
    # SIGKILL comes 10 s after SIGTERM; a loaded machine adds its own delay to that.
    assert float(stop.detail.split()[2]) >= 9.5 and "the program ignores SIGTERM" in stop.detail
    assert "init=tini" in stop.fix
    # The fix the check names: tini passes SIGTERM on, and the program's default action ends it.
    fixed = verify(build("misbehave", _sets(port, "sigterm", "init=tini")))
    assert fixed.ok, [c.line() for c in fixed.failed]


def test_a_dockerfile_that_lost_its_user_line(build, engine, tmp_path):
    """Hand-edited after saving: rustdock.toml still plans uid 10001, the image runs as root."""
    if engine.name != "docker":
        pytest.skip("the command line test drives docker; the fallback engine is buildah")
    built = build("misbehave", _sets(free_port()))
    dockerfile = built.root / "Dockerfile"
    dockerfile.write_text("".join(line for line in dockerfile.read_text().splitlines(True)
                                  if not line.startswith("USER ")))
    proc = subprocess.run([sys.executable, "-m", "rustdock.wizard", "verify", str(built.root),
                           "--quiet"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    assert "rustdock: verify: user: runs as uid 0 (root), rustdock.toml plans 10001" in proc.stderr
    assert "FAIL" in proc.stdout and "user" in proc.stdout
    assert _names(engine, "rustdock-verify") == set()


def test_a_stopped_verify_leaves_nothing_behind(build, engine):
    """What Ctrl-C and leaving the wizard do: the build stops, verify unwinds, and neither
    the image nor a container of it is left."""
    built = build("misbehave", _sets(free_port()))
    main = built.root / "src/main.rs"
    main.write_text(main.read_text() + "\n// a change, so the build has work to do\n")
    stop = threading.Event()
    options = Options(prefix="rdk-e2e-stopped", cancel=stop,
                      on_line=lambda line: stop.set() if "Compiling misbehave" in line else None)
    report = verify_project(built.root, engine, options)
    assert report.check("build").status == "fail"
    assert report.check("build").detail.endswith("build stopped")
    images = subprocess.run([getattr(engine, "program", "buildah"), "images", "-q", "--filter",
                             "reference=rdk-e2e-stopped*"], capture_output=True, text=True)
    assert images.stdout.split() == []


@pytest.mark.parametrize("moment, misbehave", [("Compiling misbehave", ""),
                                               ("[verify] stopping it", "sigterm")])
def test_ctrl_c_leaves_nothing_behind(build, engine, moment, misbehave):
    """Ctrl-C (SIGINT to the whole foreground group) while building, and while waiting
    for a program that ignores SIGTERM: exit 130, no image, no container left."""
    if engine.name != "docker":
        pytest.skip("the command line test drives docker; the fallback engine is buildah")
    built = build("misbehave", _sets(free_port(), misbehave))
    main = built.root / "src/main.rs"
    main.write_text(main.read_text() + f"\n// {moment}: a change, so the build has work to do\n")
    proc = subprocess.Popen([sys.executable, "-m", "rustdock.wizard", "verify", str(built.root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if moment in line:
            break
    os.killpg(proc.pid, signal.SIGINT)
    proc.stderr.close()
    assert proc.wait(120) == 130, "".join(seen[-20:])
    assert any(moment in line for line in seen)
    assert _names(engine, "rustdock-verify") == set()


#: What the writer variants of misbehave write at start, before they listen: a data
#: folder, or a file in the working directory (the SQLite-beside-the-binary shape).
WRITES = {
    "data": 'std::fs::create_dir_all("./data").and_then(|_| std::fs::write("data/started", "1"))',
    "workdir": 'std::fs::write("started.txt", "1")',
}


def _writer(tmp_path, kind: str):
    root = copy_project("misbehave", tmp_path / f"writer-{kind}")
    main = root / "src/main.rs"
    main.write_text(main.read_text().replace(
        "fn main() {\n",
        f"fn main() {{\n    {WRITES[kind]}.expect(\"cannot write my data\");\n", 1))
    return root


@pytest.mark.parametrize("kind, runtime", [("data", "scratch"), ("workdir", "distroless-static")])
def test_writable_data_on_runtimes_without_a_shell(build, verify, tmp_path, kind, runtime):
    """A server that writes at start gets its directory made writable by default (an
    empty directory copied with --chown: no shell in scratch or distroless), starts, and
    verify's writable check passes; the working-directory case moves the binary out."""
    port = free_port()
    sets = [s for s in _sets(port) if not s.startswith("runtime=")] + [f"runtime={runtime}"]
    built = build("misbehave", sets, root=_writer(tmp_path, kind))
    plan = built.outcome.plan
    assert plan.writable == (("data",) if kind == "data" else (".",))
    report = verify(built)
    assert report.ok, [c.line() for c in report.failed] + [report.output]
    path = "/app/data" if kind == "data" else "/app"
    assert report.check(f"writable {path}").detail.startswith("uid 10001 may write it (owner 10001:10001")
    if kind == "workdir":
        assert built.outcome.rendered.dockerfile.count("/usr/local/bin/misbehave") >= 2


def test_writable_data_turned_off_fails_at_start_and_names_the_fix(build, verify, tmp_path):
    """The near miss: writable= (none) leaves /app/data to root, the program dies with
    Permission denied, and verify's advice names the option."""
    built = build("misbehave", _sets(free_port(), "", "writable="), root=_writer(tmp_path, "data"))
    assert built.outcome.plan.writable == ()
    report = verify(built)
    start = report.check("start")
    assert start.status == "fail" and "writable" in start.fix, start.line()
