"""Pupils' names as search compares them (lower case), kept in two indexed columns: a search
for the start of a name reads a range of an index instead of every pupil.

The keys are compared by code point ("C" on PostgreSQL; SQLite's own way), so that the names
starting with a word are one range. Existing rows are filled by one UPDATE with SQL's lower();
the few names it lowers differently from the app (letters beyond ASCII on SQLite, a typographic
apostrophe, stray spaces) are then put right from Python.

The placements of the pupils found are put in the list's order from an index of each pupil's
placements by start (it replaces the index on pupil_id alone, and serves the foreign key).

Revision ID: e4b8c2d6a1f3
Revises: d1a7e5c0b9f2
Create Date: 2026-12-04 22:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4b8c2d6a1f3'
down_revision = 'd1a7e5c0b9f2'
branch_labels = None
depends_on = None

NAME_KEY = sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql')
KEYS = {'first_name_key': 'first_name', 'last_name_key': 'last_name'}
PUPIL_START = ['pupil_id', 'start_date', 'id']


def name_search_key(name):
    """As apregister.models.placement.name_search_key was when this revision was written."""
    return " ".join(name.replace("\u2019", "'").lower().split())


def _fill():
    pupils = sa.table('pupils', sa.column('id'), *(sa.column(c) for c in (*KEYS, *KEYS.values())))
    bind = op.get_bind()
    bind.execute(
        pupils.update().values(
            {key: sa.func.lower(pupils.c[name]) for key, name in KEYS.items()}
        )
    )
    rows = bind.execute(
        sa.select(pupils.c.id, *(pupils.c[c] for c in (*KEYS.values(), *KEYS)))
    )
    fixes = []
    for pupil_id, first, last, first_key, last_key in rows:
        keys = (name_search_key(first), name_search_key(last))
        if keys != (first_key, last_key):
            fixes.append({'pupil': pupil_id, 'first': keys[0], 'last': keys[1]})
    if fixes:
        bind.execute(
            pupils.update()
            .where(pupils.c.id == sa.bindparam('pupil'))
            .values(first_name_key=sa.bindparam('first'), last_name_key=sa.bindparam('last')),
            fixes,
        )


def upgrade():
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        for key in KEYS:
            batch_op.add_column(sa.Column(key, NAME_KEY, nullable=True))
    _fill()
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        for key in KEYS:
            batch_op.alter_column(key, existing_type=NAME_KEY, nullable=False)
            batch_op.create_index(batch_op.f(f'ix_pupils_{key}'), [key], unique=False)
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_pupil_start', PUPIL_START, unique=False)
        batch_op.drop_index('ix_placements_pupil_id')
    if op.get_bind().dialect.name == 'postgresql':
        # the planner's statistics for the new columns now, not when autovacuum next looks:
        # which word of a search to read first is chosen by them
        op.execute('ANALYZE pupils')


def downgrade():
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_pupil_id', ['pupil_id'], unique=False)
        batch_op.drop_index('ix_placements_pupil_start')
    with op.batch_alter_table('pupils', schema=None) as batch_op:
        for key in KEYS:
            batch_op.drop_index(batch_op.f(f'ix_pupils_{key}'))
            batch_op.drop_column(key)
