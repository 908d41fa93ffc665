"""A spreadsheet the LA lead is importing (apregister/imports/)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from apregister.extensions import db
from apregister.models.audit import JSONType
from apregister.models.base import StrEnumType, TimestampMixin, UTCDateTime
from apregister.models.user import User


class ImportStatus(StrEnum):
    WAITING_CHECK = "waiting_check"  # uploaded; the worker has still to check it
    CHECKING = "checking"
    CHECKED = "checked"  # the preview is ready for the lead to confirm
    REFUSED = "refused"  # the file as a whole could not be read: `file_error` says why
    WAITING_IMPORT = "waiting_import"  # confirmed; the worker has still to write it
    IMPORTING = "importing"
    IMPORTED = "imported"
    FAILED = "failed"  # the write stopped: `file_error` says why, nothing after it was kept
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def working(self) -> bool:
        return self in WORKING


_LABELS = {
    ImportStatus.WAITING_CHECK: "Waiting to be checked",
    ImportStatus.CHECKING: "Checking",
    ImportStatus.CHECKED: "Checked: waiting for you to confirm",
    ImportStatus.REFUSED: "Could not be read",
    ImportStatus.WAITING_IMPORT: "Waiting to be imported",
    ImportStatus.IMPORTING: "Importing",
    ImportStatus.IMPORTED: "Imported",
    ImportStatus.FAILED: "Stopped",
    ImportStatus.CANCELLED: "Cancelled",
}
WORKING = frozenset(
    {
        ImportStatus.WAITING_CHECK,
        ImportStatus.CHECKING,
        ImportStatus.WAITING_IMPORT,
        ImportStatus.IMPORTING,
    }
)


class ImportJob(TimestampMixin, db.Model):
    """One uploaded file and its way through checking, confirming and writing. The file is
    kept (in the database, so any app server or worker can read it) until it is imported or
    cancelled, then dropped: only its name, checksum, counts and row errors stay."""

    __tablename__ = "import_jobs"
    # progress and the file itself change often or are large; the log records the rest, and
    # every record an import writes is logged on its own, as imported from this file
    __audit_ignore__ = frozenset(
        {"content", "rows_done", "row_errors", "preview", "claimed_at", "counts"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(150))
    file_type: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str | None] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    status: Mapped[ImportStatus] = mapped_column(StrEnumType(ImportStatus, 20))
    only_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # progress of the step in hand: rows checked, or rows written
    total_rows: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    # {"create": n, "update": n, "unchanged": n, "invalid": n, "written": n}
    counts: Mapped[dict[str, int] | None] = mapped_column(JSONType)
    # [[line, heading or null, message], ...] in file order
    row_errors: Mapped[list[Any] | None] = deferred(mapped_column(JSONType))
    # {"unused": [...], "create": [[line, key, summary]], "update": [[line, key, summary, [..]]]}
    preview: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSONType))
    file_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_import_jobs_status", "status"),)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status.working else 100
        return min(100, self.rows_done * 100 // self.total_rows)
