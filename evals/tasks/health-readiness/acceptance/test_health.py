"""Hidden acceptance tests for health-readiness: black-box over HTTP."""

import asyncio
import time
import uuid

import httpx
import pytest
from conftest import Carrier

READY = {"status": "ready", "checks": {"database": "ok", "carrier": "ok"}}
CARRIER_DOWN = {"status": "not_ready", "checks": {"database": "ok", "carrier": "fail"}}


def test_live_is_200_alive_and_not_cached(
    client: httpx.Client, carrier: Carrier
) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response.headers["cache-control"] == "no-store"


def test_ready_is_200_when_everything_answers(
    client: httpx.Client, carrier: Carrier
) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == READY
    assert response.headers["cache-control"] == "no-store"


def test_ready_asks_the_carrier_on_every_call(
    client: httpx.Client, carrier: Carrier
) -> None:
    for _ in range(3):
        assert client.get("/health/ready").status_code == 200
    assert carrier.calls() == 3


@pytest.mark.parametrize("status", [500, 503, 404, 401])
def test_ready_is_503_when_the_carrier_does_not_answer_200(
    client: httpx.Client, carrier: Carrier, status: int
) -> None:
    carrier.answer(status=status)
    response = client.get("/health/ready")
    assert response.status_code == 503, response.text
    assert response.json() == CARRIER_DOWN
    assert response.headers["cache-control"] == "no-store"


def test_live_stays_200_when_the_carrier_is_down(
    client: httpx.Client, carrier: Carrier
) -> None:
    carrier.answer(status=503)
    assert client.get("/health/ready").status_code == 503
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert carrier.calls() == 1


def test_a_slow_carrier_fails_within_the_timeout(
    client: httpx.Client, carrier: Carrier
) -> None:
    carrier.answer(delay=4.5)
    started = time.monotonic()
    response = client.get("/health/ready")
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json() == CARRIER_DOWN
    assert elapsed < 4.0, f"readiness took {elapsed:.1f} s with a 2 s timeout"


def test_recovery_shows_at_once(client: httpx.Client, carrier: Carrier) -> None:
    assert client.get("/health/ready").status_code == 200
    carrier.answer(status=500)
    assert client.get("/health/ready").status_code == 503
    carrier.answer(status=200)
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == READY


async def test_other_requests_are_served_while_readiness_waits(
    async_client: httpx.AsyncClient, carrier: Carrier
) -> None:
    created = await async_client.post("/shipments", json={"reference": "PX-wait"})
    path = f"/shipments/{created.json()['id']}"
    carrier.answer(delay=4.5)
    slow = asyncio.create_task(async_client.get("/health/ready"))
    await asyncio.sleep(0.4)
    started = time.monotonic()
    live = await async_client.get("/health/live")
    shipment = await async_client.get(path)
    elapsed = time.monotonic() - started
    assert live.status_code == 200
    assert shipment.status_code == 200
    assert not slow.done(), "readiness answered before its timeout"
    assert elapsed < 1.0, f"two quick requests took {elapsed:.1f} s behind readiness"
    assert (await slow).status_code == 503


async def test_concurrent_readiness_checks(
    async_client: httpx.AsyncClient, carrier: Carrier
) -> None:
    answers = await asyncio.gather(
        *(async_client.get("/health/ready") for _ in range(5))
    )
    assert [answer.status_code for answer in answers] == [200] * 5
    assert carrier.calls() == 5


def test_create_and_get_a_shipment(client: httpx.Client, carrier: Carrier) -> None:
    reference = f"PX-{uuid.uuid4().hex[:8]}"
    created = client.post("/shipments", json={"reference": reference})
    assert created.status_code == 201, created.text
    shipment = created.json()
    assert shipment == {"id": shipment["id"], "reference": reference}
    assert client.get(f"/shipments/{shipment['id']}").json() == shipment


@pytest.mark.parametrize("reference", ["", "x" * 51])
def test_invalid_shipment_is_422(
    client: httpx.Client, carrier: Carrier, reference: str
) -> None:
    response = client.post("/shipments", json={"reference": reference})
    assert response.status_code == 422


def test_unknown_shipment_is_404(client: httpx.Client, carrier: Carrier) -> None:
    created = client.post("/shipments", json={"reference": "PX-last"}).json()
    response = client.get(f"/shipments/{created['id'] + 1_000_000}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)
