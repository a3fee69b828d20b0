"""Errors of the links domain."""


class LinkNotFoundError(Exception):
    """No link has the requested code."""

    def __init__(self, code: str) -> None:
        """Name the missing code."""
        super().__init__(f"no link with code {code!r}")
        self.code = code


class DomainNotAllowedError(Exception):
    """The link points to a host outside ``ALLOWED_DOMAINS``."""

    def __init__(self, host: str) -> None:
        """Name the refused host."""
        super().__init__(f"links to {host!r} are not allowed")
        self.host = host
