"""Errors of the payments domain, each with its HTTP status."""

from fastapi import status


class PaymentError(Exception):
    """Base of the domain's errors."""

    status_code = status.HTTP_400_BAD_REQUEST


class PaymentNotFoundError(PaymentError):
    """No payment of this account has the id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, payment_id: int) -> None:
        """Name the missing payment."""
        super().__init__(f"payment {payment_id} not found")


class AlreadyRefundedError(PaymentError):
    """The payment was refunded before."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, payment_id: int) -> None:
        """Name the payment."""
        super().__init__(f"payment {payment_id} is already refunded")


class KeyReusedError(PaymentError):
    """An idempotency key came back with a different request body."""

    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT

    def __init__(self) -> None:
        """Say what went wrong."""
        super().__init__("this Idempotency-Key was used with a different request body")


class KeyInProgressError(PaymentError):
    """Another request with the same key is still being processed."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        """Say what went wrong."""
        super().__init__("a request with this Idempotency-Key is in progress: retry")


class MissingAccountError(PaymentError):
    """The request does not name an account."""

    status_code = status.HTTP_401_UNAUTHORIZED

    def __init__(self) -> None:
        """Say what is missing."""
        super().__init__("send your account id in the X-Account-Id header")
