"""The product table."""

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class Product(Base):
    """A product for sale, in one category."""

    __tablename__ = "product"
    __table_args__ = (Index("product_category_price_idx", "category", "price_cents"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    price_cents: Mapped[int]
