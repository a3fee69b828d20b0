"""Probes of references/pydantic.md: schemas, validators, serialization, settings, deprecations."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.security import OAuth2PasswordRequestForm
from httpx2 import ASGITransport, AsyncClient
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic.warnings import PydanticDeprecatedSince20

from claimkit import ruff_codes

pytestmark = pytest.mark.anyio
PYDANTIC = "references/pydantic.md"
SIGN_UP = {
    "username": "ann",
    "email": "ann@example.com",
    "password": "Correct-Horse-9!",
}


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


@pytest.mark.claim(
    PYDANTIC, '`extra="forbid"` on input models that must reject unknown keys'
)
def test_extra_forbid_rejects_unknown_keys() -> None:
    from app.users.schemas import UserCreate

    with pytest.raises(ValidationError, match="extra_forbidden"):
        UserCreate.model_validate({**SIGN_UP, "is_admin": True})


@pytest.mark.claim(
    PYDANTIC,
    "enable `validate_by_name=True` if code also builds the model by field name",
)
@pytest.mark.claim(
    PYDANTIC,
    "| `populate_by_name=True` | `validate_by_name=True` | discouraged since 2.11 |",
)
def test_aliases_and_validate_by_name() -> None:
    class Strict(BaseModel):
        user_id: int = Field(alias="userId")

    class ByName(BaseModel):
        model_config = ConfigDict(validate_by_name=True)
        user_id: int = Field(alias="userId")

    class Old(BaseModel):
        model_config = ConfigDict(populate_by_name=True)  # still no warning in 2.x
        user_id: int = Field(alias="userId")

    assert Strict.model_validate({"userId": 1}).user_id == 1
    with pytest.raises(ValidationError):
        Strict.model_validate({"user_id": 1})
    assert ByName.model_validate({"user_id": 1}).user_id == 1
    assert Old.model_validate({"user_id": 1}).user_id == 1


@pytest.mark.claim(
    PYDANTIC, 'str(MusicBand.ACDC) == "AC/DC", unlike a (str, Enum) mix-in.'
)
@pytest.mark.claim(
    PYDANTIC,
    "| `class E(str, Enum)` | `class E(StrEnum)` | ruff UP042; `str()` gives the value |",
)
def test_str_enum_str_is_the_value(tmp_path: Path) -> None:
    from app.users.schemas import MusicBand

    class Mixed(str, Enum):  # noqa: UP042 - the mix-in the probe compares against
        ACDC = "AC/DC"

    assert str(MusicBand.ACDC) == "AC/DC"
    assert str(Mixed.ACDC) == "Mixed.ACDC"
    code = "from enum import Enum\n\n\nclass Band(str, Enum):\n    ACDC = 'AC/DC'\n"
    assert ruff_codes(tmp_path, code, "UP042") == ["UP042"]


@pytest.mark.claim(
    PYDANTIC, "A ValueError here becomes a 422 that carries this message."
)
@pytest.mark.claim(
    PYDANTIC, 'In tests: `pytest.raises(ValidationError, match="Password needs")`.'
)
def test_a_weak_password_is_rejected_with_the_message() -> None:
    from app.users.schemas import UserCreate

    with pytest.raises(ValidationError, match="Password needs"):
        UserCreate.model_validate({**SIGN_UP, "password": "long-but-weak-password"})


@pytest.mark.claim(
    PYDANTIC,
    "Defaults are not validated, so this runs only when the client sent a value.",
)
def test_user_update_rejects_null_only_when_sent() -> None:
    from app.users.schemas import UserUpdate

    assert UserUpdate().model_dump(exclude_unset=True) == {}
    assert UserUpdate(favorite_band=None).favorite_band is None
    with pytest.raises(ValidationError, match="may be omitted but not null"):
        UserUpdate.model_validate({"email": None})


@pytest.mark.claim(
    PYDANTIC,
    "A mutable default (`= []`) is safe on Pydantic models: each instance gets a copy.",
)
def test_a_mutable_default_is_copied() -> None:
    from app.users.schemas import UserCreate

    first, second = UserCreate(**SIGN_UP), UserCreate(**SIGN_UP)
    first.tags.append("x")
    assert second.tags == []


@pytest.mark.claim(
    PYDANTIC,
    "Never `str_strip_whitespace=True` on a model with a password: it strips the password at sign-up, the login form (`OAuth2PasswordRequestForm`) passes it as typed",
)
@pytest.mark.claim(
    PYDANTIC, "(`Annotated[str, StringConstraints(strip_whitespace=True)]`)"
)
async def test_stripping_the_sign_up_password_locks_the_user_out() -> None:
    from app.users.schemas import UserCreate

    typed = " Correct-Horse-9! "

    class Stripping(BaseModel):
        model_config = ConfigDict(str_strip_whitespace=True)
        password: str

    class PerField(BaseModel):
        name: Annotated[str, StringConstraints(strip_whitespace=True)]
        password: str

    assert Stripping(password=typed).password == typed.strip()
    assert PerField(name=" ann ", password=typed).model_dump() == {
        "name": "ann",
        "password": typed,
    }
    assert UserCreate(**{**SIGN_UP, "password": typed}).password == typed
    app = FastAPI()

    @app.post("/token")
    async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> str:
        return form.password

    async with client(app) as http:
        response = await http.post(
            "/token", data={"username": "ann", "password": typed}
        )
    assert response.json() == typed


@pytest.mark.claim(
    PYDANTIC, "`field_validator` (one field, runs after type validation by default)"
)
def test_field_validators_see_the_validated_type() -> None:
    seen: list[object] = []

    class Page(BaseModel):
        size: int

        @field_validator("size")
        @classmethod
        def record(cls, size: int) -> int:
            seen.append(size)
            return size

    Page.model_validate({"size": "5"})
    assert seen == [5]


class Priced(BaseModel):
    total: Annotated[Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str)]
    tax: Annotated[
        Decimal,
        PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
    ]
    issued_at: datetime


@pytest.mark.claim(
    PYDANTIC,
    'the Python-mode dump has already applied plain serializers, but serializers with `when_used="json"` are skipped (a `Decimal` then comes out as a float), and datetimes end in `+00:00` instead of Pydantic\'s `Z`.',
)
@pytest.mark.claim(PYDANTIC, "Pydantic emits UTC as `Z`.")
def test_jsonable_encoder_of_a_python_dump_differs_from_a_json_dump() -> None:
    priced = Priced(
        total=Decimal("12.5"),
        tax=Decimal("2.5"),
        issued_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert priced.model_dump(mode="json") == {
        "total": "12.50",
        "tax": "2.50",
        "issued_at": "2026-01-02T03:04:05Z",
    }
    assert jsonable_encoder(priced.model_dump()) == {
        "total": "12.50",
        "tax": 2.5,
        "issued_at": "2026-01-02T03:04:05+00:00",
    }


@pytest.mark.claim(
    PYDANTIC, 'Serialized as {"total": "12.50", "issued_at": "2026-01-02T03:04:05Z"}.'
)
@pytest.mark.claim(
    PYDANTIC, "Naive values (SQLite) are UTC; aware ones are converted to UTC."
)
def test_the_invoice_block_serializes_as_its_docstring_says() -> None:
    from app.invoices import Invoice, invoice_payload

    naive = Invoice(total=Decimal("12.5"), issued_at=datetime(2026, 1, 2, 3, 4, 5))  # noqa: DTZ001
    assert invoice_payload(naive) == {
        "total": "12.50",
        "issued_at": "2026-01-02T03:04:05Z",
    }
    paris = datetime.fromisoformat("2026-01-02T04:04:05+01:00")
    assert invoice_payload(Invoice(total=Decimal(1), issued_at=paris))["issued_at"] == (
        "2026-01-02T03:04:05Z"
    )


@pytest.mark.claim(
    PYDANTIC,
    "Group related query parameters in a model and declare it with `Query()`; constraints live in the model and FastAPI documents each field",
)
async def test_a_query_model_is_documented_and_validated_per_field() -> None:
    from app.orders import router

    app = FastAPI()
    app.include_router(router)
    async with client(app) as http:
        schema = (await http.get("/openapi.json")).json()
        ok = await http.get("/orders", params={"status": "paid", "limit": 5})
        too_many = await http.get("/orders", params={"limit": 101})
    names = [p["name"] for p in schema["paths"]["/orders"]["get"]["parameters"]]
    assert names == ["status", "since", "limit", "offset", "sort"]
    assert ok.json() == ["paid:5:0"]
    assert too_many.status_code == 422


@pytest.mark.claim(
    PYDANTIC,
    "Environment values are strings, so a `timedelta` field takes ISO 8601 (`AUTH_ACCESS_TOKEN_TTL=PT30M`) or `00:30:00`; a bare number of seconds (`1800`) is rejected (`time_delta_parsing`)",
)
@pytest.mark.claim(
    PYDANTIC, "AUTH_JWT_SECRET, AUTH_ACCESS_TOKEN_TTL, AUTH_ALLOWED_EMAIL_DOMAINS..."
)
def test_timedelta_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.auth.config import AuthSettings

    monkeypatch.setenv("AUTH_JWT_SECRET", "k" * 32)
    for value in ("PT30M", "00:30:00"):
        monkeypatch.setenv("AUTH_ACCESS_TOKEN_TTL", value)
        assert AuthSettings(_env_file=None).access_token_ttl == timedelta(minutes=30)
    monkeypatch.setenv("AUTH_ACCESS_TOKEN_TTL", "1800")
    with pytest.raises(ValidationError, match="time_delta_parsing"):
        AuthSettings(_env_file=None)


@pytest.mark.claim(PYDANTIC, 'Accept "a.com,b.com" instead of JSON for this one list.')
@pytest.mark.claim(
    PYDANTIC, "Without `NoDecode`, a `list[str]` field needs JSON in the environment."
)
def test_no_decode_lets_a_validator_split_commas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic_settings import BaseSettings, SettingsError

    from app.auth.config import AuthSettings

    class Decoded(BaseSettings):
        allowed_email_domains: list[str] = []

    monkeypatch.setenv("AUTH_JWT_SECRET", "k" * 32)
    monkeypatch.setenv("AUTH_ALLOWED_EMAIL_DOMAINS", "a.com, b.com")
    assert AuthSettings(_env_file=None).allowed_email_domains == ["a.com", "b.com"]
    monkeypatch.setenv("ALLOWED_EMAIL_DOMAINS", "a.com,b.com")
    with pytest.raises(SettingsError):
        Decoded(_env_file=None)


@pytest.mark.claim(PYDANTIC, "jwt_secret: SecretStr = Field(min_length=32)")
def test_the_auth_settings_refuse_a_short_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.auth.config import AuthSettings

    monkeypatch.setenv("AUTH_JWT_SECRET", "test-secret")
    with pytest.raises(ValidationError, match="too_short"):
        AuthSettings(_env_file=None)


SETTINGS_SOURCE = (
    '"""Settings."""\n\nfrom pydantic import SecretStr\nfrom pydantic_settings import '
    'BaseSettings\n\n\nclass AuthSettings(BaseSettings):\n    """Auth."""\n\n'
    "    jwt_secret: SecretStr\n\n\nsettings = AuthSettings()\n"
)
MYPY_SNIPPETS = {"pydantic_settings_call.py": SETTINGS_SOURCE}


@pytest.mark.claim(
    PYDANTIC,
    "The mypy `pydantic.mypy` plugin knows that `BaseSettings` fields come from the environment; without it `AuthSettings()` is a `call-arg` error.",
)
def test_mypy_needs_the_pydantic_plugin_for_settings(
    tmp_path: Path, mypy_checked: dict[str, list[str]]
) -> None:
    import sys

    from claimkit import run, write

    assert mypy_checked["pydantic_settings_call.py"] == []
    write(tmp_path, {"settings.py": SETTINGS_SOURCE})
    plain = run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-error-summary",
        "settings.py",
        cwd=tmp_path,
    )
    assert 'Missing named argument "jwt_secret"' in plain.stdout
    assert "[call-arg]" in plain.stdout


@pytest.mark.claim(
    PYDANTIC,
    "| `json_encoders={...}` | `Annotated[T, PlainSerializer(...)]`, `@field_serializer` | deprecated since 2.0, warns |",
)
@pytest.mark.claim(
    PYDANTIC,
    "| `class Config:` / `model_config = {...}` | `model_config = ConfigDict(...)` / `SettingsConfigDict(...)` | typed, checked by mypy |",
)
@pytest.mark.claim(
    PYDANTIC, "| `orm_mode=True` | `from_attributes=True` | renamed in 2.0 |"
)
def test_v1_config_warns() -> None:
    with pytest.warns(PydanticDeprecatedSince20, match="json_encoders"):

        class Encoded(BaseModel):
            model_config = ConfigDict(json_encoders={int: str})
            count: int

    with (
        pytest.warns(PydanticDeprecatedSince20, match="class-based `config`"),
        pytest.warns(
            UserWarning, match="'orm_mode' has been renamed to 'from_attributes'"
        ),
    ):

        class Old(BaseModel):
            class Config:
                orm_mode = True

            name: str


@pytest.mark.claim(
    PYDANTIC,
    "| `.dict()`, `.json()`, `.parse_obj()`, `.from_orm()` | `.model_dump()`, `.model_dump_json()`, `.model_validate()` | deprecated since 2.0, warns |",
)
@pytest.mark.claim(
    PYDANTIC,
    "| `@validator`, `@root_validator` | `@field_validator`, `@model_validator` | deprecated since 2.0, warns |",
)
def test_v1_methods_and_validators_warn() -> None:
    from pydantic import root_validator, validator

    class Item(BaseModel):
        model_config = ConfigDict(from_attributes=True)
        name: str

    item = Item(name="a")
    for call in (
        item.dict,
        item.json,
        lambda: Item.parse_obj({"name": "a"}),
        lambda: Item.from_orm(item),
    ):
        with pytest.warns(PydanticDeprecatedSince20):
            call()
    with pytest.warns(PydanticDeprecatedSince20, match="validator"):
        validator("name")
    with pytest.warns(PydanticDeprecatedSince20, match="root_validator"):
        root_validator(skip_on_failure=True)


@pytest.mark.claim(
    PYDANTIC,
    "| `RootModel[list[int]]` | `Annotated[list[int], Field(min_length=1)]` | FastAPI builds a TypeAdapter |",
)
async def test_fastapi_validates_an_annotated_list_body() -> None:
    app = FastAPI()

    @app.post("/ids")
    async def ids(body: Annotated[list[int], Field(min_length=1)]) -> int:
        return sum(body)

    async with client(app) as http:
        assert (await http.post("/ids", json=[1, 2])).json() == 3
        assert (await http.post("/ids", json=[])).status_code == 422
