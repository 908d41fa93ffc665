"""What the improvement board may be shown, decided before any template sees a figure.

The board chooses only the period; its counts are always as at today (period figures, over
the period chosen, are shares and averages, never counts). So every view it can choose shows
counts for the same days: today (the headline, the tables, the shares), a month ago and the
end of last term (quoted in the direction of travel), the baseline date, and each month end
of the trend. Each count goes through the suppression rules (rules.py): counts from 1 to 4,
each table's secondary suppression, the 2 x 2 rule for off framework, shares resting on small
groups. Then audit.py sets every count against every other, across the tables and the days,
and hides more until no two give away a small number or a hidden figure."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from apregister.dashboard import rules
from apregister.dashboard.audit import NEVER, Count, Population, Who, audit
from apregister.dashboard.breakdowns import NO_SCHOOL, REGISTERED, UNREGISTERED
from apregister.dashboard.kpis import Measures
from apregister.models import PlacementReason, SchoolPhase

# the KPIs that count children on a day: their key and the trait counted (None: past 12 weeks)
COUNTED = {
    "ehc_share": "ehc",
    "looked_after_share": "looked_after",
    "disadvantaged_share": "disadvantaged",
    "past_12_weeks_share": None,
    "off_framework_share": "off_framework",
}
TABLES = {  # the board's tables of today's active placements: their categories and traits
    "reason": {reason.label: f"reason:{reason.label}" for reason in PlacementReason},
    "registration": {REGISTERED: "registered", UNREGISTERED: "unregistered"},
    "phase": {
        **{phase.label: f"phase:{phase.label}" for phase in SchoolPhase},
        NO_SCHOOL: f"phase:{NO_SCHOOL}",
    },
}
OFF_FRAMEWORK = "off_framework"
# which goes first when one of two counts must be hidden: other days' before today's,
# shares before table cells; today's total never (NEVER)
TREND, OTHER_SHARE, OTHER_TOTAL, TODAY_SHARE, OFF_TABLE, CELL = range(6)
SMALL = "small"  # hidden because it, or a count it rests on, is from 1 to 4


@dataclass
class Verdict:
    """The board's view of the counts: `hidden` maps (day, KPI key) of each hidden count to
    SMALL or rules.WITHHELD; `tables` and `off_framework` the cells as they are shown."""

    hidden: dict[tuple[date, str], str] = field(default_factory=dict)
    tables: dict[str, dict[str, int | str]] = field(default_factory=dict)
    off_framework: dict[str, int | str] = field(default_factory=dict)

    def why_hidden(self, day: date, key: str) -> str | None:
        return self.hidden.get((day, key))


@dataclass
class _Builder:
    populations: list[Population]  # today's, the KPI days', the trend's
    counts: dict[Hashable, Count] = field(default_factory=dict)
    small: set[Hashable] = field(default_factory=set)  # hidden by the rules, before the check
    members: dict[str, list[Hashable]] = field(default_factory=dict)  # a table's counts
    shown: dict[str, dict[str, int | str]] = field(default_factory=dict)  # tables as shown

    def add(
        self, key, who: Who, home: int, rank: int, table: str, hide: Callable[[int], bool]
    ) -> Count:
        """The count `key` of `who` (its placements all in population `home`), hidden if
        `hide(value)`; the same count twice (a month end that is also quoted) is one."""
        if key not in self.counts:
            value = self.populations[home].count(who)
            hidden = hide(value)
            self.counts[key] = Count(key, who, value, hidden, rank, home, table)
            self.members.setdefault(table, []).append(key)
            if hidden:
                self.small.add(key)
        return self.counts[key]


def judge(
    now: Measures,
    others: Iterable[date],
    trend: tuple[list[date], Population],
    weeks: int,
) -> Verdict:
    """The verdict on today's counts (`now`, today's Measures, holding the populations of
    today and of the days quoted), on those of the `others` days quoted (a month ago, last
    term, the baseline) and on the trend's (its month ends, the last today, and their
    population)."""
    today = now.as_of
    build = _Builder([now.today, now.days, trend[1]])
    total = build.add((today, "active"), Who(today), 0, NEVER, f"day:{today}", rules.is_small)
    for name, categories in TABLES.items():
        _table(build, name, categories, total)
    _shares(build, today, 0, weeks, total, TODAY_SHARE)
    _off_framework(build, total)
    others = sorted(set(others) - {today})
    for day in others:
        whole = build.add((day, "active"), Who(day), 1, OTHER_TOTAL, f"day:{day}", rules.is_small)
        _shares(build, day, 1, weeks, whole, OTHER_SHARE)
    for day in trend[0]:
        home = 0 if day == today else 1 if day in others else 2
        build.add((day, "active"), Who(day), home, TREND, f"day:{day}", rules.is_small)

    def resuppress(table: str, forced: set[Hashable]) -> set[Hashable]:
        keys = build.members[table]
        if table in TABLES:
            cells = {key[2]: build.counts[key].value for key in keys}
            shown = rules.suppress_counts(cells, total.value, withhold={key[2] for key in forced})
            build.shown[table] = shown
            return {key for key in keys if isinstance(shown[key[2]], str)}
        if table == OFF_FRAMEWORK:
            # A status's count gives the other's away through the total, and the statuses'
            # counts add up to the total: hide both statuses, and the totals with a total.
            if any(len(key) == 2 for key in forced):
                return set(keys)
            return (build.small & set(keys)) | {key for key in keys if len(key) == 3}
        hide = (build.small & set(keys)) | forced
        return set(keys) if keys[0] in hide else hide  # keys[0]: the day's total

    audit(list(build.counts.values()), build.populations, resuppress)
    return _verdict(build, total)


def _table(build: _Builder, name: str, categories: dict[str, str], total: Count) -> None:
    today = total.who.day
    whos = {label: Who(today, frozenset({trait})) for label, trait in categories.items()}
    cells = {label: build.populations[0].count(who) for label, who in whos.items()}
    shown = build.shown[name] = rules.suppress_counts(cells, total.value)
    for label, who in whos.items():
        hidden = isinstance(shown[label], str)
        build.add((today, name, label), who, 0, CELL, name, lambda _, hidden=hidden: hidden)


def _shares(build: _Builder, day: date, home: int, weeks: int, whole: Count, rank: int):
    """The counts behind the shares of `whole` (the active placements on `day`): hidden
    with it, or where suppress_share hides the share. Today's off-framework count goes in
    the off-framework table; the others with their day's total."""
    for key, trait in COUNTED.items():
        if trait is None:
            who = Who(day, started_by=rules.started_by(day, weeks))
        else:
            who = Who(day, frozenset({trait}))
        table = OFF_FRAMEWORK if home == 0 and trait == "off_framework" else f"day:{day}"

        def hide(part: int) -> bool:
            return whole.hidden or rules.suppress_share(part, whole.value) == rules.SUPPRESSED

        build.add((day, key), who, home, rank, table, hide)


def _off_framework(build: _Builder, total: Count) -> None:
    """The 2 x 2 table: each status on and off framework, and the total on framework (the
    total off framework is the off-framework share's count)."""
    today = total.who.day
    statuses = TABLES["registration"]
    active = {status: build.counts[(today, "registration", status)].value for status in statuses}
    off = {
        status: build.populations[0].count(Who(today, frozenset({trait, "off_framework"})))
        for status, trait in statuses.items()
    }
    safe = rules.suppress_two_by_two(active, off) is not None
    for status, trait in statuses.items():
        for side in ("off_framework", "on_framework"):
            who = Who(today, frozenset({trait, side}))
            build.add((today, side, status), who, 0, OFF_TABLE, OFF_FRAMEWORK, lambda _: not safe)
    off_total = build.counts[(today, "off_framework_share")]
    who = Who(today, frozenset({"on_framework"}))
    build.add((today, "on_framework"), who, 0, OFF_TABLE, OFF_FRAMEWORK, lambda _: off_total.hidden)


def _verdict(build: _Builder, total: Count) -> Verdict:
    today = total.who.day
    verdict = Verdict()
    for key, count in build.counts.items():
        if count.hidden and len(key) == 2:
            verdict.hidden[key] = SMALL if key in build.small else rules.WITHHELD
    verdict.tables = dict(build.shown)
    for status in TABLES["registration"]:
        count = build.counts[(today, "off_framework", status)]
        verdict.off_framework[status] = rules.WITHHELD if count.hidden else count.value
    off_total = build.counts[(today, "off_framework_share")]
    verdict.off_framework["Total"] = (
        off_total.value
        if not off_total.hidden
        else rules.SUPPRESSED
        if rules.is_small(off_total.value)
        else rules.WITHHELD
    )
    return verdict
