"""HTTP routes of the campaigns domain."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, status

from app.campaigns import sending, service
from app.campaigns.dependencies import MailerDep, SessionFactoryDep
from app.campaigns.schemas import (
    CampaignCreate,
    CampaignPage,
    CampaignPublic,
    DeliveryPage,
    DeliveryPublic,
)
from app.database import SessionDep

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_campaign(data: CampaignCreate, session: SessionDep) -> CampaignPublic:
    """Write a draft campaign."""
    return CampaignPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_campaigns(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CampaignPage:
    """One page of campaigns, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [CampaignPublic.model_validate(row) for row in rows]
    return CampaignPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{campaign_id}")
async def get_campaign(campaign_id: int, session: SessionDep) -> CampaignPublic:
    """One campaign."""
    return CampaignPublic.model_validate(await service.get(session, campaign_id))


@router.post("/{campaign_id}/send", status_code=status.HTTP_202_ACCEPTED)
async def send_campaign(
    campaign_id: int,
    session: SessionDep,
    sessions: SessionFactoryDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> CampaignPublic:
    """Queue a draft; the messages go out after the response."""
    campaign = await sending.queue(session, campaign_id)
    background.add_task(sending.deliver, sessions, mailer, campaign_id)
    return CampaignPublic.model_validate(campaign)


@router.get("/{campaign_id}/deliveries")
async def list_deliveries(
    campaign_id: int,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DeliveryPage:
    """The deliveries attempted so far, in recipient order."""
    rows, total = await service.list_deliveries(
        session, campaign_id, limit=limit, offset=offset
    )
    items = [DeliveryPublic.model_validate(row) for row in rows]
    return DeliveryPage(items=items, total=total, limit=limit, offset=offset)
