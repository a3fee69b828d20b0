"""Errors of the webhooks domain, each with the HTTP status it maps to."""

from fastapi import status


class WebhookError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class BadSignatureError(WebhookError):
    """The request is not signed by the provider, or is outside the replay window."""

    status_code = status.HTTP_401_UNAUTHORIZED


class NotFoundError(WebhookError):
    """No event or payment has this id."""

    status_code = status.HTTP_404_NOT_FOUND
