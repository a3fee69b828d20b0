"""HTTP routes of the orders domain, and the live feed."""

from collections.abc import AsyncGenerator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, status
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.database import SessionDep
from app.orders import service
from app.orders.events import Broadcaster
from app.orders.schemas import OrderCreate, OrderPage, OrderPublic

router = APIRouter(prefix="/orders", tags=["orders"])
EVENT_NAME = "order.created"


def get_broadcaster(request: Request) -> Broadcaster:
    """The broadcaster the lifespan created."""
    broadcaster: Broadcaster = request.app.state.broadcaster
    return broadcaster


def get_session_factory(request: Request) -> async_sessionmaker[AsyncSession]:
    """The session factory (a stream outlives any one request-scoped session)."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return factory


BroadcasterDep = Annotated[Broadcaster, Depends(get_broadcaster)]
SessionFactoryDep = Annotated[
    async_sessionmaker[AsyncSession], Depends(get_session_factory)
]


def _event(order: OrderPublic) -> ServerSentEvent:
    return ServerSentEvent(data=order, event=EVENT_NAME, id=str(order.id))


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(
    data: OrderCreate, session: SessionDep, broadcaster: BroadcasterDep
) -> OrderPublic:
    """Save an order, then announce it on the feed."""
    order = OrderPublic.model_validate(await service.create(session, data))
    broadcaster.publish(order)
    return order


@router.get("")
async def list_orders(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OrderPage:
    """One page of orders, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [OrderPublic.model_validate(row) for row in rows]
    return OrderPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/events", response_class=EventSourceResponse)
async def order_events(
    broadcaster: BroadcasterDep,
    sessions: SessionFactoryDep,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> AsyncGenerator[ServerSentEvent]:
    """New orders as server-sent events; after ``Last-Event-ID``, missed ones first."""
    with broadcaster.subscribe() as queue:
        # Subscribed before reading the database: nothing falls between the two.
        last = last_event_id
        if last is not None:
            async with sessions() as session:
                missed = await service.created_after(session, last)
            for order in missed:
                yield _event(OrderPublic.model_validate(order))
                last = order.id
        while True:
            live = await queue.get()
            if last is None or live.id > last:
                yield _event(live)
                last = live.id


@router.get("/{order_id}")
async def get_order(order_id: int, session: SessionDep) -> OrderPublic:
    """One order."""
    return OrderPublic.model_validate(await service.get(session, order_id))
