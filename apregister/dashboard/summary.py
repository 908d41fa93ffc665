"""The board's summary: the headline measures and what needs the board's attention, read
from the KPI rows exactly as the dashboard shows them. A hidden figure is never judged or
quoted, so the summary says nothing the dashboard does not."""

from __future__ import annotations

from dataclasses import dataclass

from apregister.dashboard.shown import KpiRow


@dataclass(frozen=True)
class Attention:
    label: str  # the measure
    words: str  # what is wrong with it, in words


def headlines(rows: list[KpiRow]) -> list[KpiRow]:
    """The measures the improvement board asked to see first."""
    return [row for row in rows if row.kpi.main]


def attention(rows: list[KpiRow]) -> list[Attention]:
    """The measures off their target or worse than last month or last term, headline
    measures first. Only measures with a better way to move, and only figures shown."""
    found = []
    for row in sorted(rows, key=lambda row: not row.kpi.main):
        kpi, now = row.kpi, row.now
        if kpi.higher_is_better is None or now.hidden or now.number is None:
            continue
        off_target = row.target_value is not None and (
            now.number < row.target_value if kpi.higher_is_better else now.number > row.target_value
        )
        moves = (row.last_month, row.last_term)
        worse = [_lower_first(m.words.removesuffix(": worse")) for m in moves if m.worse]
        if not off_target and not worse:
            continue
        first = f"{now.text} against a target of {row.target}" if off_target else now.text
        found.append(Attention(kpi.label, "; ".join([first, *worse])))
    return found


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
