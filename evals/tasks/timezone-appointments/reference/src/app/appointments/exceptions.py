"""Errors of the bookings domain, each with the HTTP status it maps to."""

from fastapi import status


class BookingError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class BookingNotFoundError(BookingError):
    """No booking has the requested id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, booking_id: int) -> None:
        """Name the missing booking."""
        super().__init__(f"booking {booking_id} not found")


class OverlapError(BookingError):
    """The room is already booked for part of the requested time."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, room: str, other_id: int) -> None:
        """Name the room and the booking in the way."""
        super().__init__(f"room {room!r} is already booked then (booking {other_id})")


class InvalidRangeError(BookingError):
    """A time range that ends before it starts."""

    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
