"""UPNs from every LA: a council newer than stdnum's 2011 list is accepted; an LA number we do
not know is a warning the user can accept; a wrong check letter is still refused."""

import logging
import re
from datetime import date

from sqlalchemy import select
from stdnum.gb import upn as stdnum_upn

from apregister.models import Pupil, Role
from tests.conftest import make_pupil, make_school, submit
from tests.pupils.test_views import _assert_field_error, _count, _form, _links, _text

UNKNOWN = "The UPN's local authority number (999) is not one we know"
WRONG_CHECK_LETTER = "The UPN's check letter is wrong"


def _upn(rest: str) -> str:
    return stdnum_upn.calc_check_digit(rest) + rest


def _wrong_check_letter(upn: str) -> str:
    return ("B" if upn[0] != "B" else "C") + upn[1:]


def _checkbox(page: str) -> str | None:
    match = re.search(r'<input[^>]*name="upn_confirmed_la"[^>]*>', page)
    return match.group(0) if match else None


def _pupil_with(db, upn: str) -> Pupil | None:
    return db.session.scalars(select(Pupil).where(Pupil.upn == upn)).one_or_none()


# ---- adding a pupil ----------------------------------------------------------------------------


def test_school_adds_a_pupil_with_a_upn_from_north_northamptonshire(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    upn = _upn("940123400001")
    response = submit(client, "/pupils/new", _form(upn=upn))
    assert response.status_code == 302
    pupil = _pupil_with(db, upn)
    assert pupil is not None and pupil.owner_id == school.id


def test_a_welsh_upn_is_accepted_without_a_warning(client, db, login_as):
    login_as(Role.SCHOOL)
    upn = _upn("681123400001")
    assert submit(client, "/pupils/new", _form(upn=upn)).status_code == 302
    assert _pupil_with(db, upn) is not None


def test_an_unknown_la_number_gets_a_warning_and_writes_nothing(client, db, login_as):
    login_as(Role.SCHOOL)
    upn = _upn("999123400001")
    response = submit(client, "/pupils/new", _form(upn=upn))
    _assert_field_error(response, "upn", UNKNOWN)
    page = _text(response)
    assert "Check the UPN, or confirm it is right" in page
    checkbox = _checkbox(page)
    assert checkbox and 'value="999"' in checkbox and "checked" not in checkbox
    assert "This UPN is right" in page
    # the UPN the user typed is kept in the box, and goes into no address on the page
    assert f'value="{upn}"' in page
    assert not any(upn.lower() in link.lower() for link in _links(page))
    assert _count(db) == 0


def test_an_unknown_la_number_confirmed_is_saved(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    upn = _upn("999123400001")
    submit(client, "/pupils/new", _form(upn=upn))
    response = submit(client, "/pupils/new", _form(upn=upn, upn_confirmed_la="999"))
    assert response.status_code == 302
    pupil = _pupil_with(db, upn)
    assert pupil is not None and pupil.owner_id == school.id
    assert response.headers["Location"] == f"/pupils/{pupil.id}"


def test_the_confirmation_is_for_one_la_number_only(client, db, login_as):
    login_as(Role.SCHOOL)
    upn = _upn("998123400001")
    response = submit(client, "/pupils/new", _form(upn=upn, upn_confirmed_la="999"))
    _assert_field_error(response, "upn", "local authority number (998) is not one we know")
    assert 'value="998"' in _checkbox(_text(response))
    assert _count(db) == 0


def test_a_wrong_check_letter_is_refused_even_with_the_confirmation(client, db, login_as):
    login_as(Role.SCHOOL)
    wrong = _wrong_check_letter(_upn("999123400001"))
    response = submit(client, "/pupils/new", _form(upn=wrong, upn_confirmed_la="999"))
    _assert_field_error(response, "upn", WRONG_CHECK_LETTER)
    assert _checkbox(_text(response)) is None
    assert _count(db) == 0


def test_a_wrong_length_or_format_is_refused_even_with_the_confirmation(client, db, login_as):
    login_as(Role.SCHOOL)
    for value, message in [
        ("A99912340000", "UPN must be 13 characters"),
        ("A9991234X0001", "UPN must be a letter followed by 11 digits"),
    ]:
        response = submit(client, "/pupils/new", _form(upn=value, upn_confirmed_la="999"))
        _assert_field_error(response, "upn", message)
    assert _count(db) == 0


def test_a_confirmed_unknown_la_number_stays_confirmed_when_another_answer_is_wrong(
    client, db, login_as
):
    login_as(Role.SCHOOL)
    upn = _upn("999123400001")
    data = _form(upn=upn, upn_confirmed_la="999", first_name="")
    response = submit(client, "/pupils/new", data)
    _assert_field_error(response, "first_name", "Enter the pupil's first name")
    page = _text(response)
    assert 'id="upn-error"' not in page
    assert "checked" in _checkbox(page)
    assert _count(db) == 0


def test_the_warning_puts_no_upn_in_a_log_line(client, db, login_as, caplog):
    login_as(Role.SCHOOL)
    upn = _upn("999123400001")
    with caplog.at_level(logging.DEBUG):
        submit(client, "/pupils/new", _form(upn=upn))
        submit(client, "/pupils/new", _form(upn=upn, upn_confirmed_la="999"))
    assert _pupil_with(db, upn) is not None
    assert upn not in caplog.text and upn.lower() not in caplog.text.lower()


# ---- changing a pupil --------------------------------------------------------------------------


def test_changing_to_an_unknown_la_number_asks_first_then_saves(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school, date_of_birth=date(2013, 1, 1))
    before = pupil.upn
    login_as(Role.SCHOOL, school)
    upn = _upn("999123400002")
    path = f"/pupils/{pupil.id}/edit"
    response = submit(client, path, _form(upn=upn))
    _assert_field_error(response, "upn", UNKNOWN)
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).upn == before
    assert submit(client, path, _form(upn=upn, upn_confirmed_la="999")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).upn == upn
    # the recorded UPN is not questioned again when other details change
    response = submit(client, path, _form(upn=upn, first_name="Grace"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).first_name == "Grace"


def test_changing_to_a_wrong_check_letter_is_refused_even_with_the_confirmation(
    client, db, login_as
):
    school = make_school()
    pupil = make_pupil(school, date_of_birth=date(2013, 1, 1))
    before = pupil.upn
    login_as(Role.SCHOOL, school)
    wrong = _wrong_check_letter(_upn("999123400003"))
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=wrong, upn_confirmed_la="999"))
    _assert_field_error(response, "upn", WRONG_CHECK_LETTER)
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).upn == before


def test_another_school_cannot_change_the_pupil_even_with_the_confirmation(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school, first_name="Private", upn=_upn("940123400004"))
    other = make_school()
    own = make_pupil(other)
    login_as(Role.SCHOOL, other)
    assert client.get(f"/pupils/{pupil.id}/edit").status_code == 404
    response = submit(
        client,
        f"/pupils/{pupil.id}/edit",
        _form(first_name="Changed", upn=_upn("999123400004"), upn_confirmed_la="999"),
        form_path=f"/pupils/{own.id}/edit",
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).first_name == "Private"
    assert db.session.get(Pupil, pupil.id).upn == _upn("940123400004")
