"""GET /orders/events: a server-sent events feed, read over a real streaming connection."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx

WAIT = 5.0


class Feed:
    """Reads one SSE stream event by event (comments and keep-alives skipped)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def next_event(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        data: list[str] = []
        with anyio.fail_after(WAIT):
            while True:
                line = await anext(self._lines)
                if line == "":
                    if data:
                        return {**fields, "data": "\n".join(data)}
                    fields = {}
                    continue
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "data":
                    data.append(value)
                else:
                    fields[name] = value

    async def next_order(self) -> dict[str, Any]:
        event = await self.next_event()
        assert event.get("event") == "order.created", event
        order: dict[str, Any] = json.loads(event["data"])
        assert event.get("id") == str(order["id"]), event
        return order


@asynccontextmanager
async def feed(
    http: httpx.AsyncClient, last_event_id: int | None = None
) -> AsyncIterator[Feed]:
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    async with http.stream("GET", "/orders/events", headers=headers) as response:
        assert response.status_code == 200
        # The feed may subscribe when its body starts: give it a moment.
        await anyio.sleep(0.2)
        yield Feed(response)


async def _create(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"customer": f"c-{uuid.uuid4().hex[:8]}", "total_cents": 100, **fields}
    response = await http.post("/orders", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_feed_is_an_event_stream(async_client: httpx.AsyncClient) -> None:
    async with feed(async_client) as events:
        content_type = events.response.headers.get("content-type", "")
        assert content_type.startswith("text/event-stream"), content_type
        assert events.response.headers.get("cache-control") == "no-cache"
        await _create(async_client)
        await events.next_order()


async def test_new_order_is_sent_as_an_order_created_event(
    async_client: httpx.AsyncClient,
) -> None:
    async with feed(async_client) as events:
        order = await _create(async_client, customer="Ann", total_cents=1250)
        event = await events.next_event()
    assert event["event"] == "order.created"
    assert event["id"] == str(order["id"])
    assert json.loads(event["data"]) == order
    assert "\n" not in event["data"]


async def test_orders_arrive_in_creation_order(async_client: httpx.AsyncClient) -> None:
    async with feed(async_client) as events:
        created = [await _create(async_client, total_cents=n) for n in range(4)]
        received = [await events.next_order() for _ in range(4)]
    assert received == created


async def test_every_open_feed_gets_every_order(
    async_client: httpx.AsyncClient,
) -> None:
    async with feed(async_client) as first, feed(async_client) as second:
        async with feed(async_client) as third:
            created = [await _create(async_client) for _ in range(2)]
            for events in (first, second, third):
                assert [await events.next_order() for _ in range(2)] == created


async def test_last_event_id_replays_missed_orders_then_goes_live(
    async_client: httpx.AsyncClient,
) -> None:
    seen, missed_one, missed_two = [await _create(async_client) for _ in range(3)]
    async with feed(async_client, last_event_id=seen["id"]) as events:
        assert await events.next_order() == missed_one
        assert await events.next_order() == missed_two
        live = await _create(async_client)
        assert await events.next_order() == live


async def test_without_last_event_id_nothing_is_replayed(
    async_client: httpx.AsyncClient,
) -> None:
    await _create(async_client)
    async with feed(async_client) as events:
        fresh = await _create(async_client)
        assert await events.next_order() == fresh


async def test_failed_request_sends_nothing(async_client: httpx.AsyncClient) -> None:
    async with feed(async_client) as events:
        rejected = await async_client.post(
            "/orders", json={"customer": "", "total_cents": 1}
        )
        assert rejected.status_code == 422
        accepted = await _create(async_client)
        assert await events.next_order() == accepted


async def test_open_feeds_do_not_hold_up_the_api(
    async_client: httpx.AsyncClient,
) -> None:
    async with feed(async_client), feed(async_client):
        with anyio.fail_after(2):
            order = await _create(async_client)
            fetched = await async_client.get(f"/orders/{order['id']}")
        assert fetched.json() == order
