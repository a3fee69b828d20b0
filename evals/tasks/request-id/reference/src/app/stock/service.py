"""Calls to the inventory service, carrying the current request id."""

import httpx
from fastapi import HTTPException, status

from app import request_id
from app.stock.schemas import Stock


async def lookup(client: httpx.AsyncClient, sku: str) -> Stock:
    """The inventory's stock level for ``sku``.

    Raises:
        HTTPException: 404 for an unknown SKU, 502 when the inventory fails.
    """
    headers = {request_id.HEADER: request_id.current() or ""}
    try:
        response = await client.get(f"/stock/{sku}", headers=headers)
    except httpx.HTTPError:
        raise HTTPException(
            status.HTTP_502_BAD_GATEWAY, detail="inventory unavailable"
        ) from None
    if response.status_code == httpx.codes.NOT_FOUND:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown sku {sku}")
    if response.status_code != httpx.codes.OK:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail="inventory failed")
    return Stock.model_validate(response.json())
