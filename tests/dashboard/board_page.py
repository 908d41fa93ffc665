"""The board's dashboard page read back as counts, each matched to the placements it counts,
worked out here from the data, not by the app (for test_board_disclosure.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from apregister.dashboard import rules
from apregister.qa.rules import add_months

TODAY = date.today()
MEASURES = "Each measure with its baseline, target, comparator and direction of travel"
TREND = "Active placements at the end of each month (for this month: today)"
OFF_FRAMEWORK = "Active placements off framework, by registration status"
HIDDEN = re.compile(r"fewer than 5|not shown", re.I)


@dataclass(frozen=True)
class Known:
    """A placement as the test knows it, from the data it wrote."""

    id: int
    start: date
    end: date | None
    phase: str
    registered: bool
    reason: str
    ehc: bool
    looked_after: bool
    disadvantaged: bool
    off: bool


# ---- reading the page ------------------------------------------------------------------------


class Tables(HTMLParser):
    """Every table in <main>: caption -> rows, each the list of its cells' text."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self.feed(html[html.index("<main") : html.index("</main>")])

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.caption, self.rows = None, []
        elif tag == "caption":
            self.text = []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.text = []
        elif tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag):
        words = " ".join("".join(self.text).split())
        if tag == "caption":
            self.caption = words
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append(words)
        elif tag == "table":
            self.tables[self.caption] = [row for row in self.rows if row]

    def handle_data(self, data):
        self.text.append(data)


def number(text: str) -> int | Decimal | None:
    """A count ("1,204") or a percentage ("12.5%") as shown, or None for anything else."""
    if re.fullmatch(r"[\d,]+", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"\d+(\.\d)?%", text):
        return Decimal(text[:-1])
    return None


# ---- what each number counts, worked out from the data ----------------------------------------


def active_on(placements: list[Known], day: date) -> set[Known]:
    return {p for p in placements if p.start <= day and (p.end is None or p.end > day)}


def traits(placement: Known, day: date) -> set[str]:
    """Every group the board's figures count `placement` in, on `day`."""
    found = {
        f"reason:{placement.reason}",
        f"phase:{placement.phase}",
        "Registered" if placement.registered else "Unregistered",
        "off" if placement.off else "on",
    }
    found |= {name for name in ("ehc", "looked_after", "disadvantaged") if getattr(placement, name)}
    if placement.start <= day - timedelta(weeks=12, days=1):
        found.add("past_12_weeks")
    return found


SHARES = {
    "Share with an EHC plan": "ehc",
    "Share looked after": "looked_after",
    "Share disadvantaged": "disadvantaged",
    "Share of active placements past 12 weeks": "past_12_weeks",
    "Share of active placements off framework": "off",
}
ROW_TRAITS = {
    "Active placements by reason": "reason:{}",
    "Active placements by school phase": "phase:{}",
    "Active placements by registration status": "{}",  # "Registered", "Unregistered"
}


@dataclass(frozen=True)
class Seen:
    """A count on the page: where, what it says, and the placements it counts."""

    where: str
    value: int | None  # None when hidden
    placements: frozenset[int]


def read(html: str, placements: list[Known], baseline: date) -> tuple[list[Seen], list[Seen]]:
    """The counts the page shows, and the hidden ones, each with its placements (the
    baseline date set is `baseline`)."""
    as_at = re.search(r"counts as at (\d+ \w+ \d{4})", html).group(1)
    day = datetime.strptime(as_at, "%d %B %Y").date()
    assert day == TODAY, "the board's counts are always as at today"
    last_month, last_term = add_months(day, -1), rules.previous_term(day)[1]
    tables = Tables(html).tables
    shown: list[Seen] = []
    hidden: list[Seen] = []

    def who(on: date, *wanted: str) -> frozenset[int]:
        return frozenset(p.id for p in active_on(placements, on) if set(wanted) <= traits(p, on))

    def note(where: str, text: str, on: date, *wanted: str) -> None:
        counted = who(on, *wanted)
        value = number(text)
        if HIDDEN.search(text):
            hidden.append(Seen(where, None, counted))
        elif isinstance(value, int):
            assert value == len(counted), f"{where}: shows {value}, counts {len(counted)}"
            shown.append(Seen(where, value, counted))

    measures = {row[0]: row[1:] for row in tables[MEASURES][1:]}
    now, base, _, _, moved = measures["Active placements"]
    note("active now", now, day)
    note("active at the baseline", base, baseline)
    bases = {day: number(now), baseline: number(base)}  # the active counts shown, by day
    for period, on in (("last month", last_month), ("last term", last_term)):
        if (found := re.search(rf"from ([\d,]+) {period}", moved)) is not None:
            note(f"active {period}", found.group(1), on)
            bases[on] = number(found.group(1))
        elif f"No change since {period}" in moved:
            note(f"active {period}", now, on)
            bases[on] = number(now)
        elif not HIDDEN.search(now):  # not compared: the earlier count is hidden
            hidden.append(Seen(f"active {period}", None, who(on)))
    for row in tables[TREND][1:]:
        month = datetime.strptime(row[0], "%B %Y").date()
        end = min(add_months(month, 1) - timedelta(days=1), day)
        note(f"trend {row[0]}", row[1], end)
        if isinstance(number(row[1]), int):
            bases[end] = number(row[1])
    for label, trait in SHARES.items():
        now, base, _, _, moved = measures[label]
        quoted = [(day, now), (baseline, base)]
        for period, on in (("last month", last_month), ("last term", last_term)):
            if (found := re.search(rf"from ([\d.]+%) {period}", moved)) is not None:
                quoted.append((on, found.group(1)))
            elif f"No change since {period}" in moved:
                quoted.append((on, now))
            elif not HIDDEN.search(now):  # not compared: the earlier share is hidden
                quoted.append((on, "not shown"))
        for on, text in quoted:
            part = who(on, trait)
            if HIDDEN.search(text):
                hidden.append(Seen(f"{label} on {on}", None, part))
            elif isinstance(share := number(text), Decimal) and bases.get(on) is not None:
                implied = round(share * bases[on] / 100)
                assert implied == len(part), f"{label} on {on}: {share}% of {bases[on]}"
                shown.append(Seen(f"{label} on {on} (from the share)", implied, part))
    for caption, pattern in ROW_TRAITS.items():
        for label, text in tables[caption][1:]:
            wanted = () if label == "Total" else (pattern.format(label),)
            note(f"{caption}: {label}", text, day, *wanted)
    for label, active, off, _share in tables[OFF_FRAMEWORK][1:]:
        status = () if label == "Total" else (label,)
        note(f"{OFF_FRAMEWORK}: {label}", active, day, *status)
        note(f"{OFF_FRAMEWORK}: {label}, off framework", off, day, *status, "off")
    return shown, hidden
