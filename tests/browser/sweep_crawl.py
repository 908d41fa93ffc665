"""The crawler behind tests/browser/test_sweep.py: visit every page one signed-in browser can
reach by following links, check each at two widths, and keep every finding for one report.

Pages are grouped by their URL's pattern (numbers in the path become <id>, query values are
dropped and the keys kept), and at most PER_PATTERN pages of a pattern are checked, so a list
of a thousand placements costs one check, not a thousand. The other pages of a pattern are
only read (a plain request, no rendering) for links to patterns not yet seen.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.browser.conftest import AXE_OPTIONS

WIDTHS = (1280, 320)
HEIGHT = 800
PER_PATTERN = 1
READ_PER_PATTERN = 20  # pages of a pattern read for links, after the one checked
MAX_PAGES = 200  # checked per role: a guard against a crawl that never ends, far above today's

# Never followed: signing out ends the crawl's session; the rest are downloads, not pages.
SKIP_PATH = re.compile(
    r"""
    ^/sign-out
    | ^/static/
    | ^/healthz
    | /documents/\d+$               # a provider's uploaded document
    | \.(csv|xlsx|txt|pdf|html?)$   # exports and the agreement's download copies
    """,
    re.VERBOSE,
)

# The elements that stick out past the right edge of the page: the deepest ones, outside any
# box that scrolls or clips, described well enough to find them in a template.
_WIDE_ELEMENTS = """
() => {
  const limit = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  // an element's right edge, or that of the text overflowing it (a long word in a block)
  const right = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0) return 0;
    const spills = getComputedStyle(el).overflowX === "visible";
    return spills ? Math.max(box.right, box.left + el.scrollWidth) : box.right;
  };
  const wide = [...document.body.querySelectorAll("*")].filter(
    (el) => right(el) > limit + 0.5 && !clipped(el)
  );
  const leaves = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    for (const c of el.classList) name += "." + c;
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${name} (right edge at ${Math.round(right(el))}px)` + (text ? ` "${text}"` : "");
  };
  return leaves.slice(0, 4).map(describe);
}
"""

# Boxes that scroll sideways: each must take focus (tabindex="0"), be a named region and show
# the GOV.UK focus style, so a keyboard user can reach and scroll it (assets/init.js marks the
# table wrappers). Form controls scroll their own text and are left out.
_UNREACHABLE_SCROLLERS = """
() => {
  const problems = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.matches("input, textarea, select") || !el.checkVisibility()) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (!["auto", "scroll"].includes(overflow) || el.scrollWidth <= el.clientWidth + 1) continue;
    const missing = [];
    if (el.getAttribute("tabindex") !== "0") missing.push('tabindex="0"');
    if (el.getAttribute("role") !== "region") missing.push('role="region"');
    if (!(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || "").trim()) {
      missing.push("a name");
    }
    const before = document.activeElement;
    el.focus({ preventScroll: true });
    const style = getComputedStyle(el);
    if (document.activeElement !== el || style.outlineStyle === "none"
        || parseFloat(style.outlineWidth) < 3) {
      missing.push("the focus style");
    }
    if (before && before.focus) before.focus({ preventScroll: true }); else el.blur();
    if (missing.length) {
      let name = el.tagName.toLowerCase();
      for (const c of el.classList) name += "." + c;
      problems.push(`${name} scrolls sideways without ${missing.join(", ")}`);
    }
  }
  return problems;
}
"""

_OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => (d.open = true))"

_SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def pattern(path: str, query: str) -> str:
    """/placements/12/checks/risk?page=2&status=x -> /placements/<id>/checks/risk?page&status"""
    shape = re.sub(r"/\d+(?=/|$)", "/<id>", path) or "/"
    keys = sorted({key for key, _value in parse_qsl(query, keep_blank_values=True)})
    return shape + ("?" + "&".join(keys) if keys else "")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@dataclass
class Finding:
    role: str
    width: int
    url: str
    kind: str  # "axe", "wider than the viewport", "status"
    detail: str

    def line(self) -> str:
        return f"{self.role} @ {self.width}px {self.url}\n    {self.kind}: {self.detail}"


@dataclass
class Sweep:
    """What one role's crawl saw and found."""

    role: str
    page: Page
    axe: Axe
    origin: str
    visited: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    peeked: int = 0

    def crawl(self, start: list[str], *, expect_status: dict[str, int] | None = None) -> None:
        """Breadth-first over same-origin links from `start` (paths): the first page of each
        pattern is checked; the others are only read for links to patterns not yet seen (a
        running placement links to pages a cancelled one does not)."""
        expect_status = expect_status or {}
        began = time.monotonic()
        checks: deque[str] = deque(self.origin + path for path in start)
        peeks: deque[str] = deque()
        seen: set[str] = set(checks)
        checked: Counter[str] = Counter()
        read: Counter[str] = Counter()
        while checks or peeks:
            if checks:
                url = checks.popleft()
                parts = urlsplit(url)
                key = pattern(parts.path, parts.query)
                if checked[key] >= PER_PATTERN:
                    peeks.append(url)
                    continue
                if len(self.visited) >= MAX_PAGES:
                    self.add(WIDTHS[0], url, "crawl", f"stopped at {MAX_PAGES} pages, before this")
                    break
                checked[key] += 1
                links = self.visit(url, expect_status.get(parts.path, 200))
            else:
                url = peeks.popleft()
                parts = urlsplit(url)
                key = pattern(parts.path, parts.query)
                # enough of a kind: and a day's page links to the day before, without end
                if read[key] >= READ_PER_PATTERN:
                    continue
                read[key] += 1
                links = self.read_links(url)
            for link in links:
                link = urldefrag(link).url
                if link in seen or not self.follows(link):
                    continue
                seen.add(link)
                parts = urlsplit(link)
                more = checked[pattern(parts.path, parts.query)] >= PER_PATTERN
                (peeks if more else checks).append(link)
        self.seconds += time.monotonic() - began

    def read_links(self, url: str) -> list[str]:
        """The links on a page, read without rendering it (a plain request, same cookies)."""
        self.peeked += 1
        response = self.page.context.request.get(url)
        if response.status >= 400:
            self.add(
                WIDTHS[0], url.removeprefix(self.origin), "status", f"answered {response.status}"
            )
        if "text/html" not in response.headers.get("content-type", ""):
            return []
        reader = _Links()
        reader.feed(response.text())
        return [urljoin(response.url, href) for href in reader.hrefs]

    def submit_empty(self, path: str) -> None:
        """Send the page's form with nothing filled in, and check the page with its errors."""
        began = time.monotonic()
        page = self.page
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        page.goto(self.origin + path)
        send = page.locator(
            "main form[method='post'] :is(button:not([type='button']), input[type='submit'])"
        ).first
        with page.expect_navigation():
            send.click()
        shown = page.url.removeprefix(self.origin) + " (submitted empty)"
        self.visited.append(shown)
        if not page.locator(".govuk-error-summary").count():
            self.add(WIDTHS[0], shown, "form", "no error summary after an empty submission")
        page.evaluate(_OPEN_DETAILS)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.evaluate(_SETTLE)
            self.check(width, shown)
        self.seconds += time.monotonic() - began

    def follows(self, url: str) -> bool:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return False
        if SKIP_PATH.search(parts.path):
            self.skipped.add(parts.path)
            return False
        return True

    def visit(self, url: str, expected: int) -> list[str]:
        """Check one page at each width; return the links on it."""
        page = self.page
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a download starts instead of a page
            self.skipped.add(f"{url} ({str(error).splitlines()[0]})")
            return []
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            self.skipped.add(url)
            return []
        shown = page.url.removeprefix(self.origin)
        self.visited.append(shown)
        if response.status != expected:
            self.add(WIDTHS[0], shown, "status", f"answered {response.status}, not {expected}")
        links = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
        # what a disclosure holds is checked too, as someone who opens it sees it
        page.evaluate(_OPEN_DETAILS)
        for width in WIDTHS:
            if width != WIDTHS[0]:
                page.set_viewport_size({"width": width, "height": HEIGHT})
            page.evaluate(_SETTLE)  # init.js re-marks scrolling tables on resize and toggle
            self.check(width, shown)
        return links

    def check(self, width: int, shown: str) -> None:
        page = self.page
        # axe-core once per page load, run at each width
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe.axe_script)
        results = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
        for violation in results["violations"]:
            for node in violation["nodes"]:
                target = ", ".join(map(str, node["target"]))
                html = node["html"].replace("\n", " ")[:160]
                self.add(
                    width,
                    shown,
                    "axe",
                    f"[{violation['id']}] ({violation.get('impact')}) {violation['help']}"
                    f"\n      target: {target}\n      html:   {html}",
                )
        for problem in page.evaluate(_UNREACHABLE_SCROLLERS):
            self.add(width, shown, "scrolling region", problem)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            wide = page.evaluate(_WIDE_ELEMENTS)
            self.add(
                width,
                shown,
                "wider than the viewport",
                f"{scroll}px wide in {client}px; sticking out: "
                + ("; ".join(wide) or "(none found)"),
            )

    def add(self, width: int, url: str, kind: str, detail: str) -> None:
        self.findings.append(Finding(self.role, width, url, kind, detail))

    def summary(self) -> str:
        kinds = Counter(finding.kind for finding in self.findings)
        found = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "nothing"
        return (
            f"{self.role}: {len(self.visited)} pages checked at {len(WIDTHS)} widths"
            f" ({self.peeked} more read for links) in {self.seconds:.0f}s; found {found}"
        )

    def report(self) -> str:
        lines = [self.summary(), *(finding.line() for finding in self.findings)]
        return "\n".join(lines)
