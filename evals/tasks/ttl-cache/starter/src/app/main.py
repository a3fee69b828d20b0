"""The application: lifespan (pricing client and cache), routers, error handler."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from app.config import Settings, get_settings
from app.errors import install_error_handler
from app.prices.cache import TTLCache
from app.prices.client import PricingClient
from app.prices.router import router as prices_router
from app.prices.service import PriceService


def create_app(
    settings: Settings | None = None,
    *,
    pricing_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the application.

    Args:
        settings: The settings (the environment's by default).
        pricing_transport: Transport to the pricing service (tests pass a fake).
    """
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(
            base_url=config.pricing_api_url,
            timeout=config.pricing_timeout_seconds,
            transport=pricing_transport,
        ) as http:
            app.state.prices = PriceService(
                PricingClient(http), TTLCache(config.price_cache_seconds)
            )
            yield

    application = FastAPI(title="Price proxy", lifespan=lifespan)
    application.include_router(prices_router)
    install_error_handler(application)
    return application


app = create_app()
