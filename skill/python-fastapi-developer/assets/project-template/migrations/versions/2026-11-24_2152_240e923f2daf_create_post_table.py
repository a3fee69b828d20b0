"""Create the post table.

Revision ID: 240e923f2daf
Revises:
Create Date: 2026-11-24 21:52:34.666379
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "240e923f2daf"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("post_pkey")),
        sa.UniqueConstraint("title", name=op.f("post_title_key")),
    )


def downgrade() -> None:
    op.drop_table("post")
