"""Demo imports, one in each state the lead meets: a file imported, a file checked with an
error and waiting for the lead, and a file that could not be read. Made by the import's own
code, so the demo shows what it really says."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from apregister.audit import acting_as
from apregister.extensions import db
from apregister.imports import engine
from apregister.imports.files import ImportFileError, file_type
from apregister.imports.jobs import KEPT_ERRORS, detail
from apregister.models import ImportJob, ImportStatus, LaSettings, User
from apregister.models.base import utcnow

NEW_SCHOOLS = (
    "URN,School name,Phase\r\n"
    "140007,Westgate Primary School,Primary\r\n"
    "140008,Eastbrook Academy,Secondary\r\n"
)
# a pupils file from a school's own system: the second row's date of birth cannot be
PUPILS = (
    "UPN,Forename,Surname,DOB,Sex,SEN status,Looked after,Disadvantaged,School URN\r\n"
    "{upn1},Riley,Hughes,{born},M,None,No,Yes,140001\r\n"
    "{upn2},Morgan,Price,31/02/2013,F,SEN support,No,No,140001\r\n"
)
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an .xls, which is refused


def _job(name: str, kind: str, content: bytes, lead: User) -> ImportJob:
    job = ImportJob(
        kind=kind,
        file_name=name,
        file_type="csv",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        status=ImportStatus.CHECKING,
        requested_by_id=lead.id,
        rows_done=0,
    )
    db.session.add(job)
    return job


def _checked(job: ImportJob, settings: LaSettings, today: date) -> None:
    outcome = engine.check(engine.kind_named(job.kind), job.content, today=today, settings=settings)
    job.total_rows = job.rows_done = outcome.total
    job.counts = dict(outcome.counts)
    job.row_errors = [[e.line, e.column, e.message] for e in outcome.errors[:KEPT_ERRORS]]
    job.preview = outcome.preview
    job.encoding = outcome.encoding
    job.status = ImportStatus.CHECKED


def _upn(rest: str) -> str:
    from stdnum.gb import upn

    return upn.calc_check_digit(rest) + rest


def seed_imports(*, today: date, lead: User, settings: LaSettings) -> None:
    if db.session.scalar(select(ImportJob.id).limit(1)) is not None:
        return
    with acting_as(lead):
        _seed(today=today, lead=lead, settings=settings)


def _seed(*, today: date, lead: User, settings: LaSettings) -> None:
    schools = _job("new-schools-2026.csv", "schools", NEW_SCHOOLS.encode(), lead)
    _checked(schools, settings, today)
    counts = engine.write(
        engine.kind_named("schools"),
        schools.content,
        detail=detail(schools),
        only_valid=False,
        today=today,
        settings=settings,
        by=lead,
    )
    schools.counts = {**schools.counts, "written": counts["written"]}
    schools.status, schools.content, schools.finished_at = ImportStatus.IMPORTED, None, utcnow()

    born = (today - timedelta(days=365 * 13)).strftime("%d/%m/%Y")
    text = PUPILS.format(upn1=_upn("201999926901"), upn2=_upn("201999926902"), born=born)
    _checked(_job("northfield-pupils.csv", "pupils", text.encode(), lead), settings, today)

    refused = _job("ap-register-2019.xls", "placements", OLD_EXCEL, lead)
    try:
        file_type(OLD_EXCEL)
    except ImportFileError as problem:
        refused.status, refused.file_error = ImportStatus.REFUSED, str(problem)
        refused.file_type, refused.finished_at = "xls", utcnow()
    db.session.flush()
