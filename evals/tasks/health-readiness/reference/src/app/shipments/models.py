"""The shipment table."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class Shipment(Base):
    """A parcel to ship, known by the sender's reference."""

    __tablename__ = "shipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(50))
