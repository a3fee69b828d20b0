"""Errors of the accounts domain, each with the HTTP status it maps to."""

from fastapi import status


class AccountError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class EmailTakenError(AccountError):
    """Another account has this address."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        """Say what is wrong."""
        super().__init__("an account with this e-mail already exists")


class InvalidCredentialsError(AccountError):
    """Wrong e-mail or password."""

    status_code = status.HTTP_401_UNAUTHORIZED

    def __init__(self) -> None:
        """Say what is wrong, without saying which part."""
        super().__init__("incorrect e-mail or password")


class InvalidResetTokenError(AccountError):
    """The reset token is unknown, used, replaced or expired."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self) -> None:
        """Say what is wrong, without saying which case."""
        super().__init__("this reset link is invalid or has expired")


class UnknownEmailError(AccountError):
    """No account has this address."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self) -> None:
        """Say what is wrong."""
        super().__init__("no account has this e-mail address")
