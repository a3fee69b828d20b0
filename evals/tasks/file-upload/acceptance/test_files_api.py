"""Hidden acceptance tests for file-upload: black-box over HTTP.

The app runs with ``MAX_UPLOAD_BYTES=65536`` and ``STORAGE_DIR=/state/files``. Tests run
one after the other, so "nothing was stored" is checked as an unchanged total.
"""

import hashlib
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

LIMIT = 65536
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 300
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _upload(
    client: httpx.Client, name: str, content: bytes, content_type: str
) -> httpx.Response:
    return client.post("/files", files={"file": (name, content, content_type)})


def _stored(
    client: httpx.Client, name: str, content: bytes, kind: str
) -> dict[str, Any]:
    response = _upload(client, name, content, kind)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _total(client: httpx.Client) -> int:
    response = client.get("/files")
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def _text() -> bytes:
    return f"log line {uuid.uuid4().hex}\nsecond line é\n".encode()


def test_upload_returns_the_metadata(client: httpx.Client) -> None:
    content = _text()
    body = _stored(client, "agent-log.txt", content, "text/plain")
    assert isinstance(body["id"], int)
    assert body["filename"] == "agent-log.txt"
    assert body["content_type"] == "text/plain"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    again = client.get(f"/files/{body['id']}")
    assert again.status_code == 200
    assert again.json() == body


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf")],
    ids=["png", "jpeg", "pdf"],
)
def test_download_returns_the_exact_bytes(
    client: httpx.Client, content: bytes, kind: str
) -> None:
    body = _stored(client, f"file.{kind.split('/')[1]}", content, kind)
    response = client.get(f"/files/{body['id']}/content")
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"].split(";")[0] == kind
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert f'filename="{body["filename"]}"' in disposition


def test_media_type_parameters_and_case_are_ignored(client: httpx.Client) -> None:
    body = _stored(client, "notes.txt", _text(), "Text/Plain; charset=utf-8")
    assert body["content_type"] == "text/plain"
    download = client.get(f"/files/{body['id']}/content")
    assert download.headers["content-type"].split(";")[0] == "text/plain"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/pass wd.txt", "pass_wd.txt"),
        ("C:\\temp\\report (final).txt", "report__final_.txt"),
        ("résumé.txt", "r_sum_.txt"),
        ("dir/", "upload"),
    ],
    ids=["unix-path", "windows-path", "non-ascii", "empty"],
)
def test_filenames_are_cleaned(client: httpx.Client, sent: str, kept: str) -> None:
    body = _stored(client, sent, _text(), "text/plain")
    assert body["filename"] == kept
    download = client.get(f"/files/{body['id']}/content")
    assert f'filename="{kept}"' in download.headers["content-disposition"]


def test_file_of_exactly_the_limit_is_accepted(client: httpx.Client) -> None:
    content = b"a" * LIMIT
    body = _stored(client, "big.txt", content, "text/plain")
    assert body["size"] == LIMIT
    assert client.get(f"/files/{body['id']}/content").content == content


def test_file_over_the_limit_is_413(client: httpx.Client) -> None:
    before = _total(client)
    response = _upload(client, "big.txt", b"a" * (LIMIT + 1), "text/plain")
    assert response.status_code == 413, response.text
    assert isinstance(response.json()["detail"], str)
    assert _total(client) == before


def test_much_larger_file_is_413(client: httpx.Client) -> None:
    before = _total(client)
    response = _upload(client, "huge.png", PNG * 800, "image/png")
    assert response.status_code == 413, response.text
    assert _total(client) == before


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"GIF89a\x01\x00", "image/gif"),
        (b"<svg onload='alert(1)'/>", "image/svg+xml"),
        (b"<html><script>alert(1)</script>", "text/html"),
        (b"MZ\x90\x00", "application/octet-stream"),
    ],
    ids=["gif", "svg", "html", "binary"],
)
def test_types_not_accepted_are_415(
    client: httpx.Client, content: bytes, kind: str
) -> None:
    before = _total(client)
    response = _upload(client, "x", content, kind)
    assert response.status_code == 415, response.text
    assert isinstance(response.json()["detail"], str)
    assert _total(client) == before


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"<html>not a png</html>", "image/png"),
        (PNG, "image/jpeg"),
        (b"MZ\x90\x00 not a pdf", "application/pdf"),
        (b"\xff\xfe\x00\xd8 invalid utf-8 \xc3\x28", "text/plain"),
    ],
    ids=["html-as-png", "png-as-jpeg", "exe-as-pdf", "binary-as-text"],
)
def test_content_must_match_its_declared_type(
    client: httpx.Client, content: bytes, kind: str
) -> None:
    before = _total(client)
    response = _upload(client, "x", content, kind)
    assert response.status_code == 415, response.text
    assert _total(client) == before


def test_empty_file_is_422(client: httpx.Client) -> None:
    before = _total(client)
    response = _upload(client, "empty.txt", b"", "text/plain")
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], str)
    assert _total(client) == before


def test_missing_file_field_is_422(client: httpx.Client) -> None:
    response = client.post("/files", files={"other": ("a.txt", b"hi", "text/plain")})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_list_is_paged_oldest_first(client: httpx.Client) -> None:
    ids = [_stored(client, f"p{n}.txt", _text(), "text/plain")["id"] for n in range(3)]
    total = _total(client)
    page = client.get("/files", params={"limit": 2, "offset": total - 3}).json()
    assert [item["id"] for item in page["items"]] == ids[:2]
    assert (page["total"], page["limit"], page["offset"]) == (total, 2, total - 3)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/files", params=params).status_code == 422


def test_delete_removes_metadata_and_content(client: httpx.Client) -> None:
    body = _stored(client, "gone.txt", _text(), "text/plain")
    keep = _stored(client, "kept.txt", b"still here", "text/plain")
    assert client.delete(f"/files/{body['id']}").status_code == 204
    for response in (
        client.get(f"/files/{body['id']}"),
        client.get(f"/files/{body['id']}/content"),
        client.delete(f"/files/{body['id']}"),
    ):
        assert response.status_code == 404, response.request.url
        assert isinstance(response.json()["detail"], str)
    assert client.get(f"/files/{keep['id']}/content").content == b"still here"
