"""One concept supplier per name, one concept package per supplier and name (concurrent registrations).

Revision ID: 0009_one_concept_per_name
Revises: 0008_concept_organisation
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_one_concept_per_name"
down_revision = "0008_concept_organisation"
branch_labels = None
depends_on = None

CONCEPT_SUPPLIER = sa.text("status = 'concept'")
CONCEPT_PACKAGE = sa.text("takeover_pending AND registered_by_id IS NOT NULL")


def upgrade():
    op.create_index("uq_organisation_concept_name", "organisation", [sa.text("lower(name)")], unique=True,
                    postgresql_where=CONCEPT_SUPPLIER, sqlite_where=CONCEPT_SUPPLIER)
    op.create_index("uq_package_registered_concept_name", "package", ["organisation_id", sa.text("lower(name)")],
                    unique=True, postgresql_where=CONCEPT_PACKAGE, sqlite_where=CONCEPT_PACKAGE)


def downgrade():
    op.drop_index("uq_package_registered_concept_name", table_name="package")
    op.drop_index("uq_organisation_concept_name", table_name="organisation")
