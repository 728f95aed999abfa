"""GEMMA concepts keep their element identifier from the release (the AMEFF export writes it).

Existing rows get it on the next GEMMA import (until then an export writes ``id-<Object ID>``).

Revision ID: 0011_gemma_element_identifier
Revises: 0010_role_grant_override
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_gemma_element_identifier"
down_revision = "0010_role_grant_override"
branch_labels = None
depends_on = None

TABLES = ("gemma_referentiecomponent", "gemma_standaard", "gemma_standaardversie")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("element_identifier", sa.String(length=255), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("element_identifier")
