"""Errors of events and registrations."""

from fastapi import status

from app.errors import AppError, NotFoundError


class EventNotFoundError(NotFoundError):
    """No event has the requested id."""

    code = "event_not_found"

    def __init__(self, event_id: int) -> None:
        super().__init__(f"event {event_id} not found")


class RegistrationNotFoundError(NotFoundError):
    """No registration of this event has the requested id."""

    code = "registration_not_found"

    def __init__(self, registration_id: int) -> None:
        super().__init__(f"registration {registration_id} not found")


class EventFullError(AppError):
    """Every seat of the event is taken."""

    status_code = status.HTTP_409_CONFLICT
    code = "event_full"

    def __init__(self, event_id: int) -> None:
        super().__init__(f"event {event_id} is full")


class AlreadyRegisteredError(AppError):
    """This email already holds a seat at the event."""

    status_code = status.HTTP_409_CONFLICT
    code = "already_registered"

    def __init__(self, email: str) -> None:
        super().__init__(f"{email} is already registered for this event")
