"""One-time recovery codes for two-factor login.

Revision ID: 0006_recovery_codes
Revises: 0005_catalogue
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_recovery_codes"
down_revision = "0005_catalogue"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "totp_recovery_code",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("used_on", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_totp_recovery_code_user_id", "totp_recovery_code", ["user_id"])


def downgrade():
    op.drop_index("ix_totp_recovery_code_user_id", table_name="totp_recovery_code")
    op.drop_table("totp_recovery_code")
