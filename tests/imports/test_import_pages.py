"""The LA lead's import pages, end to end through real forms: check a file, see what it will
do and every row's errors, confirm, and find the records; the same file again changes nothing;
bad files and other roles are refused, and nothing is written until the lead confirms."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from apregister.extensions import db
from apregister.imports.kinds.registry import KINDS
from apregister.models import AuditEvent, ImportJob, ImportStatus, Placement, Pupil, Role
from tests.conftest import (
    csrf_token,
    make_provider,
    make_pupil,
    make_school,
    make_upn,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("db")


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def upload(client, kind: str, content: bytes, name: str):
    token = csrf_token(client, "/imports")
    return client.post(
        "/imports",
        data={"csrf_token": token, "kind": kind, "upload": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def confirm(client, job_id: int, only_valid: bool = False):
    token = csrf_token(client, f"/imports/{job_id}")
    data = {"csrf_token": token} | ({"only_valid": "y"} if only_valid else {})
    return client.post(f"/imports/{job_id}/confirm", data=data)


def latest_job() -> ImportJob:
    db.session.expire_all()
    return db.session.scalars(select(ImportJob).order_by(ImportJob.id.desc())).first()


def placements_file(pupils, provider, *, bad: set[int] = frozenset()) -> bytes:
    rows = [
        [
            "UPN",
            "Provider",
            "Reason",
            "Start date",
            "Sessions",
            "Hours each week",
            "Full time",
            "Objectives",
            "Reintegration plan",
        ]
    ]
    start = date.today() - timedelta(weeks=3)
    for index, pupil in enumerate(pupils):
        row = [
            pupil.upn,
            provider.name,
            "To re-engage the pupil in education",
            start.strftime("%d/%m/%Y"),
            "Mon AM; Mon PM",
            "6",
            "No",
            "Attend every session",
            "Back to school full time by the summer",
        ]
        if index in bad:
            row[3] = "31/02/2025"  # no such date
        rows.append(row)
    return as_csv(rows)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_lead_checks_a_placements_file_sees_errors_then_imports_the_corrected_file(
    client, login_as
):
    login_as(Role.LA_LEAD)
    school, provider = make_school(), make_provider(name="Bright Futures Tuition")
    pupils = [make_pupil(school) for _ in range(12)]
    response = upload(
        client, "placements", placements_file(pupils, provider, bad={2, 5, 9}), "placements.csv"
    )
    assert response.status_code == 302
    job = latest_job()
    assert job.status is ImportStatus.CHECKED
    assert job.counts == {"create": 9, "invalid": 3}
    page = client.get(response.location).get_data(as_text=True)
    assert "Rows with errors" in page and "Import 9 placements" in page
    for line in (4, 7, 11):
        assert f'<td class="govuk-table__cell">{line}</td>' in page
    report = client.get(f"/imports/{job.id}/errors.csv").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(report.lstrip("\ufeff"))))
    assert lines[0] == ["Row", "Column", "Error"]
    assert [row[0] for row in lines[1:]] == ["4", "7", "11"]
    assert {row[1] for row in lines[1:]} == {"Start date"}

    refused = confirm(client, job.id)  # errors, and the lead did not choose the valid rows
    assert refused.status_code == 400
    assert "import only the rows without errors" in refused.get_data(as_text=True)
    assert count(Placement) == 0 and latest_job().status is ImportStatus.CHECKED

    corrected = upload(client, "placements", placements_file(pupils, provider), "fixed.csv")
    job = latest_job()
    assert job.counts == {"create": 12}
    done = confirm(client, job.id)
    assert done.status_code == 302
    assert latest_job().status is ImportStatus.IMPORTED
    assert latest_job().content is None  # the children's data in the file is not kept
    assert count(Placement) == 12
    logged = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.table_name == "placements")
    ).all()
    assert len(logged) == 12
    assert set(logged) == {f"Imported from fixed.csv (SHA-256 {job.sha256})"}
    listed = client.get("/placements").get_data(as_text=True)
    assert "Bright Futures Tuition" in listed

    again = upload(client, "placements", placements_file(pupils, provider), "fixed.csv")
    assert latest_job().counts == {"unchanged": 12}
    page = client.get(again.location).get_data(as_text=True)
    assert "every row is already on the register as it is in the file" in page
    assert confirm(client, latest_job().id).status_code == 400
    assert count(Placement) == 12
    assert corrected.status_code == 302


def test_lead_may_import_only_the_valid_rows(client, login_as):
    login_as(Role.LA_LEAD)
    school, provider = make_school(), make_provider()
    pupils = [make_pupil(school) for _ in range(4)]
    upload(client, "placements", placements_file(pupils, provider, bad={0}), "p.csv")
    assert confirm(client, latest_job().id, only_valid=True).status_code == 302
    assert latest_job().counts["written"] == 3 and count(Placement) == 3


def test_pupils_import_from_an_xlsx_creates_then_updates_by_upn(client, login_as):
    login_as(Role.LA_LEAD)
    school = make_school(urn="140001")
    upn = make_upn()
    rows = [
        [
            "UPN",
            "First name",
            "Surname",
            "DOB",
            "Sex",
            "SEN status",
            "Looked after",
            "Disadvantaged",
            "School URN",
        ],
        [upn, "Sam", "Jones", date(2012, 10, 1), "F", "None", "No", "No", "140001"],
    ]
    from tests.imports.test_files import xlsx

    upload(client, "pupils", xlsx(rows), "pupils.xlsx")
    assert latest_job().counts == {"create": 1}, latest_job().file_error
    confirm(client, latest_job().id)
    pupil = db.session.scalars(select(Pupil)).one()
    assert (pupil.last_name, pupil.owner_id) == ("Jones", school.id)
    rows[1][2] = "Jones-Smith"
    upload(client, "pupils", xlsx(rows), "pupils.xlsx")
    page = client.get(f"/imports/{latest_job().id}").get_data(as_text=True)
    assert latest_job().counts == {"update": 1}
    assert "Last name" in page  # the column that changes
    confirm(client, latest_job().id)
    db.session.expire_all()
    assert db.session.scalars(select(Pupil.last_name)).one() == "Jones-Smith"


@pytest.mark.parametrize(
    "content, name, says",
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"%PDF-1.7\n\x00\x00", "report.csv", "must be a CSV or an Excel"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls", "older Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_gets_a_field_error_and_nothing_is_kept(
    client, login_as, content, name, says
):
    login_as(Role.LA_LEAD)
    response = upload(client, "pupils", content, name)
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    assert count(ImportJob) == 0


def test_no_file_or_no_kind_is_a_field_error(client, login_as):
    login_as(Role.LA_LEAD)
    token = csrf_token(client, "/imports")
    response = client.post(
        "/imports", data={"csrf_token": token}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Select what the file holds" in page
    assert count(ImportJob) == 0


def test_a_file_whose_columns_do_not_match_is_refused_and_says_which_are_missing(client, login_as):
    login_as(Role.LA_LEAD)
    response = upload(client, "pupils", b"Name,Favourite colour\nSam,Blue\n", "x.csv")
    job = latest_job()
    assert job.status is ImportStatus.REFUSED
    page = client.get(response.location).get_data(as_text=True)
    assert "The file has no &#39;First name&#39; column" in page
    assert count(Pupil) == 0


def test_the_templates_have_the_headings_an_example_row_and_guidance(client, login_as):
    login_as(Role.LA_LEAD)
    for name, kind in KINDS.items():
        response = client.get(f"/imports/templates/{name}.xlsx")
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.data))
        data, guidance = workbook.worksheets
        headings = [cell.value for cell in data[1]]
        assert headings == [column.heading for column in kind.columns]
        assert any(cell.value for cell in data[2])
        assert guidance.title == "Guidance"
        assert guidance.max_row >= len(kind.columns) + 4
        text = client.get(f"/imports/templates/{name}.csv").get_data(as_text=True)
        assert text.lstrip("\ufeff").splitlines()[0].split(",")[0] == kind.columns[0].heading
    assert client.get("/imports/templates/unicorns.xlsx").status_code == 404


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.SCHOOL, Role.PROVIDER, Role.BOARD])
def test_only_the_lead_may_import_or_see_an_import(client, role):
    lead = make_user(Role.LA_LEAD)
    job = ImportJob(
        kind="pupils",
        file_name="p.csv",
        file_type="csv",
        sha256="0" * 64,
        size=1,
        content=b"x",
        status=ImportStatus.CHECKED,
        requested_by_id=lead.id,
        rows_done=0,
    )
    db.session.add(job)
    db.session.commit()
    sign_in(client, make_user(role))
    for path in (
        "/imports",
        f"/imports/{job.id}",
        f"/imports/{job.id}/errors.csv",
        "/imports/templates/pupils.xlsx",
    ):
        assert client.get(path).status_code in (403, 404), path
    assert client.post(f"/imports/{job.id}/confirm").status_code in (400, 403, 404)


def test_an_import_that_does_not_exist_answers_404(client, login_as):
    login_as(Role.LA_LEAD)
    assert client.get("/imports/999999").status_code == 404


def test_a_100mb_file_gets_a_field_error_not_a_500_and_nothing_is_kept(client, login_as):
    login_as(Role.LA_LEAD)
    response = upload(client, "placements", b"UPN\n" + b"A" * (100 * 1024 * 1024), "big.csv")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The selected file must be smaller than 25MB" in page
    assert 'class="govuk-error-summary' in page
    assert count(ImportJob) == 0


def test_a_csv_saved_by_excel_in_windows_1252_is_read_and_said_to_be(client, login_as):
    login_as(Role.LA_LEAD)
    content = "URN,School name,Phase\r\n140009,St Mary\u2019s Caf\u00e9 School,Primary\r\n"
    response = upload(client, "schools", content.encode("cp1252"), "schools.csv")
    assert latest_job().counts == {"create": 1}
    page = client.get(response.location).get_data(as_text=True)
    assert "read as Windows-1252 text" in page
    assert confirm(client, latest_job().id).status_code == 302
    from apregister.models import School

    db.session.expire_all()
    assert db.session.scalars(select(School.name)).one() == "St Mary\u2019s Caf\u00e9 School"


def test_a_file_left_undecided_for_two_weeks_is_dropped_by_the_worker(client, login_as):
    from datetime import UTC, datetime

    from apregister.worker.jobs import JOBS

    login_as(Role.LA_LEAD)
    upload(client, "schools", b"URN,Name,Phase\n140009,Westgate,Primary\n", "old.csv")
    upload(client, "schools", b"URN,Name,Phase\n140010,Eastgate,Primary\n", "new.csv")
    old, new = db.session.scalars(select(ImportJob).order_by(ImportJob.id)).all()
    old.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    assert JOBS["undecided-imports"].run(datetime(2026, 1, 16, tzinfo=UTC)) == 1
    db.session.commit()
    db.session.expire_all()
    assert (old.status, old.content) == (ImportStatus.CANCELLED, None)
    assert new.status is ImportStatus.CHECKED and new.content


@pytest.mark.parametrize(
    "name, shown",
    [
        ("a\x00b.csv", "ab.csv"),
        ("C:/Users/lead/records\x0b.csv", "records.csv"),
        ("/home/lead/schools.csv", "schools.csv"),
        ("x" * 400 + ".csv", "x" * 150),
        ("\x01", "upload"),
    ],
)
def test_the_files_own_name_is_kept_without_its_folders_or_control_characters(
    client, login_as, name, shown
):
    login_as(Role.LA_LEAD)
    response = upload(client, "schools", b"URN,Name,Phase\n140009,Westgate,Primary\n", name)
    assert response.status_code == 302
    assert latest_job().file_name == shown


def test_a_second_click_on_import_shows_the_import_and_writes_nothing_more(client, login_as):
    login_as(Role.LA_LEAD)
    upload(client, "schools", b"URN,Name,Phase\n140009,Westgate,Primary\n", "s.csv")
    job_id = latest_job().id
    token = csrf_token(client, f"/imports/{job_id}")
    assert client.post(f"/imports/{job_id}/confirm", data={"csrf_token": token}).status_code == 302
    again = client.post(f"/imports/{job_id}/confirm", data={"csrf_token": token})
    assert again.status_code == 302 and again.location.endswith(f"/imports/{job_id}")
    assert latest_job().counts["written"] == 1


def test_a_failure_in_the_service_stops_the_import_and_says_so(client, login_as, monkeypatch):
    from apregister.imports.kinds.registry import KINDS

    login_as(Role.LA_LEAD)

    def broken(*args, **kwargs):
        raise RuntimeError("a cell's text that must not reach the log")

    monkeypatch.setattr(KINDS["schools"], "check", broken)
    response = upload(client, "schools", b"URN,Name,Phase\n140009,Westgate,Primary\n", "s.csv")
    job = latest_job()
    assert job.status is ImportStatus.FAILED
    assert f"quoting import {job.id}" in job.file_error
    assert "problem in the service" in client.get(response.location).get_data(as_text=True)
