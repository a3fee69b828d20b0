"""Hostile calls against the gateway's budget and model pin (issue [N], findings 3 and 4).

Each test sends what code in the sandbox can send straight to the socket, at once and in
numbers, and checks what the budget, the provider (the fake) and the log end up with.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from fake_llm import FakeLLM, FakeReply
from raw_client import anthropic_body, anthropic_upstream, gateway, post, wait_for

from harness.gateway import HttpLimits, Upstream
from harness.models.budget import Budget

#: Room for 100 concurrent clients: the race is the budget's, not the connection cap's.
WIDE = HttpLimits(max_connections=128)


def _flood(sock: Path, n: int, body: dict[str, Any]) -> list[httpx.Response]:
    """``n`` calls sent at once, each on its own connection."""

    async def main() -> list[httpx.Response]:
        transport = httpx.AsyncHTTPTransport(
            uds=str(sock), limits=httpx.Limits(max_connections=n)
        )
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost", timeout=60
        ) as client:
            calls = [client.post("/v1/messages", json=body) for _ in range(n)]
            return await asyncio.gather(*calls)

    return asyncio.run(main())


def test_100_concurrent_calls_get_exactly_the_40_turns_of_the_budget(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: all 100 passed the check and were charged ("100 of 40 turns")."""
    fake.script(*[FakeReply(text="hi", delay_s=0.2) for _ in range(100)])
    budget = Budget(max_turns=40)
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", budget=budget, limits=WIDE
    ) as gw:
        responses = _flood(gw.socket_path, 100, anthropic_body())
    assert Counter(r.status_code for r in responses) == {200: 40, 400: 60}
    assert len(fake.requests) == 40
    assert gw.tracker.turns == 40
    refused = {r.json()["error"]["message"] for r in responses if r.status_code == 400}
    assert refused == {
        "harness gateway: budget exhausted: turns: 40 of 40 turns; "
        "no further model calls are allowed in this sample"
    }


def test_concurrent_calls_cannot_overrun_the_token_budget(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: 60 calls of 18 tokens spent 1080 of a 500-token budget."""
    fake.script(*[FakeReply(text="hi", delay_s=0.1) for _ in range(60)])
    budget = Budget(max_tokens=500)
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", budget=budget, limits=WIDE
    ) as gw:
        responses = _flood(gw.socket_path, 60, anthropic_body())
    per_call = 11 + 7  # the fake's default usage
    assert (
        gw.usage.total_tokens <= budget.max_tokens + per_call
    )  # as when run one by one
    assert len(fake.requests) == gw.usage.total_tokens // per_call
    assert {r.status_code for r in responses} == {200, 400}


def test_a_call_without_an_output_cap_runs_alone_under_a_token_budget(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Its spend has no bound, so it reserves all that is left: no other call overlaps it."""
    fake.script(*[FakeReply(text="hi", delay_s=0.1) for _ in range(6)])
    body = {k: v for k, v in anthropic_body().items() if k != "max_tokens"}
    with gateway(
        anthropic_upstream(fake.url),
        tmp_path / "gw.sock",
        budget=Budget(max_tokens=10_000),
        limits=WIDE,
    ) as gw:
        responses = _flood(gw.socket_path, 6, body)
    assert [r.status_code for r in responses] == [200] * 6
    assert gw.ledger.peak_in_flight == 1


def test_a_call_for_another_model_is_refused_and_the_reason_logged(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: forwarded (the gateway rewrote or passed the model): the pin did not hold."""
    log = tmp_path / "gateway.jsonl"
    with gateway(
        anthropic_upstream(fake.url), tmp_path / "gw.sock", log_path=log
    ) as gw:
        response = post(gw.socket_path, anthropic_body(model="claude-opus-4-1"))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"] == (
        "harness gateway: this sample's model is claude-sonnet-4-5: "
        "a request for claude-opus-4-1 is refused"
    )
    assert fake.requests == []
    (line,) = [json.loads(x) for x in log.read_text().splitlines()]
    assert "claude-opus-4-1 is refused" in line["refused"]
    assert line["request"] == {}


def test_the_call_names_the_model_the_api_reported(
    fake: FakeLLM, tmp_path: Path
) -> None:
    fake.script(FakeReply(text="hi", model="claude-sonnet-4-5-20250929"))
    with gateway(anthropic_upstream(fake.url), tmp_path / "gw.sock") as gw:
        assert post(gw.socket_path, anthropic_body()).status_code == 200
    (call,) = gw.calls
    assert call.model == "claude-sonnet-4-5-20250929"
    assert call.cost_usd is not None


def test_a_cost_budget_with_an_unpriced_model_refuses_every_call(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: forwarded, priced at nothing, so --max-cost never bound (Codex's gpt-5.5)."""
    upstream = Upstream(api="responses", base_url=f"{fake.url}/v1", model="gpt-5.5")
    body = {"model": "gpt-5.5", "input": "hi", "stream": True}
    with gateway(upstream, tmp_path / "gw.sock", budget=Budget(max_cost_usd=0.5)) as gw:
        response = post(gw.socket_path, body, path="/v1/responses")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "the model gpt-5.5 has no price" in message
    assert "HARNESS_PRICES=FILE" in message
    assert fake.requests == []


def test_a_stream_the_agent_cuts_short_is_charged_its_output_cap(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: closing the stream before its last event left the output uncharged (1 token)."""
    fake.script(FakeReply(text="x" * 400, chunk_delay_s=0.05, output_tokens=50))
    body = json.dumps(anthropic_body()).encode()
    head = (
        b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    with gateway(anthropic_upstream(fake.url), tmp_path / "gw.sock") as gw:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(gw.socket_path))
            client.sendall(head + body)
            seen = b""
            while b"message_start" not in seen:
                seen += client.recv(4096)
        assert wait_for(lambda: bool(gw.calls), 10)
    assert gw.usage.output_tokens == 64  # anthropic_body's max_tokens
    assert "output charged at the request's cap" in (gw.calls[0].response_trimmed or "")
