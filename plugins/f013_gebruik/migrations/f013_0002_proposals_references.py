"""F013 Gebruik: usage proposals by suppliers, blocks of a supplier's proposals, references.

Revision ID: f013_0002_proposals_references
Revises: f013_0001_usage_change
"""

import sqlalchemy as sa
from alembic import op

revision = "f013_0002_proposals_references"
down_revision = "f013_0001_usage_change"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "f013_proposal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("supplier_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False),
        sa.Column("package_id", sa.Integer(), sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("package_version.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("proposed_on", sa.DateTime(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("decided_on", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("usage_id", sa.Integer(), sa.ForeignKey("package_usage.id", ondelete="SET NULL"), nullable=True),
    )
    for column in ("organisation_id", "supplier_id", "package_id", "state"):
        op.create_index(f"ix_f013_proposal_{column}", "f013_proposal", [column])
    op.create_index("uq_f013_proposal_open", "f013_proposal", ["organisation_id", "package_id"], unique=True,
                    postgresql_where=sa.text("state = 'open'"), sqlite_where=sa.text("state = 'open'"))

    op.create_table(
        "f013_proposal_block",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("supplier_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
        sa.UniqueConstraint("organisation_id", "supplier_id", name="uq_f013_proposal_block"),
    )
    for column in ("organisation_id", "supplier_id"):
        op.create_index(f"ix_f013_proposal_block_{column}", "f013_proposal_block", [column])

    op.create_table(
        "f013_reference",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("usage_id", sa.Integer(), sa.ForeignKey("package_usage.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("package_id", sa.Integer(), sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("asked_on", sa.DateTime(), nullable=True),
        sa.Column("asked_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=True),
        sa.Column("contact_email", sa.String(320), nullable=True),
        sa.Column("contact_phone", sa.String(30), nullable=True),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True),
    )
    for column in ("organisation_id", "package_id"):
        op.create_index(f"ix_f013_reference_{column}", "f013_reference", [column])


def downgrade():
    op.drop_table("f013_reference")
    op.drop_table("f013_proposal_block")
    op.drop_index("uq_f013_proposal_open", table_name="f013_proposal")
    op.drop_table("f013_proposal")
