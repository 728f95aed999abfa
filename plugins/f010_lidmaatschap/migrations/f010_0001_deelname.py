"""F010 Lidmaatschap: the participation of organisations in samenwerkingen and communities.

Revision ID: f010_0001_deelname
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "f010_0001_deelname"
down_revision = None
branch_labels = ("f010_lidmaatschap",)
depends_on = "0001"  # organisation and ab_user


def upgrade():
    op.create_table(
        "f010_deelname",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("declared_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["declared_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ended_by_id"], ["ab_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("f010_deelname") as batch_op:
        batch_op.create_index("ix_f010_deelname_organisation_id", ["organisation_id"])
        batch_op.create_index("ix_f010_deelname_group_id", ["group_id"])
        batch_op.create_index("uq_f010_deelname_active", ["organisation_id", "group_id"], unique=True,
                              postgresql_where=sa.text("ended_on IS NULL"), sqlite_where=sa.text("ended_on IS NULL"))


def downgrade():
    with op.batch_alter_table("f010_deelname") as batch_op:
        batch_op.drop_index("uq_f010_deelname_active")
        batch_op.drop_index("ix_f010_deelname_group_id")
        batch_op.drop_index("ix_f010_deelname_organisation_id")
    op.drop_table("f010_deelname")
