"""The sandbox door itself: clear errors when bwrap can't run, the record of what ran, stdin,
background commands, and cgroups that never outlive their command."""

# ruff: noqa: S108 - /tmp paths here are the sandbox's own private tmpfs

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from harness.errors import SandboxUnavailableError
from harness.sandbox import (
    CgroupSupport,
    Sandbox,
    SandboxLimits,
    SandboxRequest,
    backends,
)
from harness.sandbox import cgroups as cgroups_module
from harness.sandbox.cgroups import PREFIX, detect

from .conftest import PROBES, Probe, wait_until_gone

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini" / "project"

pytestmark = pytest.mark.timeout(60)


def test_missing_bwrap_names_the_install_command(
    probe_venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backends, "find_bwrap", lambda: None)
    with pytest.raises(SandboxUnavailableError) as caught:
        Sandbox.create("bwrap", venv=probe_venv, helpers=PROBES)
    message = str(caught.value)
    assert message.startswith("bubblewrap (bwrap) is not installed")
    assert "sudo apt-get install bubblewrap" in message
    assert "--sandbox none" in message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_missing_binary_path(probe_venv: Path, tmp_path: Path) -> None:
    with pytest.raises(
        SandboxUnavailableError, match=r"is missing at .*apt-get install"
    ):
        backends.BwrapBackend(probe_venv, PROBES, binary=tmp_path / "bwrap")


def test_bwrap_without_user_namespaces_says_how_to_fix(
    probe_venv: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "bubblewrap 0.8.0"; exit 0; fi\n'
        'echo "bwrap: setting up uid map: Permission denied" >&2; exit 1\n'
    )
    fake.chmod(0o755)
    with pytest.raises(SandboxUnavailableError) as caught:
        backends.BwrapBackend(probe_venv, PROBES, binary=fake)
    message = str(caught.value)
    assert (
        "cannot create namespaces here (bwrap: setting up uid map: Permission denied)"
        in (message)
    )
    assert "kernel.unprivileged_userns_clone=1" in message
    assert "apparmor_restrict_unprivileged_userns" in message
    assert "--sandbox none" in message


def _needs_built_environment() -> None:
    from harness.environment import EvaluationEnvironment

    if not (EvaluationEnvironment().venv / "bin" / "python").exists():
        pytest.skip("the evaluation environment is not built: run `harness env build`")


def test_cli_reports_missing_bwrap_in_one_line() -> None:
    _needs_built_environment()
    script = textwrap.dedent(
        f"""
        import harness.sandbox.backends as backends
        backends.find_bwrap = lambda: None
        from harness.cli import main
        main(["score", {str(MINI)!r}, "--checks", "ruff"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("harness: error: bubblewrap (bwrap) is not installed")
    assert "apt-get install bubblewrap" in lines[0]


def test_cli_none_warns_and_records_the_backend(tmp_path: Path) -> None:
    _needs_built_environment()
    out = tmp_path / "score.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness",
            "score",
            str(MINI),
            "--checks",
            "ruff",
            "--sandbox",
            "none",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr  # no --fail-under: a score is a success
    assert "WARNING: --sandbox none runs untrusted generated code" in " ".join(
        done.stderr.split()
    )
    score = json.loads(out.read_text())
    assert score["sandbox"].startswith(
        "none (rlimits and a scrubbed environment only: NOT isolated)"
    )
    # The check really ran outside bwrap and judged the clean fixture.
    assert [(c["name"], c["status"], c["score"]) for c in score["checks"]] == [
        ("ruff", "pass", 1.0)
    ]


def test_describe_records_backend_and_cgroups(
    bwrap_box: Sandbox, none_box: Sandbox
) -> None:
    assert bwrap_box.describe().startswith("bubblewrap ")
    assert none_box.describe().startswith("none ")
    for box in (bwrap_box, none_box):
        assert box.cgroups.describe() in box.describe()
    assert (
        Sandbox(bwrap_box.backend, CgroupSupport()).describe().endswith("; no cgroups")
    )


def test_stdin_reaches_the_command(
    bwrap_box: Sandbox, none_box: Sandbox, probe: Probe
) -> None:
    request = SandboxRequest(
        argv=["/venv/bin/python", "-c", "import sys; print(sys.stdin.read()[::-1])"],
        workspace=probe.workspace,
        stdin=b"olleh\nsecond line",
    )
    for box in (bwrap_box, none_box):
        result = box.run(request)
        assert result.ok, result
        assert result.stdout == "enil dnoces\nhello\n"


def test_background_command_is_stopped_with_its_tree(
    bwrap_box: Sandbox, probe: Probe
) -> None:
    process = bwrap_box.spawn(probe.request("loop", "/tmp/heartbeat"))
    time.sleep(0.5)
    assert process.alive()
    result = process.stop()
    assert result.killed is None  # stopped on purpose: not a failure
    assert wait_until_gone(probe.survivors()) == []


def test_no_cgroup_outlives_its_command(bwrap_box: Sandbox, probe: Probe) -> None:
    support = detect()
    if not support.available:
        pytest.skip(f"no cgroups on this machine: {support.note}")
    limits = SandboxLimits(processes=16, wall_seconds=2)
    bwrap_box.run(probe.request("forkbomb", "100", limits=limits))
    ours = f"{PREFIX}{os.getpid()}-"
    for parent in {support.pids, support.memory, support.unified} - {None}:
        assert parent is not None
        left = [child.name for child in parent.iterdir() if child.name.startswith(ours)]
        assert left == [], f"cgroups left in {parent}: {left}"


def test_cgroups_of_a_dead_harness_are_swept(probe: Probe) -> None:
    support = detect()
    if support.pids is None:
        pytest.skip(f"no pids cgroup here: {support.note}")
    # A PID that no longer runs: a short-lived child's.
    child = subprocess.Popen(["true"])
    child.wait()
    stale = support.pids / f"{PREFIX}{child.pid}-0-deadbeef"
    stale.mkdir()
    cgroups_module._sweep(support.pids)
    assert not stale.exists()


def test_without_cgroups_the_run_records_why(bwrap_box: Sandbox, probe: Probe) -> None:
    note = "cgroups unavailable or partial: no process cap (root ignores RLIMIT_NPROC)"
    box = Sandbox(bwrap_box.backend, CgroupSupport(note=note))
    result = box.run(probe.request("daemon", "/tmp/heartbeat"))
    assert result.ok
    assert result.notes == [note]
    assert result.limits_hit == []
    assert result.peak_memory_mb is None
    # The PID namespace still takes the daemon down with the sandbox.
    assert wait_until_gone(probe.survivors()) == []


@pytest.mark.parametrize(
    ("killed", "returncode", "stderr", "hits", "measured", "expected"),
    [
        ("output", -9, "", ["memory"], True, "output"),
        ("timeout", -9, "", ["processes"], True, "processes"),
        ("timeout", -9, "", [], True, "timeout"),
        (None, 1, "", ["memory", "processes"], True, "memory"),
        (None, 0, "", ["processes"], True, None),  # coped with the cap: not a failure
        (None, 152, "", [], True, "cpu"),
        (None, 153, "", [], True, "file_size"),
        (None, 1, "MemoryError", [], True, "memory"),
        (
            None,
            1,
            "BlockingIOError: [Errno 11] Resource temporarily unavailable",
            [],
            False,
            "processes",
        ),
        (None, 1, "RuntimeError: can't start new thread", [], False, "processes"),
        (
            None,
            1,
            "BlockingIOError: [Errno 11] Resource temporarily unavailable",
            [],
            True,
            None,
        ),
        (None, -15, "", [], True, "signal"),
    ],
)
def test_kill_reason_names_the_root_cause(
    killed: str | None,
    returncode: int,
    stderr: str,
    hits: list[str],
    measured: bool,
    expected: str | None,
) -> None:
    from harness.sandbox import _kill_reason

    reason = _kill_reason(
        killed,  # type: ignore[arg-type]
        returncode,
        stderr,
        hits,  # type: ignore[arg-type]
        measured=measured,
    )
    assert reason == expected


def test_user_tasks_counts_threads_like_rlimit_nproc() -> None:
    from harness.sandbox.process import user_tasks

    listed = subprocess.run(
        ["ps", "-eLo", "uid="], capture_output=True, text=True, check=True
    ).stdout.split()
    expected = sum(1 for uid in listed if int(uid) == os.getuid())
    assert abs(user_tasks(os.getuid()) - expected) <= 5  # processes come and go


def test_non_root_process_cap_sits_on_top_of_the_users_processes(
    bwrap_box: Sandbox, probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RLIMIT_NPROC counts every process and thread of the user, and a desktop user runs
    # more than a sandbox's budget: a bare cap would stop bwrap itself from starting.
    from harness.sandbox.process import user_tasks

    backend = bwrap_box.backend
    prepare = backend.prepare

    def as_non_root(request: SandboxRequest) -> backends.Launch:
        return dataclasses.replace(prepare(request), count_processes=True)

    monkeypatch.setattr(backend, "prepare", as_non_root)
    box = Sandbox(backend, CgroupSupport())  # no pids cgroup: the rlimit is the cap
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_NPROC)[0])"
    request = SandboxRequest(
        argv=["/venv/bin/python", "-c", code],
        workspace=probe.workspace,
        limits=SandboxLimits(processes=50),
    )
    result = box.run(request)
    assert result.ok, result
    base = user_tasks(os.getuid())
    assert abs(int(result.stdout) - (base + 50)) <= 10
