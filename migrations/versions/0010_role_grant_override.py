"""Role grant overrides: rights the Functioneel beheerder changed per role on "Rollen en rechten".

Revision ID: 0010_role_grant_override
Revises: 0009_one_concept_per_name
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_role_grant_override"
down_revision = "0009_one_concept_per_name"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "role_grant_override",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("role_name", sa.String(64), nullable=False),
        sa.Column("permission", sa.String(100), nullable=False),
        sa.Column("view_menu", sa.String(250), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("role_name", "permission", "view_menu",
                            name="uq_role_grant_override_role_name_permission_view_menu"),
    )
    op.create_index("ix_role_grant_override_role_name", "role_grant_override", ["role_name"])


def downgrade():
    op.drop_index("ix_role_grant_override_role_name", table_name="role_grant_override")
    op.drop_table("role_grant_override")
