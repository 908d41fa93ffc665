"""Session-by-session attendance for the recent weeks of every placement that ran in them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from apregister.demo.scale.term_dates import in_holiday
from apregister.demo.scale.writer import BulkWriter
from apregister.extensions import db
from apregister.models import AttendanceCode
from apregister.placements.rules import slot_bit

if TYPE_CHECKING:
    from apregister.demo.scale.run import ScaleRun

# A year of attendance: every attendance page reads at most a few recent weeks and the KPIs a
# year, and at this size a year is about two million rows (most of the run); ten years would
# be about twenty million rows and turn minutes into the best part of an hour.
DEFAULT_ATTENDANCE_WEEKS = 52
# Attendance rows, most of the data set, are built as tuples in this order.
ATTENDANCE_COLUMNS = (
    "id",
    "placement_id",
    "date",
    "session",
    "code",
    "recorded_by_id",
    "created_at",
    "updated_at",
)


class AttendanceMarks:
    """The codes and sessions as the attendance table stores them, converted once."""

    def __init__(self, writer: BulkWriter):
        if tuple(db.metadata.tables["attendance"].columns.keys()) != ATTENDANCE_COLUMNS:
            raise RuntimeError("The attendance table changed: update ATTENDANCE_COLUMNS")
        self.codes = {code: writer.stored("attendance", "code", code) for code in AttendanceCode}
        self.am = writer.stored("attendance", "session", "AM")
        self.pm = writer.stored("attendance", "session", "PM")


def add_attendance(run: ScaleRun, row: dict, last_day: date, attendance: float) -> None:
    """Every session in the pattern from the window's start to yesterday; school holidays
    are marked not required, and a few sessions were never recorded."""
    rng = run.rng
    day = max(row["start_date"], run.window)
    until = min(last_day, run.today - timedelta(days=1))
    if "cancelled_on" in row or run.spec.attendance_weeks == 0:
        return
    mask, placement = row["session_mask"], row["id"]
    w, codes = run.writer, run.marks.codes
    sessions = ((0, run.marks.am), (1, run.marks.pm))
    while day <= until:
        weekday = day.weekday()
        if weekday < 5:
            holiday = in_holiday(day)
            stored_day = w.stored("attendance", "date", day)
            stamp = w.stored("attendance", "created_at", run.at(day, 17))
            for half, session in sessions:
                if not mask & slot_bit(weekday, half) or rng.random() < 0.02:
                    continue
                roll = rng.random()
                if holiday or roll < 0.01:
                    code = codes[AttendanceCode.NOT_REQUIRED]
                elif roll < attendance:
                    code = codes[AttendanceCode.PRESENT]
                elif rng.random() < 0.35:
                    code = codes[AttendanceCode.AUTHORISED]
                else:
                    code = codes[AttendanceCode.UNAUTHORISED]
                w.add_stored(  # in ATTENDANCE_COLUMNS order
                    "attendance",
                    (w.next_id("attendance"), placement, stored_day, session, code, None)
                    + (stamp, stamp),
                )
        day += timedelta(days=1)
