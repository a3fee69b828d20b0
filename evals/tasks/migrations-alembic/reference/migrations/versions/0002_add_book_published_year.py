"""Add the optional publication year of books.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("book") as batch:
        batch.add_column(sa.Column("published_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("book") as batch:
        batch.drop_column("published_year")
