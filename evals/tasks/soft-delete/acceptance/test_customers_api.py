"""Hidden acceptance tests for soft-delete: black-box over HTTP.

Every test makes its own customers (unique names) and never counts what others made.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

ADMIN = {"X-Admin-Key": "adm-5b1e7c0d94"}


def _create(client: httpx.Client) -> dict[str, Any]:
    name = f"c-{uuid.uuid4().hex[:12]}"
    response = client.post("/customers", json={"name": name, "email": f"{name}@example.com"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _delete(client: httpx.Client, customer: dict[str, Any]) -> None:
    assert client.delete(f"/customers/{customer['id']}").status_code == 204


def _all_ids(client: httpx.Client, **params: Any) -> tuple[set[int], int]:
    """Every id listed (walking the pages) and the total the first page reports."""
    ids: set[int] = set()
    offset, total = 0, None
    while True:
        response = client.get(
            "/customers", params={"limit": 100, "offset": offset, **params}, headers=ADMIN
        )
        assert response.status_code == 200, response.text
        page = response.json()
        total = page["total"] if total is None else total
        ids |= {item["id"] for item in page["items"]}
        offset += 100
        if offset >= page["total"]:
            return ids, total


def test_create_and_get(client: httpx.Client) -> None:
    customer = _create(client)
    assert customer["deleted_at"] is None
    assert client.get(f"/customers/{customer['id']}").json() == customer


def test_a_deleted_customer_is_404(client: httpx.Client) -> None:
    customer = _create(client)
    _delete(client, customer)
    response = client.get(f"/customers/{customer['id']}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)
    assert client.delete(f"/customers/{customer['id']}").status_code == 404


def test_a_deleted_customer_leaves_the_list_and_its_total(client: httpx.Client) -> None:
    kept, gone = _create(client), _create(client)
    ids_before, total_before = _all_ids(client)
    assert {kept["id"], gone["id"]} <= ids_before
    _delete(client, gone)
    ids_after, total_after = _all_ids(client)
    assert kept["id"] in ids_after
    assert gone["id"] not in ids_after
    assert total_after == total_before - 1
    assert total_after == len(ids_after)


def test_a_deleted_customer_cannot_be_patched(client: httpx.Client) -> None:
    customer = _create(client)
    _delete(client, customer)
    response = client.patch(f"/customers/{customer['id']}", json={"name": "Renamed"})
    assert response.status_code == 404
    shown = client.get(
        f"/customers/{customer['id']}", params={"include_deleted": True}, headers=ADMIN
    ).json()
    assert shown["name"] == customer["name"]


def test_patch_changes_only_the_fields_sent(client: httpx.Client) -> None:
    customer = _create(client)
    response = client.patch(f"/customers/{customer['id']}", json={"name": "Renamed"})
    assert response.status_code == 200
    assert response.json() == {**customer, "name": "Renamed"}


def test_deleted_at_is_utc_with_an_offset(client: httpx.Client) -> None:
    customer = _create(client)
    _delete(client, customer)
    response = client.get(
        f"/customers/{customer['id']}", params={"include_deleted": True}, headers=ADMIN
    )
    assert response.status_code == 200
    deleted_at = datetime.fromisoformat(response.json()["deleted_at"])
    assert deleted_at.utcoffset() is not None
    assert abs(deleted_at - datetime.now(UTC)) < timedelta(minutes=10)


def test_admins_list_deleted_customers_when_asked(client: httpx.Client) -> None:
    customer = _create(client)
    _delete(client, customer)
    ids, total = _all_ids(client, include_deleted=True)
    assert customer["id"] in ids
    assert total == len(ids)
    visible, _ = _all_ids(client)
    assert customer["id"] not in visible


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Key": "hello"}, {"X-Admin-Key": ""}])
def test_include_deleted_needs_the_admin_key(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    customer = _create(client)
    _delete(client, customer)
    listed = client.get("/customers", params={"include_deleted": True}, headers=headers)
    assert listed.status_code == 403
    assert isinstance(listed.json()["detail"], str)
    one = client.get(
        f"/customers/{customer['id']}", params={"include_deleted": True}, headers=headers
    )
    assert one.status_code == 403


def test_restore_brings_the_customer_back_for_good(client: httpx.Client) -> None:
    customer = _create(client)
    _delete(client, customer)
    restored = client.post(f"/customers/{customer['id']}/restore", headers=ADMIN)
    assert restored.status_code == 200, restored.text
    assert restored.json() == customer
    assert client.get(f"/customers/{customer['id']}").json() == customer
    ids, _ = _all_ids(client)
    assert customer["id"] in ids


@pytest.mark.parametrize("headers", [{}, {"X-Admin-Key": "hello"}])
def test_restore_needs_the_admin_key(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    customer = _create(client)
    _delete(client, customer)
    response = client.post(f"/customers/{customer['id']}/restore", headers=headers)
    assert response.status_code == 403
    assert client.get(f"/customers/{customer['id']}").status_code == 404


def test_restoring_a_customer_that_is_not_deleted_is_409(client: httpx.Client) -> None:
    customer = _create(client)
    response = client.post(f"/customers/{customer['id']}/restore", headers=ADMIN)
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str)


def test_restoring_an_unknown_customer_is_404(client: httpx.Client) -> None:
    customer = _create(client)
    missing = customer["id"] + 10_000_000
    response = client.post(f"/customers/{missing}/restore", headers=ADMIN)
    assert response.status_code == 404
