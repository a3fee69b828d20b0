"""What the diagnostics routes do."""

from typing import NoReturn


def raise_unexpected_error() -> NoReturn:
    """Fail the way a bug would: with an exception nobody handles on purpose.

    Raises:
        RuntimeError: Always, with a message that must never reach a client.
    """
    msg = "database password is hunter2"
    raise RuntimeError(msg)
