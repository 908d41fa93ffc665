"""Reading the dashboard page in the dashboard's view tests: its tables, by caption and row,
and a few placements to set the scene."""

from __future__ import annotations

import re
from datetime import date, timedelta

from apregister.models import Role
from tests.conftest import make_placement, make_provider, make_pupil, make_school

TODAY = date.today()
VIEWERS = {Role.LA_LEAD, Role.LA_OFFICER, Role.BOARD}
KPI_CAPTION = "Each measure with its baseline, target, comparator and direction of travel"


def started(weeks: int) -> date:
    return TODAY - timedelta(weeks=weeks)


def place(n: int, *, provider=None, school=None, first_name="Sam", **overrides):
    school = school or make_school()
    provider = provider or make_provider()
    return [
        make_placement(make_pupil(school, first_name=first_name), provider, **overrides)
        for _ in range(n)
    ]


def text_of(response) -> str:
    """The page's words, tags removed, spaces collapsed."""
    html = response.get_data(as_text=True)
    html = html[html.index("<main") :]
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def table_row(response, caption: str, label: str) -> str:
    """The figure in the row `label` of the table captioned `caption`."""
    html = response.get_data(as_text=True)
    table = html[re.search(rf">\s*{re.escape(caption)}\s*</caption>", html).start() :]
    table = table[: table.index("</table>")]
    match = re.search(
        rf">\s*{re.escape(label)}\s*</th>\s*<td[^>]*>\s*([^<]*?)\s*</td>", table, flags=re.S
    )
    assert match, f"no row {label!r} in {caption!r}"
    return match.group(1)


def kpi_now(response, label: str) -> str:
    return table_row(response, KPI_CAPTION, label)


def off_framework_row(response, label: str) -> list[str]:
    """The active placements, those off framework and the share, in the row `label` of the
    off-framework table."""
    html = response.get_data(as_text=True)
    caption = "Active placements off framework, by registration status"
    table = html[re.search(rf">\s*{re.escape(caption)}\s*</caption>", html).start() :]
    table = table[: table.index("</table>")]
    row = re.search(rf">\s*{re.escape(label)}\s*</th>(.*?)</tr>", table, flags=re.S).group(1)
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
