"""Issue 12, item 12: a POST from someone who may not make it changes nothing.

For every endpoint that accepts POST, the form a permitted user is shown (filled in the way a
person would: the values already there kept, the empty fields given plausible answers) is posted
to the FIRST tenant's URL by every principal the route matrix refuses there: the other tenant's
school and provider users, the board, the roles the endpoint is not for, and the signed-out and
deactivated principals. Each must be answered 403 or 404 (the signed-out: 302 to sign-in), never
a success and never a 500, and the whole database must read exactly as before.

The snapshot is a row count and a hash of every row of every table except the bookkeeping a
refused request may rightly write: audit_events (the refusal itself is logged), user_sessions
(each request touches its session's last_seen_at) and rate_limit_counters (the abuse limits
count requests, refused ones too).
"""

from __future__ import annotations

import hashlib
import io
import time
from datetime import date, timedelta

import lxml.html
from flask import Flask
from sqlalchemy import select

from apregister.extensions import db as _db
from tests.conftest import make_upn
from tests.matrix_scene import PRINCIPALS, SIGNED_OUT, Scene, build_scene
from tests.test_route_matrix import QUERY, TABLE, url_values

BOOKKEEPING = frozenset({"audit_events", "user_sessions", "rate_limit_counters"})

# Where a POST-only endpoint's form is shown.
FORM_PAGE = {
    "absences.close_escalation": "/absences/{case_id}",
    "checks.confirm_agreement": "/placements/{placement_id}/agreement",
    "self_assessments.start_self_assessment": "/self-assessments",
    "pupils.download_subject_access": "/pupils/{pupil_id}/subject-access",
    "auth.sign_out": "/",
}

# Who fetches the form, in order: each the matrix lets through, until one is shown the form.
FORM_FETCHERS = ("school", "provider", "lead", "officer", "board")

# Forms no one is shown in this scene (the placement has started, so it can no longer be
# cancelled; it is on the framework, so there is no off-framework review; the user has no
# two-factor set up; this year's self-assessment is started; no password
# has been checked, so no two-factor step is shown): as a browser would send them.
HAND_FILLED = {
    "placements.cancel_placement": {"reason": "Parents chose another school"},
    "placements.review_off_framework": {"note": "Checked the setting: the placement may go on"},
    "users.reset_two_factor": {"submit": "Reset two-factor sign-in"},
    "auth.enter_code": {"code": "123456"},
    "auth.enter_recovery_code": {"code": "abcd-efgh-ijkl"},
    "auth.set_up_two_factor": {"code": "123456"},
    "self_assessments.start_self_assessment": {},
}

# Answers the matrix gives a principal who may not make the request.
REFUSED = frozenset({403, 404})

TODAY = date.today()
NEXT_MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())
LAST_MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)
BIRTHDAY = date(TODAY.year - 12, 9, 1)  # of compulsory school age
# date fields that look forward (next week, or further on for an end or an expiry); every other
# date (visits, judgements, issues...) looks back
SOON = ("start", "planned_date")
LATER = ("planned_end", "new_end", "expir", "due")
PDF = b"%PDF-1.4 a probe document"

# Plausible answers for empty text fields, by a word of the field's name.
GUESSES = (
    ("time", "09:45"),
    ("email", "matrix.probe@example.test"),
    ("phone", "01632 960 001"),
    ("postcode", "DE1 1AA"),
    ("website", "https://probe.example.test"),
    ("ukprn", "10012345"),
    ("urn", "199999"),
    ("company_number", "01234567"),
    ("charity_number", "1234567"),
    ("password", "a long probe passphrase nobody will guess"),
    ("hours", "10"),
    ("rate", "90"),
    ("cost", "450"),
    ("capacity", "12"),
    ("threshold", "5"),
    ("weeks", "12"),
    ("days", "42"),
    ("sessions", "4"),
    ("target", "90"),
    ("comparator", "85"),
    ("name", "Matrix Probe"),
)


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table but the bookkeeping: its row count and a hash of its rows in key order."""
    tables: dict[str, tuple[int, str]] = {}
    with _db.engine.connect() as connection:
        for table in _db.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            tables[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


def _changed(before: dict, after: dict) -> list[str]:
    return [
        f"{name} ({before[name][0]} -> {after[name][0]} rows)"
        for name in before
        if before[name] != after[name]
    ]


def _guess(name: str) -> str:
    if name == "upn":
        return make_upn()
    words = name.split("_")
    for word, value in GUESSES:
        if word in words or "_" in word and word in name:
            return value
    return "Matrix probe text"


def fill_in(form: lxml.html.FormElement) -> dict[str, list[str]]:
    """The form as a person would send it: what is there kept, every radio group answered with
    its checked (else first) option, every checkbox ticked, every select given its selected
    (else first real) option, the first named button pressed, empty fields answered."""
    data: dict[str, list] = {}
    files: list[str] = []
    pressed = False
    for field in form.inputs:
        name = field.name
        if not name or name == "csrf_token":
            continue
        if field.tag == "select":
            values = [o.get("value", o.text or "") for o in field.xpath(".//option")]
            chosen = field.value if not field.multiple else list(field.value)
            real = [value for value in values if value not in ("", "0")]  # not "Select..."
            if field.multiple:
                data[name] = chosen or real[:1]
            else:
                data[name] = [chosen if chosen not in (None, "", "0") else next(iter(real), "")]
        elif field.tag == "textarea":
            data.setdefault(name, []).append(field.value or "Matrix probe notes")
        else:
            kind = (field.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                if not pressed and field.get("name"):
                    data[name] = [field.get("value", "")]
                    pressed = True
            elif kind == "file":
                files.append(name)
            elif kind == "reset":
                continue
            elif kind == "radio":
                if name not in data or field.checked:
                    data[name] = [field.get("value", "on")]
            elif kind == "checkbox":
                data.setdefault(name, []).append(field.get("value", "on"))
            else:
                data.setdefault(name, []).append(field.value or "")
    for button in form.xpath(".//button[@name]"):
        if not pressed:
            data[button.get("name")] = [button.get("value", "")]
            pressed = True
    for name, values in data.items():
        if len(values) == 3 and not any(values):  # a GOV.UK date: day, month, year
            data[name] = _date_parts(name)
        else:
            data[name] = [value or _guess(name) for value in values]
    for name in files:
        data[name] = [FILE]
    return data


FILE = object()  # a file field: a fresh upload is made for each post


def _date_parts(name: str) -> list[str]:
    if "birth" in name:
        day = BIRTHDAY
    elif any(word in name for word in LATER):
        day = NEXT_MONDAY + timedelta(weeks=20)
    elif any(word in name for word in SOON):
        day = NEXT_MONDAY
    else:
        day = LAST_MONDAY
    return [str(day.day), str(day.month), str(day.year)]


def as_posted(data: dict[str, list], token: str) -> dict:
    """The form's data for the test client, with the principal's token and fresh uploads."""
    posted: dict = {
        name: [(io.BytesIO(PDF), "probe.pdf") if value is FILE else value for value in values]
        for name, values in data.items()
    }
    return posted | {"csrf_token": token}


def _form_on(page: str, action: str, page_path: str) -> lxml.html.FormElement | None:
    """The POST form on `page` that posts to `action` (a form with no action posts to the page
    it is on)."""
    tree = lxml.html.fromstring(page)
    for form in tree.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        target = (form.get("action") or page_path).split("#")[0]
        if target == action or target.split("?")[0] == action.split("?")[0]:
            return form
    return None


def _post_rules(app: Flask, scene: Scene) -> list[tuple[str, str, str]]:
    """(endpoint, path to post to, path of the page with its form) for every POST rule that
    someone is refused; signing out last."""
    found = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        spec = TABLE[rule.endpoint]
        if not any(status in REFUSED for status in spec.values()) and not any(
            spec[principal] == 302 for principal in SIGNED_OUT
        ):
            continue  # public: nobody is refused
        values = url_values(rule.endpoint, scene)
        args = {name: values[name] for name in rule.arguments}
        path = rule.build(args, append_unknown=False)[1]
        query = QUERY.get(rule.endpoint)
        if query:
            path += "?" + query.format(**values)
        page = FORM_PAGE.get(rule.endpoint, path).format(**values)
        found.append((rule.endpoint, path, page))
    found.sort(key=lambda item: item[0] == "auth.sign_out")
    return found


def _form_data(scene: Scene, endpoint: str, path: str, page_path: str):
    """The form for `path` as filled in by the first permitted user shown it, else by hand."""
    for fetcher in FORM_FETCHERS:
        if TABLE[endpoint][fetcher] in REFUSED:
            continue
        response = scene.clients[fetcher].get(page_path)
        if response.status_code != 200:
            continue
        form = _form_on(response.get_data(as_text=True), path, page_path)
        if form is not None:
            return fill_in(form)
    hand = HAND_FILLED.get(endpoint)
    return None if hand is None else {name: [value] for name, value in hand.items()}


def test_refused_posts_are_refused_and_change_nothing(app: Flask, db):
    scene = build_scene(app)
    tokens = {principal: scene.csrf(principal) for principal in PRINCIPALS}
    problems: list[str] = []
    no_form: list[str] = []
    posts = 0
    rules = _post_rules(app, scene)
    started = time.perf_counter()
    for endpoint, path, page_path in rules:
        spec = TABLE[endpoint]
        data = _form_data(scene, endpoint, path, page_path)
        if data is None:
            no_form.append(f"{endpoint} (no form on {page_path})")
            data = {}
        before = snapshot()
        for principal in PRINCIPALS:
            want = spec[principal]
            refused = want in REFUSED or (principal in SIGNED_OUT and want == 302)
            if not refused:
                continue
            response = scene.clients[principal].post(path, data=as_posted(data, tokens[principal]))
            posts += 1
            got = response.status_code
            where = f"POST {path} [{endpoint}] as {principal}"
            location = response.headers.get("Location", "")
            if principal in SIGNED_OUT:
                if got != 302 or not location.startswith("/sign-in"):
                    problems.append(f"{where}: {got} {location}, want 302 to sign-in")
            elif got not in REFUSED:
                problems.append(f"{where}: {got}, want 403 or 404 (the matrix says {want})")
            after = snapshot()
            changed = _changed(before, after)
            if changed:
                problems.append(f"{where}: changed {', '.join(changed)}")
                before = after
    elapsed = time.perf_counter() - started
    print(
        f"\nwrong-tenant writes: {len(rules)} POST endpoints, {posts} refused posts"
        f" in {elapsed:.1f}s; posted without a form found: {no_form or 'none'}"
    )
    assert not problems, f"{len(problems)} refused posts misbehaved:\n" + "\n".join(problems)
