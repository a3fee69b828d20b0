"""The product table."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utc_now


class Product(Base):
    """An item for sale; ``cost`` is what the supplier charges, internal only."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(50), index=True)
    price: Mapped[int]
    stock: Mapped[int]
    cost: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
