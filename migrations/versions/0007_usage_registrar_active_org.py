"""Usage registered by another organisation (a samenwerking for a member); a user's active organisation.

Revision ID: 0007_usage_registrar_active_org
Revises: 0006_recovery_codes
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_usage_registrar_active_org"
down_revision = "0006_recovery_codes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("package_usage") as batch_op:
        batch_op.add_column(sa.Column("registered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_package_usage_registered_by_id", "organisation", ["registered_by_id"], ["id"],
                                    ondelete="SET NULL")
        batch_op.create_index("ix_package_usage_registered_by_id", ["registered_by_id"])
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.add_column(sa.Column("active_organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_ab_user_active_organisation_id", "organisation",
                                    ["active_organisation_id"], ["id"], ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.drop_constraint("fk_ab_user_active_organisation_id", type_="foreignkey")
        batch_op.drop_column("active_organisation_id")
    with op.batch_alter_table("package_usage") as batch_op:
        batch_op.drop_index("ix_package_usage_registered_by_id")
        batch_op.drop_constraint("fk_package_usage_registered_by_id", type_="foreignkey")
        batch_op.drop_column("registered_by_id")
