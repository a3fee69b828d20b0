"""Entity tags: an article's version as a strong tag, and ``If-Match`` matching."""


def etag(version: int) -> str:
    """The strong entity tag of a version: ``"3"``."""
    return f'"{version}"'


def matches(header: str, version: int) -> bool:
    """Whether an ``If-Match`` or ``If-None-Match`` value names this version.

    Args:
        header: ``*`` or entity tags separated by commas; weak tags never match.
        version: The article's current version.
    """
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or etag(version) in tags
