"""Pure rules for the KPI dashboard: medians, direction of travel, and the suppression that
makes the board's view safe to share. Dates are always passed in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from apregister.qa.rules import add_months

SMALL_MIN, SMALL_MAX = 1, 4  # counts from 1 to 4 could identify a child
SUPPRESSED = "fewer than 5"
# A cell of 5 or more hidden only so that a smaller one cannot be worked out from the total.
# It is not labelled "fewer than 5": that would be untrue.
WITHHELD = "not shown"


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one place; None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def median_weeks(days: Sequence[int]) -> Decimal | None:
    """The median of lengths given in days, in weeks to one place (the middle one or two of
    them are enough)."""
    if not days:
        return None
    return (Decimal(str(median(days))) / 7).quantize(Decimal("0.1"))


def mean_weeks(total_days: int, count: int) -> Decimal | None:
    """The mean of `count` lengths adding up to `total_days`, in weeks to one place."""
    if not count:
        return None
    return (Decimal(total_days) / count / 7).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Direction:
    arrow: str  # for the eye
    words: str  # for everyone, said in words as well as shown


def direction(
    current: Decimal | int | None,
    previous: Decimal | int | None,
    *,
    higher_is_better: bool | None,
    period: str,
    previous_text: str | None = None,
) -> Direction:
    """How a KPI moved against `period` ('last month', 'last term'), in plain words.
    `previous_text` is the previous value as the page shows it (with its unit)."""
    if current is None or previous is None:
        return Direction("", f"No figure for {period} to compare with")
    if current == previous:
        return Direction("→", f"No change since {period}")
    up = current > previous
    shown = previous if previous_text is None else previous_text
    change = f"{'Up' if up else 'Down'} from {shown} {period}"
    if higher_is_better is None:
        return Direction("↑" if up else "↓", change)
    better = up == higher_is_better
    return Direction("↑" if up else "↓", f"{change}: {'better' if better else 'worse'}")


def is_small(count: int | None) -> bool:
    return count is not None and SMALL_MIN <= count <= SMALL_MAX


def suppress_counts(
    cells: Mapping[str, int], total: int | None = None, *, withhold: Iterable[str] = ()
) -> dict[str, int | str]:
    """Counts safe for the board. Any count from 1 to 4 becomes "fewer than 5" (primary
    suppression); the cells in `withhold` are hidden too (another table gives them away).
    Given the total the reader also sees, more cells are withheld, smallest first, until no
    hidden cell can be worked out from the total and the cells still shown, and the hidden
    cells together (the total less every cell shown) are 0 or at least 5 (secondary
    suppression); if even that fails, every cell is withheld. So the total less any cells
    shown is never from 1 to 4."""
    primary = {key for key, count in cells.items() if is_small(count)}
    if total is not None and is_small(total):
        primary = {key for key, count in cells.items() if count}
    secondary = {key for key in withhold if cells.get(key) and key not in primary}
    result: dict[str, int | str] = {
        key: (SUPPRESSED if key in primary else WITHHELD if key in secondary else count)
        for key, count in cells.items()
    }
    if total is None or not (primary or secondary) or is_small(total):
        return result
    candidates = sorted(
        (count, key)
        for key, count in cells.items()
        if count and key not in primary and key not in secondary
    )
    while _exposed(cells, primary, secondary, total):
        if not candidates:
            return dict.fromkeys(cells, WITHHELD)
        key = candidates.pop(0)[1]
        secondary.add(key)
        result[key] = WITHHELD
    return result


def _exposed(cells: Mapping[str, int], primary: set[str], secondary: set[str], total: int) -> bool:
    """Whether the hidden cells give something away: one of them can be worked out, or
    together they are a small number (the total less the cells shown)."""
    hidden_sum = total - sum(
        count for key, count in cells.items() if key not in primary | secondary
    )
    return is_small(hidden_sum) or _can_be_worked_out(primary, secondary, hidden_sum)


def _can_be_worked_out(primary: set[str], secondary: set[str], hidden_sum: int) -> bool:
    """Whether a reader who knows the hidden cells' sum and what each label means ("fewer
    than 5": 1 to 4; "not shown": 5 or more) can pin down any hidden cell."""
    bounds = [(SMALL_MIN, SMALL_MAX)] * len(primary)
    bounds += [(SMALL_MAX + 1, hidden_sum)] * len(secondary)
    lowest = sum(low for low, _ in bounds)
    highest = sum(high for _, high in bounds)
    for low, high in bounds:
        least = max(low, hidden_sum - (highest - high))
        most = min(high, hidden_sum - (lowest - low))
        if least >= most:
            return True
    return False


def suppress_two_by_two(active: Mapping[str, int], off: Mapping[str, int]) -> dict[str, int] | None:
    """Off-framework counts by registration status, safe for the board: `active` and `off`
    by status ("Registered", "Unregistered"). The four cells inside the table (each status,
    on and off framework) are all shown, through the off-framework counts and the active
    counts beside them, or none is: if any of them is from 1 to 4, every status's count
    off framework is withheld (None). The total off framework follows suppress_share."""
    inner = [off[key] for key in active] + [active[key] - off[key] for key in active]
    if any(is_small(count) for count in inner):
        return None
    return {key: off[key] for key in active}


def suppress_total(total: int) -> int | str:
    return SUPPRESSED if is_small(total) else total


def suppress_share(part: int | None, whole: int | None) -> Decimal | str | None:
    """A percentage is hidden when its count or its base is from 1 to 4: either would let a
    reader work back to a small number."""
    if part is None or whole is None:
        return None
    if is_small(part) or is_small(whole) or (whole - part and is_small(whole - part)):
        return SUPPRESSED
    return share(part, whole)


def term_start(day: date) -> date:
    """The start of the school term containing `day`: 1 September, 1 January or after Easter,
    approximated as 15 April (term dates vary by LA)."""
    if day.month >= 9:
        return date(day.year, 9, 1)
    if day >= date(day.year, 4, 15):
        return date(day.year, 4, 15)
    return date(day.year, 1, 1)


def started_by(day: date, weeks: int) -> date:
    """The last start date of a placement that is past `weeks` weeks on `day`."""
    return day - timedelta(weeks=weeks, days=1)


def academic_year_start(day: date) -> date:
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def term_end(day: date) -> date:
    """The last day of the term containing `day` (the day before the next term starts)."""
    start = term_start(day)
    if start.month == 9:
        return date(start.year, 12, 31)
    if start.month == 1:
        return date(start.year, 4, 14)
    return date(start.year, 8, 31)


def previous_term(day: date) -> tuple[date, date]:
    """The first and last days of the term before the one containing `day`."""
    end = term_start(day) - timedelta(days=1)
    return term_start(end), end


def academic_year_label(start: date) -> str:
    """'2025/26' for the year starting 1 September 2025."""
    return f"{start.year}/{(start.year + 1) % 100:02d}"


@dataclass(frozen=True)
class Window:
    """The dates a set of figures is for: period figures (ended placements, attendance)
    over `since` to `as_of`, point-in-time figures as at `at` (`as_of` unless given: the
    board's counts are always as at today, whatever period it chooses)."""

    since: date
    as_of: date
    at: date | None = None

    @property
    def day(self) -> date:
        """The day point-in-time figures are counted on."""
        return self.at or self.as_of


def month_before(window: Window) -> Window:
    """A window of the same length ending a month earlier."""
    as_of = add_months(window.as_of, -1)
    at = add_months(window.at, -1) if window.at else None
    return Window(as_of - (window.as_of - window.since), as_of, at)


def term_before(window: Window) -> Window:
    """The whole of the term before the one `window` ends in (counted at the end of the
    term before the one it counts in)."""
    at = previous_term(window.at)[1] if window.at else None
    return Window(*previous_term(window.as_of), at)


def baseline_window(day: date) -> Window:
    """The baseline: figures as at `day`, period figures over the term containing it."""
    return Window(term_start(day), day)
