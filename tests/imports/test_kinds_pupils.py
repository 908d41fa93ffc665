"""Importing pupils: matched by UPN (or name, date of birth and owner without one), checked as
the pupil form checks them, owned by a school on the register or by the LA."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from stdnum.gb import upn as stdnum_upn

from apregister.imports.kinds.base import Action, RowError
from apregister.imports.kinds.pupils import KIND
from apregister.models import AuditEvent, Pupil, SenStatus, Sex
from apregister.settings import current_settings
from tests.conftest import make_la, make_pupil, make_school, make_upn
from tests.imports.kind_runs import KindRun

TODAY = date(2025, 3, 3)
RUN = KindRun(KIND, TODAY)
checked, imported = RUN.checked, RUN.imported
KEYS = RUN.keys


def pupil_row(upn: str = "", **cells: str) -> dict[str, str]:
    return {
        "upn": upn,
        "first_name": "Sam",
        "last_name": "Smith",
        "date_of_birth": "1/10/2012",
        "sex": "F",
        "sen_status": "EHC plan",
        "looked_after": "No",
        "disadvantaged": "Yes",
        "school_urn": "140001",
    } | cells


@pytest.fixture
def school():
    make_la()
    return make_school(urn="140001", name="Northfield Academy")


def test_a_valid_row_creates_a_pupil_at_the_school(db, school):
    upn = make_upn()

    [result] = imported(db, pupil_row(upn.lower()))

    assert (result.action, result.key, result.summary) == (
        Action.CREATE,
        upn,
        "Pupil at Northfield Academy",
    )
    pupil = db.session.scalars(select(Pupil)).one()
    assert (pupil.upn, pupil.owner_id, pupil.first_name, pupil.date_of_birth) == (
        upn,
        school.id,
        "Sam",
        date(2012, 10, 1),
    )
    assert (pupil.sex, pupil.sen_status) == (Sex.FEMALE, SenStatus.EHC_PLAN)
    assert (pupil.looked_after, pupil.disadvantaged) == (False, True)


def test_a_pupil_with_no_school_belongs_to_the_la(db, school):
    la = make_la()

    [result] = imported(db, pupil_row(make_upn(), school_urn=""))

    assert result.summary == f"Pupil at {la.name}"
    assert db.session.scalars(select(Pupil.owner_id)).one() == la.id


def test_the_same_rows_again_are_unchanged(db, school):
    rows = [pupil_row(make_upn()), pupil_row("", first_name="Alex", school_urn="")]
    imported(db, *rows)
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))

    results = imported(db, *rows)

    assert [row.action for row in results] == [Action.UNCHANGED, Action.UNCHANGED]
    assert db.session.scalar(select(func.count()).select_from(Pupil)) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows


def test_changed_cells_update_the_pupil_and_blank_cells_keep_theirs(db, school):
    upn = make_upn()
    imported(db, pupil_row(upn))
    other = make_school(urn="140002")

    [result] = imported(
        db, {"upn": upn, "last_name": "Smyth", "sen_status": "none", "school_urn": "140002"}
    )

    assert result.action is Action.UPDATE
    assert result.changed == ("Last name", "SEN status", "School URN")
    pupil = db.session.scalars(select(Pupil)).one()
    assert (pupil.last_name, pupil.sen_status, pupil.owner_id) == (
        "Smyth",
        SenStatus.NONE,
        other.id,
    )
    assert (pupil.first_name, pupil.disadvantaged) == ("Sam", True)


def test_a_pupil_without_a_upn_is_matched_by_name_birth_and_school(db, school):
    recorded = make_pupil(school, upn=None, first_name="Sam", last_name="Smith",
                          date_of_birth=date(2012, 10, 1))  # fmt: skip
    upn = make_upn()

    _, [same, elsewhere, again] = checked(
        pupil_row(first_name="sam", sen_status="none"),
        pupil_row(school_urn=""),
        pupil_row(upn),
    )
    _, [given_upn] = checked(pupil_row(upn))

    assert (same.action, same.values[0]) == (Action.UPDATE, recorded.id)
    assert same.changed == ("First name", "Sex", "Disadvantaged")
    assert elsewhere.action is Action.CREATE
    assert again.errors == [RowError(4, None, "This pupil is also on row 2")]
    assert (given_upn.action, given_upn.values[0]) == (Action.UPDATE, recorded.id)
    assert given_upn.changed == ("UPN", "Sex", "SEN status", "Disadvantaged")


def test_an_unknown_la_number_is_noted_not_refused(db, school):
    rest = "999123450001"
    upn = stdnum_upn.calc_check_digit(rest) + rest

    _, [result] = checked(pupil_row(upn))

    assert result.action is Action.CREATE
    assert "local authority number (999) is not one we know" in result.summary


BAD_CELLS = [
    ({"upn": "A12345"}, "UPN", "UPN must be 13 characters"),
    ({"upn": "B201123400001"}, "UPN", "The UPN's check letter is wrong"),
    ({"first_name": ""}, "First name", "Enter the pupil's first name"),
    ({"last_name": "x" * 101}, "Last name", "Last name must be 100 characters or fewer"),
    ({"date_of_birth": ""}, "Date of birth", "Enter the pupil's date of birth"),
    ({"date_of_birth": "10/31/2012"}, "Date of birth", "Enter a real date"),
    ({"date_of_birth": "4/3/2025"}, "Date of birth", "The date of birth must be in the past"),
    ({"date_of_birth": "1/1/1990"}, "Date of birth", "The pupil must be of compulsory school age"),
    ({"date_of_birth": "1/1/2024"}, "Date of birth", "The pupil must be of compulsory school age"),
    ({"sex": "X"}, "Sex", "'X' is not a sex"),
    ({"sex": ""}, "Sex", "Enter the pupil's sex: F, M or U"),
    ({"sen_status": "statement"}, "SEN status", "'statement' is not an SEN status"),
    ({"looked_after": "sometimes"}, "Looked after", "Enter yes or no"),
    ({"disadvantaged": ""}, "Disadvantaged", "Enter yes if the pupil is disadvantaged, or no"),
    ({"school_urn": "123456"}, "School URN",
     "No school with URN 123456 is on the register: import schools first"),
]  # fmt: skip


@pytest.mark.parametrize(("cells", "column", "message"), BAD_CELLS)
def test_a_bad_cell_is_refused_on_its_column(db, school, cells, column, message):
    _, [result] = checked(pupil_row(make_upn()) | cells)

    assert result.action is Action.INVALID
    [error] = result.errors
    assert (error.line, error.column) == (2, column)
    assert error.message.startswith(message)


def test_a_recorded_pupil_past_school_age_can_still_be_corrected(db, school):
    upn = make_upn()
    make_pupil(school, upn=upn, date_of_birth=date(2005, 1, 1))

    _, [result] = checked({"upn": upn, "date_of_birth": "1/1/2005", "last_name": "Jones"})

    assert result.action is Action.UPDATE


def test_the_same_upn_twice_is_an_error_on_the_second_row(db, school):
    upn = make_upn()

    _, results = checked(pupil_row(upn), pupil_row(make_upn()), pupil_row(upn))

    assert results[2].errors == [RowError(4, "UPN", "This UPN is also on row 2")]


def test_the_same_pupil_without_a_upn_twice_is_an_error(db, school):
    _, results = checked(pupil_row(), pupil_row(first_name=" Sam ".strip()))

    assert results[1].action is Action.INVALID
    assert results[1].errors[0].message.startswith("This pupil is also on row 2")


def test_check_runs_no_query_per_row(db, school):
    from tests.conftest import count_queries

    context = KIND.prepare(today=TODAY, settings=current_settings())
    with count_queries() as statements:
        for line in range(2, 52):
            KIND.check(context, line, dict.fromkeys(KEYS, "") | pupil_row(make_upn()))
    assert statements == []


def test_a_pupil_who_has_left_school_within_the_retention_period_is_imported(db, school):
    """History: the form adds a pupil placed now; an import may bring one who has left."""
    _, [result] = checked(pupil_row(make_upn()) | {"date_of_birth": "1/1/2005"})
    assert result.action is Action.CREATE, result.errors
