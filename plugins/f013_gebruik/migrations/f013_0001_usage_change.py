"""F013 Gebruik: the status history of a usage (its own branch, needs core's catalogue).

Revision ID: f013_0001_usage_change
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "f013_0001_usage_change"
down_revision = None
branch_labels = ("f013_gebruik",)
depends_on = "0005_catalogue"


def upgrade():
    op.create_table(
        "f013_usage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("usage_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("version_name", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["usage_id"], ["package_usage.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("f013_usage_change") as batch_op:
        batch_op.create_index(batch_op.f("ix_f013_usage_change_usage_id"), ["usage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_f013_usage_change_organisation_id"), ["organisation_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("f013_usage_change") as batch_op:
        batch_op.drop_index(batch_op.f("ix_f013_usage_change_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_f013_usage_change_usage_id"))
    op.drop_table("f013_usage_change")
