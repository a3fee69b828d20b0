"""Opaque cursors: the sort key of the last item of a page, base64url-encoded JSON."""

import base64
import binascii
import json

from pydantic import BaseModel, ValidationError

from app.products.exceptions import InvalidCursorError


class Position(BaseModel):
    """Where a page ended: the last item's price and id."""

    price_cents: int
    id: int


def encode(position: Position) -> str:
    """The cursor for a position."""
    return base64.urlsafe_b64encode(position.model_dump_json().encode()).decode()


def decode(cursor: str) -> Position:
    """The position a cursor names.

    Raises:
        InvalidCursorError: When the cursor was not made by :func:`encode`.
    """
    try:
        return Position.model_validate_json(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, ValidationError, json.JSONDecodeError):
        raise InvalidCursorError from None
