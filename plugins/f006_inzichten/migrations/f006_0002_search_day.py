"""F006 Inzichten: searches of gemeenten per term, organisation and day; organisations per package and day.

Revision ID: f006_0002_search_day
Revises: f006_0001_inzichten
"""

import sqlalchemy as sa
from alembic import op

revision = "f006_0002_search_day"
down_revision = "f006_0001_inzichten"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "f006_search_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["viewer_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term", "viewer_id", "day", name="uq_f006_search_day"),
    )
    with op.batch_alter_table("f006_search_day") as batch_op:
        batch_op.create_index(batch_op.f("ix_f006_search_day_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_f006_search_day_viewer_id"), ["viewer_id"], unique=False)
    with op.batch_alter_table("f006_view_total") as batch_op:
        batch_op.add_column(sa.Column("organisations", sa.Integer(), nullable=False, server_default="0"))
    # the attributed views so far, per package and day
    op.execute("INSERT INTO f006_view_total (package_id, day, hits, organisations) "
               "SELECT package_id, day, 0, 0 FROM f006_view_day d WHERE NOT EXISTS (SELECT 1 FROM f006_view_total t "
               "WHERE t.package_id = d.package_id AND t.day = d.day) GROUP BY package_id, day")
    op.execute("UPDATE f006_view_total SET organisations = (SELECT count(*) FROM f006_view_day d "
               "WHERE d.package_id = f006_view_total.package_id AND d.day = f006_view_total.day)")


def downgrade():
    with op.batch_alter_table("f006_view_total") as batch_op:
        batch_op.drop_column("organisations")
    with op.batch_alter_table("f006_search_day") as batch_op:
        batch_op.drop_index(batch_op.f("ix_f006_search_day_viewer_id"))
        batch_op.drop_index(batch_op.f("ix_f006_search_day_day"))
    op.drop_table("f006_search_day")
