"""The ``sort`` query parameter: a whitelist of fields, ``-field`` for descending."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from app.products.models import Product

#: The only columns a client may sort on; ``cost`` is internal and must stay hidden.
SORTABLE: dict[str, InstrumentedAttribute[Any]] = {
    "name": Product.name,
    "price": Product.price,
    "stock": Product.stock,
    "created_at": Product.created_at,
}


class InvalidSortError(ValueError):
    """A ``sort`` key is not allowed; the message names it."""


@dataclass(frozen=True)
class SortKey:
    """One field to sort on, and its direction."""

    field: str
    descending: bool = False


def parse_sort(value: str) -> list[SortKey]:
    """Parse ``"-stock,name"`` into sort keys.

    Raises:
        InvalidSortError: On an unknown, empty or repeated key.
    """
    keys: list[SortKey] = []
    for raw in value.split(","):
        descending = raw.startswith("-")
        field = raw.removeprefix("-")
        if field not in SORTABLE:
            allowed = ", ".join(SORTABLE)
            msg = f"cannot sort by {raw!r}: sort by {allowed}, with - for descending"
            raise InvalidSortError(msg)
        if any(key.field == field for key in keys):
            msg = f"sort key {field!r} is used more than once"
            raise InvalidSortError(msg)
        keys.append(SortKey(field, descending))
    return keys


def order_by(keys: list[SortKey]) -> list[ColumnElement[Any]]:
    """The ORDER BY clauses for these keys, ending with ``id`` to break ties."""
    clauses: list[ColumnElement[Any]] = [
        SORTABLE[key.field].desc() if key.descending else SORTABLE[key.field].asc()
        for key in keys
    ]
    return [*clauses, Product.id.asc()]
