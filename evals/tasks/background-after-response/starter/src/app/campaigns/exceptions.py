"""Errors of the campaigns domain."""

from app.errors import NotFoundError


class CampaignNotFoundError(NotFoundError):
    """No campaign has the requested id."""

    def __init__(self, campaign_id: int) -> None:
        super().__init__(f"campaign {campaign_id} not found")
