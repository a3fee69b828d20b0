"""Hidden acceptance tests for csv-export: black-box over HTTP.

Every test records its expenses under a category of its own and exports with that
category, so it only sees its own rows.
"""

import csv
import io
import uuid
from typing import Any

import httpx
import pytest

HEADER = ["id", "spent_on", "category", "description", "amount"]


def _category() -> str:
    return f"c{uuid.uuid4().hex[:12]}"


def _create(
    client: httpx.Client,
    category: str,
    description: str = "Team lunch",
    amount_cents: int = 4250,
    spent_on: str = "2026-03-02",
) -> dict[str, Any]:
    response = client.post(
        "/expenses",
        json={
            "description": description,
            "category": category,
            "amount_cents": amount_cents,
            "spent_on": spent_on,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _export(client: httpx.Client, **params: Any) -> httpx.Response:
    response = client.get("/expenses/export", params=params)
    assert response.status_code == 200, response.text
    return response


def _rows(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


# Behaviour that already works in the starter and must keep working.


def test_create_and_get_an_expense(client: httpx.Client) -> None:
    category = _category()
    created = _create(client, category, "Taxi", 1890, "2026-02-14")
    assert created["amount_cents"] == 1890
    assert created["spent_on"] == "2026-02-14"
    fetched = client.get(f"/expenses/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["description"] == "Taxi"


def test_list_is_by_date_and_filtered(client: httpx.Client) -> None:
    category = _category()
    late = _create(client, category, spent_on="2026-05-01")
    early = _create(client, category, spent_on="2026-01-01")
    _create(client, _category())
    page = client.get("/expenses", params={"category": category}).json()
    assert [item["id"] for item in page["items"]] == [early["id"], late["id"]]
    assert page["total"] == 2


# The export.


def test_export_headers(client: httpx.Client) -> None:
    category = _category()
    _create(client, category)
    response = _export(client, category=category)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert 'filename="expenses.csv"' in disposition


def test_export_is_streamed(client: httpx.Client) -> None:
    category = _category()
    for n in range(30):
        _create(client, category, f"item {n}")
    response = _export(client, category=category)
    assert "content-length" not in response.headers
    assert response.headers.get("transfer-encoding") == "chunked"
    assert len(_rows(response)) == 31


def test_export_rows_and_amounts(client: httpx.Client) -> None:
    category = _category()
    lunch = _create(client, category, "Team lunch", 4250, "2026-03-02")
    coffee = _create(client, category, "Coffee", 7, "2026-03-01")
    big = _create(client, category, "Laptop", 129900, "2026-03-03")
    rows = _rows(_export(client, category=category))
    assert rows == [
        HEADER,
        [str(coffee["id"]), "2026-03-01", category, "Coffee", "0.07"],
        [str(lunch["id"]), "2026-03-02", category, "Team lunch", "42.50"],
        [str(big["id"]), "2026-03-03", category, "Laptop", "1299.00"],
    ]


def test_export_bytes_are_exact_rfc4180(client: httpx.Client) -> None:
    category = _category()
    plain = _create(client, category, "Plain text", 100, "2026-04-01")
    tricky = _create(
        client, category, 'Dinner, with "Bob"\nand Ann', 2500, "2026-04-02"
    )
    body = _export(client, category=category).content.decode("utf-8")
    assert body == (
        "id,spent_on,category,description,amount\r\n"
        f"{plain['id']},2026-04-01,{category},Plain text,1.00\r\n"
        f'{tricky["id"]},2026-04-02,{category},"Dinner, with ""Bob""\nand Ann",25.00\r\n'
    )


def test_export_round_trips_through_a_csv_reader(client: httpx.Client) -> None:
    category = _category()
    texts = ["a,b", 'say "hi"', "two\nlines", "semi;colon", "naïve café €"]
    for text in texts:
        _create(client, category, text)
    rows = _rows(_export(client, category=category))
    assert [row[3] for row in rows[1:]] == texts
    assert all(len(row) == 5 for row in rows)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_formulas_are_made_inert(client: httpx.Client, prefix: str) -> None:
    category = _category()
    created = _create(client, category, f'{prefix}HYPERLINK("http://x")')
    rows = _rows(_export(client, category=category))
    assert rows[1][3] == f'\'{prefix}HYPERLINK("http://x")'
    stored = client.get(f"/expenses/{created['id']}").json()
    assert stored["description"] == f'{prefix}HYPERLINK("http://x")'


def test_formula_in_category_is_made_inert(client: httpx.Client) -> None:
    category = f"={_category()}"
    _create(client, category, "safe")
    rows = _rows(_export(client, category=category))
    assert rows[1][2] == f"'{category}"
    assert rows[1][3] == "safe"


def test_export_with_no_rows_is_the_header_alone(client: httpx.Client) -> None:
    _create(client, _category())
    response = _export(client, category=_category())
    assert (
        response.content.decode("utf-8")
        == "id,spent_on,category,description,amount\r\n"
    )


def test_export_date_range_is_inclusive(client: httpx.Client) -> None:
    category = _category()
    days = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"]
    ids = [_create(client, category, spent_on=day)["id"] for day in days]
    rows = _rows(_export(client, category=category, **{"from": days[1], "to": days[2]}))
    assert [int(row[0]) for row in rows[1:]] == ids[1:3]
    after = _rows(_export(client, category=category, **{"from": days[2]}))
    assert [int(row[0]) for row in after[1:]] == ids[2:]
    before = _rows(_export(client, category=category, to=days[0]))
    assert [int(row[0]) for row in before[1:]] == ids[:1]


def test_export_orders_by_date_then_id(client: httpx.Client) -> None:
    category = _category()
    second = _create(client, category, spent_on="2026-07-02")
    first_a = _create(client, category, spent_on="2026-07-01")
    first_b = _create(client, category, spent_on="2026-07-01")
    rows = _rows(_export(client, category=category))
    assert [int(row[0]) for row in rows[1:]] == [
        first_a["id"],
        first_b["id"],
        second["id"],
    ]


def test_export_filters_by_category(client: httpx.Client) -> None:
    mine, other = _category(), _category()
    _create(client, mine, "mine")
    _create(client, other, "other")
    rows = _rows(_export(client, category=mine))
    assert [row[3] for row in rows[1:]] == ["mine"]


def test_bad_range_is_422(client: httpx.Client) -> None:
    category = _category()
    _create(client, category)
    response = client.get(
        "/expenses/export",
        params={"category": category, "from": "2026-06-05", "to": "2026-06-01"},
    )
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], str)
    malformed = client.get("/expenses/export", params={"from": "yesterday"})
    assert malformed.status_code == 422
