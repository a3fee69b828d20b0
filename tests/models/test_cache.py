"""The on-disk response cache, through a real provider and the fake server."""

import pytest

from harness.models import GenerationParams, Message
from harness.models.cache import ResponseCache, request_key
from tests.fakes.fake_llm import FakeReply
from tests.models.conftest import run

USER = [Message(role="user", content="Build it.")]


def _ask(model, params=None, messages=USER):
    async def go():
        try:
            return await model.complete(
                "sys", messages, [], params or GenerationParams()
            )
        finally:
            await model.aclose()

    return run(go())


@pytest.fixture
def cache(tmp_path):
    return ResponseCache(tmp_path / "cache")


def test_repeat_in_same_epoch_is_a_hit_and_new_epoch_a_miss(fake, make_model, cache):
    fake.script(FakeReply(text="first", input_tokens=1000, output_tokens=100))
    first = _ask(make_model("anthropic:claude-haiku-4-5", cache=cache, epoch=0))
    again = _ask(make_model("anthropic:claude-haiku-4-5", cache=cache, epoch=0))
    assert len(fake.requests) == 1
    assert not first.cached
    assert again.cached
    assert again.text == "first"
    assert again.usage == first.usage
    assert cache.stats.hits == 1
    assert cache.stats.saved_usd == pytest.approx(first.cost_usd)
    assert cache.stats.saved_tokens == 1100

    fake.script(FakeReply(text="second epoch"))
    other = _ask(make_model("anthropic:claude-haiku-4-5", cache=cache, epoch=1))
    assert other.text == "second epoch"
    assert not other.cached
    assert len(fake.requests) == 2
    assert cache.stats.as_dict()["misses"] == 2


def test_params_model_and_request_are_in_the_key(fake, make_model, cache):
    _ask(make_model("openai:gpt-4.1", cache=cache))
    _ask(make_model("openai:gpt-4.1", cache=cache), GenerationParams(temperature=0.5))
    _ask(make_model("openai:gpt-4.1-mini", cache=cache))
    _ask(
        make_model("openai:gpt-4.1", cache=cache),
        messages=[Message(role="user", content="x")],
    )
    assert len(fake.requests) == 4
    assert cache.stats.hits == 0


def test_the_same_model_on_two_endpoints_never_shares_replies(fake, make_model, cache):
    # Ollama and vLLM both serving "qwen": two servers, two answers, never mixed up.
    fake.script(FakeReply(text="from server one"), FakeReply(text="from server two"))
    one = _ask(make_model("openai:qwen", cache=cache))
    two = _ask(
        make_model("openai:qwen", cache=cache, base_url=fake.openai_base_url + "/")
    )
    again = _ask(make_model("openai:qwen", cache=cache))
    assert (one.text, two.text, again.text) == (
        "from server one",
        "from server two",
        "from server one",
    )
    assert (two.cached, again.cached) == (False, True)
    assert len(fake.requests) == 2


def test_no_cache_always_calls_and_stores_nothing(fake, make_model, tmp_path):
    off = ResponseCache(tmp_path / "off", enabled=False)
    _ask(make_model("openai:gpt-4.1", cache=off))
    _ask(make_model("openai:gpt-4.1", cache=off))
    assert len(fake.requests) == 2
    assert not (tmp_path / "off").exists()


def test_corrupt_entry_is_a_miss(fake, make_model, cache):
    _ask(make_model("openai:gpt-4.1", cache=cache))
    key = request_key(
        "openai:gpt-4.1", "sys", USER, [], GenerationParams(), 0, fake.openai_base_url
    )
    entry = cache.root / key[:2] / f"{key}.json"
    assert entry.is_file()
    entry.write_text("{half")
    _ask(make_model("openai:gpt-4.1", cache=cache))
    assert len(fake.requests) == 2
    assert cache.stats.hits == 0


def test_refusals_are_not_cached(fake, make_model, cache):
    fake.script(FakeReply(stop="refusal"), FakeReply(text="fine"))
    assert (
        _ask(make_model("anthropic:claude-haiku-4-5", cache=cache)).stop_reason
        == "error"
    )
    assert _ask(make_model("anthropic:claude-haiku-4-5", cache=cache)).text == "fine"
