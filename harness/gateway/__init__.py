"""The model gateway between a sandboxed coding agent and the model API (see ``server``)."""

from harness.gateway.calls import GatewayCall, Upstream
from harness.gateway.http import HttpLimits
from harness.gateway.server import PLACEHOLDER_KEY, Gateway

__all__ = ["PLACEHOLDER_KEY", "Gateway", "GatewayCall", "HttpLimits", "Upstream"]
