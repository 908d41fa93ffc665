"""Issue 12: no input answers 500 or writes anything. Control characters (NUL among them) in
any text field, out-of-range dates, numbers no column holds, and GET filters holding control
characters or ids too large for an integer: each gets a field error (or is ignored as an
unknown filter), on SQLite and PostgreSQL alike. Exports cope with values stored before."""

from __future__ import annotations

import html
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select, text

from apregister.extensions import db as _db
from apregister.imports.command import import_providers
from apregister.models import (
    Inspection,
    InspectionStatus,
    KpiSetting,
    LaSettings,
    Placement,
    Provider,
    Pupil,
    Role,
    SelfAssessmentEntry,
)
from apregister.qa.rules import DEFAULT_AREAS
from tests.conftest import (
    SETTINGS_FORM,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_upn,
    submit,
)
from tests.self_assessments import answers, make_self_assessment

TODAY = date.today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())


def _parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _rows(*columns) -> Callable[[], list]:
    """Everything in these columns, to show a refused post wrote nothing."""

    def read() -> list:
        _db.session.expire_all()
        return [tuple(row) for row in _db.session.execute(select(*columns)).all()]

    return read


def _errors(response) -> list[str]:
    page = html.unescape(response.get_data(as_text=True))
    found = re.findall(r'govuk-error-message"[^>]*>(.*?)</p>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", error).split()) for error in found]


@dataclass
class Form:
    path: str
    data: dict
    written: Callable[[], list]


# ---- one representative form of each module, filled in validly, as the right user ---------------


def _apply(login_as) -> Form:
    data = {
        "name": "Fresh Start Mentoring",
        "registration_type": "therapeutic",
        "contact_name": "Pat Lee",
        "contact_email": "pat@freshstart.example",
        "description": "Mentoring\tand\r\nsport",
        "capacity": "12",
        "ofsted_date": _parts(TODAY - timedelta(days=30)),
        "ofsted_judgement": "good",
    }
    return Form("/apply", data, _rows(Provider.id, Provider.name))


def _pupil_edit(login_as) -> Form:
    school = make_school()
    pupil = make_pupil(school, first_name="Before", date_of_birth=date(2013, 1, 1))
    login_as(Role.SCHOOL, school)
    data = {
        "upn": pupil.upn,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": ["1", "2", "2013"],
        "sex": "F",
        "sen_status": "sen_support",
        "looked_after": "yes",
        "disadvantaged": "no",
    }
    columns = (Pupil.first_name, Pupil.last_name, Pupil.date_of_birth)
    return Form(f"/pupils/{pupil.id}/edit", data, _rows(*columns))


def _placement_new(login_as) -> Form:
    school = make_school()
    login_as(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider()
    data = {
        "submission_key": "key-1",
        "pupil_id": str(pupil.id),
        "provider_id": str(provider.id),
        "reason": "re_engage",
        "start_date": _parts(MONDAY),
        "sessions": ["mon_am", "mon_pm", "tue_am"],
        "hours_per_week": "7.5",
        "cost_per_week": "450",
        "full_time": "part",
        "objectives": "Attend every session\nRead for 20 minutes a day",
        "reintegration_plan": "Back to school two days a week from week 6",
        "confirmed": "yes",
    }
    return Form("/placements/new", data, _rows(Placement.id))


def _provider_edit(login_as) -> Form:
    login_as(Role.LA_OFFICER)
    provider = make_provider(name="Riverside Tuition")
    data = {
        "name": "Riverside Tuition",
        "registration_type": "tuition",
        "ukprn": "10099999",
        "postcode": "de1 1aa",
        "contact_email": "office@riverside.example",
        "contact_phone": "01632 960 003",
        "daily_rate": "95.50",
        "capacity": "20",
        "area": "North",
        "internal_notes": "Good\tfeedback",
        "ofsted_date": _parts(TODAY - timedelta(days=30)),
        "ofsted_judgement": "good",
    }
    columns = (Provider.name, Provider.daily_rate, Provider.capacity, Provider.internal_notes)
    return Form(f"/providers/{provider.id}/edit", data, _rows(*columns))


def _kpi_targets(login_as) -> Form:
    login_as(Role.LA_LEAD)
    data = {
        "baseline_date": ["1", "9", str(TODAY.year - 1)],
        "target_attendance_rate": "90",
        "comparator_attendance_rate": "86.5%",
        "source_attendance_rate": "National figure 2024/25",
        "target_active": "40",
    }
    columns = (KpiSetting.key, KpiSetting.target, KpiSetting.comparator)
    return Form("/dashboard/settings", data, _rows(*columns))


def _settings(login_as) -> Form:
    login_as(Role.LA_LEAD)
    columns = (LaSettings.full_time_hours, LaSettings.threshold_pupils)
    return Form("/settings", dict(SETTINGS_FORM), _rows(*columns))


def _inspection_record(login_as) -> Form:
    inspector = login_as(Role.LA_LEAD)
    provider = make_provider()
    data = {
        "visit_date": _parts(TODAY - timedelta(days=1)),
        "inspector_id": str(inspector.id),
        "overall_outcome": "approved",
        "summary": "A calm, well-run setting",
        "action_rows": "1",
        "action_0_description": "Update the lesson plans",
        "action_0_owner": "provider",
        "action_0_due": _parts(TODAY + timedelta(days=30)),
        "confirmed": "yes",
    }
    for key, _ in DEFAULT_AREAS:
        data[f"judgement_{key}"] = "met"
        data[f"findings_{key}"] = ""
    path = f"/inspections/record?provider_id={provider.id}"
    return Form(path, data, _rows(Inspection.id))


def _self_assessment(login_as) -> Form:
    provider = make_provider()
    login_as(Role.PROVIDER, provider)
    assessment = make_self_assessment(provider)
    path = f"/self-assessments/{assessment.id}/edit"
    columns = (SelfAssessmentEntry.rating, SelfAssessmentEntry.evidence)
    return Form(path, answers(action="draft"), _rows(*columns))


FORMS = {
    "apply": _apply,
    "pupil edit": _pupil_edit,
    "placement new": _placement_new,
    "provider edit": _provider_edit,
    "KPI targets": _kpi_targets,
    "settings": _settings,
    "inspection record": _inspection_record,
    "self-assessment": _self_assessment,
}

# each form's text, date and number fields to spoil (a text area among the text fields)
TEXT_FIELDS = [
    ("apply", "name"),
    ("apply", "description"),
    ("pupil edit", "last_name"),
    ("placement new", "objectives"),
    ("provider edit", "name"),
    ("provider edit", "internal_notes"),
    ("KPI targets", "source_attendance_rate"),
    ("inspection record", "summary"),
    ("inspection record", "action_0_description"),
    ("self-assessment", "evidence_0"),
]
DATE_FIELDS = [
    ("apply", "ofsted_date"),
    ("pupil edit", "date_of_birth"),
    ("placement new", "start_date"),
    ("provider edit", "ofsted_date"),
    ("KPI targets", "baseline_date"),
    ("inspection record", "visit_date"),
]
NUMBER_FIELDS = [
    ("apply", "capacity"),
    ("placement new", "hours_per_week"),
    ("placement new", "cost_per_week"),
    ("provider edit", "daily_rate"),
    ("provider edit", "capacity"),
    ("KPI targets", "target_attendance_rate"),
    ("KPI targets", "comparator_attendance_rate"),
    ("settings", "full_time_hours"),
    ("settings", "threshold_pupils"),
]

CONTROL_TEXT = ["Evil\x0bApplicant Ltd", "Nul\x00byte", "\x00", "Bell\x07"]
BAD_DATES = [
    (["1" * 25, "1", "2025"], "must be a real date"),
    (["1", "1" * 25, "2025"], "must be a real date"),
    (["31", "12", "9999"], "must be a year from 1900 to 2100"),
    (["1", "1", "1066"], "must be a year from 1900 to 2100"),
]
BAD_NUMBERS = ["sNaN", "NaN", "-nan", "Infinity", "1e309", "1e30", "9" * 30, "-" + "9" * 30]


def _refused(client, login_as, form_name: str, field: str, value, message: str) -> None:
    form = FORMS[form_name](login_as)
    before = form.written()
    response = submit(client, form.path, form.data | {field: value})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200, page[:2000]
    assert "govuk-error-message" in page
    assert message in page
    assert form.written() == before


@pytest.mark.parametrize("form_name", FORMS)
def test_each_form_saves_as_filled_in(client, db, login_as, form_name):
    """The forms here are refused for the one bad value only: as they stand, they save."""
    form = FORMS[form_name](login_as)
    before = form.written()
    response = submit(client, form.path, form.data)
    assert response.status_code == 302, _errors(response)
    assert form.written() != before


@pytest.mark.parametrize("value", CONTROL_TEXT)
@pytest.mark.parametrize(("form_name", "field"), TEXT_FIELDS)
def test_control_characters_in_text_get_a_field_error_and_write_nothing(
    client, db, login_as, form_name, field, value
):
    message = "must not contain special characters such as tabs or control codes"
    _refused(client, login_as, form_name, field, value, message)


@pytest.mark.parametrize(("value", "message"), BAD_DATES)
@pytest.mark.parametrize(("form_name", "field"), DATE_FIELDS)
def test_out_of_range_dates_get_a_field_error_and_write_nothing(
    client, db, login_as, form_name, field, value, message
):
    _refused(client, login_as, form_name, field, value, message)


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize(("form_name", "field"), NUMBER_FIELDS)
def test_numbers_no_column_holds_get_a_field_error_and_write_nothing(
    client, db, login_as, form_name, field, value
):
    form = FORMS[form_name](login_as)
    before = form.written()
    response = submit(client, form.path, form.data | {field: value})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200, page[:2000]
    assert "govuk-error-message" in page
    assert form.written() == before


def test_a_tab_and_line_breaks_are_fine_in_a_text_area(client, db, login_as):
    form = _apply(login_as)
    response = submit(client, form.path, form.data)
    assert response.status_code == 302
    assert db.session.scalar(select(Provider.description)) == "Mentoring\tand\r\nsport"


# ---- GET filters --------------------------------------------------------------------------------

HUGE = "99999999999999999999"

FILTERS = [
    (Role.SCHOOL, f"/placements?provider_id={HUGE}"),
    (Role.LA_LEAD, f"/placements?provider_id={HUGE}&school_id={HUGE}"),
    (Role.LA_LEAD, "/placements?status=%00&reason=%00"),
    (Role.LA_LEAD, "/providers?area=%00"),
    (Role.LA_LEAD, "/providers?q=a%00b&status=%00&provision_type=%00"),
    (Role.SCHOOL, "/providers?q=%00"),
    (Role.LA_LEAD, "/audit?table_name=%00"),
    (Role.LA_LEAD, f"/audit?user_id={HUGE}"),
    (Role.LA_LEAD, "/audit?record_id=%00"),
    (Role.LA_LEAD, f"/dashboard?provider_id={HUGE}"),
    (Role.LA_LEAD, "/dashboard?phase=%00"),
    (Role.LA_LEAD, f"/placements/new?pupil_id={HUGE}&provider_id={HUGE}"),
    (Role.LA_LEAD, f"/inspections/new?provider_id={HUGE}"),
    (Role.LA_LEAD, "/reports/census?census_date=2147483648"),
    (Role.LA_LEAD, "/reports/census?census_date=1&census_date=1&census_date=99999999999"),
    (Role.LA_LEAD, f"/reports/census?census_date={'1' * 25}&census_date=1&census_date=2025"),
    (Role.LA_LEAD, "/reports/census?census_date=%00&census_date=1&census_date=2025"),
]


@pytest.mark.parametrize(("role", "path"), FILTERS)
def test_bad_filters_are_ignored_not_a_server_error(client, db, login_as, role, path):
    login_as(role)
    response = client.get(path)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:2000]


def test_a_provider_id_too_large_for_the_record_page_is_not_found(client, db, login_as):
    login_as(Role.LA_LEAD)
    assert client.get(f"/inspections/record?provider_id={HUGE}").status_code == 404


def test_the_record_page_links_to_the_visit_already_planned(client, db, login_as):
    login_as(Role.LA_LEAD)
    provider = make_provider(name="Smith & <Sons>")
    planned = Inspection(
        provider_id=provider.id,
        status=InspectionStatus.PLANNED,
        planned_date=TODAY + timedelta(days=7),
    )
    db.session.add(planned)
    db.session.commit()
    page = client.get(f"/inspections/record?provider_id={provider.id}").get_data(as_text=True)
    assert "&lt;a " not in page
    assert f'<a class="govuk-link" href="/inspections/{planned.id}/record">' in page
    assert "A visit to Smith &amp; &lt;Sons&gt; is planned for" in page


# ---- exports of values stored before the forms refused them -----------------------------------


def _stored_with_control_characters():
    # (no NUL: PostgreSQL never stored one)
    make_provider(name="Evil\x0bApplicant Ltd", area="North\x1f", website="=cmd|\x07")
    school = make_school()
    pupil = make_pupil(school, upn=None, first_name="Tab\x0bby", last_name="\x1f=1+1")
    make_placement(pupil)
    return school


@pytest.mark.parametrize(
    "path", ["/providers/export.xlsx", "/reports/data-quality.xlsx", "/placements/export.xlsx"]
)
def test_xlsx_exports_leave_out_characters_xml_cannot_hold(client, db, login_as, path):
    _stored_with_control_characters()
    login_as(Role.LA_LEAD)
    response = client.get(path)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [value for row in sheet.iter_rows(values_only=True) for value in row]
    texts = [value for value in values if isinstance(value, str)]
    assert not any(ILLEGAL_CHARACTERS_RE.search(value) for value in texts)
    if path.startswith("/providers"):
        assert "EvilApplicant Ltd" in texts


@pytest.mark.parametrize(
    "path", ["/providers/export.csv", "/reports/data-quality.csv", "/placements/export.csv"]
)
def test_csv_exports_leave_them_out_and_still_defuse_formulas(client, db, login_as, path):
    _stored_with_control_characters()
    login_as(Role.LA_LEAD)
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert not ILLEGAL_CHARACTERS_RE.search(body)
    assert "\n=" not in body and ",=" not in body


# ---- flask import-providers --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Nul\x00Tuition", "Evil\x0bApplicant Ltd"])
def test_import_refuses_a_row_with_control_characters(app, db, tmp_path, name):
    path = tmp_path / "providers.csv"
    path.write_text(f"name,registration_type\nGood Tuition,tuition\n{name},tuition\n")
    result = app.test_cli_runner().invoke(import_providers, [str(path)])
    assert result.exit_code != 0
    if "\x00" in name:  # a NUL byte: no spreadsheet writes one, so the file is refused whole
        assert "must be a CSV or an Excel" in result.output
    else:
        assert "row 3, Name: Remove the special characters" in result.output
    assert db.session.scalar(select(func.count()).select_from(Provider)) == 0


# ---- what a database failure logs ---------------------------------------------------------------


def test_a_database_failure_logs_no_pupil_data(app, client, db, login_as, monkeypatch, caplog):
    """A failing statement's bound values (a pupil's name, UPN and date of birth) stay out of
    the error, so out of the log."""
    from apregister.pupils import views

    school = make_school()
    upn = make_upn()
    pupil = make_pupil(school, upn=upn, first_name="Zebedee", last_name="Quixotic")
    login_as(Role.SCHOOL, school)

    def failing(*args, **kwargs):
        _db.session.execute(
            text("INSERT INTO no_such_table (upn, name, born) VALUES (:upn, :name, :born)"),
            {"upn": upn, "name": "Zebedee Quixotic", "born": date(2012, 10, 1)},
        )

    target = next(
        name
        for name in ("update_pupil", "change_pupil", "edit_pupil")
        if hasattr(views.operations, name)
    )
    monkeypatch.setattr(views.operations, target, failing)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        with caplog.at_level(logging.DEBUG):
            response = submit(
                client,
                f"/pupils/{pupil.id}/edit",
                {
                    "upn": upn,
                    "first_name": "Zebedee",
                    "last_name": "Quixotic",
                    "date_of_birth": ["1", "10", "2012"],
                    "sex": "F",
                    "sen_status": "none",
                    "looked_after": "no",
                    "disadvantaged": "no",
                },
            )
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    logged = caplog.text + "".join(
        str(record.exc_info[1]) for record in caplog.records if record.exc_info
    )
    assert "no_such_table" in logged  # the failure was logged
    for secret in (upn, "Zebedee", "Quixotic", "2012-10-01"):
        assert secret not in logged
