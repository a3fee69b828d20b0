import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN_KEY

pytestmark = pytest.mark.anyio

ADMIN = {"X-Admin-Key": ADMIN_KEY}


async def test_create_and_get(client: AsyncClient) -> None:
    body = {"name": "Ada", "email": "ada@example.com"}
    created = await client.post("/customers", json=body)
    assert created.status_code == 201
    fetched = await client.get(f"/customers/{created.json()['id']}")
    assert fetched.json() == {**body, "id": created.json()["id"], "deleted_at": None}


async def test_deleted_customer_is_404(client: AsyncClient) -> None:
    body = {"name": "Bob", "email": "bob@example.com"}
    customer = (await client.post("/customers", json=body)).json()
    assert (await client.delete(f"/customers/{customer['id']}")).status_code == 204
    assert (await client.get(f"/customers/{customer['id']}")).status_code == 404


async def test_restore_needs_the_admin_key(client: AsyncClient) -> None:
    assert (await client.post("/customers/1/restore")).status_code == 403
