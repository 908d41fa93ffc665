"""Issue 13, item 8: the accessibility and reflow sweep.

Each demo role signs in through the real sign-in page and follows every link it is shown, one
page per URL pattern (tests/browser/sweep_crawl.py). Every page is checked at 1280 and 320 px
wide: axe-core with the WCAG 2.0/2.1/2.2 A and AA rules, and the page may not be wider than the
viewport (WCAG 1.4.10 reflow). The test lists every finding of its role, then fails.

The sweep has an app and a database of its own: a fresh SQLite file loaded with the demo data
(`flask seed-demo`), so what it sees is what someone trying the service sees.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask_migrate import upgrade
from playwright.sync_api import Browser, expect

from apregister import create_app
from apregister.audit import acting_as
from apregister.config import TestConfig
from apregister.demo import DEFAULT_DEMO_PASSWORD, demo_accounts, seed_demo
from apregister.extensions import db
from apregister.models import Role
from tests.browser.sweep_crawl import HEIGHT, WIDTHS, Sweep
from tests.serving import serve

pytestmark = [
    pytest.mark.browser,
    # The second run of the suite (on PostgreSQL) would sweep the same SQLite database again:
    # the pages are the same, so it is skipped there to keep CI inside its time budget.
    pytest.mark.skipif(
        bool(os.environ.get("TEST_DATABASE_URL")),
        reason="the sweep uses its own SQLite database; it runs in the SQLite pass only",
    ),
]

SIGNED_OUT = "signed-out"
# The fewest pages each crawl must check, about three quarters of what it checks today (88, 72,
# 51, 24 and 6 signed in; 10 signed out), so a sweep that stops following links (a broken
# sign-in, a changed navigation) cannot pass by visiting nothing.
MINIMUM_PAGES = {
    SIGNED_OUT: 8,
    Role.LA_LEAD: 65,
    Role.LA_OFFICER: 55,
    Role.SCHOOL: 38,
    Role.PROVIDER: 18,
    Role.BOARD: 5,
}
# Forms sent empty, to check the pages with their error summary and messages. Only forms that
# refuse an empty submission, so nothing is written.
EMPTY_FORMS = {
    SIGNED_OUT: ["/sign-in", "/apply"],
    Role.LA_LEAD: ["/providers/new", "/users/new", "/inspections/new"],
    Role.LA_OFFICER: [],
    Role.SCHOOL: ["/pupils/new"],
    Role.PROVIDER: [],
    Role.BOARD: [],
}
PUBLIC_PAGES = [
    "/",
    "/sign-in",
    "/apply",
    "/cookies",
    "/accessibility-statement",
    "/privacy-notice",
]
MISSING = "/no-such-page"  # the 404 page, seen signed in and signed out


@pytest.fixture(scope="module")
def sweep_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo data on a fresh SQLite database, served on a free port."""
    folder = tmp_path_factory.mktemp("sweep")
    instance = os.environ.get("INSTANCE_PATH")
    os.environ["INSTANCE_PATH"] = str(folder / "instance")
    try:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'sweep.db'}")
    finally:
        if instance is None:
            os.environ.pop("INSTANCE_PATH", None)
        else:
            os.environ["INSTANCE_PATH"] = instance
    with app.app_context():
        upgrade()
        with acting_as(None):
            seed_demo(la_name=app.config["LA_NAME"], password=DEFAULT_DEMO_PASSWORD)
            db.session.commit()
        db.session.remove()
    with serve(app, "sweep-server") as url:
        yield url
    with app.app_context():
        db.engine.dispose()


def demo_email(role: Role) -> str:
    """The first demo account of a role (the first school's, the first provider's)."""
    return next(a.email for a in demo_accounts("") if a.role is role)


@pytest.mark.parametrize("role", [SIGNED_OUT, *Role], ids=str)
def test_every_page_passes_axe_and_reflows_at_320_px(
    role: str, browser: Browser, sweep_url: str
) -> None:
    context = browser.new_context(
        base_url=sweep_url, viewport={"width": WIDTHS[0], "height": HEIGHT}
    )
    page = context.new_page()
    sweep = Sweep(str(role), page, Axe(), sweep_url)
    try:
        if role == SIGNED_OUT:
            sweep.crawl([*PUBLIC_PAGES, MISSING], expect_status={MISSING: 404})
        else:
            page.goto("/sign-in")
            page.get_by_label("Email address", exact=True).fill(demo_email(Role(role)))
            page.get_by_label("Password", exact=True).fill(DEFAULT_DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{sweep_url}/")
            sweep.crawl(["/", MISSING], expect_status={MISSING: 404})
        for path in EMPTY_FORMS[role]:
            sweep.submit_empty(path)
    finally:
        context.close()
    print("\n" + sweep.summary())
    assert len(sweep.visited) >= MINIMUM_PAGES[role], (
        f"{sweep.summary()}: expected at least {MINIMUM_PAGES[role]} pages; visited {sweep.visited}"
    )
    if sweep.findings:
        pytest.fail(sweep.report(), pytrace=False)
