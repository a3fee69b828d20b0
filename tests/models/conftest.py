"""A fake LLM server on loopback, shared by the model tests, reset for each test."""

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

from harness.models import Model, load_model
from harness.models.retry import RetryPolicy
from tests.fakes.fake_llm import FakeLLM, FakeLLMServer

FAST_RETRY = RetryPolicy(max_attempts=3, base_s=0.01, max_s=0.02)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    server = FakeLLMServer()
    fake = server.start()
    yield fake
    server.stop()


@pytest.fixture
def fake(fake_server: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    fake_server.reset()
    for name in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "HARNESS_PRICES",
    ):
        monkeypatch.delenv(name, raising=False)
    return fake_server


def run[T](coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@pytest.fixture
def make_model(fake: FakeLLM) -> Callable[..., Model]:
    """Build a provider pointed at the fake, with fast retries and no SDK retries."""

    def make(spec: str, **options: Any) -> Model:
        provider = spec.partition(":")[0]
        base = (
            fake.anthropic_base_url if provider == "anthropic" else fake.openai_base_url
        )
        defaults: dict[str, Any] = {
            "api_key": "test-key",
            "base_url": base,
            "sdk_max_retries": 0,
            "retry": FAST_RETRY,
            "timeout_s": 5.0,
        }
        return load_model(spec, **(defaults | options))

    return make
