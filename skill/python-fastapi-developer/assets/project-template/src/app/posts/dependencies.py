"""Dependencies that load and validate posts before the route runs."""

from app.database import SessionDep
from app.posts import service
from app.posts.exceptions import PostNotFoundError
from app.posts.models import Post


async def valid_post_id(post_id: int, session: SessionDep) -> Post:
    """The post named by the ``{post_id}`` path parameter.

    Raises:
        PostNotFoundError: When it does not exist (rendered as 404).
    """
    post = await service.get_by_id(session, post_id)
    if post is None:
        raise PostNotFoundError(post_id)
    return post
