"""Off-framework placements and their LA review, warnings kept with decisions, the LA's
policy for each kind of provider that is not approved, and the unregistered days limit.

Revision ID: 891fcc30bc72
Revises: 47a0b110f2e2
Create Date: 2026-12-03 17:58:53.214865

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '891fcc30bc72'
down_revision = '47a0b110f2e2'
branch_labels = None
depends_on = None

FK_REVIEWER = 'fk_placements_off_framework_reviewed_by_id_users'


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.add_column('extension_requests', sa.Column('decision_warnings', sa.Text(), nullable=True))

    # Columns are added in place (no table copy: placements is the largest table), with
    # server defaults for the rows already there.
    op.add_column('la_settings', sa.Column('unregistered_max_days', sa.Integer(), nullable=False, server_default='2'))
    for kind in ('not_on_framework', 'suspended', 'removed'):
        op.add_column('la_settings', sa.Column(f'{kind}_policy', sa.String(length=10), nullable=False, server_default='allow'))
    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.drop_column('allow_registered_off_framework')

    op.add_column('placements', sa.Column('off_framework', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('placements', sa.Column('off_framework_status', sa.String(length=20), nullable=True))
    op.add_column('placements', sa.Column('off_framework_reason', sa.Text(), nullable=True))
    op.add_column('placements', sa.Column('off_framework_reviewed_on', sa.Date(), nullable=True))
    if sqlite:
        # SQLite adds a foreign key only with its column, written out
        op.execute(
            'ALTER TABLE placements ADD COLUMN off_framework_reviewed_by_id INTEGER '
            f'CONSTRAINT {FK_REVIEWER} REFERENCES users (id)'
        )
    else:
        op.add_column('placements', sa.Column('off_framework_reviewed_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK_REVIEWER, 'placements', 'users', ['off_framework_reviewed_by_id'], ['id'])
    op.add_column('placements', sa.Column('off_framework_review_note', sa.Text(), nullable=True))
    op.add_column('placements', sa.Column('warnings', sa.Text(), nullable=True))
    op.add_column('placements', sa.Column('warnings_reason', sa.Text(), nullable=True))
    op.create_index('ix_placements_off_framework', 'placements', ['off_framework', 'off_framework_reviewed_on', 'cancelled_on', 'school_id'], unique=False)
    op.create_index('ix_extension_requests_decided_on', 'extension_requests', ['decided_on'], unique=False)


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_index('ix_extension_requests_decided_on', table_name='extension_requests')
    op.drop_index('ix_placements_off_framework', table_name='placements')
    if not sqlite:
        op.drop_constraint(FK_REVIEWER, 'placements', type_='foreignkey')
    for column in ('warnings_reason', 'warnings', 'off_framework_review_note',
                   'off_framework_reviewed_on', 'off_framework_reason', 'off_framework_status',
                   'off_framework'):
        op.drop_column('placements', column)
    if sqlite:
        # SQLite drops a column with a foreign key only by copying the table
        with op.batch_alter_table('placements', schema=None) as batch_op:
            batch_op.drop_column('off_framework_reviewed_by_id')
    else:
        op.drop_column('placements', 'off_framework_reviewed_by_id')

    with op.batch_alter_table('la_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_registered_off_framework', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column('removed_policy')
        batch_op.drop_column('suspended_policy')
        batch_op.drop_column('not_on_framework_policy')
        batch_op.drop_column('unregistered_max_days')

    op.drop_column('extension_requests', 'decision_warnings')
