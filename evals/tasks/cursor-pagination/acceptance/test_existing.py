"""What the catalogue already did: it must keep working."""

import uuid

import httpx


def _category() -> str:
    return f"c{uuid.uuid4().hex[:10]}"


def test_create_and_get_a_product(client: httpx.Client) -> None:
    body = {"name": "Green tea", "category": _category(), "price_cents": 450}
    created = client.post("/products", json=body)
    assert created.status_code == 201, created.text
    product = created.json()
    assert product == {**body, "id": product["id"]}
    assert client.get(f"/products/{product['id']}").json() == product


def test_offset_listing_keeps_working(client: httpx.Client) -> None:
    category = _category()
    ids = [
        client.post(
            "/products", json={"name": f"p{n}", "category": category, "price_cents": 9 - n}
        ).json()["id"]
        for n in range(3)
    ]
    page = client.get("/products", params={"category": category, "limit": 2, "offset": 1})
    assert page.status_code == 200
    assert page.json()["total"] == 3
    assert page.json()["limit"] == 2
    assert page.json()["offset"] == 1
    assert [item["id"] for item in page.json()["items"]] == ids[1:]


def test_invalid_product_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/products", json={"name": "", "category": _category(), "price_cents": -1}
    )
    assert response.status_code == 422


def test_delete_then_404(client: httpx.Client) -> None:
    body = {"name": "x", "category": _category(), "price_cents": 1}
    product = client.post("/products", json=body).json()
    assert client.delete(f"/products/{product['id']}").status_code == 204
    missing = client.get(f"/products/{product['id']}")
    assert missing.status_code == 404
    assert isinstance(missing.json()["detail"], str)
