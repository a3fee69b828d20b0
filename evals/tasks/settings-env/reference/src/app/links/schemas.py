"""Request and response bodies."""

from pydantic import AnyHttpUrl, BaseModel


class LinkCreate(BaseModel):
    """What a client sends to shorten a URL."""

    url: AnyHttpUrl


class LinkPublic(BaseModel):
    """A short link as the API returns it."""

    code: str
    url: str
    short_url: str


class PublicConfig(BaseModel):
    """The settings anyone may see (never a secret)."""

    app_name: str
    public_base_url: str
    code_length: int
    allowed_domains: list[str]
