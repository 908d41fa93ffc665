"""Indexes for the lists at 200,000 placements (issue 14): a school's and a provider's
placements in the list's order (the school's also holds the providers it has placed with,
which its provider directory asks for), the list's start-date index widened by what the
status filters test, and the pupils without a UPN the data-quality report lists.

Revision ID: f5c9d3e7b2a4
Revises: e4b8c2d6a1f3
Create Date: 2026-12-04 23:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f5c9d3e7b2a4'
down_revision = 'e4b8c2d6a1f3'
branch_labels = None
depends_on = None

SCHOOL_LIST = ['school_id', 'start_date', 'id', 'provider_id', 'pupil_id']
PROVIDER_LIST = ['provider_id', 'start_date', 'id', 'pupil_id']
START = ['start_date', 'id', 'actual_end', 'cancelled_on']
NO_UPN = sa.text('upn IS NULL')


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_school_list', SCHOOL_LIST, unique=False)
        batch_op.create_index('ix_placements_provider_list', PROVIDER_LIST, unique=False)
        batch_op.create_index('ix_placements_start', START, unique=False)
        batch_op.drop_index('ix_placements_start_id')
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        batch_op.create_index(
            'ix_pupils_no_upn',
            ['last_name', 'id'],
            unique=False,
            sqlite_where=NO_UPN,
            postgresql_where=NO_UPN,
        )


def downgrade():
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        batch_op.drop_index('ix_pupils_no_upn')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_start_id', ['start_date', 'id'], unique=False)
        batch_op.drop_index('ix_placements_start')
        batch_op.drop_index('ix_placements_provider_list')
        batch_op.drop_index('ix_placements_school_list')
