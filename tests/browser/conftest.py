"""Browser fixtures: the app served on a real port, Debian's Chromium driven by pytest-playwright,
and an axe-core check that every page a test visits must pass.

The live server runs the session-scoped `app` from tests/conftest.py, so the data builders there
(`make_user` and friends) commit to the very database the browser is looking at.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, Frame, Page

from apregister.navigation import NAV_GROUPS
from tests.serving import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# WCAG 2.2 level AA, which includes every A and AA rule of 2.0 and 2.1.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


# ---- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at the system Chromium (no `playwright
    install` here). Headless unless `--headed` is given."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


# ---- the live server ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served from a background thread; yields its URL."""
    with serve(app, "live-server") as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright hands this to every browser context, so `page.goto("/")` works."""
    return live_server


# ---- accessibility ------------------------------------------------------------------------


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"  [{violation['id']}] ({violation.get('impact')}) {violation['help']}"
            f"\n    {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    - target: {', '.join(map(str, node['target']))}")
            lines.append(f"      html:   {node['html']}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n              ")
            lines.append(f"      why:    {summary}")
    return "\n".join(lines)


# each page's checker, so that shared helpers that pass through a page can check it too
_CHECKERS: weakref.WeakKeyDictionary[Page, AccessibilityChecker] = weakref.WeakKeyDictionary()


class AccessibilityChecker:
    """Runs axe-core with the WCAG 2.2 AA tags on the pages of one test.

    `check()` runs axe on the page as it is now and keeps going, so one run of a journey lists
    the violations of every page it passes through; `assert_no_violations()` then fails with all
    of them. Page loads are tracked too: a page visited but never checked fails the test.
    """

    def __init__(self, page: Page, axe: Axe) -> None:
        self.page = page
        self.axe = axe
        self.unchecked: list[str] = []  # loaded since the last check
        self.missed: list[str] = []  # loaded, then navigated away from without a check
        self.reports: list[str] = []
        page.on("framenavigated", self._navigated)
        _CHECKERS[page] = self

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and not frame.url.startswith("about:"):
            self.unchecked.append(frame.url)

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        url = self.page.url
        results = self.axe.run(self.page, options=AXE_OPTIONS)
        # The latest load is the page just checked; any before it were passed over.
        self.missed.extend(self.unchecked[:-1])
        self.unchecked.clear()
        violations = results.response["violations"]
        if violations:
            self.reports.append(format_violations(url, violations))

    def problems(self) -> str:
        found = list(self.reports)
        if self.missed or self.unchecked:
            never = ", ".join(self.missed + self.unchecked)
            found.append(f"pages visited but never checked with axe: {never}")
        return "\n\n".join(found)

    def assert_no_violations(self) -> None:
        problems = self.problems()
        self.reports.clear()
        self.missed.clear()
        self.unchecked.clear()
        assert not problems, f"axe (WCAG 2.2 AA) found problems:\n\n{problems}"


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture
def accessibility(
    page: Page, _axe: Axe, request: pytest.FixtureRequest
) -> Iterator[AccessibilityChecker]:
    """accessibility.check() after every page load; accessibility.assert_no_violations() at the
    end. A test that forgets either fails here. If the test failed part-way, the violations axe
    had found by then are still reported (as a teardown error), so none go unseen."""
    checker = AccessibilityChecker(page, _axe)
    yield checker
    call = request.node.stash.get(_CALL_REPORT, None)
    if call is not None and call.failed:
        checker.unchecked.clear()  # it stopped on this page: not a missed check
    checker.assert_no_violations()


# ---- a second (third...) person's browser ---------------------------------------------------

FreshPage = Callable[[], tuple[Page, AccessibilityChecker]]


@pytest.fixture
def fresh_page(
    new_context: Callable[..., BrowserContext], _axe: Axe, request: pytest.FixtureRequest
) -> Iterator[FreshPage]:
    """fresh_page() -> (page, checker): a page in a new browser context (no shared cookies),
    with its own axe checker, whose findings fail the test at teardown. Test modules that define
    their own `fresh_page` use theirs."""
    checkers: list[AccessibilityChecker] = []

    def _open() -> tuple[Page, AccessibilityChecker]:
        page = new_context().new_page()
        checker = AccessibilityChecker(page, _axe)
        checkers.append(checker)
        return page, checker

    yield _open
    call = request.node.stash.get(_CALL_REPORT, None)
    for checker in checkers:
        if call is not None and call.failed:
            checker.unchecked.clear()
        checker.assert_no_violations()


# ---- helpers the journeys share -----------------------------------------------------------


def heading(page: Page):
    """The page's h1."""
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, base_url: str, checker: AccessibilityChecker, email: str) -> None:
    """Home, sent to the sign-in page, signed in, back on home: the sign-in page checked."""
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    page.goto("/")
    expect(page).to_have_url(f"{base_url}/sign-in?next=/")
    checker.check()
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")


def open_section(page: Page, name: str) -> None:
    """Open a section by its link: on the service navigation's bar, or, for a section inside
    a group (Pupils, Dashboard, Audit log ...), the group on the bar, then the section in the
    group's sub-navigation."""
    bar = page.get_by_role("navigation", name="Sections")
    link = bar.get_by_role("link", name=name, exact=True)
    if link.count():
        link.click()
        return
    group = next(g for g in NAV_GROUPS if any(item.label == name for item in g.items))
    sub = page.get_by_role("navigation", name=group.label, exact=True)
    if not sub.count():  # not in the group yet: its first section, on the way
        bar.get_by_role("link", name=group.label, exact=True).click()
        page.wait_for_load_state("load")
    target = sub.get_by_role("link", name=name, exact=True)
    if target.get_attribute("aria-current") == "page":
        return  # the group's first section was the one wanted
    if page in _CHECKERS and _CHECKERS[page].unchecked:
        _CHECKERS[page].check()  # the page passed through is checked like any other
    target.click()
