"""What the gateway forwards: headers, server-side tools, paths, malformed input.

Issue [N], findings 6 and 7: before, headers and bodies were forwarded as sent (with the real
key), the other API's path and any query passed, ``Host`` changed the forwarded path, and
non-object, non-UTF-8, deeply nested bodies or non-ASCII headers gave 500s with tracebacks.
Each test sends the attack straight to the socket and checks the answer (a 4xx in the API's
own error shape, with the reason), what the provider (the fake) received, and the log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fake_llm import FakeLLM, FakeReply
from pydantic import SecretStr
from raw_client import MODEL, anthropic_body, gateway, post, raw

from harness.gateway import Upstream

KEY = "sk-real-secret-value-0123456789"
RESPONSES_MODEL = "gpt-4.1"


def _upstream(fake: FakeLLM, api: str = "anthropic") -> Upstream:
    if api == "anthropic":
        return Upstream(
            api="anthropic", base_url=fake.url, model=MODEL, api_key=SecretStr(KEY)
        )
    return Upstream(
        api="responses",
        base_url=f"{fake.url}/v1",
        model=RESPONSES_MODEL,
        api_key=SecretStr(KEY),
    )


def _responses_body(**extra: Any) -> dict[str, Any]:
    return {"model": RESPONSES_MODEL, "stream": True, "input": "hi", **extra}


def test_only_allow_listed_headers_and_betas_reach_the_provider(
    fake: FakeLLM, tmp_path: Path
) -> None:
    fake.script(FakeReply(text="hi"))
    headers = {
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "claude-code-20250219,mcp-client-2025-04-04,web-fetch-2025-09-10",
        "x-api-key": "harness-gateway-placeholder",
        "user-agent": "claude-cli/2.1.332",
        "x-evil": "1",
        "x-stainless-os": "Linux",
    }
    with gateway(_upstream(fake), tmp_path / "gw.sock") as gw:
        assert (
            post(gw.socket_path, anthropic_body(), headers=headers).status_code == 200
        )
    sent = fake.requests[0].headers
    assert sent["anthropic-beta"] == "claude-code-20250219"
    assert sent["x-api-key"] == KEY
    assert sent["anthropic-version"] == "2023-06-01"
    assert "x-evil" not in sent
    assert "x-stainless-os" not in sent
    assert gw.calls[0].dropped_headers == [
        "anthropic-beta:mcp-client-2025-04-04",
        "anthropic-beta:web-fetch-2025-09-10",
        "x-evil",
    ]


@pytest.mark.parametrize(
    "header", ["OpenAI-Organization", "OpenAI-Project", "X-HTTP-Method-Override"]
)
def test_billing_and_method_override_headers_are_refused(
    fake: FakeLLM, tmp_path: Path, header: str
) -> None:
    with gateway(_upstream(fake, "responses"), tmp_path / "gw.sock") as gw:
        response = post(
            gw.socket_path,
            _responses_body(),
            path="/v1/responses",
            headers={header: "x"},
        )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "harness_gateway"
    assert f"header {header.lower()} is refused" in error["message"]
    assert fake.requests == []


def test_transfer_encoding_beside_content_length_is_refused(
    fake: FakeLLM, tmp_path: Path
) -> None:
    smuggled = (
        b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    )
    with gateway(_upstream(fake), tmp_path / "gw.sock") as gw:
        status, body = raw(gw.socket_path, smuggled)
    assert status == 400
    assert "request smuggling" in body["error"]["message"]
    assert fake.requests == []


SERVER_SIDE = [
    (
        "anthropic",
        {"mcp_servers": [{"type": "url", "url": "https://e.example/mcp", "name": "e"}]},
        "'mcp_servers' is refused",
    ),
    (
        "anthropic",
        {"tools": [{"type": "web_fetch_20250910", "name": "web_fetch"}]},
        "'web_fetch_20250910' is refused",
    ),
    (
        "anthropic",
        {"tools": [{"type": "web_search_20250305", "name": "web_search"}]},
        "'web_search_20250305' is refused",
    ),
    (
        "anthropic",
        {"tools": [{"type": "code_execution_20250825", "name": "code_execution"}]},
        "'code_execution_20250825' is refused",
    ),
    ("anthropic", {"container": "container_1"}, "'container' is refused"),
    (
        "anthropic",
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "url", "url": "https://e.example/x.png"},
                        }
                    ],
                }
            ]
        },
        "a url source is refused",
    ),
    (
        "anthropic",
        {
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "document",
                            "source": {"type": "file", "file_id": "file_1"},
                        }
                    ],
                }
            ]
        },
        "a file source is refused",
    ),
    ("anthropic", {"service_tier": "priority"}, "service_tier 'priority' is refused"),
    (
        "responses",
        {
            "tools": [
                {"type": "mcp", "server_label": "e", "server_url": "https://e.example"}
            ]
        },
        "'mcp' is refused",
    ),
    (
        "responses",
        {"tools": [{"type": "web_search", "external_web_access": True}]},
        "'web_search' is refused",
    ),
    (
        "responses",
        {"tools": [{"type": "file_search", "vector_store_ids": ["vs_1"]}]},
        "'file_search' is refused",
    ),
    (
        "responses",
        {"tools": [{"type": "tool_search", "execution": "server"}]},
        "'tool_search' is refused",
    ),
    (
        "responses",
        {"previous_response_id": "resp_1"},
        "'previous_response_id' is refused",
    ),
    ("responses", {"background": True}, "'background' is refused"),
    (
        "responses",
        {
            "input": [
                {
                    "role": "user",
                    "content": [
                        {"type": "input_image", "image_url": "https://e.example/x.png"}
                    ],
                }
            ]
        },
        "input_image with a URL is refused",
    ),
    (
        "responses",
        {
            "input": [
                {
                    "role": "user",
                    "content": [{"type": "input_file", "file_id": "file_1"}],
                }
            ]
        },
        "input_file with a file_id is refused",
    ),
    (
        "responses",
        {"input": [{"type": "item_reference", "id": "msg_1"}]},
        "item_reference is refused",
    ),
]


@pytest.mark.parametrize(("api", "extra", "reason"), SERVER_SIDE)
def test_server_side_tools_and_provider_lookups_are_refused(
    fake: FakeLLM, tmp_path: Path, api: str, extra: dict[str, Any], reason: str
) -> None:
    """Before: forwarded with the real key: the provider reached out for the sandbox."""
    body = anthropic_body(**extra) if api == "anthropic" else _responses_body(**extra)
    path = "/v1/messages" if api == "anthropic" else "/v1/responses"
    with gateway(_upstream(fake, api), tmp_path / "gw.sock") as gw:
        response = post(gw.socket_path, body, path=path)
    assert response.status_code == 400
    assert reason in response.json()["error"]["message"]
    assert fake.requests == []
    assert reason in (gw.calls[0].refused or "")


def _request(
    target: bytes, *, host: bytes = b"localhost", method: bytes = b"POST"
) -> bytes:
    body = json.dumps(anthropic_body()).encode()
    return (
        method + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        % len(body)
        + body
    )


def test_the_forwarded_path_is_the_apis_own_whatever_the_target_or_host(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: Host changed the forwarded path, the other API's path and any query passed."""
    fake.script(FakeReply(text="hi"))
    attempts = {
        "absolute-form": (_request(b"http://evil.example/v1/messages"), 400),
        "other API": (_request(b"/v1/responses"), 404),
        "dot segments": (_request(b"/v1/messages/../../v1/complete"), 404),
        "extra query": (_request(b"/v1/messages?beta=true&x=1"), 400),
        "method": (_request(b"/v1/messages", method=b"PUT"), 405),
        "hostile Host": (
            _request(b"/v1/messages?beta=true", host=b"evil.example/../x"),
            200,
        ),
    }
    with gateway(_upstream(fake), tmp_path / "gw.sock") as gw:
        got = {
            name: raw(gw.socket_path, data)[0] for name, (data, _) in attempts.items()
        }
    assert got == {name: status for name, (_, status) in attempts.items()}
    assert [r.path for r in fake.requests] == ["/v1/messages"]
    assert fake.requests[0].headers["host"] == fake.url.removeprefix("http://")


BAD_BODIES = [
    (b"[1, 2]", "the body must be a JSON object, not list"),
    (b'"a string"', "the body must be a JSON object, not str"),
    (b"{not json", "the body is not JSON"),
    (b'{"model": "\xff\xfe"}', "the body is not UTF-8 (byte 11)"),
    (b"[" * 100_000 + b"]" * 100_000, "nests deeper than 64 levels"),
    (
        b'{"model": "claude-sonnet-4-5", "x": ' + b"[" * 70 + b"]" * 70 + b"}",
        "nests deeper than 64 levels",
    ),
    (
        b'{"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "\\ud800"}]}',
        "unpaired UTF-16 surrogate",
    ),
    (b"{}", "a request for null is refused"),
]


def test_malformed_bodies_get_a_clean_4xx_with_the_reason_and_are_logged(
    fake: FakeLLM, tmp_path: Path
) -> None:
    """Before: arrays and strings were forwarded unlogged; the rest were 500s with tracebacks."""
    log = tmp_path / "gateway.jsonl"
    with gateway(_upstream(fake), tmp_path / "gw.sock", log_path=log) as gw:
        answers = [post(gw.socket_path, body) for body, _ in BAD_BODIES]
    for response, (_, reason) in zip(answers, BAD_BODIES, strict=True):
        assert response.status_code == 400, reason
        error = response.json()
        assert error["type"] == "error"
        assert error["error"]["type"] == "invalid_request_error"
        assert reason in error["error"]["message"]
    assert fake.requests == []
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert [bool(c["refused"]) for c in logged] == [True] * len(BAD_BODIES)
    assert all(c["request_sha256"] and c["request_bytes"] for c in logged)


def test_non_ascii_header_values_are_a_clean_400(fake: FakeLLM, tmp_path: Path) -> None:
    body = json.dumps(anthropic_body()).encode()
    request = (
        b"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nUser-Agent: caf\xc3\xa9\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        % len(body)
        + body
    )
    with gateway(_upstream(fake), tmp_path / "gw.sock") as gw:
        status, answer = raw(gw.socket_path, request)
    assert status == 400
    assert "header user-agent holds a non-ASCII" in answer["error"]["message"]
    assert fake.requests == []
