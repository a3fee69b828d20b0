"""The price proxy's cache: hits, expiry (PRICE_CACHE_SECONDS=1), keys, failures, stampedes."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest
from conftest import Pricing

TTL = 1.0


def _get(client: httpx.Client, sku: str, currency: str | None = None) -> httpx.Response:
    params = {} if currency is None else {"currency": currency}
    return client.get(f"/prices/{sku}", params=params)


def test_first_read_asks_the_pricing_service(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "12.50"})
    response = _get(client, sku)
    assert response.status_code == 200, response.text
    assert response.json() == {"sku": sku, "currency": "USD", "amount": "12.50"}
    assert response.headers["X-Cache"] == "MISS"
    assert pricing.calls(sku) == 1


def test_second_read_is_served_from_the_cache(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "12.50"})
    _get(client, sku)
    again = _get(client, sku.lower(), "usd")
    assert again.status_code == 200
    assert again.json() == {"sku": sku, "currency": "USD", "amount": "12.50"}
    assert again.headers["X-Cache"] == "HIT"
    assert pricing.calls(sku) == 1


def test_entry_expires_after_the_configured_seconds(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "1.00"})
    assert _get(client, sku).json()["amount"] == "1.00"
    pricing.script(sku, amounts={"USD": "2.00"})
    assert _get(client, sku).json()["amount"] == "1.00"
    time.sleep(TTL + 0.3)
    fresh = _get(client, sku)
    assert fresh.json()["amount"] == "2.00", (
        "the cached price outlived PRICE_CACHE_SECONDS"
    )
    assert fresh.headers["X-Cache"] == "MISS"
    assert pricing.calls(sku) == 1


def test_each_currency_has_its_own_entry(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "10.00", "EUR": "9.20", "JPY": "1500"})
    assert _get(client, sku).json()["amount"] == "10.00"
    eur = _get(client, sku, "EUR")
    assert eur.json() == {"sku": sku, "currency": "EUR", "amount": "9.20"}
    assert eur.headers["X-Cache"] == "MISS"
    assert _get(client, sku, "jpy").json()["amount"] == "1500"
    assert _get(client, sku, "eur").headers["X-Cache"] == "HIT"
    assert pricing.calls(sku) == 3


def test_unknown_sku_is_404(client: httpx.Client, pricing: Pricing, sku: str) -> None:
    pricing.script(f"{sku}-OTHER", amounts={"USD": "1.00"})
    response = _get(client, sku)
    assert response.status_code == 404, response.text
    assert isinstance(response.json()["detail"], str)
    assert pricing.calls(sku) == 1, "the pricing service was not asked"


@pytest.mark.parametrize("status", [500, 503])
def test_pricing_failure_is_502_and_not_cached(
    client: httpx.Client, pricing: Pricing, sku: str, status: int
) -> None:
    pricing.script(sku, status=status, amounts={"USD": "3.00"})
    failed = _get(client, sku)
    assert failed.status_code == 502, failed.text
    assert isinstance(failed.json()["detail"], str)
    pricing.script(sku, amounts={"USD": "3.00"})
    recovered = _get(client, sku)
    assert recovered.status_code == 200, "a failure was served from the cache"
    assert recovered.json()["amount"] == "3.00"
    assert pricing.calls(sku) == 1


def test_unknown_sku_is_not_cached(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    assert _get(client, sku).status_code == 404
    pricing.script(sku, amounts={"USD": "4.00"})
    later = _get(client, sku)
    assert later.status_code == 200
    assert later.json()["amount"] == "4.00"


def test_delete_forgets_every_currency_of_the_sku(
    client: httpx.Client, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "1.00", "EUR": "0.90"})
    _get(client, sku)
    _get(client, sku, "EUR")
    pricing.script(sku, amounts={"USD": "1.10", "EUR": "0.99"})
    assert client.delete(f"/prices/{sku.lower()}").status_code == 204
    assert _get(client, sku).json()["amount"] == "1.10"
    assert _get(client, sku, "EUR").json()["amount"] == "0.99"
    assert pricing.calls(sku) == 2


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/prices/ABC-1", {"currency": "EURO"}),
        ("/prices/ABC-1", {"currency": "E1"}),
        ("/prices/ABC_1", {}),
        (f"/prices/{'A' * 33}", {}),
    ],
    ids=["currency-too-long", "currency-digit", "sku-underscore", "sku-too-long"],
)
def test_invalid_sku_or_currency_is_422(
    client: httpx.Client, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


async def test_simultaneous_misses_make_one_upstream_call(
    async_client: httpx.AsyncClient, pricing: Pricing, sku: str
) -> None:
    pricing.script(sku, amounts={"USD": "7.77"}, delay=0.4)
    answers: list[httpx.Response] = []

    async def read() -> None:
        answers.append(await async_client.get(f"/prices/{sku}"))

    async with anyio.create_task_group() as group:
        for _ in range(8):
            group.start_soon(read)
    assert [answer.status_code for answer in answers] == [200] * 8
    assert {answer.json()["amount"] for answer in answers} == {"7.77"}
    assert pricing.calls(sku) == 1, "each waiting request asked the pricing service"
