"""The model gateway between a sandboxed coding agent and the model API (see ``server``)."""

from harness.gateway.server import PLACEHOLDER_KEY, Gateway, GatewayCall, Upstream

__all__ = ["PLACEHOLDER_KEY", "Gateway", "GatewayCall", "Upstream"]
