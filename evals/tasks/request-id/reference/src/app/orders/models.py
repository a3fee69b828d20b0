"""The order table."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class Order(Base):
    """An order of some units of one SKU."""

    __tablename__ = "customer_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    request_id: Mapped[str] = mapped_column(String(64))
