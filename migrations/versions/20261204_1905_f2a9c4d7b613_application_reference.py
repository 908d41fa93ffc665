"""A reference number for each application to join the framework.

Revision ID: f2a9c4d7b613
Revises: d5f3b8e0a417
Create Date: 2026-12-04 19:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f2a9c4d7b613'
down_revision = 'd5f3b8e0a417'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('application_reference', sa.String(length=11), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_providers_application_reference'), ['application_reference']
        )


def downgrade():
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_providers_application_reference'), type_='unique'
        )
        batch_op.drop_column('application_reference')
