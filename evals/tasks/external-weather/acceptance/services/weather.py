"""A fake weather provider the tests script: canned answers, delays, and a request log.

Provider API (what the app calls)::

    GET /v1/current?q=<city>      header X-Account-Id: acct-test-42
      200 {"location": {"name", "country"},
           "current": {"temp_c", "humidity", "condition": {"text"}, "last_updated"}}
      401 without the right account id; 404 for a city nobody scripted.

Control API (what the tests call through ``services["weather"]``)::

    PUT /_control/cities/<city>     {"responses": [{"status", "body", "delay"}, ...]}
        answers in order, the last one repeating; body "raw:<text>" is sent as-is.
    GET /_control/cities/<city>/requests   -> {"count", "requests": [{"query", "headers"}]}

Cities are matched case-insensitively after trimming spaces.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ACCOUNT_ID = "acct-test-42"
_scripts: dict[str, list[dict[str, Any]]] = {}
_requests: dict[str, list[dict[str, Any]]] = {}


def _key(city: str) -> str:
    return city.strip().casefold()


async def current(request: Request) -> Response:
    city = request.query_params.get("q", "")
    key = _key(city)
    _requests.setdefault(key, []).append(
        {"query": dict(request.query_params), "headers": dict(request.headers)}
    )
    if request.headers.get("x-account-id") != ACCOUNT_ID:
        return JSONResponse({"error": "unknown account"}, status_code=401)
    script = _scripts.get(key)
    if not script:
        return JSONResponse({"error": "unknown location"}, status_code=404)
    answer = script.pop(0) if len(script) > 1 else script[0]
    delay = float(answer.get("delay", 0))
    if delay:
        await asyncio.sleep(delay)
    body = answer.get("body", {})
    status = int(answer.get("status", 200))
    if isinstance(body, str) and body.startswith("raw:"):
        return Response(body[4:], status_code=status, media_type="application/json")
    return Response(json.dumps(body), status_code=status, media_type="application/json")


async def script_city(request: Request) -> Response:
    payload = await request.json()
    key = _key(request.path_params["city"])
    _scripts[key] = list(payload["responses"])
    _requests[key] = []
    return JSONResponse({"ok": True})


async def city_requests(request: Request) -> Response:
    seen = _requests.get(_key(request.path_params["city"]), [])
    return JSONResponse({"count": len(seen), "requests": seen})


app = Starlette(
    routes=[
        Route("/v1/current", current),
        Route("/_control/cities/{city}", script_city, methods=["PUT"]),
        Route("/_control/cities/{city}/requests", city_requests),
    ]
)
