"""Errors of the articles domain."""


class ArticleNotFoundError(Exception):
    """No article has the requested id."""

    def __init__(self, article_id: int) -> None:
        """Name the missing article."""
        super().__init__(f"article {article_id} not found")


class PreconditionRequiredError(Exception):
    """A change was sent without an ``If-Match`` header."""

    def __init__(self) -> None:
        """Say what is missing."""
        super().__init__("send If-Match with the article's ETag to change it")


class PreconditionFailedError(Exception):
    """``If-Match`` does not name the current version."""

    def __init__(self, current_version: int) -> None:
        """Keep the current version, for the ``ETag`` header of the answer."""
        super().__init__("the article has changed: reload it and retry")
        self.current_version = current_version
