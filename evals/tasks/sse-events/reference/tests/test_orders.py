from pathlib import Path

import anyio
import pytest
from asgi_lifespan import LifespanManager
from httpx import AsyncClient

from app.config import Settings
from app.main import create_app
from app.orders import service
from app.orders.events import Broadcaster
from app.orders.router import order_events
from app.orders.schemas import OrderCreate, OrderPublic

pytestmark = pytest.mark.anyio


async def test_create_and_get(client: AsyncClient) -> None:
    created = await client.post("/orders", json={"customer": "Ann", "total_cents": 990})
    assert created.status_code == 201, created.text
    fetched = await client.get(f"/orders/{created.json()['id']}")
    assert fetched.json() == created.json()
    assert (await client.get("/orders/999")).status_code == 404


async def test_every_subscriber_gets_every_order() -> None:
    broadcaster = Broadcaster()
    order = OrderPublic.model_validate(
        {"id": 1, "customer": "a", "total_cents": 1, "created_at": "2026-01-01T00:00Z"}
    )
    with broadcaster.subscribe() as first, broadcaster.subscribe() as second:
        broadcaster.publish(order)
        assert first.get_nowait() == second.get_nowait() == order
    broadcaster.publish(order)
    assert first.empty()


async def test_stream_replays_after_last_event_id(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'feed.db'}")
    app = create_app(settings)
    async with LifespanManager(app):
        broadcaster, sessions = app.state.broadcaster, app.state.sessions
        async with sessions() as session:
            first, second = [
                await service.create(session, OrderCreate(customer=c, total_cents=1))
                for c in ("a", "b")
            ]
        # httpx's ASGI transport buffers whole bodies: read the endless feed directly.
        feed = order_events(broadcaster, sessions, last_event_id=first.id)
        with anyio.fail_after(5):
            replayed = await anext(feed)
            live = OrderPublic.model_validate(
                {
                    "id": 99,
                    "customer": "c",
                    "total_cents": 2,
                    "created_at": "2026-01-01T00:00Z",
                }
            )
            broadcaster.publish(live)
            announced = await anext(feed)
        await feed.aclose()
    assert (replayed.event, replayed.id) == ("order.created", str(second.id))
    assert (announced.id, announced.data) == ("99", live)
