"""Sending a campaign: 202 at once, delivery after the response, progress, bounces.

The app runs with MAIL_DELAY_SECONDS=0.15: each message takes 0.15 s at the gateway.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

import anyio
import httpx

DELAY = 0.15


def _create(client: httpx.Client, recipients: list[str]) -> dict[str, Any]:
    response = client.post(
        "/campaigns",
        json={
            "subject": f"s-{uuid.uuid4().hex[:8]}",
            "body": "hi",
            "recipients": recipients,
        },
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _people(count: int) -> list[str]:
    tag = uuid.uuid4().hex[:8]
    return [f"p{n}-{tag}@example.com" for n in range(count)]


def _send(client: httpx.Client, campaign_id: int) -> httpx.Response:
    response = client.post(f"/campaigns/{campaign_id}/send")
    assert response.status_code == 202, response.text
    return response


def _until_sent(
    client: httpx.Client, campaign_id: int, seconds: float = 6.0
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Poll the campaign until it is ``sent``; return it and every state seen."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/campaigns/{campaign_id}").json()
        seen.append(body)
        if body["status"] == "sent":
            return body, seen
        time.sleep(0.02)
    raise AssertionError(
        f"not sent after {seconds} s; last seen: {seen[-1] if seen else None}"
    )


def test_new_campaign_has_no_progress_yet(client: httpx.Client) -> None:
    created = _create(client, _people(2))
    assert created["sent_count"] == 0
    assert created["failed_count"] == 0
    assert created["finished_at"] is None
    listed = client.get(f"/campaigns/{created['id']}/deliveries")
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_send_answers_202_before_any_message_goes_out(client: httpx.Client) -> None:
    created = _create(client, _people(6))
    response = _send(client, created["id"])
    # Six messages take 0.9 s at the gateway: a send that waited for them is over by now.
    right_after = client.get(f"/campaigns/{created['id']}").json()
    assert response.json()["id"] == created["id"]
    assert response.json()["status"] == "queued"
    assert response.json()["sent_count"] == 0
    assert right_after["status"] in {"queued", "sending"}, right_after
    assert right_after["sent_count"] < 6
    _until_sent(client, created["id"])


def test_campaign_reaches_sent_with_every_message_delivered(
    client: httpx.Client,
) -> None:
    people = _people(3)
    created = _create(client, people)
    _send(client, created["id"])
    done, _ = _until_sent(client, created["id"])
    assert done["sent_count"] == 3
    assert done["failed_count"] == 0
    finished = datetime.fromisoformat(done["finished_at"])
    assert finished.tzinfo is not None
    assert finished >= datetime.fromisoformat(done["created_at"])
    deliveries = client.get(f"/campaigns/{created['id']}/deliveries").json()
    assert deliveries["total"] == 3
    assert [item["email"] for item in deliveries["items"]] == people
    assert {item["status"] for item in deliveries["items"]} == {"delivered"}
    for item in deliveries["items"]:
        assert datetime.fromisoformat(item["attempted_at"]).tzinfo is not None


def test_progress_is_visible_while_sending(client: httpx.Client) -> None:
    created = _create(client, _people(5))
    _send(client, created["id"])
    _, seen = _until_sent(client, created["id"])
    statuses = [state["status"] for state in seen]
    assert "sending" in statuses, f"never seen sending: {statuses}"
    partial = [
        state["sent_count"]
        for state in seen
        if state["status"] == "sending" and 0 < state["sent_count"] < 5
    ]
    assert partial, "sent_count never grew while the campaign was sending"
    assert statuses.index("sending") < statuses.index("sent")


def test_bounced_address_is_recorded_and_sending_goes_on(client: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:8]
    people = [
        f"a-{tag}@example.com",
        f"b-{tag}@bounce.example.org",
        f"c-{tag}@example.com",
    ]
    created = _create(client, people)
    _send(client, created["id"])
    done, _ = _until_sent(client, created["id"])
    assert done["sent_count"] == 2
    assert done["failed_count"] == 1
    items = client.get(f"/campaigns/{created['id']}/deliveries").json()["items"]
    assert [(item["email"], item["status"]) for item in items] == [
        (people[0], "delivered"),
        (people[1], "bounced"),
        (people[2], "delivered"),
    ]


def test_deliveries_are_paginated(client: httpx.Client) -> None:
    people = _people(4)
    created = _create(client, people)
    _send(client, created["id"])
    _until_sent(client, created["id"])
    url = f"/campaigns/{created['id']}/deliveries"
    page = client.get(url, params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 4
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [item["email"] for item in page["items"]] == people[1:3]
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get(url, params=params).status_code == 422, params


def test_sending_twice_is_409(client: httpx.Client) -> None:
    created = _create(client, _people(2))
    _send(client, created["id"])
    again = client.post(f"/campaigns/{created['id']}/send")
    assert again.status_code == 409, again.text
    assert isinstance(again.json()["detail"], str)
    done, _ = _until_sent(client, created["id"])
    assert done["sent_count"] == 2
    after = client.post(f"/campaigns/{created['id']}/send")
    assert after.status_code == 409
    deliveries = client.get(f"/campaigns/{created['id']}/deliveries").json()
    assert deliveries["total"] == 2


async def test_two_sends_at_once_only_one_wins(
    async_client: httpx.AsyncClient, client: httpx.Client
) -> None:
    created = _create(client, _people(2))
    statuses: list[int] = []

    async def send() -> None:
        response = await async_client.post(f"/campaigns/{created['id']}/send")
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(send)
    assert sorted(statuses) == [202, 409, 409]
    done, _ = _until_sent(client, created["id"])
    assert done["sent_count"] == 2
    deliveries = await async_client.get(f"/campaigns/{created['id']}/deliveries")
    assert deliveries.json()["total"] == 2


def test_unknown_campaign_cannot_be_sent(client: httpx.Client) -> None:
    missing = _create(client, _people(1))["id"] + 1_000_000
    response = client.post(f"/campaigns/{missing}/send")
    assert response.status_code == 404
    assert response.json() == {"detail": f"campaign {missing} not found"}
    deliveries = client.get(f"/campaigns/{missing}/deliveries")
    assert deliveries.status_code == 404
    assert deliveries.json() == {"detail": f"campaign {missing} not found"}
