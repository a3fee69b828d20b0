"""Health response bodies."""

from enum import StrEnum

from pydantic import BaseModel


class CheckStatus(StrEnum):
    """The outcome of one readiness check."""

    OK = "ok"
    FAIL = "fail"


class Liveness(BaseModel):
    """The process is up."""

    status: str = "alive"


class Checks(BaseModel):
    """Each dependency's state."""

    database: CheckStatus
    carrier: CheckStatus


class Readiness(BaseModel):
    """Whether the service can take traffic, and why not."""

    status: str
    checks: Checks
