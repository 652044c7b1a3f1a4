"""`rustdock verify` on bad input: one line, exit 2, nothing built."""

from __future__ import annotations

import pytest

from rustdock.wizard.cli import main
from rustdock.wizard.verify_plan import expect_from_plan, plan_flags, saved_plan, tcp_ports


def test_no_directory(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.strip() == f"rustdock: {tmp_path / 'nope'}: no such directory"


def test_no_dockerfile_comes_before_looking_for_an_engine(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no Dockerfile (save one with rustdock first)" in err


def test_no_engine_says_what_is_missing(tmp_path, capsys, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("rustdock: no container engine can build here: docker is not installed; "
                           "podman is not installed; buildah is not installed")


def test_an_engine_it_does_not_know(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    assert main(["verify", str(tmp_path), "--engine", "kaniko"]) == 2
    assert "invalid choice: 'kaniko'" in capsys.readouterr().err


def test_a_command_that_does_not_parse(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    assert main(["verify", str(tmp_path), "--command", "'unclosed"]) == 2
    assert "--command: No closing quotation" in capsys.readouterr().err


def test_expectations_come_from_the_saved_answers(fixture_copy):
    root = fixture_copy("single-crate")
    assert saved_plan(root) is None
    assert main(["generate", str(root), "--write", "--set", "user=nonroot", "--set", "uid=4242",
                 "--set", "port=9000", "--set", "healthcheck=probe", "--set", "health_path=/ready",
                 "--set", "init=tini", "--set", "runtime=distroless-cc", "--set", "libc=glibc"]) == 0
    plan = saved_plan(root)
    expect = expect_from_plan(plan)
    assert tcp_ports(plan) == (9000,)
    assert (expect.uid, expect.health_path, expect.health_port, expect.init) == (4242, "/ready", 9000, "tini")
    assert expect.binary == f"/app/{plan.binary}" and expect.runtime == "distroless-cc"
    assert expect.writable == ()


def test_the_writable_check_gets_the_plans_directories(fixture_copy):
    """rustdock verify checks each directory the plan made writable: the detected data
    folder of a server that writes, and the working directory with the binary moved."""
    root = fixture_copy("writes-data")
    assert main(["generate", str(root), "--write", "--set", "runtime=distroless-static"]) == 0
    expect = expect_from_plan(saved_plan(root))
    assert expect.writable == ("/app/data",) and expect.init == "tini"
    assert expect.binary == "/app/keeper"
    sqlite = fixture_copy("sqlite-url")
    assert main(["generate", str(sqlite), "--write", "--set", "runtime=scratch", "--set", "volume=true"]) == 0
    expect = expect_from_plan(saved_plan(sqlite))
    assert expect.writable == ("/app",) and expect.init == "none"
    assert expect.binary == "/usr/local/bin/ledger-api"


def test_build_flags_follow_the_mounts_the_dockerfile_uses(fixture_copy):
    root = fixture_copy("single-crate")
    assert main(["generate", str(root), "--write", "--set", "private_registry=true",
                 "--set", "registry_name=my-corp", "--set", "private_git=true"]) == 0
    text = (root / "Dockerfile").read_text()
    assert plan_flags(text, saved_plan(root)) == [
        "--secret", "id=cargo_registry_token,env=CARGO_REGISTRIES_MY_CORP_TOKEN", "--ssh", "default"]
    assert plan_flags(text, None) == []


@pytest.mark.parametrize("value, ports", [(0, ()), (8080, (8080,)),
                                          ("8080, 21116/udp, 6334/tcp", (8080, 6334))])
def test_tcp_ports_of_the_ports_option_old_and_new_shapes(value, ports, fixture_copy):
    from rustdock.wizard.detect import detect
    from rustdock.wizard.plan import make_plan

    plan = make_plan(detect(fixture_copy("single-crate")))
    assert tcp_ports(plan.with_choice("port", value)) == ports  # an old answers file's `port = N`
    assert tcp_ports(plan.with_choice("ports", value)) == ports
