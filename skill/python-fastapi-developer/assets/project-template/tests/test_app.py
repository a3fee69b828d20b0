import pytest
from httpx2 import AsyncClient
from pydantic import ValidationError

from app.config import Environment, Settings
from app.main import create_app
from app.posts.schemas import PostCreate

pytestmark = pytest.mark.anyio


async def test_docs_are_served_outside_production(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200


def test_docs_are_hidden_in_production() -> None:
    app = create_app(Settings(environment=Environment.PRODUCTION))

    assert app.openapi_url is None


def test_blank_title_is_rejected_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        PostCreate(title="", content="c")
