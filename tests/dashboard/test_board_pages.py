"""Issue 13, item 6: the board's home page is a short summary and the dashboard the full
figures, first screen the headline measures, detail behind disclosures; and the CSV and XLSX
downloads hold exactly the figures the page shows, hidden exactly as the page hides them."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apregister.dashboard import figures
from apregister.exports import cell
from apregister.models import KpiSetting, Role, SenStatus
from tests.conftest import make_la
from tests.dashboard.board_page import Tables
from tests.dashboard.pages import place, started, text_of
from tests.dashboard.test_board_disclosure import PLACEMENTS, build, random_scene

HIDDEN = re.compile(r"fewer than 5|not shown", re.I)
ARROWS = re.compile(r"[↑↓→]")
ORGANISATIONS = ("Providers with QA up to date", "Registration-threshold alerts")


@pytest.fixture(params=["issue 10", 4], ids=lambda p: f"scene {p}")
def register(request, db):
    """A register where the board's view hides several figures."""
    scene = build(PLACEMENTS if request.param == "issue 10" else random_scene(request.param))
    db.session.add_all(
        [
            KpiSetting(key="active", target=Decimal(8), comparator=Decimal(12)),
            KpiSetting(
                key="attendance_rate",
                target=Decimal(95),
                comparator=Decimal("88.5"),
                comparator_source="National figure 2024/25",
            ),
        ]
    )
    db.session.commit()
    return scene


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(figures.HEADER)
    return rows[1:]


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(figures.HEADER)
    return rows[1:]


def page_cells(html: str) -> dict[tuple[str, str, str], str]:
    """Every figure in every table of the page: (caption, row, column) -> text as shown.
    The measures' comparator cell holds its source too, and the direction of travel both
    movements: they are read as the download splits them."""
    cells = {}
    for caption, rows in Tables(html).tables.items():
        header, *body = rows
        for row in body:
            for column, text in zip(header[1:], row[1:], strict=True):
                cells[(caption, row[0], column)] = " ".join(ARROWS.sub("", text).split())
    return cells


def download_cells(rows) -> dict[tuple[str, str, str], str]:
    cells: dict[tuple[str, str, str], str] = {}
    for table, row, column, text, _ in rows:
        if table == figures.ABOUT:
            continue
        if table == figures.MEASURES and column == "Comparator source":
            key = (table, row, "Comparator")
            cells[key] = f"{cells[key]} {text}".strip()
        elif table == figures.MEASURES and column.startswith("Since "):
            key = (table, row, "Direction of travel")
            cells[key] = f"{cells.get(key, '')} {text}".strip()
        else:
            cells[(table, row, column)] = text
    return cells


# ---- the downloads are the page ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD, Role.LA_LEAD])
@pytest.mark.parametrize("query", ["", "?period=term"])
def test_downloads_hold_exactly_the_figures_on_the_page(client, login_as, register, role, query):
    login_as(role)
    page = client.get(f"/dashboard{query}")
    shown = page_cells(page.get_data(as_text=True))
    as_csv = csv_rows(client.get(f"/dashboard/figures.csv{query}"))
    as_xlsx = xlsx_rows(client.get(f"/dashboard/figures.xlsx{query}"))

    assert download_cells(as_csv) == shown
    hidden = [key for key, text in shown.items() if HIDDEN.search(text)]
    if role is Role.BOARD:
        assert hidden, "the scene hides some of the board's figures"
    # the XLSX is the CSV, cell for cell, the values as numbers
    assert len(as_xlsx) == len(as_csv)
    for written, typed in zip(as_csv, as_xlsx, strict=True):
        assert [cell or "" for cell in typed[:4]] == written[:4]
        if written[4]:
            assert Decimal(str(typed[4])) == Decimal(written[4])
        else:
            assert typed[4] is None
    # a hidden figure has no value beside it, in either
    for table, row, column, text, value in as_csv:
        if HIDDEN.search(text):
            assert value == "", (table, row, column)
        elif value:
            assert figures.value_of(text) == Decimal(value)


def test_the_download_is_made_from_the_page_the_view_renders(
    client, login_as, register, monkeypatch
):
    """The view turns presenter.page's dict, the one the page renders, into rows."""
    from apregister.dashboard import presenter

    made = []
    real_page = presenter.page

    def spy(*args, **kwargs):
        made.append(real_page(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(presenter, "page", spy)
    login_as(Role.BOARD)
    rows = csv_rows(client.get("/dashboard/figures.csv"))
    expected = [[cell(value) for value in row] for row in figures.rows(made[0])]
    assert rows == expected


def test_the_board_cannot_download_a_small_number(client, login_as, register):
    login_as(Role.BOARD)
    for path in ("/dashboard/figures.csv", "/dashboard/figures.csv?period=term"):
        for table, row, column, text, _ in csv_rows(client.get(path)):
            if table == figures.ABOUT or row in ORGANISATIONS:
                continue
            if column in ("Target", "Comparator"):
                continue  # the la_lead's settings, not counts
            if re.fullmatch(r"[\d,]+", text):
                assert not 1 <= int(text.replace(",", "")) <= 4, (table, row, column, text)


def test_the_board_download_has_no_choice_but_the_period(client, login_as, register):
    login_as(Role.BOARD)
    provider = register["provider"].id
    everything = csv_rows(client.get("/dashboard/figures.csv"))
    tried = csv_rows(client.get(f"/dashboard/figures.csv?phase=secondary&provider_id={provider}"))
    assert tried == everything
    assert not any(
        table in ("Active placements by provider", "Active placements by school")
        for table, *_ in everything
    )


def test_the_la_download_says_which_phase_and_provider_it_is_for(client, login_as, register):
    login_as(Role.LA_OFFICER)
    provider = register["provider"]
    rows = csv_rows(client.get(f"/dashboard/figures.csv?phase=secondary&provider_id={provider.id}"))
    about = {row: text for table, row, _, text, _ in rows if table == figures.ABOUT}
    assert about["School phase"] == "Secondary"
    assert about["Provider"] == provider.name
    assert "Small numbers" not in about


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_the_la_and_the_board_may_download_the_figures(client, login_as, role, fmt):
    login_as(role)
    allowed = role in (Role.LA_LEAD, Role.LA_OFFICER, Role.BOARD)
    assert client.get(f"/dashboard/figures.{fmt}").status_code == (200 if allowed else 403)


def test_signed_out_downloads_go_to_sign_in(client, db):
    response = client.get("/dashboard/figures.csv")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# ---- home and dashboard ------------------------------------------------------------------------


def test_board_home_is_a_summary_and_the_dashboard_the_full_figures(client, login_as, register):
    login_as(Role.BOARD)
    home = client.get("/")
    dashboard = client.get("/dashboard")
    home_html, dashboard_html = home.get_data(as_text=True), dashboard.get_data(as_text=True)

    # the home: what needs attention, the headline measures as cards, links onward; no tables
    home_text = text_of(home)
    assert "What needs the board's attention" in home_text
    assert "govuk-summary-card" in home_html
    assert "<table" not in home_html
    assert 'name="period"' not in home_html
    for link in ("/dashboard#measures", "/dashboard#placements", "/dashboard#trend"):
        assert f'href="{link}"' in home_html
    assert 'href="/dashboard/figures.csv"' in home_html
    assert 'href="/dashboard/figures.xlsx"' in home_html

    # the dashboard: the period, the headline measures first, then every table in detail
    dashboard_text = text_of(dashboard)
    assert "What needs the board's attention" not in dashboard_text
    assert 'name="period"' in dashboard_html
    order = [
        dashboard_text.index(h) for h in ("Headline measures", "All measures", "Monthly trend")
    ]
    assert order == sorted(order)
    tables = Tables(dashboard_html).tables
    assert figures.MEASURES in tables and figures.TREND_ACTIVE in tables
    # every table is inside a disclosure: the first screen is the summary
    first_table = dashboard_html.index("<table")
    assert dashboard_html.rfind("<details", 0, first_table) > dashboard_html.index(
        "Headline measures"
    )
    for start in [m.start() for m in re.finditer("<table", dashboard_html)]:
        assert dashboard_html.rfind("<details", 0, start) > dashboard_html.rfind(
            "</details>", 0, start
        )


def test_the_home_page_shows_nothing_the_dashboard_does_not(client, login_as, register):
    """Every headline figure on the home page is the dashboard's, hidden the same way."""
    login_as(Role.BOARD)
    home = client.get("/").get_data(as_text=True)
    measures = Tables(client.get("/dashboard").get_data(as_text=True)).tables[figures.MEASURES]
    now = {row[0]: row[1] for row in measures[1:]}
    cards = re.findall(r'govuk-summary-card__title">([^<]*?): ([^<]*)</h3>', home)
    assert len(cards) == 5
    for label, text in cards:
        assert now[label] == text, label


def test_the_home_page_says_what_is_off_target_and_never_a_hidden_figure(client, login_as, db):
    make_la()
    pupils = place(6, start_date=started(14), planned_end=started(-10))
    pupils[0].pupil.sen_status = SenStatus.EHC_PLAN
    db.session.add_all(
        [
            KpiSetting(key="past_12_weeks_share", target=Decimal(10)),
            KpiSetting(key="ehc_share", target=Decimal(10)),  # 1 of 6: hidden
            KpiSetting(key="active", target=Decimal(3)),  # no better way to move: not judged
        ]
    )
    db.session.commit()
    login_as(Role.BOARD)
    text = text_of(client.get("/"))
    assert "Share of active placements past 12 weeks : 100.0% against a target of 10%" in text
    attention = text[text.index("What needs the board's attention") : text.index("Headline")]
    assert "EHC" not in attention
    assert "Active placements :" not in attention


def test_with_nothing_off_target_the_home_page_says_so(client, login_as, db):
    login_as(Role.BOARD)
    text = text_of(client.get("/"))
    assert "No measure is off its target or worse than last month or last term" in text
