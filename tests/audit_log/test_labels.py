"""The audit log in the pages' words (issue 13, item 4): records by kind, linked; changed
fields by their form labels; a pager with page numbers."""

from __future__ import annotations

from apregister.audit_log import labels
from apregister.models import Role
from tests.conftest import make_placement, make_pupil, make_school


def test_records_are_named_by_kind_and_linked_where_they_have_a_page(app):
    with app.test_request_context():
        assert str(labels.record("placements", "12")) == (
            '<a class="govuk-link" href="/placements/12">Placement 12</a>'
        )
        assert labels.record("reviews", "3") == "Review 3"
        assert labels.record("some_new_table", "5") == "Some new table 5"
        assert labels.record("pupils", "not-a-number") == "Pupil not-a-number"
        assert labels.record(None, None) == ""


def test_fields_take_the_label_their_form_gives_them():
    assert labels.field("planned_end") != "Planned end"  # a form's label, not the column
    assert labels.field("first_name") == "First name"
    assert labels.field("no_form_has_this") == "No form has this"


def test_the_log_page_shows_them(client, db, login_as):
    pupil = make_pupil(make_school(), first_name="Logged")
    make_placement(pupil)
    login_as(Role.LA_LEAD)
    page = client.get("/audit").get_data(as_text=True)
    assert f'href="/pupils/{pupil.id}">Pupil {pupil.id}</a>' in page


def test_the_pager_shows_page_numbers(app, client, db, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_PAGE_SIZE", 2)
    school = make_school()
    for n in range(6):
        make_pupil(school, first_name=f"Paged{n}")
    login_as(Role.LA_LEAD)
    page = client.get("/audit?page=2").get_data(as_text=True)
    assert 'aria-current="page"' in page
    assert 'aria-label="Page 1"' in page and 'aria-label="Page 3"' in page


def test_the_page_numbers_follow_the_govuk_pattern():
    from apregister.pagination import Page

    def numbers(number, pages):
        return Page(items=[], total=0, number=number, pages=pages, per_page=1).numbers()

    assert numbers(1, 1) == [1]
    assert numbers(1, 3) == [1, 2, 3]
    assert numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert numbers(10, 10) == [1, None, 9, 10]
    assert numbers(2, 10) == [1, 2, 3, None, 10]
