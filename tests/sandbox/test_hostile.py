"""Hostile code through the real bwrap sandbox: each attack is contained, reported, and leaves
nothing behind (no process carrying the probe's marker, no file outside the workspace)."""

# ruff: noqa: S108 - /tmp, /tmp/home and /dev/shm here are the sandbox's own private tmpfs

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.sandbox import Sandbox, SandboxLimits, SandboxRequest
from harness.sandbox.cgroups import detect

from .conftest import Decoy, HostServices, Probe, facts, wait_until_gone

pytestmark = pytest.mark.timeout(60)


def assert_clean(probe: Probe) -> None:
    """No process of the probe survives the command."""
    survivors = wait_until_gone(probe.survivors(), seconds=1.0)
    assert survivors == [], f"processes left running: {survivors}"


# -- network ---------------------------------------------------------------------------


def test_host_loopback_and_unix_socket_unreachable(
    bwrap_box: Sandbox, probe: Probe, host_services: HostServices
) -> None:
    before = len(host_services.hits)
    result = probe.run(
        bwrap_box, "net", str(host_services.port), host_services.abstract
    )
    found = facts(result)
    assert result.ok, result
    assert "tcp" not in found, "reached the host's loopback server"
    assert (
        found["tcp_error"] == "ECONNREFUSED"
    )  # its own empty loopback: nothing listens
    assert "abstract" not in found, "reached a host abstract unix socket"
    assert found["interfaces"] == ["lo"]
    assert len(host_services.hits) == before
    assert_clean(probe)


def test_hostname_does_not_resolve(bwrap_box: Sandbox, probe: Probe) -> None:
    found = facts(probe.run(bwrap_box, "dns", "pypi.org"))
    assert "addresses" not in found
    assert found["error"] != "timeout"  # fails fast: no resolver, no route
    assert found["resolv_conf"] is False


# -- secrets ---------------------------------------------------------------------------


def test_api_keys_invisible_in_env_and_proc(
    bwrap_box: Sandbox,
    probe: Probe,
    decoy_process: Decoy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The harness itself holds keys (it calls the model); none may cross.
    monkeypatch.setenv("ANTHROPIC_API_KEY", decoy_process.key)
    monkeypatch.setenv("GITHUB_TOKEN", decoy_process.key)
    monkeypatch.setenv("HARNESS_SECRET_SETTING", decoy_process.key)
    result = probe.run(bwrap_box, "secrets", decoy_process.key, str(decoy_process.pid))
    found = facts(result)
    assert found["env_keys"] == []
    assert found["decoy_in_env"] is False
    assert found["found_in"] == []  # not in any /proc/*/environ it can see
    assert (
        found["environ_files_read"] >= 1
    )  # it did look (its own namespace's processes)
    assert "bwrap" in str(
        found["pid1_cmdline"]
    )  # PID 1 is the sandbox's init, not the host's
    assert found["decoy_signal_ok"] is False
    assert found["home"] == "/tmp/home"


@pytest.mark.parametrize(
    "name",
    # docs/threat-model.md: whatever the name it is passed under, a value of the harness's
    # own environment never crosses.
    ["ANTHROPIC_API_KEY", "JWT_SECRET", "DATABASE_URL", "X"],
)
def test_harness_values_are_refused_at_the_door(
    probe: Probe, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-decoy-0123456789")
    with pytest.raises(
        ValidationError, match=rf"{name} \(the value of \$ANTHROPIC_API_KEY\)"
    ):
        SandboxRequest(
            argv=["true"],
            workspace=probe.workspace,
            env={name: "sk-ant-decoy-0123456789"},
        )


def test_short_secret_values_are_refused_too(
    probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A secret-like name protects its value however short (the length floor is for
    # ordinary variables such as LANG=C.UTF-8).
    monkeypatch.setenv("GITHUB_TOKEN", "abc")
    with pytest.raises(ValidationError, match="GITHUB_TOKEN"):
        SandboxRequest(argv=["true"], workspace=probe.workspace, env={"KEY": "abc"})


def test_declared_literals_pass_the_door(probe: Probe) -> None:
    # A task's fake literal crosses whatever its name (auth-jwt's JWT_SECRET).
    env = {
        "JWT_SECRET": "acceptance-signing-key",
        "ADMIN_KEY": "a",
        "DATABASE_URL": "sqlite://",
        "HARNESS_MODE": "test",
    }
    assert SandboxRequest(argv=["true"], workspace=probe.workspace, env=env).env == env


# -- files -----------------------------------------------------------------------------


def test_files_outside_the_workspace_are_invisible(
    bwrap_box: Sandbox, probe: Probe, tmp_path: Path
) -> None:
    decoy = tmp_path / "decoy-secret.txt"
    decoy.write_text("DECOY-SECRET")
    decoy.chmod(0o600)
    home = Path.home()
    result = probe.run(
        bwrap_box,
        "read",
        str(decoy),
        str(tmp_path),
        str(home),
        "/etc/shadow",
        "/tmp/home",
        "/work",
    )
    found = facts(result)
    assert found[str(decoy)] == "error:ENOENT"
    assert found[str(tmp_path)] == "error:ENOENT"
    assert found["/etc/shadow"] == "error:ENOENT"
    assert found["/tmp/home"] == []  # a throwaway, empty HOME
    assert found["/work"] == []  # the (empty) workspace itself is visible
    # The user's home shows at most the path down to the interpreter bound from it.
    prefix = bwrap_box.backend.python_prefix  # type: ignore[attr-defined]
    listing = found[str(home)]
    if isinstance(listing, list):
        assert prefix.is_relative_to(home)
        assert listing == [prefix.relative_to(home).parts[0]]
    else:
        assert listing == "error:ENOENT"


def test_writes_land_only_in_the_workspace(
    bwrap_box: Sandbox, probe: Probe, tmp_path: Path
) -> None:
    name = f"{probe.marker}.txt"
    host_tmp = Path("/tmp")
    parent = probe.workspace.parent
    targets = [
        "/work",
        "/tmp",
        "/tmp/home",
        "/dev/shm",
        "/",
        "/venv",
        "/harness",
        "/usr",
        "/etc",
        str(parent),
        str(Path.home()),
    ]
    found = facts(probe.run(bwrap_box, "write", name, *targets, writable=True))
    assert found["/work"] == "written"
    for private in ("/tmp", "/tmp/home", "/dev/shm"):
        assert found[private] == "written"  # its own tmpfs, gone with the sandbox
    for folder in ("/", "/venv", "/harness", "/usr", "/etc"):
        assert found[folder] == "error:EROFS", folder
    assert found[str(parent)].startswith("error:")
    assert found[str(Path.home())].startswith("error:")
    assert sorted(p.name for p in probe.workspace.iterdir()) == [name]
    for host_folder in (host_tmp, parent, Path.home(), Path("/dev/shm")):
        assert not (host_folder / name).exists(), host_folder
    assert not list(host_tmp.glob(f"*{probe.marker}*"))


def test_read_only_workspace_stays_unchanged(bwrap_box: Sandbox, probe: Probe) -> None:
    found = facts(probe.run(bwrap_box, "write", "x.txt", "/work"))
    assert found["/work"] == "error:EROFS"
    assert list(probe.workspace.iterdir()) == []


def test_read_only_binds_cannot_be_remounted_writable(
    bwrap_box: Sandbox, probe: Probe, probe_venv: Path
) -> None:
    # As root, bwrap keeps every capability unless told otherwise, and CAP_SYS_ADMIN in the
    # sandbox's namespaces could remount a read-only bind writable: --cap-drop ALL stops it.
    found = facts(probe.run(bwrap_box, "remount", "/venv", "/harness"))
    assert found["caps"] == "0000000000000000"
    assert found["remount /venv"] == "EPERM"
    assert found["write /venv"] == "error:EROFS"
    assert found["write /harness"] == "error:EROFS"
    assert not (probe_venv / "hostile-remount.txt").exists()


# -- processes -------------------------------------------------------------------------


def test_detached_daemon_is_killed_when_the_command_ends(
    bwrap_box: Sandbox, probe: Probe
) -> None:
    heartbeat = probe.workspace / "heartbeat"
    result = probe.run(bwrap_box, "daemon", "/work/heartbeat", writable=True)
    assert result.ok, result  # the command itself ended normally
    assert heartbeat.exists()  # the daemon did start
    assert_clean(probe)
    beat = heartbeat.read_text()
    time.sleep(0.4)
    assert heartbeat.read_text() == beat, "the daemon is still beating"


def test_infinite_loop_is_timed_out_with_its_daemon(
    bwrap_box: Sandbox, probe: Probe
) -> None:
    limits = SandboxLimits(wall_seconds=1.5)
    result = probe.run(
        bwrap_box, "loop", "/work/heartbeat", limits=limits, writable=True
    )
    assert result.killed == "timeout"
    assert not result.ok
    assert result.duration_s < 5
    assert result.describe_failure(limits) == "timed out after 1.5 s (wall clock)"
    assert_clean(probe)


def test_cpu_limit(bwrap_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(cpu_seconds=1, wall_seconds=15)
    result = probe.run(bwrap_box, "cpu", limits=limits)
    assert result.killed == "cpu"
    assert result.duration_s < 10
    assert "CPU limit" in (result.describe_failure(limits) or "")
    assert_clean(probe)


def test_fork_bomb_is_capped(bwrap_box: Sandbox, probe: Probe) -> None:
    if detect().pids is None and os.geteuid() == 0:
        pytest.skip(
            "root without a pids cgroup: only the probe's own bound of 2000 holds"
        )
    limits = SandboxLimits(processes=64, wall_seconds=10)
    result = probe.run(bwrap_box, "forkbomb", "2000", "300", limits=limits)
    assert result.killed == "processes", result
    assert "process cap" in (result.describe_failure(limits) or "")
    reports = [_json(line) for line in result.stdout.splitlines()]
    first = next(f for f in reports if "first_refusal_after" in f)
    assert first["first_refusal_after"] < 64
    if detect().pids is not None:
        assert result.limits_hit == ["processes"]
    assert_clean(probe)


def test_fork_bomb_stopped_by_the_clock_still_names_the_cap(
    bwrap_box: Sandbox, probe: Probe
) -> None:
    if detect().pids is None:
        pytest.skip("needs a pids cgroup to count refused forks")
    # A bomb that never gives up is stopped by the wall clock; the cause is still the cap.
    limits = SandboxLimits(processes=32, wall_seconds=1.5)
    result = probe.run(bwrap_box, "forkbomb", "2000", "100000000", limits=limits)
    assert result.killed == "processes", result
    assert result.limits_hit == ["processes"]
    assert_clean(probe)


def _json(line: str) -> dict[str, int]:
    import json

    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def test_memory_of_one_process_is_capped(bwrap_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(memory_mb=256, wall_seconds=20)
    result = probe.run(bwrap_box, "memory", "2048", limits=limits)
    assert result.killed == "memory", result
    assert "out of memory" in (result.describe_failure(limits) or "")
    assert facts(result).get("allocated_mb", 0) < 256
    assert_clean(probe)


def test_memory_of_the_whole_tree_is_capped(bwrap_box: Sandbox, probe: Probe) -> None:
    if detect().memory is None:
        pytest.skip(
            "no memory cgroup here: memory is capped per process only (RLIMIT_AS)"
        )
    # Four processes of 160 MiB each stay under the per-process cap of 256 MiB but not
    # under the tree's: the cgroup's OOM killer stops one.
    limits = SandboxLimits(memory_mb=256, wall_seconds=20)
    result = probe.run(bwrap_box, "memory_tree", "4", "160", limits=limits)
    assert result.killed == "memory", result
    assert "memory" in result.limits_hit
    assert result.peak_memory_mb is not None
    assert result.peak_memory_mb <= 256 + 1
    assert_clean(probe)


def test_output_flood_is_capped(bwrap_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(output_bytes=1_000_000, wall_seconds=20)
    started = time.monotonic()
    result = probe.run(bwrap_box, "output", "300", limits=limits)
    assert result.killed == "output"
    assert len(result.stdout) <= 1_000_000
    assert time.monotonic() - started < 5
    assert "output cap" in (result.describe_failure(limits) or "")
    assert_clean(probe)


def test_huge_file_is_capped(bwrap_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(file_size_mb=8, wall_seconds=20)
    result = probe.run(
        bwrap_box, "bigfile", "/work/big.bin", "300", limits=limits, writable=True
    )
    assert result.killed == "file_size", result
    assert (probe.workspace / "big.bin").stat().st_size <= 8 * 1024 * 1024
    assert_clean(probe)


def test_private_tmp_is_sized(bwrap_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(tmp_mb=32, wall_seconds=20)
    found = facts(probe.run(bwrap_box, "fill", "/tmp", "256", limits=limits))
    assert found["error"] == "ENOSPC"
    assert int(str(found["written_mb"])) <= 32
    limits = SandboxLimits(shm_mb=4, wall_seconds=20)
    found = facts(probe.run(bwrap_box, "fill", "/dev/shm", "64", limits=limits))
    assert found["error"] == "ENOSPC"
    assert int(str(found["written_mb"])) <= 4
