"""Hidden acceptance tests for bulk-import: black-box over HTTP.

Every test uses e-mail addresses under a domain of its own and counts through ``q``, so
it only ever sees its own contacts.
"""

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest


def _domain() -> str:
    return f"d{uuid.uuid4().hex[:12]}.example.com"


def _row(email: str, name: str = "Ann Lee", **extra: Any) -> dict[str, Any]:
    return {"email": email, "name": name, **extra}


def _count(client: httpx.Client, domain: str) -> int:
    response = client.get("/contacts", params={"q": domain})
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def _import(client: httpx.Client, rows: list[dict[str, Any]]) -> httpx.Response:
    return client.post("/contacts/import", json={"contacts": rows})


def test_create_returns_the_contact(client: httpx.Client) -> None:
    domain = _domain()
    response = client.post(
        "/contacts",
        json={"email": f"Ann.Lee@{domain}", "name": "  Ann Lee ", "company": "Acme"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["email"] == f"ann.lee@{domain}"
    assert body["name"] == "Ann Lee"
    assert body["company"] == "Acme"
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    fetched = client.get(f"/contacts/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["email"] == f"ann.lee@{domain}"
    assert fetched.json()["company"] == "Acme"


def test_company_is_optional(client: httpx.Client) -> None:
    response = client.post("/contacts", json=_row(f"solo@{_domain()}"))
    assert response.status_code == 201, response.text
    assert response.json()["company"] is None


def test_taken_address_is_409_whatever_the_case(client: httpx.Client) -> None:
    domain = _domain()
    assert client.post("/contacts", json=_row(f"bo@{domain}")).status_code == 201
    response = client.post("/contacts", json=_row(f"BO@{domain.upper()}"))
    assert response.status_code == 409, response.text
    assert isinstance(response.json()["detail"], str)
    assert _count(client, domain) == 1


@pytest.mark.parametrize(
    "row",
    [
        {"email": "not-an-address", "name": "x"},
        {"email": "{user}@{domain}", "name": "   "},
        {"email": "{user}@{domain}", "name": "n" * 101},
        {"email": "{user}@{domain}", "name": "x", "company": "c" * 101},
        {"name": "x"},
    ],
    ids=["bad-email", "blank-name", "long-name", "long-company", "no-email"],
)
def test_invalid_contact_is_422(client: httpx.Client, row: dict[str, str]) -> None:
    domain = _domain()
    body = {key: value.format(user="u", domain=domain) for key, value in row.items()}
    response = client.post("/contacts", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_list_is_paged_and_searched(client: httpx.Client) -> None:
    domain = _domain()
    ids = [
        client.post("/contacts", json=_row(f"p{n}@{domain}")).json()["id"]
        for n in range(5)
    ]
    response = client.get(
        "/contacts", params={"q": domain.upper(), "limit": 2, "offset": 2}
    )
    assert response.status_code == 200
    page = response.json()
    assert [item["id"] for item in page["items"]] == ids[2:4]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/contacts", params=params).status_code == 422


def test_unknown_contact_is_404(client: httpx.Client) -> None:
    created = client.post("/contacts", json=_row(f"x@{_domain()}")).json()
    response = client.get(f"/contacts/{created['id'] + 1_000_000}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_import_stores_every_row(client: httpx.Client) -> None:
    domain = _domain()
    rows = [
        _row(f"Row{n}@{domain}", name=f"Person {n}", company="Co" if n % 2 else None)
        for n in range(4)
    ]
    response = _import(client, rows)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["imported"] == 4
    assert len(body["ids"]) == 4
    for n, contact_id in enumerate(body["ids"]):
        contact = client.get(f"/contacts/{contact_id}").json()
        assert contact["email"] == f"row{n}@{domain}"
        assert contact["name"] == f"Person {n}"
        assert contact["company"] == ("Co" if n % 2 else None)
    assert _count(client, domain) == 4


def test_import_of_many_rows(client: httpx.Client) -> None:
    domain = _domain()
    rows = [_row(f"bulk{n}@{domain}") for n in range(1000)]
    response = _import(client, rows)
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 1000
    assert len(set(response.json()["ids"])) == 1000
    assert _count(client, domain) == 1000


def test_import_size_is_bounded(client: httpx.Client) -> None:
    domain = _domain()
    assert _import(client, []).status_code == 422
    too_many = _import(client, [_row(f"n{n}@{domain}") for n in range(1001)])
    assert too_many.status_code == 422, too_many.text
    assert _count(client, domain) == 0


def test_invalid_row_fails_the_import_and_points_at_it(client: httpx.Client) -> None:
    domain = _domain()
    rows = [_row(f"a{n}@{domain}") for n in range(5)]
    rows[3] = _row("no-at-sign")
    response = _import(client, rows)
    assert response.status_code == 422, response.text
    locs = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "contacts", 3, "email"] in locs
    assert _count(client, domain) == 0


def test_taken_address_fails_the_whole_import(client: httpx.Client) -> None:
    domain = _domain()
    client.post("/contacts", json=_row(f"taken@{domain}"))
    rows = [
        _row(f"first@{domain}"),
        _row(f"second@{domain}"),
        _row(f"Taken@{domain}"),
        _row(f"fourth@{domain}"),
    ]
    response = _import(client, rows)
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["row"] == 2
    assert body["email"] == f"taken@{domain}"
    assert isinstance(body["detail"], str)
    assert _count(client, domain) == 1


def test_repeated_address_inside_an_import_is_a_conflict(client: httpx.Client) -> None:
    domain = _domain()
    rows = [
        _row(f"one@{domain}"),
        _row(f"two@{domain}"),
        _row(f"three@{domain}"),
        _row(f"TWO@{domain}"),
    ]
    response = _import(client, rows)
    assert response.status_code == 409, response.text
    assert response.json()["row"] == 3
    assert response.json()["email"] == f"two@{domain}"
    assert _count(client, domain) == 0


def test_first_failing_row_is_reported(client: httpx.Client) -> None:
    domain = _domain()
    client.post("/contacts", json=_row(f"late@{domain}"))
    client.post("/contacts", json=_row(f"early@{domain}"))
    rows = [
        _row(f"ok@{domain}"),
        _row(f"early@{domain}"),
        _row(f"late@{domain}"),
    ]
    response = _import(client, rows)
    assert response.status_code == 409
    assert (response.json()["row"], response.json()["email"]) == (1, f"early@{domain}")


def test_a_failed_import_can_be_fixed_and_retried(client: httpx.Client) -> None:
    domain = _domain()
    client.post("/contacts", json=_row(f"dup@{domain}"))
    rows = [_row(f"new{n}@{domain}") for n in range(3)] + [_row(f"dup@{domain}")]
    assert _import(client, rows).status_code == 409
    retried = _import(client, rows[:3])
    assert retried.status_code == 201, retried.text
    assert retried.json()["imported"] == 3
    assert _count(client, domain) == 4


async def test_concurrent_imports_with_a_shared_address(
    async_client: httpx.AsyncClient,
) -> None:
    domain = _domain()
    batches = [
        [_row(f"b{batch}-{n}@{domain}") for n in range(20)] + [_row(f"shared@{domain}")]
        for batch in range(4)
    ]
    responses = await asyncio.gather(
        *(
            async_client.post("/contacts/import", json={"contacts": batch})
            for batch in batches
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409, 409, 409], [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["row"] == 20
    page = (await async_client.get("/contacts", params={"q": domain})).json()
    assert page["total"] == 21
