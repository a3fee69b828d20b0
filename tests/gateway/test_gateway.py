"""The model gateway: forwards both APIs over a unix socket, records, prices, enforces budgets."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).parent.parent))
from fakes.fake_llm import FakeLLM, FakeReply, running_fake_llm

from harness.gateway import Gateway, Upstream
from harness.gateway.wire import parse_sse
from harness.models.budget import Budget

KEY = "sk-real-secret-value-0123456789"


@pytest.fixture
def fake() -> Any:
    with running_fake_llm() as server:
        yield server


def _post(
    sock: Path, path: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    transport = httpx.HTTPTransport(uds=str(sock))
    with httpx.Client(transport=transport, base_url="http://localhost") as client:
        return client.post(path, json=body, headers=headers)


async def _call(
    gateway: Gateway, path: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await asyncio.to_thread(_post, gateway.socket_path, path, body, **headers)


def test_anthropic_stream_passes_through_with_the_real_key_added(
    fake: FakeLLM, tmp_path: Path
) -> None:
    fake.script(
        FakeReply(
            tool_calls=[("Skill", {"skill": "demo"})],
            input_tokens=100,
            output_tokens=20,
        )
    )
    upstream = Upstream(
        api="anthropic",
        base_url=fake.url,
        model="claude-sonnet-4-5",
        api_key=SecretStr(KEY),
    )
    log = tmp_path / "gateway.jsonl"

    async def main() -> httpx.Response:
        async with Gateway(upstream, tmp_path / "gw.sock", log_path=log) as gateway:
            body = {
                "model": "claude-sonnet-4-5",
                "stream": True,
                "messages": [
                    {"role": "system", "content": "skills listed here"},
                    {"role": "user", "content": "hi"},
                ],
            }
            response = await _call(
                gateway, "/v1/messages?beta=true", body, **{"x-api-key": "placeholder"}
            )
            assert gateway.usage.input_tokens == 100
            assert gateway.usage.output_tokens == 20
            assert gateway.cost_usd is not None
            assert gateway.cost_usd > 0
            return response

    response = asyncio.run(main())
    assert response.status_code == 200
    events = parse_sse(response.content)
    assert events[0]["type"] == "message_start"
    assert any(e.get("delta", {}).get("type") == "input_json_delta" for e in events)
    sent = fake.requests[0]
    assert sent.headers["x-api-key"] == KEY
    assert sent.body["messages"][0]["role"] == "system"
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[0]["path"] == "/v1/messages?beta=true"
    assert calls[0]["reply"]["tool_calls"][0]["name"] == "Skill"
    assert KEY not in log.read_text()


def test_responses_stream_and_custom_tool_call(fake: FakeLLM, tmp_path: Path) -> None:
    patch = "*** Begin Patch\n*** Add File: a.py\n+x = 1\n*** End Patch\n"
    fake.script(
        FakeReply(
            custom_calls=[("apply_patch", patch)], input_tokens=50, cache_read_tokens=30
        )
    )
    upstream = Upstream(
        api="responses",
        base_url=f"{fake.url}/v1",
        api_key=SecretStr(KEY),
        model="gpt-4.1",
    )

    async def main() -> Gateway:
        async with Gateway(upstream, tmp_path / "gw.sock") as gateway:
            body = {
                "model": "gpt-4.1",
                "stream": True,
                "input": [{"role": "user", "content": "go"}],
            }
            response = await _call(gateway, "/v1/responses", body)
            assert response.status_code == 200
            assert parse_sse(response.content)[-1]["type"] == "response.completed"
            return gateway

    gateway = asyncio.run(main())
    assert fake.requests[0].path == "/v1/responses"
    assert fake.requests[0].body["model"] == "gpt-4.1"
    assert fake.requests[0].headers["authorization"] == f"Bearer {KEY}"
    call = gateway.calls[0]
    assert call.reply is not None
    assert call.reply.tool_calls[0].arguments == {"input": patch}
    assert (call.usage.input_tokens, call.usage.cache_read_tokens) == (50, 30)


@pytest.mark.parametrize(
    ("budget", "reason"),
    [
        (Budget(max_turns=2), "turns"),
        (Budget(max_tokens=30), "tokens"),
        (Budget(max_cost_usd=1e-9), "cost"),
    ],
)
def test_an_exhausted_budget_is_refused_with_a_reason(
    fake: FakeLLM, tmp_path: Path, budget: Budget, reason: str
) -> None:
    upstream = Upstream(api="anthropic", base_url=fake.url, model="claude-sonnet-4-5")

    async def main() -> list[httpx.Response]:
        async with Gateway(upstream, tmp_path / "gw.sock", budget=budget) as gateway:
            body = {
                "model": "claude-sonnet-4-5",
                "stream": True,
                "messages": [{"role": "user", "content": "x"}],
            }
            return [await _call(gateway, "/v1/messages", body) for _ in range(3)]

    responses = asyncio.run(main())
    assert responses[0].status_code == 200
    last = responses[-1]
    assert last.status_code == 400
    message = last.json()["error"]["message"]
    assert f"budget exhausted: {reason}" in message
    assert len(fake.requests) < 3


def test_an_unreachable_upstream_is_a_502_the_agent_can_read(tmp_path: Path) -> None:
    upstream = Upstream(api="responses", base_url="http://127.0.0.1:9/v1", model="m")

    async def main() -> list[httpx.Response]:
        async with Gateway(upstream, tmp_path / "gw.sock") as gateway:
            body = {"model": "m", "stream": True}
            return [await _call(gateway, "/v1/responses", body) for _ in range(3)]

    responses = asyncio.run(main())
    assert [r.status_code for r in responses] == [502, 502, 400]
    assert "could not reach the model API" in responses[0].json()["error"]["message"]
    assert "giving up" in responses[2].json()["error"]["message"]
