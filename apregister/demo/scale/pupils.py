"""Pupils, each with one to four placements one after another, and their UPNs."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import text
from stdnum.gb import upn as stdnum_upn

from apregister.demo.scale.placements import add_placement
from apregister.demo.scale.run import ScaleRun, ScaleSchool
from apregister.demo.scale.term_dates import in_holiday, monday_of
from apregister.demo.scale.words import FIRST_NAMES, LAST_NAMES
from apregister.models import SchoolPhase, SenStatus, Sex
from apregister.models.placement import name_search_key

LA_CODE = "886"  # Kent's LA number: UPNs must carry a real one
LA_NUMBER = 1100  # pupils with no school place: a PRU-style establishment number


class Upns:
    """Unique pupil numbers: the LA's code, the school's establishment number, the year the
    pupil started school and a serial, behind a check letter; one in a hundred is missing."""

    def __init__(self, run: ScaleRun):
        self.rng = run.rng
        self.used = set(
            run.writer.connection.execute(
                text("SELECT upn FROM pupils WHERE upn IS NOT NULL")
            ).scalars()
        )
        self.serials: Counter[tuple[int, int]] = Counter()

    def next(self, number: int, entered: int) -> str | None:
        if self.rng.random() < 0.01:
            return None  # missing: the data-quality report lists these
        while True:
            key = (number, entered % 100)
            self.serials[key] += 1
            if self.serials[key] > 999:
                number = 1000 + (number + 1) % 9000
                continue
            rest = f"{LA_CODE}{number:04d}{entered % 100:02d}{self.serials[key]:03d}"
            value = stdnum_upn.calc_check_digit(rest) + rest
            if value not in self.used:
                self.used.add(value)
                return value


def add_pupils_and_placements(run: ScaleRun) -> None:
    upns = Upns(run)
    made, target, step = 0, run.spec.placements, max(1, run.spec.placements // 10)
    while made < target:
        count = min(run.pick((1, 2, 3, 4), (80, 15, 4, 1)), target - made)
        done = _pupil(run, upns, count)
        for _ in range(done):
            made += 1
            if made % step == 0:
                run.progress(f"{made:,} of {target:,} placements")


def _start(run: ScaleRun, earliest: date, latest: date | None = None) -> date | None:
    """A weekday in term time from `earliest` to `latest` (the horizon if None, and then
    more often in later years, as AP use grows), more often a Monday; None if there is none
    before the horizon."""
    rng, span = run.rng, (run.horizon - run.first_day).days
    grows = latest is None
    latest = min(latest or run.horizon, run.horizon)
    for _ in range(200):
        day = run.between(earliest, latest)
        if grows and rng.random() > (1 + 0.6 * (day - run.first_day).days / span) / 1.6:
            continue
        if day.weekday() and rng.random() < 0.5:
            day = monday_of(day)
        if day.weekday() < 5 and not in_holiday(day) and earliest <= day <= latest:
            return day
    return None


def _school_for(run: ScaleRun, year: int, sen: SenStatus) -> ScaleSchool:
    phase = SchoolPhase.PRIMARY if year <= 6 else SchoolPhase.SECONDARY
    roll = run.rng.random()
    if roll < (0.35 if sen is SenStatus.EHC_PLAN else 0.08):
        phase = SchoolPhase.SPECIAL
    elif roll > 0.95:
        phase = SchoolPhase.ALL_THROUGH
    if not run.by_phase[phase]:
        return run.rng.choice(run.schools)
    return run.rng.choices(run.by_phase[phase], cum_weights=run.school_weights[phase])[0]


def _pupil(run: ScaleRun, upns: Upns, count: int) -> int:
    """One pupil and up to `count` placements, one after another; returns how many."""
    rng = run.rng
    start = _start(run, run.first_day)
    assert start is not None
    year = run.pick(range(1, 12), (1, 1.5, 2, 2.5, 3.5, 4.5, 7, 10, 15, 22, 24))
    autumn = start.year if start.month >= 9 else start.year - 1
    born_from = date(autumn - year - 5, 9, 1)
    dob = run.between(born_from, date(autumn - year - 4, 8, 31))
    sex = run.pick((Sex.MALE, Sex.FEMALE, Sex.UNKNOWN), (68, 31, 1))
    sen = run.pick((SenStatus.EHC_PLAN, SenStatus.SEN_SUPPORT, SenStatus.NONE), (15, 35, 50))
    no_school = rng.random() < 0.05 and year >= 7
    school = None if no_school else _school_for(run, year, sen)
    pupil = run.writer.next_id("pupils")
    created = run.at(start - timedelta(days=rng.randint(7, 30)))
    row = {
        "id": pupil,
        "owner_id": school.id if school else run.la,
        "upn": upns.next(school.number if school else LA_NUMBER, dob.year + 5),
        "first_name": rng.choice(FIRST_NAMES[sex]),
        "last_name": rng.choice(LAST_NAMES),
        "date_of_birth": dob,
        "sex": sex,
        "sen_status": sen,
        "looked_after": rng.random() < 0.08,
        "disadvantaged": rng.random() < 0.55,
        "placement_lock": 0,
        **run.timestamps(created),
    }
    # the names as search compares them, as the model's validator keeps them
    keys = {f"{name}_key": name_search_key(row[name]) for name in ("first_name", "last_name")}
    run.writer.add("pupils", row | keys)
    run.audit(
        "pupils",
        pupil,
        row,
        created,
        redact={"upn", "first_name", "last_name", "date_of_birth"},
    )
    attendance = rng.betavariate(6, 1.4)  # most pupils attend well, a few hardly at all
    done = 0
    while done < count:
        end = add_placement(run, row, school, start, attendance)
        done += 1
        if end is None:
            break
        gap = end + timedelta(days=rng.randint(1, 90))
        start = _start(run, gap, gap + timedelta(days=30))
        if start is None:
            break
        autumn = start.year if start.month >= 9 else start.year - 1
        if autumn - dob.year - ((dob.month, dob.day) > (8, 31)) - 4 > 11:
            break  # past Year 11
    return done
