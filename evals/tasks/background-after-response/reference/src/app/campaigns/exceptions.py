"""Errors of the campaigns domain."""

from app.errors import ConflictError, NotFoundError


class CampaignNotFoundError(NotFoundError):
    """No campaign has the requested id."""

    def __init__(self, campaign_id: int) -> None:
        super().__init__(f"campaign {campaign_id} not found")


class CampaignAlreadySentError(ConflictError):
    """Only a draft can be sent, and only once."""

    def __init__(self, campaign_id: int, status: str) -> None:
        super().__init__(f"campaign {campaign_id} is {status}, not a draft")
