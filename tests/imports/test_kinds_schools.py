"""Importing schools: matched by URN; a new one is an organisation of kind school."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from apregister.imports.kinds.base import Action, RowError
from apregister.imports.kinds.schools import KIND
from apregister.models import Organisation, OrganisationKind, School, SchoolPhase
from tests.conftest import make_school
from tests.imports.kind_runs import KindRun

TODAY = date(2025, 3, 3)
RUN = KindRun(KIND, TODAY)
checked, imported = RUN.checked, RUN.imported
KEYS = RUN.keys


NORTHFIELD = {"urn": "140001", "name": "Northfield Academy", "phase": "Secondary"}
ST_ANNES = {"urn": "140003", "name": "St Anne's CE Primary School", "phase": "primary"}


def test_valid_rows_create_schools(db):
    results = imported(db, NORTHFIELD, ST_ANNES | {"phase": "All-through"})

    assert [row.action for row in results] == [Action.CREATE, Action.CREATE]
    school = db.session.scalars(select(School).where(School.urn == "140001")).one()
    assert (school.name, school.phase) == ("Northfield Academy", SchoolPhase.SECONDARY)
    organisation = db.session.get(Organisation, school.id)
    assert organisation.kind is OrganisationKind.SCHOOL
    other = db.session.scalars(select(School).where(School.urn == "140003")).one()
    assert other.phase is SchoolPhase.ALL_THROUGH


def test_the_same_rows_again_are_unchanged(db):
    imported(db, NORTHFIELD, ST_ANNES)

    results = imported(db, NORTHFIELD, ST_ANNES)

    assert [row.action for row in results] == [Action.UNCHANGED, Action.UNCHANGED]
    assert len(db.session.scalars(select(School)).all()) == 2


def test_a_changed_cell_updates_the_school(db):
    make_school(urn="140001", name="Northfield School", phase=SchoolPhase.SECONDARY)

    [result] = imported(db, NORTHFIELD)
    [blank] = imported(db, {"urn": "140001", "name": "", "phase": "special"})

    assert (result.action, result.changed) == (Action.UPDATE, ("Name",))
    assert (blank.action, blank.changed) == (Action.UPDATE, ("Phase",))
    school = db.session.scalars(select(School).where(School.urn == "140001")).one()
    assert (school.name, school.phase) == ("Northfield Academy", SchoolPhase.SPECIAL)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"urn": ""}, "URN", "Enter the school's URN"),
        ({"urn": "14001"}, "URN", "URN must be 6 digits, like 123456"),
        ({"name": ""}, "Name", "Enter the school's name"),
        ({"name": "x" * 201}, "Name", "The school's name must be 200 characters or fewer"),
        ({"phase": ""}, "Phase", "Enter the school's phase"),
        ({"phase": "nursery"}, "Phase", "'nursery' is not a school phase"),
    ],
)
def test_a_bad_cell_is_refused(db, cells, column, message):
    _, [result] = checked(NORTHFIELD | cells)

    assert result.action is Action.INVALID
    [error] = result.errors
    assert (error.line, error.column) == (2, column)
    assert error.message.startswith(message)


def test_the_same_urn_twice_is_an_error_on_the_second_row(db):
    _, results = checked(NORTHFIELD, ST_ANNES, NORTHFIELD | {"name": "Copy"})

    assert results[2].errors == [RowError(4, "URN", "This URN is also on row 2")]
