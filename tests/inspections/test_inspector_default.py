"""A new inspection's inspector defaults to the person recording it, and can be changed
(issue 13)."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apregister.models import Inspection, InspectionStatus, Role
from tests.conftest import make_provider, make_user, submit

TODAY = date.today()


def _selected_inspector(page: str) -> list[str]:
    """The values of the selected options in the inspector select."""
    select_html = re.search(r'<select[^>]*name="inspector_id".*?</select>', page, re.S)
    assert select_html, "no inspector select on the page"
    return re.findall(r'<option value="(\d+)" selected>', select_html.group(0))


def _planned(db, provider, inspector=None) -> Inspection:
    inspection = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PLANNED,
        planned_date=TODAY + timedelta(days=7),
        inspector_id=inspector.id if inspector else None,
    )
    db.session.add(inspection)
    db.session.commit()
    return inspection


@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.LA_OFFICER])
def test_planning_a_visit_defaults_the_inspector_to_the_person_planning_it(
    client, db, login_as, role
):
    make_provider()
    make_user(Role.LA_LEAD, name="Another Inspector")
    me = login_as(role)
    page = html.unescape(client.get("/inspections/new").get_data(as_text=True))
    assert _selected_inspector(page) == [str(me.id)]


def test_recording_an_unplanned_visit_defaults_the_inspector_to_the_person_recording_it(
    client, db, login_as
):
    provider = make_provider()
    make_user(Role.LA_LEAD, name="Another Inspector")
    me = login_as(Role.LA_OFFICER)
    page = client.get(f"/inspections/record?provider_id={provider.id}").get_data(as_text=True)
    assert _selected_inspector(page) == [str(me.id)]


def test_a_planned_visit_keeps_its_named_inspector(client, db, login_as):
    provider = make_provider()
    named = make_user(Role.LA_LEAD, name="Named Inspector")
    login_as(Role.LA_OFFICER)
    inspection = _planned(db, provider, inspector=named)
    page = client.get(f"/inspections/{inspection.id}/record").get_data(as_text=True)
    assert _selected_inspector(page) == [str(named.id)]


def test_a_planned_visit_without_an_inspector_defaults_to_the_person_recording_it(
    client, db, login_as
):
    provider = make_provider()
    me = login_as(Role.LA_LEAD)
    inspection = _planned(db, provider)
    page = client.get(f"/inspections/{inspection.id}/record").get_data(as_text=True)
    assert _selected_inspector(page) == [str(me.id)]


def test_the_default_inspector_can_be_changed(client, db, login_as):
    provider = make_provider()
    colleague = make_user(Role.LA_OFFICER, name="Colleague Inspector")
    login_as(Role.LA_LEAD)
    day = TODAY + timedelta(days=5)
    response = submit(
        client,
        "/inspections/new",
        {
            "provider_id": provider.id,
            "planned_date": [str(day.day), str(day.month), str(day.year)],
            "inspector_id": colleague.id,
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Inspection.inspector_id)).one() == colleague.id
