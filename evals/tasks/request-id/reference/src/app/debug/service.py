"""A failure on purpose, with a message that must never reach a client."""


def explode() -> None:
    """Raise an unexpected error.

    Raises:
        RuntimeError: Always.
    """
    message = "database password is hunter2"
    raise RuntimeError(message)
