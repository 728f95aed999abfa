"""A concept organisation: a supplier a municipality named when it registered a missing package (F004).

Revision ID: 0008_concept_organisation
Revises: 0007_usage_registrar_active_org
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_concept_organisation"
down_revision = "0007_usage_registrar_active_org"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(sa.Column("created_by_organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_organisation_created_by_organisation_id", "organisation",
                                    ["created_by_organisation_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_organisation_created_by_organisation_id", ["created_by_organisation_id"])


def downgrade():
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_index("ix_organisation_created_by_organisation_id")
        batch_op.drop_constraint("fk_organisation_created_by_organisation_id", type_="foreignkey")
        batch_op.drop_column("created_by_organisation_id")
