"""A fake pricing service the tests script: prices per currency, failures, delays, a call log.

Pricing API (what the app calls)::

    GET /v1/prices/<sku>?currency=EUR -> 200 {"sku", "currency", "amount"}
        404 for a SKU nobody scripted (or with no amount for that currency)

Control API (what the tests call through ``services["pricing"]``)::

    PUT /_control/skus/<sku>   {"amounts": {"USD": "10.00", ...}, "status": 200, "delay": 0}
        replaces the script of the SKU and clears its call log
    GET /_control/skus/<sku>/calls  -> {"count", "currencies": [...]}
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_scripts: dict[str, dict[str, Any]] = {}
_calls: dict[str, list[str]] = {}


async def price(request: Request) -> Response:
    sku = request.path_params["sku"]
    currency = request.query_params.get("currency", "")
    _calls.setdefault(sku, []).append(currency)
    script = _scripts.get(sku)
    if script is None:
        return JSONResponse({"error": "unknown sku"}, status_code=404)
    delay = float(script.get("delay", 0))
    if delay:
        await asyncio.sleep(delay)
    status = int(script.get("status", 200))
    if status != 200:
        return JSONResponse({"error": "unavailable"}, status_code=status)
    amount = script.get("amounts", {}).get(currency)
    if amount is None:
        return JSONResponse({"error": "unknown currency"}, status_code=404)
    return JSONResponse({"sku": sku, "currency": currency, "amount": amount})


async def script_sku(request: Request) -> Response:
    sku = request.path_params["sku"]
    _scripts[sku] = dict(await request.json())
    _calls[sku] = []
    return JSONResponse({"ok": True})


async def calls(request: Request) -> Response:
    seen = _calls.get(request.path_params["sku"], [])
    return JSONResponse({"count": len(seen), "currencies": seen})


app = Starlette(
    routes=[
        Route("/v1/prices/{sku}", price),
        Route("/_control/skus/{sku}", script_sku, methods=["PUT"]),
        Route("/_control/skus/{sku}/calls", calls),
    ]
)
