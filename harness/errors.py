"""Errors the command line turns into one clear line on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


def first_error(error: ValidationError, *, top: str = "") -> tuple[str, str]:
    """Where a validation failed first (dotted location, ``top`` when empty) and why."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or top
    return where, str(first["msg"]).removeprefix("Value error, ")


class HarnessError(Exception):
    """A problem the user can fix: the message names the problem and the fix.

    The CLI prints it as one line (``harness: error: ...``) and exits with ``exit_code``,
    never with a traceback.
    """

    exit_code = 1


class UsageError(HarnessError):
    """An argument the harness cannot use (a missing directory, an unknown check...).

    Attributes:
        option: The configuration option at fault (an ``EvalConfig`` field such as
            ``solver`` or ``variants``), when there is one: a program calling
            :func:`harness.evaluate` reads it instead of parsing the message.
    """

    exit_code = 2

    def __init__(self, message: str, *, option: str | None = None) -> None:
        """Keep the message and the option at fault."""
        super().__init__(message)
        self.option = option


class SandboxUnavailableError(HarnessError):
    """The requested sandbox backend cannot run on this machine."""

    exit_code = 2
