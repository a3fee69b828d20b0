"""Errors of the posts domain."""

from app.exceptions import ConflictError, NotFoundError


class PostNotFoundError(NotFoundError):
    """No post has the requested id."""

    code = "post_not_found"

    def __init__(self, post_id: int) -> None:
        super().__init__(f"Post {post_id} not found")


class PostTitleTakenError(ConflictError):
    """Another post already has this title."""

    code = "post_title_taken"

    def __init__(self, title: str) -> None:
        super().__init__(f"A post titled {title!r} already exists")
