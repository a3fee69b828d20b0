"""``--sandbox none``: what it still guarantees, and (asserted, not skipped) what it does not.

It keeps the rlimits, the scrubbed environment, the output cap, the wall clock with a
process-group kill, and, where the machine has them, the per-command cgroups (process and
memory caps, whole-tree kill). It does not isolate the network, the file system or other
processes: the tests below show a probe doing exactly that, which is why the CLI warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.sandbox import Sandbox, SandboxLimits

from .conftest import Decoy, HostServices, Probe, facts, reap, wait_until_gone

pytestmark = pytest.mark.timeout(60)


# -- still guaranteed ------------------------------------------------------------------


def test_environment_is_scrubbed(
    none_box: Sandbox,
    probe: Probe,
    decoy_process: Decoy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", decoy_process.key)
    monkeypatch.setenv("OPENAI_API_KEY", decoy_process.key)
    found = facts(
        probe.run(none_box, "secrets", decoy_process.key, str(decoy_process.pid))
    )
    assert found["env_keys"] == []
    assert found["decoy_in_env"] is False
    assert found["home"] != str(
        Path.home()
    )  # a throwaway HOME, though not a hidden one


def test_wall_clock_kills_the_process_group(none_box: Sandbox, probe: Probe) -> None:
    limits = SandboxLimits(wall_seconds=1.5)
    result = probe.run(none_box, "cpu", limits=limits)
    assert result.killed == "timeout"
    assert result.duration_s < 5
    assert wait_until_gone(probe.survivors()) == []


def test_rlimits_still_apply(none_box: Sandbox, probe: Probe) -> None:
    result = probe.run(
        none_box, "cpu", limits=SandboxLimits(cpu_seconds=1, wall_seconds=15)
    )
    assert result.killed == "cpu"
    result = probe.run(none_box, "memory", "2048", limits=SandboxLimits(memory_mb=256))
    assert result.killed == "memory"
    limits = SandboxLimits(output_bytes=1_000_000)
    result = probe.run(none_box, "output", "300", limits=limits)
    assert result.killed == "output"
    assert len(result.stdout) <= 1_000_000
    result = probe.run(
        none_box,
        "bigfile",
        "/work/big.bin",
        "300",
        limits=SandboxLimits(file_size_mb=8),
    )
    assert result.killed == "file_size"
    assert (probe.workspace / "big.bin").stat().st_size <= 8 * 1024 * 1024


def test_detached_daemon(none_box: Sandbox, probe: Probe) -> None:
    heartbeat = probe.workspace / "heartbeat"
    result = probe.run(none_box, "daemon", str(heartbeat))
    assert result.ok, result
    survivors = wait_until_gone(probe.survivors(), seconds=0.5)
    if none_box.cgroups.unified is not None or none_box.cgroups.pids is not None:
        # The command's cgroup holds the daemon: it is found, reported and killed.
        assert survivors == []
        assert result.leftover_processes >= 1
        assert any("still running after the command ended" in n for n in result.notes)
    else:
        # Without cgroups a setsid daemon leaves the process group: nothing kills it.
        assert survivors, "expected the daemon to escape --sandbox none without cgroups"
        assert any("cgroups unavailable" in n for n in result.notes)
        reap(probe.marker)


# -- NOT guaranteed (documented in docs/threat-model.md) -------------------------------


def host(path: Path) -> str:
    """A host path the none backend passes through untranslated.

    The none backend rewrites the sandbox's paths (``/work``, ``/tmp``...) in argv to their
    host locations, and pytest's tmp_path lives under ``/tmp``: ``/./tmp/...`` is the same
    file without looking like the sandbox's ``/tmp``.
    """
    return "/." + str(path)


def test_reaches_the_hosts_loopback(
    none_box: Sandbox, probe: Probe, host_services: HostServices
) -> None:
    found = facts(
        probe.run(none_box, "net", str(host_services.port), host_services.abstract)
    )
    assert "HOST-SECRET" in found["tcp"]
    assert found["abstract"] == "HOST-UNIX-SECRET"


def test_reads_files_and_other_processes_keys(
    none_box: Sandbox, probe: Probe, tmp_path: Path, decoy_process: Decoy
) -> None:
    decoy = tmp_path / "decoy-secret.txt"
    decoy.write_text("DECOY-SECRET")
    decoy.chmod(0o600)
    found = facts(probe.run(none_box, "read", host(decoy)))
    assert found[host(decoy)] == "DECOY-SECRET"
    found = facts(
        probe.run(none_box, "secrets", decoy_process.key, str(decoy_process.pid))
    )
    assert (
        str(decoy_process.pid) in found["found_in"]
    )  # same user: its environ is readable
    assert found["decoy_signal_ok"] is True


def test_writes_outside_the_workspace(
    none_box: Sandbox, probe: Probe, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    found = facts(probe.run(none_box, "write", "escaped.txt", host(outside)))
    assert found[host(outside)] == "written"
    assert (outside / "escaped.txt").exists()
