"""Mail outbox: e-mail written in the transaction that causes it, delivered by a job.

Revision ID: 0013_mail_outbox
Revises: 0012_package_municipality_count
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_mail_outbox"
down_revision = "0012_package_municipality_count"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(400), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_on", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_on", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_mail_outbox_status_next_attempt_on", "mail_outbox", ["status", "next_attempt_on"])


def downgrade():
    op.drop_index("ix_mail_outbox_status_next_attempt_on", table_name="mail_outbox")
    op.drop_table("mail_outbox")
