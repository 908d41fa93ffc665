"""Dashboard figures kept between requests and refreshed by the worker.

Revision ID: d1a7e5c0b9f2
Revises: c81d5e2f0a93
Create Date: 2026-12-04 22:15:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd1a7e5c0b9f2'
down_revision = 'c81d5e2f0a93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_figures',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('for_day', sa.Date(), nullable=False),
        sa.Column('spec', sa.Text(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_kept_figures')),
    )
    with op.batch_alter_table('kept_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_figures_for_day'), ['for_day'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_figures_for_day'))
    op.drop_table('kept_figures')
