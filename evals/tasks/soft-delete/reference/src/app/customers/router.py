"""HTTP routes of the customers domain."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.customers import service
from app.customers.dependencies import IsAdmin, require_admin
from app.customers.exceptions import AdminOnlyError
from app.customers.schemas import (
    CustomerCreate,
    CustomerPage,
    CustomerPublic,
    CustomerUpdate,
)
from app.database import SessionDep

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_customer(data: CustomerCreate, session: SessionDep) -> CustomerPublic:
    """Add a customer."""
    return CustomerPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_customers(
    session: SessionDep,
    admin: IsAdmin,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    include_deleted: bool = False,
) -> CustomerPage:
    """One page of customers, oldest first; deleted ones for administrators only."""
    if include_deleted and not admin:
        raise AdminOnlyError
    rows, total = await service.list_page(
        session, limit=limit, offset=offset, include_deleted=include_deleted
    )
    items = [CustomerPublic.model_validate(row) for row in rows]
    return CustomerPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{customer_id}")
async def get_customer(
    customer_id: int, session: SessionDep, admin: IsAdmin, include_deleted: bool = False
) -> CustomerPublic:
    """One customer; a deleted one for administrators who ask for it."""
    if include_deleted and not admin:
        raise AdminOnlyError
    customer = await service.get(session, customer_id, include_deleted=include_deleted)
    return CustomerPublic.model_validate(customer)


@router.patch("/{customer_id}")
async def update_customer(
    customer_id: int, data: CustomerUpdate, session: SessionDep
) -> CustomerPublic:
    """Change some fields of a customer."""
    return CustomerPublic.model_validate(
        await service.update(session, customer_id, data)
    )


@router.delete("/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_customer(customer_id: int, session: SessionDep) -> None:
    """Soft-delete a customer."""
    await service.soft_delete(session, customer_id)


@router.post("/{customer_id}/restore", dependencies=[Depends(require_admin)])
async def restore_customer(customer_id: int, session: SessionDep) -> CustomerPublic:
    """Bring a deleted customer back (administrators only)."""
    return CustomerPublic.model_validate(await service.restore(session, customer_id))
