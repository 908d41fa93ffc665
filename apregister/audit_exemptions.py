"""Which writes the audit log may leave out, and why.

`NOT_AUDITED` lists the tables the session hook in `apregister.audit` skips; `CORE_WRITES` and
`CORE_WRITES_EXEMPT_MODULES` list the writes that bypass the ORM, checked by
tests/test_audit_core_writes.py.
"""

from __future__ import annotations

# Tables that are the log itself, or bookkeeping written on every request.
# rate_limit_counters: the abuse limits' counters, bumped on every sign-in attempt;
# scheduled_jobs: the worker's timetable, moved on every run.
NOT_AUDITED = frozenset(
    {
        "audit_events",
        "user_sessions",
        "alembic_version",
        "attendance_day_totals",
        "kept_figures",
        "rate_limit_counters",
        "scheduled_jobs",
    }
)

# Writes that bypass the ORM (Core insert(), update(), delete(), or SQL text) are invisible to
# the session hook in audit.py, so each one is listed here with the reason it may go unaudited:
#   "not audited": its table is not a business table (the log itself, sessions, job
#       bookkeeping, figures derived from audited rows);
#   "unaudited columns": it changes only columns the log leaves out (`__audit_ignore__`,
#       updated_at), usually to take a row's lock; the change itself is then made through the
#       ORM and logged;
#   "gap": a business-table write that is not yet audited (kept visible until it is fixed).
# tests/test_audit_core_writes.py walks apregister/ and fails on any such write not listed here,
# and on a listed one that has gone. Keys: (module, enclosing function, statement).
CORE_WRITES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("apregister/audit.py", "_after_flush", "insert(AuditEvent)"): (
        "not audited",
        "the audit log itself",
    ),
    ("apregister/auth/operations.py", "end_session", "update(UserSession)"): (
        "not audited",
        "sign-in sessions (user_sessions); sign-ins and sign-outs are logged as events",
    ),
    ("apregister/auth/operations.py", "revoke_all_sessions", "update(UserSession)"): (
        "not audited",
        "sign-in sessions (user_sessions)",
    ),
    ("apregister/attendance/totals.py", "_upsert", "dialect_insert(table)"): (
        "not audited",
        "attendance_day_totals: derived from attendance rows, which are audited",
    ),
    ("apregister/attendance/totals.py", "rebuild", "delete(table)"): (
        "not audited",
        "attendance_day_totals: rebuilt from attendance rows",
    ),
    ("apregister/attendance/totals.py", "rebuild", "insert(table)"): (
        "not audited",
        "attendance_day_totals: rebuilt from attendance rows",
    ),
    ("apregister/dashboard/kept.py", "_note_read", "update(KeptFigures)"): (
        "not audited",
        "kept_figures: when kept dashboard figures were last read",
    ),
    ("apregister/dashboard/kept.py", "_keep", "dialect_insert(table)"): (
        "not audited",
        "kept_figures: derived from audited records",
    ),
    ("apregister/dashboard/kept.py", "refresh", "delete(KeptFigures)"): (
        "not audited",
        "kept_figures: derived from audited records",
    ),
    ("apregister/limits.py", "<module>", "text(INSERT INTO rate_limit_counters)"): (
        "not audited",
        "rate_limit_counters: the abuse limits' counters",
    ),
    ("apregister/limits.py", "reset", "delete(RateLimitCounter)"): (
        "not audited",
        "rate_limit_counters",
    ),
    ("apregister/limits.py", "clear", "delete(RateLimitCounter)"): (
        "not audited",
        "rate_limit_counters",
    ),
    ("apregister/limits.py", "prune_expired", "delete(RateLimitCounter)"): (
        "not audited",
        "rate_limit_counters",
    ),
    ("apregister/worker/schedule.py", "ensure_jobs", "insert(ScheduledJob)"): (
        "not audited",
        "scheduled_jobs: the worker's own bookkeeping",
    ),
    ("apregister/auth/operations.py", "_count_attempt", "update(User)"): (
        "unaudited columns",
        "failed_attempts and locked_until (sign-in bookkeeping); lockouts are logged as events",
    ),
    ("apregister/auth/operations.py", "_set_lockout", "update(User)"): (
        "unaudited columns",
        "failed_attempts and locked_until (sign-in bookkeeping)",
    ),
    ("apregister/imports/kinds/placements.py", "write", "update(Pupil)"): (
        "unaudited columns",
        "bumps pupils.placement_lock for a batch of imported placements, as lock_pupil does",
    ),
    ("apregister/imports/jobs.py", "report", "update(ImportJob)"): (
        "unaudited columns",
        "an import's progress (rows_done, updated_at), on a connection of its own",
    ),
    ("apregister/placements/operations/common.py", "lock_pupil", "update(Pupil)"): (
        "unaudited columns",
        "bumps pupils.placement_lock, which is not audited",
    ),
    (
        "apregister/placements/operations/progress.py",
        "decide_extension",
        "update(ExtensionRequest)",
    ): (
        "unaudited columns",
        "touches updated_at while pending; the decision is then made through the ORM",
    ),
    ("apregister/self_assessments/operations.py", "_lock", "update(SelfAssessment)"): (
        "unaudited columns",
        "touches updated_at under a status check; the change is then made through the ORM",
    ),
    ("apregister/absences/jobs.py", "raise_cutoff_cases", "insert(AbsenceCase)"): (
        "audited explicitly",
        "thousands of cases at once: _audit_raised logs each one from the same rows",
    ),
    ("apregister/absences/jobs.py", "_audit_raised", "insert(AuditEvent)"): (
        "not audited",
        "the audit log itself: one event for each case the cut-off raised",
    ),
    ("apregister/retention.py", "remove_past_retention", "update(Pupil)"): (
        "audited explicitly",
        "the ORM hook would copy the very values being removed into the log; one retention "
        "event a pupil is written instead",
    ),
    ("apregister/retention.py", "remove_past_retention", "update(model)"): (
        "audited explicitly",
        "clears notes about a removed pupil; the pupil's retention event covers them",
    ),
    ("apregister/retention.py", "remove_past_retention", "update(AuditEvent)"): (
        "not audited",
        "the audit log itself: the values removed pupils' records held",
    ),
}
# Left out of the walk altogether (a module, or every module under a folder ending in "/"):
# the bench data generator writes straight to a scratch database and is never part of the
# running service; the demo board's made-up attendance (some 15,000 rows) is written once by
# `seed-demo` into a demo register, where a log event a row would only bury the demo's real log.
CORE_WRITES_EXEMPT_MODULES = frozenset({"apregister/demo/scale/", "apregister/demo/board.py"})
