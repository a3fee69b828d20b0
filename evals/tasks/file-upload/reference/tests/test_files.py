import hashlib

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


async def test_upload_and_download(client: AsyncClient) -> None:
    response = await client.post(
        "/files", files={"file": ("../shot 1.png", PNG, "Image/PNG")}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["filename"] == "shot_1.png"
    assert body["content_type"] == "image/png"
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    content = await client.get(f"/files/{body['id']}/content")
    assert content.content == PNG
    assert content.headers["content-type"] == "image/png"


async def test_limits(client: AsyncClient) -> None:
    exact = await client.post(
        "/files", files={"file": ("a.txt", b"a" * 100, "text/plain")}
    )
    assert exact.status_code == 201
    large = await client.post(
        "/files", files={"file": ("a.txt", b"a" * 101, "text/plain")}
    )
    assert large.status_code == 413
    fake = await client.post("/files", files={"file": ("a.png", b"hello", "image/png")})
    assert fake.status_code == 415
    other = await client.post(
        "/files", files={"file": ("a.gif", b"GIF89a", "image/gif")}
    )
    assert other.status_code == 415
    empty = await client.post("/files", files={"file": ("a.txt", b"", "text/plain")})
    assert empty.status_code == 422
    assert (await client.get("/files")).json()["total"] == 1


async def test_delete_removes_content(client: AsyncClient) -> None:
    body = (
        await client.post("/files", files={"file": ("n.txt", b"note", "text/plain")})
    ).json()
    assert (await client.delete(f"/files/{body['id']}")).status_code == 204
    assert (await client.get(f"/files/{body['id']}/content")).status_code == 404
