"""A fake inventory service: stock levels, a scripted delay, and a log of request ids.

Inventory API (what the app calls)::

    GET /stock/<sku>    200 {"sku": sku, "stock": 7}; 404 for a sku starting "missing-"

Control API (what the tests call through ``services["inventory"]``)::

    PUT /_control       {"delay": 0.3}   delay every stock answer; clears the log
    GET /_control       {"seen": [{"sku": ..., "request_id": ...}, ...]}
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_state: dict[str, Any] = {"delay": 0.0, "seen": []}


async def stock(request: Request) -> Response:
    sku = request.path_params["sku"]
    _state["seen"].append(
        {"sku": sku, "request_id": request.headers.get("x-request-id")}
    )
    if _state["delay"]:
        await asyncio.sleep(_state["delay"])
    if sku.startswith("missing-"):
        return JSONResponse({"error": "unknown sku"}, status_code=404)
    return JSONResponse({"sku": sku, "stock": 7})


async def control(request: Request) -> Response:
    if request.method == "PUT":
        payload = await request.json()
        _state["delay"] = float(payload.get("delay", 0))
        _state["seen"] = []
    return JSONResponse({"seen": _state["seen"]})


app = Starlette(
    routes=[
        Route("/stock/{sku}", stock),
        Route("/_control", control, methods=["GET", "PUT"]),
    ]
)
