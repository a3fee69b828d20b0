"""Probes of references/security.md: the auth module, PyJWT, pwdlib, CORS, proxies."""

import ast
import inspect
import secrets
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from httpx2 import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from claimkit import TEMPLATE

pytestmark = pytest.mark.anyio
SECURITY = "references/security.md"
KEY = "k" * 32
PASSWORD = "Correct-Horse-9!"  # noqa: S105 - a test password


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def auth(engine: AsyncEngine) -> AsyncIterator[AsyncClient]:
    """The auth module of the reference (`file: src/app/auth/domain.py`), served with two users."""
    from app.auth import domain

    async with engine.begin() as connection:
        await connection.run_sync(domain.Base.metadata.create_all)
    factory = async_sessionmaker(engine, expire_on_commit=False)
    hashed = domain.password_hash.hash(PASSWORD)
    async with factory() as session:
        session.add_all(
            [
                domain.User(email="ann@example.com", hashed_password=hashed),
                domain.User(
                    email="bob@example.com", hashed_password=hashed, is_active=False
                ),
            ]
        )
        await session.commit()
    app = FastAPI()
    app.include_router(domain.router)
    app.state.session_factory = factory
    app.state.jwt_secret = KEY
    async with client(app) as http:
        yield http


async def login(http: AsyncClient, email: str, password: str = PASSWORD) -> int:
    response = await http.post(
        "/auth/token", data={"username": email, "password": password}
    )
    return response.status_code


@pytest.mark.claim(
    SECURITY,
    "An inactive user gets no token: the login checks `is_active` with the password (the same 401), and `get_current_user` again",
)
@pytest.mark.claim(
    SECURITY, "When the user does not exist, still verify against a dummy hash"
)
async def test_the_login_route(auth: AsyncClient) -> None:
    from app.auth import domain

    ok = await auth.post(
        "/auth/token", data={"username": "ann@example.com", "password": PASSWORD}
    )
    assert ok.status_code == 200
    token = ok.json()["access_token"]
    me = await auth.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"id": 1, "email": "ann@example.com"}
    assert await login(auth, "ann@example.com", "wrong") == 401
    assert await login(auth, "nobody@example.com") == 401
    assert await login(auth, "bob@example.com") == 401
    inactive = domain.create_access_token(2, KEY)
    me = await auth.get("/auth/me", headers={"Authorization": f"Bearer {inactive}"})
    assert me.status_code == 401


@pytest.mark.claim(
    SECURITY,
    'Always pass `algorithms=[...]` to `jwt.decode`, and `options={"require": ["exp", "sub"]}`: PyJWT checks `exp` only when the token has one.',
)
@pytest.mark.claim(SECURITY, "Its errors subclass `jwt.InvalidTokenError`.")
async def test_pyjwt_checks_exp_only_when_present(auth: AsyncClient) -> None:
    forever = jwt.encode({"sub": "1"}, KEY, algorithm="HS256")
    assert jwt.decode(forever, KEY, algorithms=["HS256"]) == {"sub": "1"}
    with pytest.raises(jwt.MissingRequiredClaimError) as missing:
        jwt.decode(
            forever, KEY, algorithms=["HS256"], options={"require": ["exp", "sub"]}
        )
    with pytest.raises(jwt.DecodeError, match="algorithms") as unpinned:
        jwt.decode(forever, KEY)
    past = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(jwt.ExpiredSignatureError) as expired:
        jwt.decode(jwt.encode({"sub": "1", "exp": past}, KEY, "HS256"), KEY, ["HS256"])
    for error in (missing.value, unpinned.value, expired.value):
        assert isinstance(error, jwt.InvalidTokenError)
    me = await auth.get("/auth/me", headers={"Authorization": f"Bearer {forever}"})
    assert me.status_code == 401


@pytest.mark.claim(
    SECURITY,
    "`sub` is a string in the JWT spec; `TokenPayload` turns it back into the id type.",
)
def test_sub_must_be_a_string() -> None:
    from app.auth.domain import TokenPayload

    with pytest.raises(
        jwt.exceptions.InvalidSubjectError, match="Subject must be a string"
    ):
        jwt.decode(jwt.encode({"sub": 7}, KEY, "HS256"), KEY, ["HS256"])
    payload = TokenPayload.model_validate({"sub": "7", "exp": datetime.now(UTC)})
    assert payload.sub == 7


@pytest.mark.claim(
    SECURITY,
    "HS256 needs a key of 32 bytes or more: PyJWT warns (`InsecureKeyLengthWarning`, a `UserWarning`) on every encode and decode with a shorter one.",
)
def test_pyjwt_warns_on_a_short_hs256_key() -> None:
    assert issubclass(jwt.InsecureKeyLengthWarning, UserWarning)
    with pytest.warns(jwt.InsecureKeyLengthWarning, match="11 bytes long"):
        token = jwt.encode({"sub": "1"}, "test-secret", algorithm="HS256")
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        jwt.decode(token, "test-secret", algorithms=["HS256"])
    jwt.decode(
        jwt.encode({"sub": "1"}, KEY, "HS256"), KEY, ["HS256"]
    )  # 32 bytes: silent


@pytest.mark.claim(
    SECURITY,
    'Generate keys with `python -c "import secrets; print(secrets.token_urlsafe(32))"`.',
)
def test_a_generated_key_is_long_enough() -> None:
    key = secrets.token_urlsafe(32)
    assert len(key.encode()) >= 32
    jwt.decode(jwt.encode({"sub": "1"}, key, "HS256"), key, ["HS256"])


@pytest.mark.claim(
    SECURITY, "Store only `hashed_password` (Argon2 via `PasswordHash.recommended()`)"
)
@pytest.mark.claim(
    SECURITY,
    "`PasswordHash.recommended()` is Argon2id with 64 MiB, 3 passes and 4 lanes: about 0.2 s of CPU per hash or verify.",
)
def test_the_recommended_hash_is_argon2id_and_costs_cpu() -> None:
    from pwdlib import PasswordHash

    hasher = PasswordHash.recommended()
    start = time.process_time()
    hashed = hasher.hash(PASSWORD)
    spent = time.process_time() - start
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    # The cost is set by the parameters above; the CPU time depends on the machine (0.2 s
    # here): a hash that took under 20 ms would no longer need a thread.
    assert spent > 0.02


@pytest.mark.claim(
    "SKILL.md",
    '**CORS `allow_origins=["*"]` with `allow_credentials=True`** echoes any `Origin` with credentials allowed',
)
@pytest.mark.claim(
    SECURITY,
    'Never `allow_origins=["*"]` with `allow_credentials=True`: Starlette then reflects any `Origin` with `Access-Control-Allow-Credentials: true`',
)
@pytest.mark.claim(
    SECURITY,
    "With a bearer token in a header, credentials are not needed at all: leave `allow_credentials` off (the template does)",
)
async def test_bearer_tokens_need_no_cors_credentials() -> None:
    def app_with(**options: object) -> FastAPI:
        app = FastAPI()
        app.add_middleware(CORSMiddleware, **options)  # type: ignore[arg-type]

        @app.get("/me")
        async def me() -> str:
            return "ann"

        return app

    origin = "https://app.example.com"
    listed = app_with(
        allow_origins=[origin], allow_methods=["GET"], allow_headers=["Authorization"]
    )
    async with client(listed) as http:
        preflight = await http.options(
            "/me",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        call = await http.get(
            "/me", headers={"Origin": origin, "Authorization": "Bearer t"}
        )
    assert preflight.status_code == 200
    assert call.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-credentials" not in call.headers
    wildcard = app_with(allow_origins=["*"], allow_credentials=True)
    async with client(wildcard) as http:
        evil = await http.get("/me", headers={"Origin": "https://evil.example"})
    assert evil.headers["access-control-allow-origin"] == "https://evil.example"
    assert evil.headers["access-control-allow-credentials"] == "true"
    main = ast.parse((TEMPLATE / "src/app/main.py").read_text())
    keywords = {
        keyword.arg
        for node in ast.walk(main)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
    }
    assert "allow_origins" in keywords
    assert "allow_credentials" not in keywords


@pytest.mark.claim(
    SECURITY, "cap request bodies with `max_body_size` where uploads are allowed"
)
async def test_max_body_size_caps_a_body() -> None:
    app = FastAPI(max_body_size=10)

    @app.post("/upload")
    async def upload(body: dict[str, str]) -> int:
        return len(body)

    async with client(app) as http:
        small = await http.post("/upload", json={})
        large = await http.post("/upload", json={"name": "x" * 100})
    assert small.status_code == 200
    assert large.status_code == 413


@pytest.mark.claim(
    SECURITY, "Hide `/docs` and `/openapi.json` in production (`openapi_url=None`)."
)
async def test_openapi_url_none_hides_the_docs() -> None:
    async with client(FastAPI(openapi_url=None)) as http:
        statuses = [
            (await http.get(path)).status_code for path in ("/docs", "/openapi.json")
        ]
    assert statuses == [404, 404]


@pytest.mark.claim(
    SECURITY,
    "`fastapi run` already honours `X-Forwarded-For`/`-Proto` (proxy headers are on by default), but only from `127.0.0.1` and `::1` (uvicorn's default `FORWARDED_ALLOW_IPS`)",
)
@pytest.mark.claim(
    SECURITY,
    "pass `--forwarded-allow-ips=<proxy address>` (or set `FORWARDED_ALLOW_IPS`)",
)
def test_proxy_headers_are_trusted_from_loopback_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn
    from fastapi_cli import cli

    for command in (cli.run, cli.dev):
        assert inspect.signature(command).parameters["proxy_headers"].default is True
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert uvicorn.Config("app:app").forwarded_allow_ips == "127.0.0.1,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1")
    assert uvicorn.Config("app:app").forwarded_allow_ips == "10.0.0.1"
