"""Run the builder stage's own commands with the machine's cargo, without Docker.

A tiny offline workspace (a binary with build.rs, a library member) goes through the
instructions of each caching strategy: COPY copies from the project keeping old
timestamps (as BuildKit does), RUN runs in a shell with /app mapped to a temp folder.
The binary the runtime stage copies must exist and be the real program, never a stub.
Only native glibc plans: the machine has no musl target and no network.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import dockerfile
import pytest
from test_render_cases import single_crate

from rustdock.wizard.detect import detect
from rustdock.wizard.plan import make_plan
from rustdock.wizard.project import Binary, Member, Project
from rustdock.wizard.render import PROBE_FILE, render
from rustdock.wizard.render_commands import probe_command

pytestmark = pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")

#: BuildKit keeps the context's mtimes: sources look older than anything built.
OLD = 1_000_000_000

SOURCES = {
    "Cargo.toml": '[workspace]\nmembers = ["crates/app", "crates/core"]\nresolver = "2"\n',
    "crates/app/Cargo.toml": (
        '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[dependencies]\ncore_lib = { package = "core-lib", path = "../core" }\n'
    ),
    "crates/app/build.rs": 'fn main() { println!("cargo:rustc-env=BUILT_BY=build.rs"); }\n',
    "crates/app/src/main.rs": (
        'fn main() { println!("{} {}", core_lib::greeting(), env!("BUILT_BY")); }\n'
    ),
    "crates/core/Cargo.toml": '[package]\nname = "core-lib"\nversion = "0.1.0"\nedition = "2021"\n',
    "crates/core/src/lib.rs": 'pub fn greeting() -> &\'static str { "real" }\n',
}


#: A root package whose binary lives in src/bin and uses the package's own library.
CRATE_SOURCES = {
    "Cargo.toml": '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\n',
    "build.rs": 'fn main() { println!("cargo:rustc-env=BUILT_BY=build.rs"); }\n',
    "src/lib.rs": 'pub fn greeting() -> &\'static str { "real" }\n',
    "src/bin/tool.rs": 'fn main() { println!("{} {}", tool::greeting(), env!("BUILT_BY")); }\n',
}


def crate_project(root: Path) -> Project:
    return Project(
        root=root,
        name="tool",
        binaries=(Binary("tool", "tool", ".", "src/bin/tool.rs"),),
        members=(Member("tool", ".", has_build_rs=True),),
        has_lockfile=True,
    )


def workspace_project(root: Path) -> Project:
    return Project(
        root=root,
        name="app",
        binaries=(Binary("app", "app", "crates/app", "crates/app/src/main.rs"),),
        members=(
            Member("app", "crates/app", has_build_rs=True, path_deps=("crates/core",)),
            Member("core-lib", "crates/core"),
        ),
        is_workspace=True,
        is_virtual=True,
        has_lockfile=True,
    )


def write_project(root: Path, sources: dict[str, str]) -> Path:
    for path, text in sources.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    subprocess.run(["cargo", "generate-lockfile", "--offline"], cwd=root, check=True,
                   capture_output=True)
    for file in root.rglob("*"):
        os.utime(file, (OLD, OLD))
    return root


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory) -> Path:
    return write_project(tmp_path_factory.mktemp("ws"), SOURCES)


def _at(text: str, app: Path) -> str:
    """Absolute /app paths moved under the temp folder (crates/app stays as it is)."""
    return re.sub(r"(?<![\w./-])/app\b", str(app), text)


def run_builder_stage(text: str, project: Path, work: Path, binary: str = "app") -> Path:
    """Execute the last builder stage's WORKDIR/ENV/COPY/RUN; return the path the runtime
    stage copies the binary from, mapped into `work`."""
    app = work / "app"
    env = dict(os.environ, CARGO_NET_OFFLINE="true", CARGO_TERM_COLOR="never")
    env.pop("CARGO_TARGET_DIR", None)
    commands = list(dockerfile.parse_string(text))
    froms = [i for i, c in enumerate(commands) if c.cmd == "FROM"]
    builder = commands[froms[0]:froms[-1]]
    for command in builder:
        if command.cmd == "WORKDIR":
            app.mkdir(parents=True, exist_ok=True)
        elif command.cmd == "ENV":
            env.update(zip(command.value[::2], command.value[1::2]))
        elif command.cmd == "COPY" and not command.flags:
            *sources, dest = command.value
            for source in sources:
                target = app / dest if not dest.endswith("/") or len(sources) == 1 and (
                    project / source).is_dir() else app / dest / Path(source).name
                if (project / source).is_dir():
                    shutil.copytree(project / source, target, dirs_exist_ok=True,
                                    copy_function=shutil.copy2)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(project / source, target)
        elif command.cmd == "RUN":
            script = _at(command.value[0], app)
            subprocess.run(["sh", "-ec", script], cwd=app, env=env, check=True,
                           capture_output=True)
    copy = next(c for c in commands[froms[-1]:] if c.cmd == "COPY"
                and c.value[-1] == f"/app/{binary}")
    return Path(_at(copy.value[0], app))


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts"])
def test_builder_stage_builds_the_real_program(caching, project_dir, tmp_path):
    plan = make_plan(workspace_project(project_dir),
                     overrides=["libc=glibc", "runtime=distroless-cc", f"caching={caching}"])
    binary = run_builder_stage(render(plan).dockerfile, project_dir, tmp_path)
    assert binary.exists(), binary
    output = subprocess.run([str(binary)], capture_output=True, text=True, check=True)
    # A stub main prints nothing: this is the real code, with its build script's output.
    assert output.stdout == "real build.rs\n"


def test_root_package_with_its_own_library_and_a_bin_in_src_bin(tmp_path):
    project = write_project(tmp_path / "crate", CRATE_SOURCES)
    plan = make_plan(crate_project(project),
                     overrides=["libc=glibc", "runtime=distroless-cc", "caching=dummy-main"])
    binary = run_builder_stage(render(plan).dockerfile, project, tmp_path / "work", "tool")
    output = subprocess.run([str(binary)], capture_output=True, text=True, check=True)
    assert output.stdout == "real build.rs\n"


#: A binary behind a feature: `cargo build --bin server` alone fails with "target
#: `server` in package `gated` requires the features: `serve`".
GATED_SOURCES = {
    "Cargo.toml": (
        '[package]\nname = "gated"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[features]\nserve = []\nextra = []\n\n'
        '[[bin]]\nname = "server"\npath = "src/main.rs"\nrequired-features = ["serve", "extra"]\n'
    ),
    "src/main.rs": 'fn main() { println!("served {}", cfg!(feature = "extra")); }\n',
}


@pytest.mark.parametrize("caching", ["none", "dummy-main", "cache-mounts"])
def test_a_binary_with_required_features_builds(caching, tmp_path):
    project = write_project(tmp_path / "gated", GATED_SOURCES)
    # init=none: a binary named "server" serves, and tini's apt-get is not this test's
    plan = make_plan(detect(project), overrides=["libc=glibc", "runtime=distroless-cc", "init=none",
                                                 f"caching={caching}"])
    assert plan.target_binary.required_features == ("serve", "extra")
    binary = run_builder_stage(render(plan).dockerfile, project, tmp_path / "work", "server")
    output = subprocess.run([str(binary)], capture_output=True, text=True, check=True)
    assert output.stdout == "served true\n"


def test_without_the_features_cargo_refuses_the_binary(tmp_path):
    """The test above can fail: the same build without --features stops at cargo."""
    project = write_project(tmp_path / "gated", GATED_SOURCES)
    plan = make_plan(detect(project), overrides=["libc=glibc", "runtime=distroless-cc", "init=none", "caching=none"])
    text = render(plan).dockerfile
    assert " --features serve,extra " in text
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_builder_stage(text.replace(" --features serve,extra", ""), project, tmp_path / "work", "server")
    assert "requires the features" in failed.value.stderr.decode()


def test_without_touch_the_build_goes_wrong(project_dir, tmp_path):
    """The check above can fail: without the touch, cargo trusts the stub build's
    fingerprints (the stub build.rs never reruns), so the real program is not built."""
    plan = make_plan(workspace_project(project_dir),
                     overrides=["libc=glibc", "runtime=distroless-cc", "caching=dummy-main"])
    untouched = render(plan).dockerfile.replace('if [ -e "$f" ]; then touch "$f"; fi', "true")
    try:
        binary = run_builder_stage(untouched, project_dir, tmp_path)
    except subprocess.CalledProcessError:
        return
    output = subprocess.run([str(binary)], capture_output=True, text=True, check=False)
    assert output.stdout != "real build.rs\n"


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200 if self.path == "/health" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> Path:
    """The probe built by the exact rustc line of a native glibc plan."""
    plan = make_plan(single_crate(), overrides=["libc=glibc", "runtime=distroless-cc",
                                                "healthcheck=probe"])
    work = tmp_path_factory.mktemp("probe")
    (work / ".rustdock").mkdir()
    (work / PROBE_FILE).write_text(render(plan).files[PROBE_FILE])
    command = probe_command(plan).replace("/app/healthprobe", str(work / "healthprobe"))
    subprocess.run(["sh", "-ec", command], cwd=work, check=True, capture_output=True)
    return work / "healthprobe"


def test_probe_is_a_static_binary(probe):
    described = subprocess.run(["file", str(probe)], capture_output=True, text=True).stdout
    if described:
        assert "static" in described and "dynamically linked" not in described


def test_probe_exit_codes_follow_the_http_status(probe):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{server.server_address[1]}"
    try:
        assert subprocess.run([str(probe), address, "/health"], timeout=10).returncode == 0
        assert subprocess.run([str(probe), address, "/down"], capture_output=True,
                              timeout=10).returncode == 1
    finally:
        server.shutdown()
        server.server_close()
    # Nobody listening: unhealthy, not a crash.
    assert subprocess.run([str(probe), address, "/health"], capture_output=True,
                          timeout=10).returncode == 1
    assert subprocess.run([str(probe)], capture_output=True, timeout=10).returncode == 2


def test_probe_reads_a_status_line_that_arrives_in_pieces(probe):
    """Servers may write "HTTP/1.1 " and "200 OK" separately; one read() is not enough."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def dribble():
        conn, _ = listener.accept()
        with conn:
            conn.recv(1024)
            for piece in (b"HTTP/1.1 ", b"20", b"0 OK\r\n", b"Content-Length: 0\r\n\r\n"):
                conn.sendall(piece)
                time.sleep(0.05)

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    try:
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        run = subprocess.run([str(probe), address, "/health"], capture_output=True, text=True, timeout=10)
        assert run.returncode == 0, run.stderr
    finally:
        thread.join(timeout=5)
        listener.close()
