"""Packages keep their number of municipalities (``package.municipality_count``).

The public pages read it instead of counting every usage row per request; it is kept right
by ``core.catalogue.counts``. The migration fills it from the usage rows.

Revision ID: 0012_package_municipality_count
Revises: 0011_gemma_element_identifier
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_package_municipality_count"
down_revision = "0011_gemma_element_identifier"
branch_labels = None
depends_on = None

ACTIVE = ("verwerving", "gepland", "in_productie", "uit_te_faseren")


def upgrade():
    with op.batch_alter_table("package") as batch:
        batch.add_column(sa.Column("municipality_count", sa.Integer(), nullable=False, server_default="0"))
    statuses = ", ".join(f"'{s}'" for s in ACTIVE)
    op.execute(
        "UPDATE package SET municipality_count = ("
        " SELECT count(DISTINCT u.organisation_id) FROM package_usage u"
        " JOIN organisation o ON o.id = u.organisation_id"
        f" WHERE u.package_id = package.id AND o.type = 'gemeente' AND u.status IN ({statuses}))")


def downgrade():
    with op.batch_alter_table("package") as batch:
        batch.drop_column("municipality_count")
