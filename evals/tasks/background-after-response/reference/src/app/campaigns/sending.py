"""Sending a campaign: queued by a request, delivered after the response."""

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.campaigns.exceptions import CampaignAlreadySentError
from app.campaigns.models import Campaign, Delivery
from app.campaigns.service import get
from app.mailer import MailBouncedError, Mailer


async def queue(session: AsyncSession, campaign_id: int) -> Campaign:
    """Move a draft to ``queued``; atomic, so two sends at once cannot both win.

    Raises:
        CampaignNotFoundError: When there is no such campaign.
        CampaignAlreadySentError: When it is not a draft any more.
    """
    result = await session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.status == "draft")
        .values(status="queued")
    )
    await session.commit()
    campaign = await get(session, campaign_id)
    await session.refresh(campaign)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise CampaignAlreadySentError(campaign_id, campaign.status)
    return campaign


async def deliver(
    sessions: async_sessionmaker[AsyncSession], mailer: Mailer, campaign_id: int
) -> None:
    """Send a queued campaign to every recipient, in order, saving after each message.

    Runs after the response, so it opens its own session; a bounced address is recorded
    and the next recipient is tried.
    """
    async with sessions() as session:
        campaign = await get(session, campaign_id)
        campaign.status = "sending"
        await session.commit()
        for position, email in enumerate(campaign.recipients):
            try:
                await mailer.send(email, campaign.subject, campaign.body)
            except MailBouncedError:
                outcome = "bounced"
                campaign.failed_count += 1
            else:
                outcome = "delivered"
                campaign.sent_count += 1
            session.add(
                Delivery(
                    campaign_id=campaign_id,
                    position=position,
                    email=email,
                    status=outcome,
                )
            )
            await session.commit()
        campaign.status = "sent"
        campaign.finished_at = datetime.now(UTC)
        await session.commit()
