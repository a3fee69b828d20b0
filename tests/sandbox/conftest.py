"""Fixtures for the hostile-code suite: the real Sandbox door, decoys on the host, a reaper.

The probes (``probes/hostile.py``) run with a small stdlib-only virtualenv made from the
interpreter running the tests, so the suite needs neither the evaluation environment nor
the network. The probes folder is bound read-only where the harness's helpers go
(``/harness``).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import venv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.errors import SandboxUnavailableError
from harness.sandbox import (
    HELPERS,
    Sandbox,
    SandboxLimits,
    SandboxRequest,
    SandboxResult,
)

PROBES = Path(__file__).resolve().parent / "probes"
#: Hostile code for the sandbox to run, never for this test session to collect.
collect_ignore = ["probes", "projects"]
PROBE = str(HELPERS / "hostile.py")


@pytest.fixture(scope="session")
def probe_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare virtualenv (stdlib only) over the interpreter running the tests."""
    target = tmp_path_factory.mktemp("probe-venv") / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(target)
    return target


@pytest.fixture(scope="session")
def bwrap_box(probe_venv: Path) -> Sandbox:
    try:
        return Sandbox.create("bwrap", venv=probe_venv, helpers=PROBES)
    except (
        SandboxUnavailableError
    ) as error:  # pragma: no cover - CI installs bubblewrap
        pytest.fail(f"the hostile suite needs bubblewrap: {error}")


@pytest.fixture(scope="session")
def none_box(probe_venv: Path) -> Sandbox:
    return Sandbox.create("none", venv=probe_venv, helpers=PROBES)


def processes_with(marker: str) -> list[int]:
    """Host PIDs whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def reap(marker: str) -> list[int]:
    """Kill every process carrying ``marker`` (a test's own cleanup); return their PIDs."""
    found = processes_with(marker)
    for pid in found:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return found


@dataclass
class Probe:
    """Runs ``hostile.py`` attacks through a sandbox, with a marker unique to the test."""

    workspace: Path
    marker: str = field(default_factory=lambda: f"sbxprobe-{uuid.uuid4().hex}")

    def request(
        self,
        attack: str,
        *args: str,
        limits: SandboxLimits | None = None,
        writable: bool = False,
    ) -> SandboxRequest:
        return SandboxRequest(
            argv=["/venv/bin/python", PROBE, self.marker, attack, *args],
            workspace=self.workspace,
            workspace_writable=writable,
            limits=limits or SandboxLimits(wall_seconds=20),
        )

    def run(
        self,
        box: Sandbox,
        attack: str,
        *args: str,
        limits: SandboxLimits | None = None,
        writable: bool = False,
    ) -> SandboxResult:
        return box.run(self.request(attack, *args, limits=limits, writable=writable))

    def survivors(self) -> list[int]:
        return processes_with(self.marker)


def facts(result: SandboxResult) -> dict[str, Any]:
    """The last JSON report a probe printed."""
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the probe reported nothing: {result!r}"
    parsed: dict[str, Any] = json.loads(lines[-1])
    return parsed


@pytest.fixture
def probe(tmp_path: Path) -> Iterator[Probe]:
    """A probe with a fresh workspace; whatever it leaves running is killed afterwards."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    helper = Probe(workspace)
    yield helper
    reap(helper.marker)


@dataclass(frozen=True)
class Decoy:
    """A host process holding a fake API key, as the user's own agent would."""

    pid: int
    key: str


@pytest.fixture(scope="session")
def decoy_process() -> Iterator[Decoy]:
    key = f"sk-ant-decoy-{uuid.uuid4().hex}"
    env = {**os.environ, "ANTHROPIC_API_KEY": key, "OPENAI_API_KEY": key}
    process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)", "decoy-host-agent"],
        env=env,
    )
    try:
        yield Decoy(process.pid, key)
    finally:
        process.kill()
        process.wait()


class _SecretHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads it

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b"HOST-SECRET"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        return


@dataclass
class HostServices:
    """A loopback HTTP server and an abstract unix socket on the host, both answering."""

    port: int
    abstract: str
    hits: list[str]


@pytest.fixture(scope="session")
def host_services() -> Iterator[HostServices]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SecretHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    name = f"sbx-host-{uuid.uuid4().hex}"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind("\0" + name)
    unix.listen(8)
    stop = threading.Event()

    def answer() -> None:
        unix.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = unix.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"HOST-UNIX-SECRET")

    threading.Thread(target=answer, daemon=True).start()
    try:
        yield HostServices(server.server_address[1], name, _SecretHandler.hits)
    finally:
        stop.set()
        server.shutdown()
        unix.close()


def wait_until_gone(pids: list[int], seconds: float = 2.0) -> list[int]:
    """PIDs still alive (and not zombies) after up to ``seconds``."""
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _running(pid)]
        time.sleep(0.02)
    return alive


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
