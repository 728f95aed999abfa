"""migrating_plugin: the logbook table (its own branch, needs core's organisation table).

Revision ID: mp0001_logboek
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "mp0001_logboek"
down_revision = None
branch_labels = ("migrating_plugin",)
depends_on = "0001"


def upgrade():
    op.create_table(
        "migrating_plugin_logboekregel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tekst", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("migrating_plugin_logboekregel") as batch_op:
        batch_op.create_index("ix_migrating_plugin_logboekregel_organisation_id", ["organisation_id"])


def downgrade():
    with op.batch_alter_table("migrating_plugin_logboekregel") as batch_op:
        batch_op.drop_index("ix_migrating_plugin_logboekregel_organisation_id")
    op.drop_table("migrating_plugin_logboekregel")
