import pytest
from httpx2 import ASGITransport, AsyncClient
from pydantic import ValidationError

from app.config import Environment, Settings
from app.main import create_app
from app.posts.schemas import PostCreate

pytestmark = pytest.mark.anyio


async def test_docs_are_served_outside_production(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200


async def test_docs_are_hidden_in_production() -> None:
    app = create_app(Settings(environment=Environment.PRODUCTION))

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        responses = [await http.get(path) for path in ("/openapi.json", "/docs")]

    assert [response.status_code for response in responses] == [404, 404]


def test_blank_title_is_rejected_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        PostCreate(title="", content="c")
