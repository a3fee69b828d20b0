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
    load_model,
)

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
]
