"""An index for the placement list filtered by reason: the list's order within a reason, with
the columns the status filter tests, so a reason's placements are counted and paged from the
index alone.

Revision ID: c81d5e2f0a93
Revises: a7c3e91b52d4
Create Date: 2026-12-04 20:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c81d5e2f0a93'
down_revision = 'a7c3e91b52d4'
branch_labels = None
depends_on = None

COLUMNS = ['reason', 'start_date', 'id', 'actual_end', 'cancelled_on']


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_reason', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_reason')
