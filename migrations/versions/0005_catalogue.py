"""Catalogue: packages, modules, versions, classification, standard claims, documents, screenshots, services, usage

Revision ID: 0005_catalogue
Revises: 0004_f002, 0003_gemma (needs stored files, contact persons and GEMMA concepts)

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_catalogue'
down_revision = ('0004_f002', '0003_gemma')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('package',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_description', sa.String(length=255), nullable=True),
    sa.Column('long_description', sa.Text(), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('logo_file_id', sa.Integer(), nullable=True),
    sa.Column('contact_person_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('published_on', sa.DateTime(), nullable=True),
    sa.Column('unpublished_reason', sa.Text(), nullable=True),
    sa.Column('cloud_models', sa.String(length=100), nullable=True),
    sa.Column('cloud_provider', sa.String(length=200), nullable=True),
    sa.Column('data_location', sa.String(length=20), nullable=True),
    sa.Column('licence_type', sa.String(length=20), nullable=True),
    sa.Column('licence_spdx', sa.String(length=50), nullable=True),
    sa.Column('demo_video_url', sa.String(length=500), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('takeover_pending', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_person_id'], ['contact_person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['logo_file_id'], ['stored_file.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['organisation.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('public_id')
    )
    with op.batch_alter_table('package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_status'), ['status'], unique=False)

    op.create_table('service',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('contact_person_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_person_id'], ['contact_person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('public_id')
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('package_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('review_status', sa.String(length=20), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_on', sa.DateTime(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('package_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_document_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_document_package_id'), ['package_id'], unique=False)

    op.create_table('package_module',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id', 'name', name='uq_package_module_name'),
    sa.UniqueConstraint('public_id')
    )
    with op.batch_alter_table('package_module', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_module_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_module_package_id'), ['package_id'], unique=False)

    op.create_table('package_referentiecomponent',
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('referentiecomponent_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referentiecomponent_id'], ['gemma_referentiecomponent.id'], ),
    sa.PrimaryKeyConstraint('package_id', 'referentiecomponent_id')
    )
    with op.batch_alter_table('package_referentiecomponent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_referentiecomponent_referentiecomponent_id'), ['referentiecomponent_id'], unique=False)

    op.create_table('package_screenshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('package_screenshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_screenshot_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_screenshot_package_id'), ['package_id'], unique=False)

    op.create_table('package_version',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('start_development', sa.Date(), nullable=True),
    sa.Column('start_test', sa.Date(), nullable=True),
    sa.Column('start_distribution', sa.Date(), nullable=True),
    sa.Column('end_support', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id', 'name', name='uq_package_version_name'),
    sa.UniqueConstraint('public_id')
    )
    with op.batch_alter_table('package_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_version_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_version_package_id'), ['package_id'], unique=False)

    op.create_table('service_package',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'package_id')
    )
    with op.batch_alter_table('service_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_package_package_id'), ['package_id'], unique=False)

    op.create_table('standard_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('standaardversie_id', sa.Integer(), nullable=False),
    sa.Column('evidence_url', sa.String(length=500), nullable=True),
    sa.Column('evidence_file_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_file.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standaardversie_id'], ['gemma_standaardversie.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id', 'standaardversie_id', name='uq_standard_claim')
    )
    with op.batch_alter_table('standard_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_claim_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_claim_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standard_claim_standaardversie_id'), ['standaardversie_id'], unique=False)

    op.create_table('package_usage',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('changed_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['package_version.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'package_id', name='uq_package_usage'),
    sa.UniqueConstraint('public_id')
    )
    with op.batch_alter_table('package_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_usage_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_usage_package_id'), ['package_id'], unique=False)



def downgrade():
    with op.batch_alter_table('package_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_usage_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_usage_organisation_id'))

    op.drop_table('package_usage')
    with op.batch_alter_table('standard_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_claim_standaardversie_id'))
        batch_op.drop_index(batch_op.f('ix_standard_claim_package_id'))
        batch_op.drop_index(batch_op.f('ix_standard_claim_organisation_id'))

    op.drop_table('standard_claim')
    with op.batch_alter_table('service_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_package_package_id'))

    op.drop_table('service_package')
    with op.batch_alter_table('package_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_version_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_version_organisation_id'))

    op.drop_table('package_version')
    with op.batch_alter_table('package_screenshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_screenshot_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_screenshot_organisation_id'))

    op.drop_table('package_screenshot')
    with op.batch_alter_table('package_referentiecomponent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_referentiecomponent_referentiecomponent_id'))

    op.drop_table('package_referentiecomponent')
    with op.batch_alter_table('package_module', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_module_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_module_organisation_id'))

    op.drop_table('package_module')
    with op.batch_alter_table('package_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_document_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_document_organisation_id'))

    op.drop_table('package_document')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_organisation_id'))

    op.drop_table('service')
    with op.batch_alter_table('package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_status'))
        batch_op.drop_index(batch_op.f('ix_package_organisation_id'))

    op.drop_table('package')
