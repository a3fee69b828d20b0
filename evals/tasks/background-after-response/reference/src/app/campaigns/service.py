"""Campaign queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.campaigns.exceptions import CampaignNotFoundError
from app.campaigns.models import Campaign, Delivery
from app.campaigns.schemas import CampaignCreate


async def create(session: AsyncSession, data: CampaignCreate) -> Campaign:
    """Save a draft campaign."""
    campaign = Campaign(
        **data.model_dump(), status="draft", sent_count=0, failed_count=0
    )
    session.add(campaign)
    await session.commit()
    await session.refresh(campaign)
    return campaign


async def get(session: AsyncSession, campaign_id: int) -> Campaign:
    """The campaign with this id.

    Raises:
        CampaignNotFoundError: When there is none.
    """
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignNotFoundError(campaign_id)
    return campaign


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Campaign], int]:
    """One page of campaigns, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Campaign))
    rows = await session.scalars(
        select(Campaign).order_by(Campaign.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def list_deliveries(
    session: AsyncSession, campaign_id: int, *, limit: int, offset: int
) -> tuple[list[Delivery], int]:
    """One page of a campaign's deliveries, in recipient order, and how many there are.

    Raises:
        CampaignNotFoundError: When there is no such campaign.
    """
    await get(session, campaign_id)
    mine = Delivery.campaign_id == campaign_id
    total = await session.scalar(select(func.count()).where(mine))
    rows = await session.scalars(
        select(Delivery)
        .where(mine)
        .order_by(Delivery.position)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total or 0
