"""Create the author and book tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("author_pkey")),
    )
    op.create_table(
        "book",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["author.id"], name=op.f("book_author_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("book_pkey")),
        sa.UniqueConstraint("isbn", name=op.f("book_isbn_key")),
    )
    op.create_index(op.f("book_author_id_idx"), "book", ["author_id"])


def downgrade() -> None:
    op.drop_index(op.f("book_author_id_idx"), table_name="book")
    op.drop_table("book")
    op.drop_table("author")
