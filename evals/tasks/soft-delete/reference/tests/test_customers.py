from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN_KEY

pytestmark = pytest.mark.anyio

ADMIN = {"X-Admin-Key": ADMIN_KEY}


async def _create(client: AsyncClient, name: str = "Ada") -> int:
    body = {"name": name, "email": f"{name.lower()}@example.com"}
    response = await client.post("/customers", json=body)
    assert response.status_code == 201, response.text
    customer_id: int = response.json()["id"]
    return customer_id


async def test_deleted_customers_are_hidden(client: AsyncClient) -> None:
    kept, gone = await _create(client, "Kept"), await _create(client, "Gone")
    assert (await client.delete(f"/customers/{gone}")).status_code == 204
    page = (await client.get("/customers")).json()
    assert [item["id"] for item in page["items"]] == [kept]
    assert page["total"] == 1
    assert (await client.get(f"/customers/{gone}")).status_code == 404
    patched = await client.patch(f"/customers/{gone}", json={"name": "x"})
    assert patched.status_code == 404


async def test_admins_see_and_restore_deleted_customers(client: AsyncClient) -> None:
    gone = await _create(client)
    await client.delete(f"/customers/{gone}")
    everyone = {"include_deleted": True}
    assert (await client.get("/customers", params=everyone)).status_code == 403
    bad = {"X-Admin-Key": "wrong"}
    assert (
        await client.get("/customers", params=everyone, headers=bad)
    ).status_code == 403
    page = (await client.get("/customers", params=everyone, headers=ADMIN)).json()
    deleted_at = datetime.fromisoformat(page["items"][0]["deleted_at"])
    assert abs(deleted_at - datetime.now(UTC)) < timedelta(minutes=5)
    restored = await client.post(f"/customers/{gone}/restore", headers=ADMIN)
    assert restored.json()["deleted_at"] is None
    assert (await client.get(f"/customers/{gone}")).status_code == 200
    again = await client.post(f"/customers/{gone}/restore", headers=ADMIN)
    assert again.status_code == 409
