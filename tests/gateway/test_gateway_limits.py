"""One agent against the harness process: connections, slow clients, huge bodies, log bytes.

Issue [N], finding 5: before, 22,000 idle connections took the harness's descriptors (another
sample's gateway went dead), a 300 MB body took the harness to 1.2 GB and the log to 315 MB.
Each test attacks one gateway over its socket and checks the host: descriptors, peak memory,
the other gateway, the log's bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import time
from pathlib import Path

import pytest
from fake_llm import FakeLLM, FakeReply
from raw_client import (
    anthropic_body,
    anthropic_upstream,
    gateway,
    open_fds,
    post,
    raw,
    read_answer,
    wait_for,
)

from harness.gateway import HttpLimits
from harness.gateway.calls import LOG_REQUEST_BYTES, MAX_LOGGED_REFUSALS

#: Small limits, so each attack takes a second or so.
TIGHT = HttpLimits(max_connections=4, header_timeout_s=1, body_timeout_s=1)
HEAD = (
    b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
    b"Content-Type: application/json\r\n"
)


def test_an_idle_connection_flood_takes_no_descriptor_past_the_cap_nor_another_gateway(
    fake: FakeLLM, tmp_path: Path
) -> None:
    with (
        gateway(
            anthropic_upstream(fake.url), tmp_path / "a.sock", limits=TIGHT
        ) as attacked,
        gateway(
            anthropic_upstream(fake.url), tmp_path / "b.sock", limits=TIGHT
        ) as other,
    ):
        before = open_fds()
        flood = []
        for _ in range(300):
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            client.setblocking(False)
            # A full backlog refuses: the kernel says no, not the harness.
            with contextlib.suppress(BlockingIOError, ConnectionRefusedError):
                client.connect(str(attacked.socket_path))
            flood.append(client)
        time.sleep(0.3)
        harness_side = open_fds() - before - len(flood)
        assert attacked.server.peak_connections <= TIGHT.max_connections
        assert harness_side <= TIGHT.max_connections + 1
        fake.script(FakeReply(text="still here"))
        assert post(other.socket_path, anthropic_body(), timeout=5).status_code == 200
        # Idle connections are closed at the head timeout; once the attacker lets go, the
        # attacked gateway serves again.
        for client in flood:
            client.close()
        assert wait_for(lambda: attacked.server.open_connections == 0, 5)
        fake.script(FakeReply(text="back"))
        assert (
            post(attacked.socket_path, anthropic_body(), timeout=5).status_code == 200
        )


def _trickle(
    sock: Path, first: bytes, piece: bytes, every_s: float
) -> tuple[int, float]:
    """Send ``first``, then ``piece`` every ``every_s`` until the server answers."""
    started = time.monotonic()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(10)
        client.connect(str(sock))
        client.sendall(first)
        while time.monotonic() - started < 8:
            time.sleep(every_s)
            try:
                client.sendall(piece)
            except OSError:
                break
            client.setblocking(False)
            try:
                if client.recv(1, socket.MSG_PEEK):
                    break
            except BlockingIOError:
                pass
            finally:
                client.setblocking(True)
        status, _ = read_answer(client)
    return status, time.monotonic() - started


@pytest.mark.parametrize(
    ("first", "piece", "part"),
    [
        (b"POST /v1/messages HTTP/1.1\r\n", b"X-Slow: 1\r\n", "head"),
        (HEAD + b"Content-Length: 100\r\n\r\n{", b" ", "body"),
    ],
)
def test_a_slow_client_is_cut_with_408(
    fake: FakeLLM, tmp_path: Path, first: bytes, piece: bytes, part: str
) -> None:
    """Before: no head or body timeout: a trickle held its connection (and slot) forever."""
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", limits=TIGHT
    ) as gw:
        status, took = _trickle(gw.socket_path, first, piece, 0.2)
    assert status == 408
    assert took < 3
    assert gw.calls[0].refused is not None
    assert f"the request {part}" in gw.calls[0].refused
    assert fake.requests == []


@pytest.mark.parametrize("split", [False, True])
def test_an_oversized_head_is_refused_with_431(
    fake: FakeLLM, tmp_path: Path, split: bool
) -> None:
    """Whether it arrives at once or keeps coming, a head past the cap is not buffered."""
    head = HEAD + b"X-Big: " + b"a" * 40_000 + b"\r\nContent-Length: 2\r\n\r\n{}"
    with gateway(anthropic_upstream(fake.url), tmp_path / "gw.sock") as gw:
        if split:
            status, _ = _trickle(gw.socket_path, head[:-40], b"a" * 20_000, 0.05)
        else:
            status, _ = raw(gw.socket_path, head)
    assert status == 431
    assert fake.requests == []


def _peak_rss_reset() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_300_mb_body_is_refused_without_being_held(
    fake: FakeLLM, tmp_path: Path, framing: str
) -> None:
    """Before: the whole body was read, parsed and logged (harness at 1.2 GB, log 315 MB)."""
    log = tmp_path / "gateway.jsonl"
    size = 300 << 20
    chunk = b"a" * (1 << 20)
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", log_path=log
    ) as gw:
        measured = _peak_rss_reset()
        start = _peak_rss_mb()
        sent = 0
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(30)
            client.connect(str(gw.socket_path))
            if framing == "chunked":
                client.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
            else:
                client.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % size)
            try:
                while sent < size:
                    if framing == "chunked":
                        client.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                    else:
                        client.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # the gateway answered and closed
            status, body = read_answer(client)
        grew = _peak_rss_mb() - start
    assert status == 413
    assert "larger than the gateway's cap" in body["error"]["message"]
    assert body["error"]["type"] == "request_too_large"
    assert sent < size
    if measured:
        assert grew < 100, f"peak memory grew {grew:.0f} MB"
    assert log.stat().st_size < 4096
    assert fake.requests == []


def test_logged_bytes_are_capped_and_refused_bodies_kept_as_a_digest(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: every body was logged whole, also when refused."""
    log = tmp_path / "gateway.jsonl"
    big = "x" * (3 << 20)
    forwarded = anthropic_body(
        messages=[
            {"role": "user", "content": big},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "last turn"},
        ]
    )
    refused = anthropic_body(
        model="claude-opus-4-1", messages=[{"role": "user", "content": big}]
    )
    fake.script(FakeReply(text="hi"))
    with gateway(anthropic_upstream(fake.url), tmp_path / "gw.sock", log_path=log):
        assert post(tmp_path / "gw.sock", forwarded).status_code == 200
        assert post(tmp_path / "gw.sock", refused).status_code == 400
    assert len(json.dumps(fake.requests[0].body)) > 3 << 20  # the provider got it whole
    lines = log.read_bytes().splitlines()
    assert [len(line) < LOG_REQUEST_BYTES + 4096 for line in lines] == [True, True]
    kept, dropped = (json.loads(line) for line in lines)
    sent = json.dumps(forwarded).encode()
    assert kept["request_sha256"] == hashlib.sha256(sent).hexdigest()
    assert kept["request_bytes"] == len(sent)
    assert kept["request"]["messages"][-1]["content"] == "last turn"
    assert "over 1048576" in kept["request_trimmed"]
    assert len(lines[1]) < 4096
    assert dropped["request"] == {}
    assert dropped["request_bytes"] > 3 << 20


def test_a_flood_of_refusals_is_counted_not_logged(
    fake: FakeLLM, tmp_path: Path
) -> None:
    log = tmp_path / "gateway.jsonl"
    bad = HEAD + b"Content-Length: 2\r\n\r\n[]"
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", log_path=log
    ) as gw:
        statuses = {
            raw(gw.socket_path, bad)[0] for _ in range(MAX_LOGGED_REFUSALS + 50)
        }
    assert statuses == {400}
    lines = log.read_text().splitlines()
    assert len(lines) == MAX_LOGGED_REFUSALS + 1
    assert "50 more refused calls were not logged" in lines[-1]


def test_the_socket_address_names_no_host_path(fake: FakeLLM, tmp_path: Path) -> None:
    """The sandbox reads accepted sockets' addresses in /proc/net/unix (finding 9)."""
    with gateway(anthropic_upstream(fake.url), tmp_path / "gw.sock") as gw:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(gw.socket_path))
            address = client.getpeername()
        fake.script(FakeReply(text="hi"))
        assert post(gw.socket_path, anthropic_body()).status_code == 200
    assert address.startswith("/proc/self/fd/")
    assert str(tmp_path) not in address
