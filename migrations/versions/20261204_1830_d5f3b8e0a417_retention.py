"""Children's data kept only as long as needed: the LA's retention period, and when a pupil's
details were removed.

Revision ID: d5f3b8e0a417
Revises: c4e2a7d91f36
Create Date: 2026-12-04 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd5f3b8e0a417'
down_revision = 'c4e2a7d91f36'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('retention_years', sa.Integer(), server_default='6', nullable=False)
        )
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        batch_op.drop_column('removed_on')
    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
