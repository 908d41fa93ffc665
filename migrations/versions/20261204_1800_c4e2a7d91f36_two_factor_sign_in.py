"""Two-factor sign-in: each user's TOTP secret, last code's time step and recovery codes' hashes,
and the LA's setting that asks it of every user.

Revision ID: c4e2a7d91f36
Revises: b3d1f0a9c2e4
Create Date: 2026-12-04 18:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e2a7d91f36'
down_revision = 'b3d1f0a9c2e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'require_two_factor_for_all',
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('two_factor_enabled_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recovery_code_hashes', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_code_hashes')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('two_factor_enabled_at')
        batch_op.drop_column('totp_secret')
    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.drop_column('require_two_factor_for_all')
