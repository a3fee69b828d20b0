"""The driver's model endpoint: only the run token, only the model endpoint, the run's
model, its budget, allow-listed headers, the real key added here, calls capped cluster-wide."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from harness.cluster.endpoint import MAX_BODY_BYTES, ClusterEndpoint
from harness.gateway import Upstream
from harness.models.pricing import ModelPrice, PriceTable
from tests.fakes.fake_llm import FakeLLM, FakeReply, running_fake_llm

KEY = "sk-ant-real-key-0123456789"
BODY = {
    "model": "m1",
    "max_tokens": 10,
    "messages": [{"role": "user", "content": "hi"}],
}


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server


def _endpoint(fake: FakeLLM, **options: object) -> ClusterEndpoint:
    upstream = Upstream(
        api="anthropic",
        base_url=fake.anthropic_base_url,
        model="m1",
        api_key=SecretStr(KEY),
    )
    settings: dict[str, object] = {"api_concurrency": 4}
    return ClusterEndpoint(upstream, host="127.0.0.1", **(settings | options))  # type: ignore[arg-type]


async def _post(
    endpoint: ClusterEndpoint,
    path: str = "/v1/messages",
    *,
    token: str | None = None,
    body: object = BODY,
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> httpx.Response:
    sent = {"x-api-key": endpoint.token if token is None else token}
    async with httpx.AsyncClient(base_url=endpoint.url, timeout=30) as client:
        return await client.request(
            method, path, json=body, headers=sent | (headers or {})
        )


def test_the_token_reaches_the_model_and_the_key_is_added_on_the_driver(fake: FakeLLM):
    async def main() -> None:
        async with _endpoint(fake) as endpoint:
            fake.script(FakeReply(text="hello"))
            route = endpoint.route()
            assert route.base_url == endpoint.url
            assert route.api_key is not None
            assert route.api_key.get_secret_value() == endpoint.token != KEY
            reply = await _post(
                endpoint,
                "/v1/messages?beta=true",
                headers={
                    "anthropic-version": "2023-06-01",
                    "x-evil": "1",
                    "cookie": "c",
                },
            )
            assert reply.status_code == 200, reply.text
            assert "hello" in reply.text
            assert endpoint.forwarded == 1

    asyncio.run(main())
    (seen,) = fake.requests
    assert seen.headers["x-api-key"] == KEY
    assert seen.headers["anthropic-version"] == "2023-06-01"
    assert "x-evil" not in seen.headers
    assert "cookie" not in seen.headers
    assert all(KEY not in v or k == "x-api-key" for k, v in seen.headers.items())


@pytest.mark.parametrize(
    ("path", "token", "method", "body", "status"),
    [
        ("/v1/messages", "", "POST", BODY, 401),  # no token
        ("/v1/messages", "not-the-token", "POST", BODY, 401),  # a wrong one
        ("/v1/messages", KEY, "POST", BODY, 401),  # not even the key itself
        ("/v1/models", None, "GET", None, 404),  # a non-model path
        ("/v1/messages/batches", None, "POST", BODY, 404),
        ("/v1/responses", None, "POST", BODY, 404),  # the other API
        ("/v1/messages", None, "GET", None, 405),
        ("/v1/messages", None, "POST", {**BODY, "model": "opus-expensive"}, 400),
        ("/v1/messages", None, "POST", ["not", "an", "object"], 400),
    ],
)
def test_refused_requests_never_reach_the_model(
    fake: FakeLLM, path: str, token: str | None, method: str, body: object, status: int
):
    async def main() -> None:
        async with _endpoint(fake) as endpoint:
            reply = await _post(endpoint, path, token=token, body=body, method=method)
            assert reply.status_code == status, reply.text
            assert "harness cluster endpoint" in reply.text
            assert [r.status for r in endpoint.refused] == [status]

    asyncio.run(main())
    assert fake.requests == []


def test_a_body_over_the_cap_is_refused(fake: FakeLLM):
    async def main() -> None:
        async with _endpoint(fake) as endpoint:
            big = {**BODY, "pad": "x" * (MAX_BODY_BYTES + 1)}
            reply = await _post(endpoint, body=big)
            assert reply.status_code == 413

    asyncio.run(main())
    assert fake.requests == []


def test_the_runs_dollar_budget_stops_the_token(fake: FakeLLM):
    prices = PriceTable(model=[ModelPrice(match="m1", input=1e6, output=1e6)])

    async def main() -> None:
        async with _endpoint(fake, max_cost_usd=0.5, prices=prices) as endpoint:
            fake.script(FakeReply(text="one"), FakeReply(text="two"))
            first = await _post(endpoint)
            assert first.status_code == 200
            assert endpoint.spent_usd > 0.5
            second = await _post(endpoint)
            assert second.status_code == 400
            assert "budget" in second.text

    asyncio.run(main())
    assert len(fake.requests) == 1


def test_calls_in_flight_never_exceed_the_cap(fake: FakeLLM):
    fake.concurrency_limit = 2

    async def main() -> None:
        async with _endpoint(fake, api_concurrency=2) as endpoint:
            fake.script(*[FakeReply(text=f"r{i}", delay_s=0.3) for i in range(6)])
            replies = await asyncio.gather(*(_post(endpoint) for _ in range(6)))
            assert [r.status_code for r in replies] == [200] * 6
            assert endpoint.limiter.peak_in_flight == 2

    asyncio.run(main())
    assert fake.peak_in_flight == 2
    assert fake.over_limit == 0
