"""Request-scoped inputs: the calling account."""

from typing import Annotated

from fastapi import Depends, Header

from app.payments.exceptions import MissingAccountError


async def account_id(
    x_account_id: Annotated[str | None, Header(min_length=1, max_length=64)] = None,
) -> str:
    """The account named by ``X-Account-Id``, or 401."""
    if x_account_id is None:
        raise MissingAccountError
    return x_account_id


AccountId = Annotated[str, Depends(account_id)]
