import anyio
from httpx import AsyncClient


async def _product(
    client: AsyncClient, sku: str, price_cents: int = 500, stock: int = 10
) -> int:
    response = await client.post(
        "/products",
        json={"name": sku, "sku": sku, "price_cents": price_cents, "stock": stock},
    )
    assert response.status_code == 201
    product_id: int = response.json()["id"]
    return product_id


async def _stock(client: AsyncClient, product_id: int) -> int:
    stock: int = (await client.get(f"/products/{product_id}")).json()["stock"]
    return stock


async def test_stock_defaults_to_zero(client: AsyncClient) -> None:
    response = await client.post(
        "/products", json={"name": "x", "sku": "NO-STOCK", "price_cents": 1}
    )
    assert response.json()["stock"] == 0


async def test_order_takes_stock_and_totals(client: AsyncClient) -> None:
    mug, tea = (
        await _product(client, "MUG", 1200, 5),
        await _product(client, "TEA", 350),
    )
    response = await client.post(
        "/orders",
        json={
            "lines": [
                {"product_id": mug, "quantity": 2},
                {"product_id": tea, "quantity": 3},
            ]
        },
    )
    assert response.status_code == 201
    order = response.json()
    assert order["total_cents"] == 2 * 1200 + 3 * 350
    assert order["lines"][0]["line_total_cents"] == 2400
    assert await _stock(client, mug) == 3
    assert await _stock(client, tea) == 7


async def test_insufficient_stock_changes_nothing(client: AsyncClient) -> None:
    mug, tea = (
        await _product(client, "MUG", stock=5),
        await _product(client, "TEA", stock=1),
    )
    response = await client.post(
        "/orders",
        json={
            "lines": [
                {"product_id": mug, "quantity": 2},
                {"product_id": tea, "quantity": 2},
            ]
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert await _stock(client, mug) == 5
    assert (await client.get("/orders")).json()["total"] == 0


async def test_unknown_product_is_404(client: AsyncClient) -> None:
    response = await client.post(
        "/orders", json={"lines": [{"product_id": 999, "quantity": 1}]}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "product_not_found"


async def test_repeated_product_is_422(client: AsyncClient) -> None:
    mug = await _product(client, "MUG")
    line = {"product_id": mug, "quantity": 1}
    response = await client.post("/orders", json={"lines": [line, line]})
    assert response.status_code == 422


async def test_price_is_kept_at_order_time(client: AsyncClient) -> None:
    mug = await _product(client, "MUG", 1000)
    order = (
        await client.post(
            "/orders", json={"lines": [{"product_id": mug, "quantity": 1}]}
        )
    ).json()
    await client.patch(f"/products/{mug}", json={"price_cents": 2000})
    again = (await client.get(f"/orders/{order['id']}")).json()
    assert again["lines"][0]["unit_price_cents"] == 1000
    assert again["total_cents"] == 1000


async def test_ordered_product_cannot_be_deleted(client: AsyncClient) -> None:
    mug = await _product(client, "MUG")
    await client.post("/orders", json={"lines": [{"product_id": mug, "quantity": 1}]})
    response = await client.delete(f"/products/{mug}")
    assert response.status_code == 409
    assert response.json()["code"] == "product_in_orders"


async def test_orders_are_listed_newest_first(client: AsyncClient) -> None:
    mug = await _product(client, "MUG")
    for quantity in (1, 2, 3):
        await client.post(
            "/orders", json={"lines": [{"product_id": mug, "quantity": quantity}]}
        )
    page = (await client.get("/orders", params={"limit": 2})).json()
    assert page["total"] == 3
    assert [o["lines"][0]["quantity"] for o in page["items"]] == [3, 2]


async def test_concurrent_orders_never_oversell(client: AsyncClient) -> None:
    mug = await _product(client, "MUG", stock=3)
    statuses: list[int] = []

    async def order() -> None:
        response = await client.post(
            "/orders", json={"lines": [{"product_id": mug, "quantity": 1}]}
        )
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(order)
    assert sorted(statuses) == [201] * 3 + [409] * 3
    assert await _stock(client, mug) == 0
