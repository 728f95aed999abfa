"""GEMMA reference data: referentiecomponenten, standaarden, standaardversies, verplichtingen.

Revision ID: 0003_gemma
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_gemma"
down_revision = "0002"
branch_labels = None
depends_on = None


def _concept_columns():
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("gemma_status", sa.String(length=100), nullable=True),
        sa.Column("in_release", sa.Boolean(), nullable=False),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
    ]


def upgrade():
    op.create_table("gemma_referentiecomponent", *_concept_columns(),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("object_id"))
    op.create_table("gemma_standaard", *_concept_columns(),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("object_id"))
    op.create_table("gemma_standaardversie", *_concept_columns(),
                    sa.Column("standaard_id", sa.Integer(), nullable=True),
                    sa.ForeignKeyConstraint(["standaard_id"], ["gemma_standaard.id"]),
                    sa.PrimaryKeyConstraint("id"), sa.UniqueConstraint("object_id"))
    op.create_table(
        "gemma_verplichting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referentiecomponent_id", sa.Integer(), nullable=False),
        sa.Column("standaard_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("in_release", sa.Boolean(), nullable=False),
        sa.Column("created_on", sa.DateTime(), nullable=False),
        sa.Column("changed_on", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["referentiecomponent_id"], ["gemma_referentiecomponent.id"]),
        sa.ForeignKeyConstraint(["standaard_id"], ["gemma_standaard.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("referentiecomponent_id", "standaard_id", name="uq_gemma_verplichting_rc_standaard"),
    )


def downgrade():
    op.drop_table("gemma_verplichting")
    op.drop_table("gemma_standaardversie")
    op.drop_table("gemma_standaard")
    op.drop_table("gemma_referentiecomponent")
