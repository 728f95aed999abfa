"""F002 Organisatieprofiel: stored files, contact persons, organisation profiles and certifications.

Revision ID: 0004_f002
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_f002"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("stored_file") as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_file_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "contact_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_person") as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_person_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "organisation_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("logo_file_id", sa.Integer(), nullable=True),
        sa.Column("long_description", sa.Text(), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("support_url", sa.String(length=500), nullable=True),
        sa.Column("manual_url", sa.String(length=500), nullable=True),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["logo_file_id"], ["stored_file.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id"),
    )

    op.create_table(
        "certification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("other_name", sa.String(length=200), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("evidence_url", sa.String(length=500), nullable=True),
        sa.Column("evidence_file_id", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["evidence_file_id"], ["stored_file.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("certification") as batch_op:
        batch_op.create_index(batch_op.f("ix_certification_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("certification") as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_organisation_id"))
    op.drop_table("certification")
    op.drop_table("organisation_profile")
    with op.batch_alter_table("contact_person") as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_person_organisation_id"))
    op.drop_table("contact_person")
    with op.batch_alter_table("stored_file") as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_file_organisation_id"))
    op.drop_table("stored_file")
