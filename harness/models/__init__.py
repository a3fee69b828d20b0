"""Models behind one small protocol (``harness.models.base``): providers, cache, retries."""

from harness.models.base import (
    BudgetExceeded,
    BudgetExceededError,
    GenerationParams,
    Message,
    Model,
    ModelError,
    ModelReply,
    ToolCall,
    ToolSpec,
    Usage,
)
from harness.models.registry import load_model, parse_spec

__all__ = [
    "BudgetExceeded",
    "BudgetExceededError",
    "GenerationParams",
    "Message",
    "Model",
    "ModelError",
    "ModelReply",
    "ToolCall",
    "ToolSpec",
    "Usage",
    "load_model",
    "parse_spec",
]
