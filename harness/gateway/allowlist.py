"""The gateway's allow-lists, per API: what the pinned agent CLIs need, and nothing more.

Measured on Claude Code 2.1.332 and Codex CLI 0.171.0 (``docs/agents.md``): when a pin
moves, re-check what they send; a field or tool the lists do not know is refused with its
name, so a new request shape shows up as a clear 400, never as a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass

#: JSON nesting the gateway accepts (the agents' own tool schemas stay under 20).
MAX_DEPTH = 64
#: Upper bound on JSON elements (commas, objects, arrays), so parsing cannot blow up memory.
MAX_ELEMENTS = 1_000_000
#: Headers refused outright: who is billed, and which method is really meant.
REFUSED_HEADERS = frozenset(
    {
        "openai-organization",
        "openai-project",
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
    }
)
#: Headers the gateway sets itself, or that describe only the hop to it: dropped silently.
HOP_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "content-type",
        "authorization",
        "x-api-key",
        "connection",
        "keep-alive",
        "accept-encoding",
        "transfer-encoding",
    }
)
#: ``anthropic-beta`` values forwarded: what Claude Code 2.1.332 sends, and output-format
#: betas. Betas that enable server-side tools (web fetch or search, code execution, MCP,
#: files, skills) or change prices (1M context, 1-hour cache) are dropped.
ANTHROPIC_BETAS = frozenset(
    {
        "claude-code-20250219",
        "interleaved-thinking-2025-05-14",
        "context-management-2025-06-27",
        "thinking-token-count-2026-05-13",
        "advanced-tool-use-2025-11-20",
        "thinking-display-updates-2026-08-18",
        "fine-grained-tool-streaming-2025-05-14",
        "token-efficient-tools-2025-02-19",
        "prompt-caching-2024-07-31",
        "output-128k-2025-02-19",
        "effort-2025-11-24",
        "structured-outputs-2025-11-13",
    }
)
#: Fields with a reason of their own for being refused.
REFUSED_FIELDS = {
    "mcp_servers": "the provider would connect to the MCP servers it names",
    "container": "the provider would run code (or skills) in its own container",
    "previous_response_id": "it reads a conversation stored at the provider",
    "conversation": "it reads a conversation stored at the provider",
    "prompt": "it loads a prompt stored at the provider",
    "background": "a background response runs outside the gateway's accounting",
}


@dataclass(frozen=True)
class Rules:
    """What one API's gateway forwards.

    Attributes:
        title: The API's name, for messages.
        path: The one endpoint (request path and upstream path).
        queries: Query strings accepted (forwarded as they are).
        headers: Header names forwarded.
        fields: Body fields forwarded.
        output_cap: The body field that caps output tokens.
    """

    title: str
    path: str
    queries: frozenset[str]
    headers: frozenset[str]
    fields: frozenset[str]
    output_cap: str


RULES: dict[str, Rules] = {
    "anthropic": Rules(
        title="Anthropic Messages",
        path="/v1/messages",
        queries=frozenset({"", "beta=true"}),
        headers=frozenset(
            {
                "accept",
                "anthropic-version",
                "anthropic-beta",
                "user-agent",
                "x-app",
                "x-claude-code-session-id",
                "x-stainless-retry-count",
                "x-stainless-timeout",
            }
        ),
        fields=frozenset(
            {
                "model",
                "messages",
                "system",
                "tools",
                "tool_choice",
                "metadata",
                "max_tokens",
                "thinking",
                "context_management",
                "output_config",
                "stream",
                "temperature",
                "top_p",
                "top_k",
                "stop_sequences",
                "service_tier",
            }
        ),
        output_cap="max_tokens",
    ),
    "responses": Rules(
        title="OpenAI Responses",
        path="/v1/responses",
        queries=frozenset({""}),
        headers=frozenset(
            {"accept", "user-agent", "originator", "session-id", "x-client-request-id"}
        ),
        fields=frozenset(
            {
                "model",
                "input",
                "instructions",
                "tools",
                "tool_choice",
                "parallel_tool_calls",
                "reasoning",
                "store",
                "include",
                "prompt_cache_key",
                "stream",
                "stream_options",
                "text",
                "client_metadata",
                "max_output_tokens",
                "max_tool_calls",
                "temperature",
                "top_p",
                "top_logprobs",
                "metadata",
                "truncation",
                "user",
                "safety_identifier",
                "service_tier",
            }
        ),
        output_cap="max_output_tokens",
    ),
}
SERVICE_TIERS = {
    "anthropic": {"auto", "standard_only"},
    "responses": {"auto", "default"},
}
#: Client-side tool types (the agent runs them); any other typed tool runs at the provider.
CLIENT_TOOLS = {
    "anthropic": ("custom", "bash_", "text_editor_", "computer_", "memory_"),
    "responses": ("function", "custom", "local_shell", "shell", "apply_patch"),
}
#: Headers the pinned CLIs send that the provider does not need: dropped without a note.
QUIET_HEADERS = ("x-stainless-", "x-codex-", "anthropic-dangerous-", "x-claude-code-")
QUIET_NAMES = frozenset({"session-id", "thread-id"})


__all__ = [
    "ANTHROPIC_BETAS",
    "CLIENT_TOOLS",
    "HOP_HEADERS",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "QUIET_HEADERS",
    "QUIET_NAMES",
    "REFUSED_FIELDS",
    "REFUSED_HEADERS",
    "RULES",
    "SERVICE_TIERS",
    "Rules",
]
