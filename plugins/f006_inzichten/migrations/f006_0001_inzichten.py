"""F006 Inzichten: views per organisation and day, interest, notifications, proposal facts (own branch).

Revision ID: f006_0001_inzichten
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "f006_0001_inzichten"
down_revision = None
branch_labels = ("f006_inzichten",)
depends_on = "0005_catalogue"  # package, organisation and ab_user


def upgrade():
    op.create_table('f006_notification_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('f006_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.Column('read_on', sa.DateTime(), nullable=True),
    sa.Column('mailed_on', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('f006_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_f006_notification_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_f006_notification_user_read', ['user_id', 'read_on'], unique=False)

    op.create_table('f006_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('share_contact', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organisation_id', 'package_id', name='uq_f006_interest')
    )
    with op.batch_alter_table('f006_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_f006_interest_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_f006_interest_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_f006_interest_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('f006_proposal',
    sa.Column('proposal_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('proposed_on', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id')
    )
    with op.batch_alter_table('f006_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_f006_proposal_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_f006_proposal_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('f006_view_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['viewer_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id', 'viewer_id', 'day', name='uq_f006_view_day')
    )
    with op.batch_alter_table('f006_view_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_f006_view_day_day'), ['day'], unique=False)
        batch_op.create_index('ix_f006_view_day_package_day', ['package_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_f006_view_day_viewer_id'), ['viewer_id'], unique=False)

    op.create_table('f006_view_total',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['package.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('package_id', 'day', name='uq_f006_view_total')
    )
    with op.batch_alter_table('f006_view_total', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_f006_view_total_day'), ['day'], unique=False)



def downgrade():
    with op.batch_alter_table('f006_view_total', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_f006_view_total_day'))

    op.drop_table('f006_view_total')
    with op.batch_alter_table('f006_view_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_f006_view_day_viewer_id'))
        batch_op.drop_index('ix_f006_view_day_package_day')
        batch_op.drop_index(batch_op.f('ix_f006_view_day_day'))

    op.drop_table('f006_view_day')
    with op.batch_alter_table('f006_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_f006_proposal_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_f006_proposal_package_id'))

    op.drop_table('f006_proposal')
    with op.batch_alter_table('f006_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_f006_interest_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_f006_interest_package_id'))
        batch_op.drop_index(batch_op.f('ix_f006_interest_organisation_id'))

    op.drop_table('f006_interest')
    with op.batch_alter_table('f006_notification', schema=None) as batch_op:
        batch_op.drop_index('ix_f006_notification_user_read')
        batch_op.drop_index(batch_op.f('ix_f006_notification_organisation_id'))

    op.drop_table('f006_notification')
    op.drop_table('f006_notification_setting')
