import pytest
from pydantic import ValidationError

from app.config import Settings


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_NAME", "Env Links")
    monkeypatch.setenv("CODE_LENGTH", "11")
    monkeypatch.setenv("ALLOWED_DOMAINS", " Example.com , docs.example.com,")
    monkeypatch.setenv("ADMIN_KEY", "from-the-env")
    settings = Settings(_env_file=None)
    assert settings.app_name == "Env Links"
    assert settings.code_length == 11
    assert settings.allowed_domains == ["example.com", "docs.example.com"]
    assert settings.admin_key.get_secret_value() == "from-the-env"


def test_admin_key_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMIN_KEY", raising=False)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_code_length_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_KEY", "from-the-env")
    monkeypatch.setenv("CODE_LENGTH", "2")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_secret_is_not_in_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_KEY", "very-secret-value")
    assert "very-secret-value" not in repr(Settings(_env_file=None))
