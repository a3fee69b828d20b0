"""Errors of the customers domain, each with its HTTP status."""

from fastapi import status


class CustomerError(Exception):
    """Base of the domain's errors."""

    status_code = status.HTTP_400_BAD_REQUEST


class CustomerNotFoundError(CustomerError):
    """No visible customer has the id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, customer_id: int) -> None:
        """Name the missing customer."""
        super().__init__(f"customer {customer_id} not found")


class NotDeletedError(CustomerError):
    """Only a deleted customer can be restored."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, customer_id: int) -> None:
        """Name the customer."""
        super().__init__(f"customer {customer_id} is not deleted")


class AdminOnlyError(CustomerError):
    """The request needs the administrators' key."""

    status_code = status.HTTP_403_FORBIDDEN

    def __init__(self) -> None:
        """Say what is needed."""
        super().__init__("administrators only: send a valid X-Admin-Key")
