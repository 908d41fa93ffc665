"""The dashboard's figures, kept rather than measured on every request.

Measuring every KPI for four windows, the breakdowns and a year's trend reads a few hundred
thousand rows (150-400 ms at the size of the largest LA). So the figures of each choice the
LA's staff and the board make (a period, a school phase, a provider) are kept in
`kept_figures` once measured, and read back while they are younger than
KEPT_FIGURES_MAX_AGE (five minutes): the page says "figures as at" the time they were
measured. The worker measures again, every two minutes, every choice someone read in the
last hour, so a page being looked at never finds its figures too old; a choice nobody made
today is measured when first asked for, in that request.

What is kept is what kpis.py and trend.py measure, before any suppression, and for the
board's choices the verdict of its check on them (board.py, audit.py: which counts it may
not see), made by the same function when they are measured. The rules that turn figures
into what is shown (shown.py, tables.py) run on every request, on kept figures exactly as
on figures just measured. Only figures of the whole register are kept (every LA role and the
board count it: access.counts_whole_register), so one choice's figures are the same for
every one of them; a narrower scope is measured each time."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from apregister.access import whole_register
from apregister.dashboard import kept_codec, kpis, rules
from apregister.dashboard.audit import Population
from apregister.dashboard.board import Verdict, judge
from apregister.dashboard.selection import Selection
from apregister.dashboard.trend import TrendPoint, measure_trend, month_spans
from apregister.extensions import db
from apregister.models import KeptFigures, LaSettings, Placement, SchoolPhase
from apregister.models.base import utcnow

TREND_MONTHS = 12
VERSION = 1  # raise when what is kept changes shape, so old rows are never read
READ_NOTED_EVERY = timedelta(minutes=5)  # how often a read is written down
REFRESH_READ_WITHIN = timedelta(hours=1)  # choices the worker keeps measuring
REFRESH_OLDER_THAN = timedelta(minutes=1)


@dataclass
class Measured:
    """Every window's Measures (in the order asked for), the trend, the groups its counts
    come from, and when they were measured."""

    measures: list[kpis.Measures]
    trend: list[TrendPoint]
    running: Population
    computed_at: datetime = field(default_factory=utcnow)
    # the board's check on them (board.py): what it may not be shown
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Choice:
    """What a set of figures is for: the selection's filters, the windows, the board's
    edges (None for LA roles) and the day the trend ends."""

    phase: SchoolPhase | None
    provider_id: int | None
    windows: tuple[rules.Window, ...]
    edges: tuple[date, ...] | None
    trend_day: date

    def spec(self, settings: LaSettings, today: date) -> dict:
        return {
            "version": VERSION,
            "today": today.isoformat(),
            "phase": self.phase.value if self.phase else None,
            "provider_id": self.provider_id,
            "windows": [
                [w.since.isoformat(), w.as_of.isoformat(), w.at.isoformat() if w.at else None]
                for w in self.windows
            ],
            "edges": [day.isoformat() for day in self.edges] if self.edges is not None else None,
            "trend_day": self.trend_day.isoformat(),
            "settings": settings_digest(settings),
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Choice:
        def day(text):
            return date.fromisoformat(text) if text else None

        edges = spec["edges"]
        return cls(
            SchoolPhase(spec["phase"]) if spec["phase"] else None,
            spec["provider_id"],
            tuple(rules.Window(day(s), day(a), day(at)) for s, a, at in spec["windows"]),
            tuple(day(edge) for edge in edges) if edges is not None else None,
            day(spec["trend_day"]),
        )


def settings_digest(settings: LaSettings) -> str:
    """The LA's settings that figures depend on, as a digest: new settings, new figures."""
    values = {
        column.key: getattr(settings, column.key)
        for column in LaSettings.__table__.columns
        if column.key not in ("id", "created_at", "updated_at")
    }
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def measure(selection: Selection, settings: LaSettings, choice: Choice) -> Measured:
    """The figures measured now, from the records."""
    trend, running = measure_trend(selection, TREND_MONTHS, choice.trend_day)
    measures = kpis.measure_windows(selection, settings, list(choice.windows), edges=choice.edges)
    verdict = None
    if choice.edges is not None:  # the board's: judged once, with the figures it judges
        now, *others = measures
        verdict = judge(
            now,
            [measures.as_of for measures in others],
            ([point.month_end for point in trend], running),
            settings.placement_weeks,
        )
    return Measured(measures, trend, running, verdict=verdict)


def max_age() -> timedelta:
    return current_app.config["KEPT_FIGURES_MAX_AGE"]


def measured(selection: Selection, settings: LaSettings, choice: Choice, today: date) -> Measured:
    """The figures for `choice`: kept ones younger than max_age(), or measured now (and
    kept, when they are the whole register's)."""
    if not selection.whole_register or max_age() <= timedelta(0):
        return measure(selection, settings, choice)
    spec = choice.spec(settings, today)
    key = _key(spec)
    now = utcnow()
    row = db.session.execute(
        select(KeptFigures.payload, KeptFigures.computed_at, KeptFigures.read_at).where(
            KeptFigures.key == key
        )
    ).one_or_none()
    if row is not None and now - row.computed_at <= max_age():
        if now - row.read_at >= READ_NOTED_EVERY:
            _note_read(key, now)
        measures, trend, running, verdict = kept_codec.loads(row.payload)
        return Measured(measures, trend, running, row.computed_at, verdict)
    found = measure(selection, settings, choice)
    _keep(key, spec, today, found, read_at=now)
    return found


def _note_read(key: str, now: datetime) -> None:
    db.session.execute(update(KeptFigures).where(KeptFigures.key == key).values(read_at=now))
    db.session.commit()


def _keep(
    key: str, spec: dict, today: date, found: Measured, *, read_at: datetime, read: bool = True
) -> None:
    """Write `found` under `key` (replacing what was kept), and commit: the request or the
    worker has nothing else to write by then. `read`: a page is reading them (the worker's
    measuring leaves when they were last read alone, but for new ones)."""
    table = KeptFigures.__table__
    values = {
        "key": key,
        "for_day": today,
        "spec": json.dumps(spec, sort_keys=True),
        "payload": kept_codec.dumps(found.measures, found.trend, found.running, found.verdict),
        "computed_at": found.computed_at,
        "read_at": read_at,
    }
    dialect_insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            name: stmt.excluded[name]
            for name in ("payload", "computed_at", *(("read_at",) if read else ()))
        },
    )
    db.session.execute(stmt)
    db.session.commit()


def choice_for(
    window: rules.Window,
    settings: LaSettings,
    *,
    board: bool,
    phase: SchoolPhase | None = None,
    provider_id: int | None = None,
) -> Choice:
    """The figures the dashboard shows for `window`: it, a month before, the term before and
    the baseline (if set), a year's trend to its day, and for the board every day a count
    may be shown for (its `edges`)."""
    windows = [window, rules.month_before(window), rules.term_before(window)]
    if settings.kpi_baseline_date:
        windows.append(rules.baseline_window(settings.kpi_baseline_date))
    edges = None
    if board:
        trend_days = [end for _, end in month_spans(TREND_MONTHS, window.day)]
        edges = tuple(sorted({*(w.day for w in windows), *trend_days}))
    return Choice(phase, provider_id, tuple(windows), edges, window.day)


def default_choices(today: date, settings: LaSettings) -> list[Choice]:
    """What the dashboard shows first, to LA staff and to the board (and the board's home):
    this academic year, every phase and provider."""
    window = rules.Window(rules.academic_year_start(today), today)
    return [
        choice_for(window, settings, board=False),
        choice_for(replace(window, at=today), settings, board=True),
    ]


def refresh(now: datetime, today: date, settings: LaSettings) -> int:
    """Measure again every choice of `today` read within the last hour, and the choices
    shown first, whose figures are over a minute old; forget the choices of other days and
    of other settings. Returns how many were measured. Run by the worker (worker/jobs.py);
    it commits after each choice, so a page waits for none of them."""
    db.session.execute(delete(KeptFigures).where(KeptFigures.for_day != today))
    digest = settings_digest(settings)
    old = now - REFRESH_OLDER_THAN
    wanted = {
        key: json.loads(text)
        for key, text in db.session.execute(
            select(KeptFigures.key, KeptFigures.spec).where(
                KeptFigures.for_day == today,
                KeptFigures.read_at >= now - REFRESH_READ_WITHIN,
                KeptFigures.computed_at <= old,
            )
        )
    }
    for choice in default_choices(today, settings):
        spec = choice.spec(settings, today)
        key = _key(spec)
        computed_at = db.session.scalar(
            select(KeptFigures.computed_at).where(KeptFigures.key == key)
        )
        if computed_at is None or computed_at <= old:
            wanted[key] = spec
    db.session.commit()
    measured_now = 0
    for key, spec in wanted.items():
        if spec.get("version") != VERSION or spec["settings"] != digest:
            db.session.execute(delete(KeptFigures).where(KeptFigures.key == key))
            db.session.commit()
            continue
        choice = Choice.from_spec(spec)
        selection = Selection(
            whole_register(Placement),
            phase=choice.phase,
            provider_id=choice.provider_id,
            whole_register=True,
        )
        _keep(key, spec, today, measure(selection, settings, choice), read_at=now, read=False)
        measured_now += 1
    return measured_now
