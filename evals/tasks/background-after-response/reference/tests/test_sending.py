import anyio
import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _sent(client: AsyncClient, campaign_id: int) -> dict[str, object]:
    with anyio.fail_after(5):
        while True:
            body: dict[str, object] = (
                await client.get(f"/campaigns/{campaign_id}")
            ).json()
            if body["status"] == "sent":
                return body
            await anyio.sleep(0.01)


async def test_send_delivers_in_the_background(client: AsyncClient) -> None:
    recipients = ["a@example.com", "x@bounce.example.org", "b@example.com"]
    created = await client.post(
        "/campaigns", json={"subject": "News", "recipients": recipients}
    )
    campaign_id = created.json()["id"]
    queued = await client.post(f"/campaigns/{campaign_id}/send")
    assert queued.status_code == 202, queued.text
    assert queued.json()["status"] == "queued"
    done = await _sent(client, campaign_id)
    assert done["sent_count"] == 2
    assert done["failed_count"] == 1
    deliveries = (await client.get(f"/campaigns/{campaign_id}/deliveries")).json()
    assert [item["status"] for item in deliveries["items"]] == [
        "delivered",
        "bounced",
        "delivered",
    ]


async def test_second_send_is_409(client: AsyncClient) -> None:
    created = await client.post(
        "/campaigns", json={"subject": "Once", "recipients": ["a@example.com"]}
    )
    campaign_id = created.json()["id"]
    assert (await client.post(f"/campaigns/{campaign_id}/send")).status_code == 202
    await _sent(client, campaign_id)
    again = await client.post(f"/campaigns/{campaign_id}/send")
    assert again.status_code == 409
    assert again.json() == {"detail": f"campaign {campaign_id} is sent, not a draft"}


async def test_send_unknown_campaign_is_404(client: AsyncClient) -> None:
    response = await client.post("/campaigns/7/send")
    assert response.status_code == 404
    assert response.json() == {"detail": "campaign 7 not found"}
