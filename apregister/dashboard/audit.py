"""The check that no two figures the board is shown, set against each other, give away a
small number or a figure that is hidden.

Every figure the board sees is a count of placements: active on a day, perhaps with some
trait (registered, off framework, an EHC plan, a reason ...), perhaps started long enough
before the day to be past 12 weeks. A reader who knows that one such set lies inside
another (a phase inside all phases; last month's placements, none of which has ended, inside
today's) learns their difference. So for every two figures A and B shown, where B's
placements are all among A's, A - B must be 0 or at least 5, and must not be the placements
of a hidden figure; and no figure shown may be the very placements of a hidden one.

The figures' placements are known here only as groups of alike placements (one grouped query
each, see kpis.py), which is enough to count what any two figures have in common. Where two
figures break the rule one of them is hidden (the one of lower `rank`: figures for other
dates before today's, shares before table cells; today's total never), a hidden table cell
makes its table hide what else it must, and the check runs again until nothing is left to
find. Pure functions: no database, no dates taken from the clock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from apregister.dashboard.rules import SMALL_MAX
from apregister.sql import Buckets

NEVER = 1_000  # the rank of a figure that is never hidden (today's total)


@dataclass(frozen=True)
class Group:
    """`n` placements alike in everything the board's figures count by: started in bucket
    `start`, ending in bucket `end` (Buckets.beyond while open or ending after every edge),
    with `traits` ("registered", "off_framework", "ehc", "reason:...", "phase:..." ...)."""

    n: int
    start: int
    end: int
    traits: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Who:
    """The placements a figure counts: active on `day` with every one of `traits`, and
    started on or before `started_by` when it is set (past 12 weeks on the day)."""

    day: date
    traits: frozenset[str] = frozenset()
    started_by: date | None = None


@dataclass(frozen=True)
class Population:
    """Groups that between them hold every placement of some figures, in `buckets`."""

    buckets: Buckets
    groups: tuple[Group, ...]
    _members: dict[Who, frozenset[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def members(self, who: Who) -> frozenset[int]:
        """The indices of the groups `who` counts (remembered: asked for again and again)."""
        if who not in self._members:
            on = self.buckets.index(who.day)
            by = self.buckets.index(who.started_by) if who.started_by else self.buckets.beyond
            traits = who.traits
            self._members[who] = frozenset(
                n
                for n, group in enumerate(self.groups)
                if group.start <= on < group.end and group.start <= by and traits <= group.traits
            )
        return self._members[who]

    def count(self, who: Who, *others: Who) -> int:
        """How many placements `who` counts (and every one of `others` too)."""
        members = self.members(who)
        for other in others:
            members = members & self.members(other)
        return sum(self.groups[n].n for n in members)


@dataclass
class Count:
    """One count the board may be shown, or that a share it is shown implies. `home` is
    the index of the narrowest population holding all its placements; `table` names what
    it is hidden with (a table, or a day's figures)."""

    key: Hashable
    who: Who
    value: int
    hidden: bool
    rank: int
    home: int
    table: str | None = None


@dataclass(frozen=True)
class Breach:
    """Two figures that must not both be shown as they are."""

    kind: str  # "same", "small" or "hidden"
    first: Count
    second: Count


def audit(
    figures: Sequence[Count],
    populations: Sequence[Population],
    resuppress: Callable[[str, set[Hashable]], set[Hashable]],
) -> None:
    """Hide figures (setting `hidden`) until no breach is left. `resuppress(table, keys)`
    gives the keys of a table's cells to hide once `keys` must be hidden too."""
    common = _Overlaps(populations)
    forced: dict[str, set[Hashable]] = defaultdict(set)
    while (breach := find_breach(figures, common)) is not None:
        victim = _victim(breach, figures, common)
        if victim is None:  # cannot happen (see _victim): hide all that may be hidden
            for figure in figures:
                figure.hidden = figure.hidden or figure.rank < NEVER
            return
        victim.hidden = True
        if victim.table is not None:
            forced[victim.table].add(victim.key)
            hide = resuppress(victim.table, forced[victim.table])
            for figure in figures:
                if figure.table == victim.table:
                    figure.hidden = figure.key in hide


def find_breach(figures: Iterable[Count], common: Callable[[Count, Count], int]):
    """The first breach among `figures`, or None. Figures of 0 are left out: they are
    inside every other and add nothing to it."""
    shown = sorted((f for f in figures if f.value and not f.hidden), key=lambda f: f.value)
    hidden: dict[int, list[Count]] = defaultdict(list)
    for figure in figures:
        if figure.value and figure.hidden:
            hidden[figure.value].append(figure)
    for figure in shown:  # the same placements as a hidden figure
        for other in hidden.get(figure.value, ()):
            if common(figure, other) == figure.value:
                return Breach("same", figure, other)
    for n, small in enumerate(shown):  # one inside another, 1 to 4 apart
        for large in shown[n + 1 :]:
            if large.value - small.value > SMALL_MAX:
                break
            if large.value > small.value and common(small, large) == small.value:
                return Breach("small", small, large)
    for n, small in enumerate(shown):  # one inside another, a hidden figure apart
        for large in shown[n + 1 :]:
            for other in hidden.get(large.value - small.value, ()):
                if (
                    common(small, large) == small.value
                    and common(other, large) == other.value
                    and not common(other, small)
                ):
                    return Breach("hidden", small, large)
    return None


def _victim(breach: Breach, figures: Sequence[Count], common) -> Count | None:
    """Which figure to hide: the shown one, for a figure that repeats a hidden one;
    otherwise the one of lower rank (the later day when they tie, for a stable choice),
    unless it counts the very placements of a figure never hidden (a month end with the
    same placements as today): hiding it would hide nothing. A figure never hidden (today's
    total) cannot repeat a hidden one: a table hides a cell as large as its total only
    when the total is small, and so hidden itself."""
    if breach.kind == "same":
        candidates = [breach.first]
    else:
        candidates = sorted((breach.first, breach.second), key=lambda f: (f.rank, -_order(f)))
    kept = [figure for figure in figures if figure.rank >= NEVER]
    for candidate in candidates:
        if candidate.rank < NEVER and not any(
            figure.value == candidate.value and common(figure, candidate) == figure.value
            for figure in kept
        ):
            return candidate
    return None


def _order(figure: Count) -> int:
    return figure.who.day.toordinal()


class _Overlaps:
    """How many placements two figures have in common, counted in the narrower of their
    populations (which holds every placement of the narrower figure). Remembered: the
    figures' placements never change, only whether they are hidden."""

    def __init__(self, populations: Sequence[Population]):
        self.populations = populations
        self.known: dict[tuple[int, int], int] = {}

    def __call__(self, first: Count, second: Count) -> int:
        pair = (id(first), id(second)) if id(first) < id(second) else (id(second), id(first))
        if pair not in self.known:
            population = self.populations[min(first.home, second.home)]
            self.known[pair] = population.count(first.who, second.who)
        return self.known[pair]
