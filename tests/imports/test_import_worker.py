"""A large file goes through the worker, not the request: 50,000 placements (on PostgreSQL, the
production database; fewer on SQLite, which runs beside it in CI) are checked and imported by
`flask worker`'s round, while the page's progress, read on another connection, climbs to 100%."""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from apregister.extensions import db
from apregister.models import ImportJob, ImportStatus, Placement, Pupil, Role, SenStatus, Sex
from apregister.models.base import utcnow
from apregister.worker.command import run_once
from tests.conftest import make_provider, make_school, make_upn
from tests.imports.test_import_pages import confirm, latest_job, upload

pytestmark = pytest.mark.usefixtures("db")


def rows_for(engine_name: str) -> int:
    if os.environ.get("IMPORT_TEST_ROWS"):  # a bigger (or quicker) run by hand
        return int(os.environ["IMPORT_TEST_ROWS"])
    return 50_000 if engine_name == "postgresql" else 5_000


def add_pupils(school, n: int) -> list[str]:
    upns = [make_upn(serial) for serial in range(n)]
    now = utcnow()
    db.session.execute(
        insert(Pupil),
        [
            {
                "owner_id": school.id,
                "upn": upn,
                "first_name": "Sam",
                "last_name": f"Pupil{index}",
                "first_name_key": "sam",
                "last_name_key": f"pupil{index}",
                "date_of_birth": date(2011, 9, 1) + timedelta(days=index % 700),
                "sex": Sex.UNKNOWN,
                "sen_status": SenStatus.NONE,
                "looked_after": False,
                "disadvantaged": False,
                "placement_lock": 0,
                "created_at": now,
                "updated_at": now,
            }
            for index, upn in enumerate(upns)
        ],
    )
    db.session.commit()
    return upns


def placements_csv(upns: list[str], provider_name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["UPN", "Provider", "Reason", "Start date", "Sessions", "Hours each week",
                     "Full time", "Objectives", "Reintegration plan", "End date", "Outcome",
                     "Review dates"])  # fmt: skip
    start = date(2024, 9, 2)
    for index, upn in enumerate(upns):
        begins = start + timedelta(days=index % 200)
        writer.writerow([upn, provider_name, "To re-engage the pupil in education",
                         begins.strftime("%d/%m/%Y"), "Mon AM; Tue AM", "6", "No",
                         "Attend every session", "Phased return",
                         (begins + timedelta(weeks=10)).isoformat(),
                         "returned_home_school",
                         (begins + timedelta(weeks=6)).strftime("%d/%m/%Y")])  # fmt: skip
    return out.getvalue().encode()


class Watcher(threading.Thread):
    """Reads the job's progress on a connection of its own while the worker runs, as the
    page does."""

    def __init__(self, engine, job_id: int):
        super().__init__(daemon=True)
        self.engine, self.job_id = engine, job_id
        self.seen: list[tuple[str, int, int | None]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            with self.engine.connect() as connection:
                row = connection.execute(
                    select(ImportJob.status, ImportJob.rows_done, ImportJob.total_rows).where(
                        ImportJob.id == self.job_id
                    )
                ).one()
            self.seen.append(tuple(row))
            time.sleep(0.1)


def worker_round(job_id: int) -> list[tuple]:
    watcher = Watcher(db.engine, job_id)
    watcher.start()
    started = time.perf_counter()
    run_once()  # what `flask worker` does each round
    took = time.perf_counter() - started
    watcher.stop.set()
    watcher.join()
    print(f"worker round: {took:.1f} s")
    return watcher.seen


def test_a_large_placements_file_is_checked_and_imported_by_the_worker(client, login_as):
    login_as(Role.LA_LEAD)
    n = rows_for(db.engine.dialect.name)
    school, provider = make_school(), make_provider(name="Northgate Skills")
    upns = add_pupils(school, n)
    response = upload(client, "placements", placements_csv(upns, provider.name), "years.csv")
    assert response.status_code == 302
    job = latest_job()
    assert job.status is ImportStatus.WAITING_CHECK  # not checked inside the request
    page = client.get(response.location).get_data(as_text=True)
    assert "Waiting to be checked" in page and 'data-app-refresh="' in page

    seen = worker_round(job.id)
    job = latest_job()
    assert job.status is ImportStatus.CHECKED, job.file_error
    assert job.counts == {"create": n}, db.session.scalar(
        select(ImportJob.row_errors).where(ImportJob.id == job.id)
    )[:3]
    assert job.total_rows == n and job.percent == 100
    if db.engine.dialect.name == "postgresql":  # on SQLite the watcher may wait on the writer
        assert any(s == ImportStatus.CHECKING and 0 < done < n for s, done, _ in seen), seen[:5]

    assert confirm(client, job.id).status_code == 302
    assert latest_job().status is ImportStatus.WAITING_IMPORT
    page = client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert "Waiting to be imported" in page

    worker_round(job.id)
    job = latest_job()
    assert job.status is ImportStatus.IMPORTED, job.file_error
    assert job.percent == 100 and job.rows_done == n
    assert job.counts["written"] == n
    assert db.session.scalar(select(func.count()).select_from(Placement)) == n
    assert "Import complete" in client.get(f"/imports/{job.id}").get_data(as_text=True)
