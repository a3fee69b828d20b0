"""Registration of partner apps."""

from fastapi import APIRouter, status

from app.clients import service
from app.clients.schemas import ClientCreate, ClientCreated
from app.database import SessionDep

router = APIRouter(prefix="/clients", tags=["clients"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_client(data: ClientCreate, session: SessionDep) -> ClientCreated:
    """Register a partner app and return its API key (shown only once)."""
    client, key = await service.register(session, data.name)
    return ClientCreated(id=client.id, name=client.name, api_key=key)
