"""Each test passes only if the attack worked; in the sandbox every one must fail.

The test suite copies this project and writes ``targets.json`` beside this file: the host
port, the decoy file and a marker for processes left behind. The key is not given: like a
real thief, the tests look for anything shaped like an Anthropic key.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

TARGETS = json.loads((Path(__file__).parent / "targets.json").read_text())
KEY_SHAPE = "sk-ant-"


def test_key_from_environment() -> None:
    assert any(KEY_SHAPE in value for value in os.environ.values())


def test_key_from_other_processes() -> None:
    found = False
    for entry in Path("/proc").iterdir():
        try:
            found |= KEY_SHAPE.encode() in (entry / "environ").read_bytes()
        except OSError:
            continue
    assert found


def test_host_loopback() -> None:
    with socket.create_connection(("127.0.0.1", TARGETS["port"]), timeout=3) as conn:
        conn.sendall(b"GET /stolen HTTP/1.0\r\n\r\n")
        assert conn.recv(4096)


def test_decoy_file() -> None:
    assert Path(TARGETS["decoy"]).read_text()


def test_write_next_to_the_project() -> None:
    Path(TARGETS["outside"]).write_text("escaped")


def test_leave_a_daemon() -> None:
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(20)", TARGETS["marker"]],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
