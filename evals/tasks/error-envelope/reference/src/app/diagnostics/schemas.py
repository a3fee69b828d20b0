"""Bodies of the diagnostics routes: their only response is the error envelope."""

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """The ``error`` object of the envelope every failure returns."""

    code: str
    message: str
    details: dict[str, object] | list[dict[str, object]] | None = None


class ErrorEnvelope(BaseModel):
    """``{"error": {...}}``: the body of every 4xx and 5xx response."""

    error: ErrorBody
