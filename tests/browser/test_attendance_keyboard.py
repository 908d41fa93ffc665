"""Issue 13, item 1: a day's register taken with the keyboard alone, in under 15 key presses for
5 pupils, on a page that fits 1280 and 320 px without scrolling sideways.

Every key is sent with page.keyboard.press, and those on the register are counted: no clicks, no
fill (signing in too is typed a key at a time, not counted). The day is opened
at the address every link to a day's register uses (previous and next day, the date picker, the
days to catch up), which lands on the register: the first Tab goes to the first pupil's
morning. The provider chooses the absent pupil's codes by typing a letter, then presses "Mark
everyone not yet recorded as present", which saves them and records the other four present.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from apregister.attendance.forms import field_name
from apregister.attendance.queries import previous_school_day
from apregister.extensions import db
from apregister.models import AbsenceCase, Attendance, AttendanceCode, Role, Session
from tests.browser.conftest import AccessibilityChecker, heading
from tests.conftest import (
    PASSWORD,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_user,
)

pytestmark = pytest.mark.browser

TODAY = date.today()
DAY = previous_school_day(TODAY)  # a school day wholly past: both sessions may be recorded
DAY_BEFORE = previous_school_day(DAY)
NAMES = ["Adams", "Baker", "Cole", "Dunn", "Evans"]  # the register's order
ABSENT = "Cole"
BUDGET = 15
AM, PM = Session.AM, Session.PM


class Keyboard:
    """Presses keys one at a time and counts them."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pressed: list[str] = []

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.pressed.append(key)

    def focused(self) -> str:
        return self.page.evaluate("document.activeElement.id || document.activeElement.tagName")


def type_in(page: Page, text: str) -> None:
    """Type `text` a key at a time (signing in: not counted)."""
    for character in text:
        page.keyboard.press("Space" if character == " " else character)


def sign_in_with_the_keyboard(
    page: Page, base_url: str, accessibility: AccessibilityChecker, email: str
) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    accessibility.check()
    page.get_by_label("Email address", exact=True).focus()
    type_in(page, email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    type_in(page, PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/")


def day_url(day: date) -> str:
    return f"/attendance?day={day.isoformat()}#register"


def fits(page: Page, width: int) -> None:
    """Nothing wider than the viewport: the page does not scroll sideways, and every control of
    the register is inside the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main select, main button')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= width


def saved(placements: dict[str, int], day: date) -> dict[tuple[str, Session], AttendanceCode]:
    db.session.expire_all()
    names = {placement_id: name for name, placement_id in placements.items()}
    return {
        (names[row.placement_id], row.session): row.code
        for row in db.session.scalars(select(Attendance).where(Attendance.date == day))
    }


def test_a_days_register_for_five_pupils_is_taken_with_the_keyboard(
    page: Page, base_url: str, accessibility: AccessibilityChecker
) -> None:
    provider = make_provider(name="Riverside Learning")
    school = make_school(name="Hillside Academy")
    placements = {
        name: make_placement(
            make_pupil(school, first_name="Sam", last_name=name),
            provider,
            start_date=DAY - timedelta(weeks=3),
        ).id
        for name in NAMES
    }
    user = make_user(Role.PROVIDER, provider)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_with_the_keyboard(page, base_url, accessibility, user.email)
    accessibility.check()

    # ---- 1280 px: the whole day, every pupil's morning and afternoon, on one screen width
    page.goto(day_url(DAY))
    expect(heading(page)).to_have_text("Attendance register")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{DAY:%A} {DAY.day} {DAY:%B %Y}")
    expect(page.locator("main select")).to_have_count(10)
    fits(page, 1280)
    accessibility.check()

    keys = Keyboard(page)
    for name in NAMES:
        keys.press("Tab")
        assert keys.focused() == field_name(placements[name], DAY, AM)
        if name == ABSENT:
            keys.press("a")  # "Absent, reason not known": the first choice starting with A
        keys.press("Tab")
        assert keys.focused() == field_name(placements[name], DAY, PM)
        if name == ABSENT:
            keys.press("a")
    keys.press("Tab")
    expect(page.locator(":focus")).to_have_text("Mark everyone not yet recorded as present")
    keys.press("Enter")

    expect(page).to_have_url(f"{base_url}/attendance?day={DAY.isoformat()}")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "8 sessions marked present"
    )
    accessibility.check()
    assert len(keys.pressed) < BUDGET, keys.pressed
    assert len(keys.pressed) == 14  # 10 sessions, 2 letters, the button and Enter

    present, absent = AttendanceCode.PRESENT, AttendanceCode.UNEXPLAINED
    expected = {
        (name, session): absent if name == ABSENT else present
        for name in NAMES
        for session in (AM, PM)
    }
    assert saved(placements, DAY) == expected
    # an absence with no reason known goes to the home school at once
    cases = db.session.execute(
        select(AbsenceCase.placement_id, AbsenceCase.date, AbsenceCase.session)
    ).all()
    assert set(cases) == {(placements[ABSENT], DAY, AM), (placements[ABSENT], DAY, PM)}

    # the saved register shows what was chosen, and nothing is left to mark
    for name in NAMES:
        select_am = page.locator(f"#{field_name(placements[name], DAY, AM)}")
        expect(select_am).to_have_value("unexplained" if name == ABSENT else "present")
    expect(
        page.get_by_role("button", name="Mark everyone not yet recorded as present")
    ).to_have_count(0)

    # ---- 320 px: each pupil's sessions stack; the page still fits, and everyone present on
    # the day before is two key presses from its register
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(day_url(DAY_BEFORE))
    expect(page.locator("main select")).to_have_count(10)
    fits(page, 320)
    accessibility.check()
    keys = Keyboard(page)
    keys.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("Mark everyone not yet recorded as present")
    keys.press("Enter")
    expect(page).to_have_url(f"{base_url}/attendance?day={DAY_BEFORE.isoformat()}")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "10 sessions marked present"
    )
    fits(page, 320)
    accessibility.check()
    assert len(keys.pressed) == 2
    assert set(saved(placements, DAY_BEFORE).values()) == {AttendanceCode.PRESENT}
    assert len(saved(placements, DAY_BEFORE)) == 10

    # the days still to record, and the full list, fit too
    page.goto("/attendance/unrecorded")
    fits(page, 320)
    accessibility.check()
    accessibility.assert_no_violations()
