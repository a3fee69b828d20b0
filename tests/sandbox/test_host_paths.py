"""What /proc inside the sandbox tells about the host's paths (issue [N], finding 9).

bwrap is PID 1 of the sandbox: its command line used to list every host path it binds (the
checkout, the results folder, HOME). It now reads its options from a descriptor. What stays
visible is documented in docs/threat-model.md: mountinfo names each bound folder's host path
(a kernel property bubblewrap cannot hide), and nothing else of the host.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.environment import REPO_ROOT
from harness.sandbox import Mount, Sandbox, SandboxLimits, SandboxRequest
from harness.sandbox.sockets import listen_unix

from .conftest import PROBE, PROBES, Probe, facts

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def host_socket(tmp_path: Path) -> Iterator[Path]:
    """A listening unix socket on the host, in a folder of its own (like the gateway's)."""
    folder = tmp_path / "host-sockets"
    folder.mkdir()
    server = listen_unix(folder / "gw.sock")
    try:
        yield folder
    finally:
        server.close()


def _proc_facts(box: Sandbox, probe: Probe, sockets: Path) -> dict[str, str]:
    """What the probe reads in /proc, with ``sockets`` bound at /gateway."""
    request = SandboxRequest(
        argv=[
            "/venv/bin/python",
            PROBE,
            probe.marker,
            "proc_paths",
            "/gateway/gw.sock",
        ],
        workspace=probe.workspace,
        mounts=[Mount(source=sockets, target="/gateway")],
        limits=SandboxLimits(wall_seconds=20),
    )
    result = box.run(request)
    assert result.ok, result
    return facts(result)


def _mount_roots(mountinfo: str) -> set[str]:
    """Each mount's root within its file system (the 4th field): the bound host path."""
    return {line.split()[3] for line in mountinfo.splitlines() if line.strip()}


def test_proc_shows_no_host_path_but_the_bound_folders_in_mountinfo(
    bwrap_box: Sandbox,
    probe: Probe,
    host_socket: Path,
    probe_venv: Path,
    tmp_path: Path,
) -> None:
    found = _proc_facts(bwrap_box, probe, host_socket)
    host = {
        "checkout": str(REPO_ROOT),
        "home": str(Path.home()),
        "workspace": str(probe.workspace),
        "mount source": str(host_socket),
        "test folder": str(tmp_path),
    }
    for name in ("/proc/1/cmdline", "/proc/self/cmdline", "/proc/1/environ"):
        for what, path in host.items():
            assert path not in found[name], f"{name} shows the {what}: {found[name]}"
    assert found["/proc/1/cmdline"].startswith("bwrap --args ")
    # Its own net namespace: only the sandbox's own sockets, at sandbox paths.
    assert "/tmp/probe.sock" in found["/proc/net/unix"]  # noqa: S108 - the sandbox's
    for what, path in host.items():
        assert path not in found["/proc/net/unix"], f"/proc/net/unix shows the {what}"
    # mountinfo names the host folders bound in (documented), and no other host path.
    bound = {
        os.path.realpath(path)
        for path in (
            probe.workspace,
            host_socket,
            PROBES,
            probe_venv,
            bwrap_box.backend.python_prefix,  # type: ignore[attr-defined]
        )
    }
    for name in ("/proc/self/mountinfo", "/proc/1/mountinfo"):
        sensitive = {
            root
            for root in _mount_roots(found[name])
            if root.startswith((*host.values(), str(Path.home())))
        }
        assert sensitive <= bound, sensitive - bound


def test_a_plainly_bound_host_socket_shows_its_path_in_proc_net_unix(
    bwrap_box: Sandbox, probe: Probe, tmp_path: Path
) -> None:
    """Why :func:`listen_unix` exists: the kernel copies the listener's address."""
    folder = tmp_path / "plain"
    folder.mkdir()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(folder / "gw.sock"))
        server.listen(4)
        found = _proc_facts(bwrap_box, probe, folder)
    assert str(folder / "gw.sock") in found["/proc/net/unix"]
