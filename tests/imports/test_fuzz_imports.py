"""Fuzzed import files, posted through the page as the LA lead: random bytes, damaged workbooks,
and CSVs with the right headings and hostile cells (control characters, formulas, huge and
right-to-left text, impossible dates and numbers). None may answer 5xx, checking one may write
no record, and confirming one with errors (without choosing the valid rows) writes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apregister.imports.kinds.registry import KINDS
from apregister.models import ImportJob, ImportStatus, Role
from tests.conftest import make_school
from tests.imports.test_files import xlsx
from tests.imports.test_import_pages import confirm, latest_job, upload
from tests.test_wrong_tenant_writes import _changed, snapshot

pytestmark = pytest.mark.usefixtures("db")

# the import's own bookkeeping and the log may change; no record may
IGNORED = frozenset({"import_jobs"})
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["=1+2", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "\x00", "\u202eevil", "31/02/2025",
         "99999999999999999999", "-1", "1e309", "NaN", "0000-00-00", "A" * 3000, "yes;no;;",
         "Mon AM; Funday PM", "\r\n", "'", '"']
    ),
)  # fmt: skip


def hostile_csv(kind_name: str, data) -> bytes:
    columns = KINDS[kind_name].columns
    headings = [c.heading for c in columns if data.draw(st.booleans()) or c.required]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for _ in range(data.draw(st.integers(1, 4))):
        writer.writerow([data.draw(hostile_text) for _ in headings])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _check_one(client, kind_name: str, content: bytes, name: str) -> None:
    before = snapshot()
    response = upload(client, kind_name, content, name)
    assert response.status_code < 500
    job = latest_job()
    if response.status_code == 302 and job is not None:
        page = client.get(f"/imports/{job.id}")
        assert page.status_code == 200
        assert client.get(f"/imports/{job.id}/errors.csv").status_code == 200
        if job.status is ImportStatus.CHECKED and (job.counts or {}).get("invalid"):
            assert confirm(client, job.id).status_code == 400
    after = snapshot()
    changed = [name for name in _changed(before, after) if name.split(" ")[0] not in IGNORED]
    assert not changed, changed


@pytest.fixture
def lead_client(client, login_as):
    login_as(Role.LA_LEAD)
    make_school(urn="140001")
    return client


@FUZZ
@given(data=st.data())
def test_hostile_csv_cells_never_fail_and_never_write(lead_client, data):
    kind_name = data.draw(st.sampled_from(list(KINDS)))
    content = hostile_csv(kind_name, data)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates cannot be saved as UTF-8 by any spreadsheet
    _check_one(lead_client, kind_name, content, "fuzz.csv")


@FUZZ
@given(content=st.binary(max_size=3000), kind_name=st.sampled_from(list(KINDS)))
def test_random_bytes_never_fail_and_never_write(lead_client, content, kind_name):
    _check_one(lead_client, kind_name, content, "fuzz.xlsx")


_WORKBOOKS: dict[str, bytes] = {}


def _workbook(kind_name: str) -> bytes:
    """The kind's template rows as a workbook, made once (its bytes carry the time it was
    saved, and hypothesis needs the same sizes on every run)."""
    if kind_name not in _WORKBOOKS:
        columns = KINDS[kind_name].columns
        _WORKBOOKS[kind_name] = xlsx([[c.heading for c in columns], [c.example for c in columns]])
    return _WORKBOOKS[kind_name]


@FUZZ
@given(data=st.data())
def test_damaged_workbooks_never_fail_and_never_write(lead_client, data):
    kind_name = data.draw(st.sampled_from(list(KINDS)))
    good = bytearray(_workbook(kind_name))
    for _ in range(data.draw(st.integers(1, 6))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    _check_one(lead_client, kind_name, bytes(good), "fuzz.xlsx")


def test_the_examples_in_the_templates_check_without_writing(lead_client):
    for kind_name, kind in KINDS.items():
        rows = [[c.heading for c in kind.columns], [c.example for c in kind.columns]]
        _check_one(lead_client, kind_name, xlsx(rows), f"{kind_name}.xlsx")
    assert ImportJob.query.count() == len(KINDS)
