"""A fake carrier API the tests script: its status endpoint answers as told.

Carrier API (what the app calls)::

    GET /v1/status   200 {"status": "ok"} in mode "ok"; the scripted status otherwise,
                     after the scripted delay.

Control API (what the tests call through ``services["carrier"]``)::

    PUT /_control    {"status": 200, "delay": 0}   sets the answer and resets the count
    GET /_control    {"calls": N}                  status calls since the last PUT
"""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_state: dict[str, float] = {"status": 200, "delay": 0.0, "calls": 0}


async def status(_: Request) -> Response:
    _state["calls"] += 1
    if _state["delay"]:
        await asyncio.sleep(_state["delay"])
    code = int(_state["status"])
    body = {"status": "ok"} if code == 200 else {"status": "down"}
    return JSONResponse(body, status_code=code)


async def control(request: Request) -> Response:
    if request.method == "PUT":
        payload = await request.json()
        _state.update(
            status=int(payload.get("status", 200)),
            delay=float(payload.get("delay", 0)),
            calls=0,
        )
    return JSONResponse({"calls": int(_state["calls"])})


app = Starlette(
    routes=[
        Route("/v1/status", status),
        Route("/_control", control, methods=["GET", "PUT"]),
    ]
)
