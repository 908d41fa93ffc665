"""Widen the index of running placements with the planned end, sessions and full time, so the
list's work-queue filters (overrunning, beyond the unregistered limits) are tested from the
index alone.

Revision ID: a7c3e91b52d4
Revises: f2a9c4d7b613
Create Date: 2026-12-04 19:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e91b52d4'
down_revision = 'f2a9c4d7b613'
branch_labels = None
depends_on = None

RUNNING = ['actual_end', 'start_date', 'cancelled_on', 'id', 'pupil_id', 'provider_id',
           'school_id', 'hours_per_week']
WIDER = ['planned_end', 'session_mask', 'full_time']


def upgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_running')
        batch_op.create_index('ix_placements_running', RUNNING + WIDER, unique=False)


def downgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_running')
        batch_op.create_index('ix_placements_running', RUNNING, unique=False)
