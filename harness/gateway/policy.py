"""What the gateway forwards, and what it refuses (with the reason) before anything leaves.

Each gateway serves one sample's API and model. A request is forwarded only when it is a
``POST`` to that API's one endpoint (the upstream path is a constant: the request's target and
``Host`` never build it), with an allow-listed query, allow-listed headers and a JSON object
body that

- names the sample's model (the gateway never forwards a call for another model);
- holds only the fields the pinned agents send (``mcp_servers``, ``container``,
  ``previous_response_id``, ``background``... are refused: each makes the provider act or
  read outside the sample);
- declares no server-side tool that reaches out (web search or fetch, code execution, MCP,
  file search) and no content the provider would fetch or look up (a URL or stored-file
  source, a stored item reference).

Anything else raises :class:`Refusal` with the status and the reason the agent (and the
gateway log) will show. Headers outside the allow-list are dropped and named in the log;
``OpenAI-Organization``/``-Project`` (who is billed) and method overrides are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.gateway.allowlist import (
    ANTHROPIC_BETAS,
    CLIENT_TOOLS,
    HOP_HEADERS,
    MAX_DEPTH,
    MAX_ELEMENTS,
    QUIET_HEADERS,
    QUIET_NAMES,
    REFUSED_FIELDS,
    REFUSED_HEADERS,
    RULES,
    SERVICE_TIERS,
)

if TYPE_CHECKING:
    from harness.gateway.http import HttpRequest
    from harness.gateway.wire import Api

_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


class Refusal(Exception):  # noqa: N818 - the gateway's answer, not a failure of its own
    """A request the gateway will not forward: the HTTP status and the reason shown."""

    def __init__(self, status: int, reason: str) -> None:
        """Refuse with ``status`` and ``reason``."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Vetted:
    """A request the gateway may forward.

    Attributes:
        body: The parsed JSON object.
        query: The query string to forward (allow-listed).
        headers: The headers to forward (allow-listed; the gateway adds auth and type).
        dropped: Headers (and ``anthropic-beta`` values) not forwarded.
        output_cap: The body's cap on output tokens, if it sets one.
    """

    body: dict[str, Any]
    query: str
    headers: dict[str, str]
    dropped: list[str] = field(default_factory=list)
    output_cap: int | None = None


def check_target(api: Api, request: HttpRequest) -> str:
    """The query string of a request to the API's endpoint.

    Raises:
        Refusal: For another path (the other API's too), method or query.
    """
    rules = RULES[api]
    if not request.target.startswith("/"):
        reason = "only origin-form request targets (/v1/...) are accepted"
        raise Refusal(400, reason)
    path, _, query = request.target.partition("?")
    if path != rules.path:
        reason = (
            f"this sample's agent speaks the {rules.title} API: {path[:200]!r} is not "
            f"served (only POST {rules.path})"
        )
        raise Refusal(404, reason)
    if request.method != "POST":
        raise Refusal(
            405, f"{request.method[:20]} is not allowed: only POST {rules.path}"
        )
    if query not in rules.queries:
        allowed = " or ".join(repr(q) for q in sorted(rules.queries) if q) or "none"
        raise Refusal(400, f"query {query[:200]!r} is refused (allowed: {allowed})")
    return query


def check_headers(api: Api, request: HttpRequest) -> tuple[dict[str, str], list[str]]:
    """The headers to forward and the names (or betas) dropped.

    Raises:
        Refusal: For a refused header, a repeated one, or a value that is not printable ASCII.
    """
    rules = RULES[api]
    forwarded: dict[str, str] = {}
    dropped: list[str] = []
    for name, value in request.headers:
        if name in REFUSED_HEADERS:
            raise Refusal(
                400,
                f"header {name} is refused: the harness decides who is billed and how",
            )
        if name not in rules.headers:
            quiet = name in HOP_HEADERS or name in QUIET_NAMES
            if not quiet and not name.startswith(QUIET_HEADERS):
                dropped.append(name[:100])
            continue
        if name in forwarded:
            raise Refusal(400, f"header {name} appears twice")
        if not all(" " <= ch <= "~" for ch in value):
            raise Refusal(400, f"header {name} holds a non-ASCII or control character")
        if name == "anthropic-beta":
            kept = [b.strip() for b in value.split(",") if b.strip() in ANTHROPIC_BETAS]
            dropped += [
                f"anthropic-beta:{b.strip()[:100]}"
                for b in value.split(",")
                if b.strip() and b.strip() not in ANTHROPIC_BETAS
            ]
            if not kept:
                continue
            value = ",".join(kept)
        forwarded[name] = value
    content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Refusal(
            415,
            f"Content-Type {content_type[:100]!r} is refused: send application/json",
        )
    return forwarded, dropped


def parse_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object of bounded size, depth and valid text.

    Raises:
        Refusal: For non-UTF-8 bytes, invalid JSON, too many elements, too deep a nesting,
            unpaired surrogates or a value that is not an object.
    """
    elements = raw.count(b",") + raw.count(b"{") + raw.count(b"[")
    if elements > MAX_ELEMENTS:
        raise Refusal(413, f"the body holds more than {MAX_ELEMENTS} JSON elements")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refusal(400, f"the body is not UTF-8 (byte {error.start})") from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"the body is not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise Refusal(400, reason) from None
    except RecursionError:
        raise Refusal(400, f"the body nests deeper than {MAX_DEPTH} levels") from None
    if not isinstance(body, dict):
        raise Refusal(400, f"the body must be a JSON object, not {type(body).__name__}")
    _check_tree(body, strings=_SURROGATE.search(raw) is not None)
    return body


def _check_tree(body: dict[str, Any], *, strings: bool) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` (and, if asked, unpaired surrogates).

    Level by level, in comprehensions: a 14 MB body of 500,000 objects takes about 0.3 s
    (an explicit stack took ten times that).
    """
    level: list[Any] = [body]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise Refusal(400, f"the body nests deeper than {MAX_DEPTH} levels")
        level = [
            value
            for node in level
            for value in (node.values() if type(node) is dict else node)
            if type(value) is dict or type(value) is list
        ]
    if strings:
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise Refusal(400, "the body holds an unpaired UTF-16 surrogate") from None


def check_body(api: Api, body: dict[str, Any], model: str) -> int | None:
    """Refuse another model, unknown fields and server-side tools; return the output cap.

    Raises:
        Refusal: Naming the field, model, tool or content the gateway will not forward.
    """
    rules = RULES[api]
    for key in body:
        if key in REFUSED_FIELDS:
            raise Refusal(400, f"the field {key!r} is refused: {REFUSED_FIELDS[key]}")
        if key not in rules.fields:
            raise Refusal(
                400, f"the field {key[:100]!r} is not one the harness forwards"
            )
    asked = body.get("model")
    if asked != model:
        shown = asked[:100] if isinstance(asked, str) else json.dumps(asked)[:100]
        reason = f"this sample's model is {model}: a request for {shown} is refused"
        raise Refusal(400, reason)
    tier = body.get("service_tier")
    if tier is not None and tier not in SERVICE_TIERS[api]:
        raise Refusal(
            400, f"service_tier {str(tier)[:40]!r} is refused (its price differs)"
        )
    _check_tools(api, body.get("tools"))
    _check_content(api, body)
    cap = body.get(rules.output_cap)
    return (
        cap if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0 else None
    )


def vet(api: Api, request: HttpRequest, model: str) -> Vetted:
    """Everything above, in order: target, headers, body.

    Raises:
        Refusal: At the first thing the gateway will not forward.
    """
    query = check_target(api, request)
    headers, dropped = check_headers(api, request)
    body = parse_body(request.body)
    cap = check_body(api, body, model)
    return Vetted(
        body=body, query=query, headers=headers, dropped=dropped, output_cap=cap
    )


def _check_tools(api: Api, tools: Any) -> None:  # noqa: ANN401 - any JSON
    if tools is None:
        return
    if not isinstance(tools, list):
        raise Refusal(400, "the field 'tools' must be a list")
    for tool in tools:
        if not isinstance(tool, dict):
            raise Refusal(400, "each tool must be an object")
        kind = tool.get("type")
        if kind is None and api == "anthropic":
            continue
        if (
            api == "responses"
            and kind == "tool_search"
            and tool.get("execution") == "client"
        ):
            continue
        if isinstance(kind, str) and kind.startswith(CLIENT_TOOLS[api]):
            continue
        reason = (
            f"the server-side tool {str(kind)[:60]!r} is refused: the provider would act "
            "(search, fetch, run code, reach a server) outside the sandbox"
        )
        raise Refusal(400, reason)


def _nodes(value: Any) -> list[dict[str, Any]]:  # noqa: ANN401 - any JSON
    """Every object inside ``value`` (depth already bounded by :func:`parse_body`)."""
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(v for k, v in node.items() if k != "input")
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _check_content(api: Api, body: dict[str, Any]) -> None:
    """Refuse content the provider would fetch or look up by id."""
    if api == "anthropic":
        for node in _nodes([body.get("messages"), body.get("system")]):
            source = node.get("source")
            if isinstance(source, dict) and source.get("type") in ("url", "file"):
                kind = source.get("type")
                raise Refusal(
                    400, f"a {kind} source is refused: the provider would fetch it"
                )
            if node.get("type") == "container_upload":
                raise Refusal(
                    400, "container_upload is refused: it reads a stored file"
                )
        return
    for node in _nodes(body.get("input")):
        kind = node.get("type")
        if kind == "item_reference":
            raise Refusal(
                400,
                "item_reference is refused: it reads an item stored at the provider",
            )
        if kind in ("input_image", "input_file"):
            url = node.get("image_url") or node.get("file_url")
            url = url.get("url") if isinstance(url, dict) else url
            if node.get("file_id"):
                raise Refusal(
                    400, f"{kind} with a file_id is refused: it reads a stored file"
                )
            if isinstance(url, str) and not url.startswith("data:"):
                raise Refusal(
                    400, f"{kind} with a URL is refused: the provider would fetch it"
                )


__all__ = [
    "Refusal",
    "Vetted",
    "check_body",
    "check_headers",
    "check_target",
    "parse_body",
    "vet",
]
