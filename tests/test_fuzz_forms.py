"""Issue 12, item 12: every form, fuzzed. For each endpoint that takes a POST, the form its
permitted user is shown is posted again and again with hostile values drawn by hypothesis: huge
text, control characters and NUL, Unicode (emoji, right-to-left, combining marks), numbers that
overflow or are not numbers, dates out of range, ids past 32 bits, unknown choices. Each
example has at least one value the form must refuse (a control character in a text field), so
nothing may be written; and no answer may be a 5xx.

Two layers, so that the suite keeps to its time:

- every form class in the service (each subclass of the project's FlaskForm) gets
  FORM_EXAMPLES (200) hostile posts, read and validated as its view does (no page rendered):
  none may raise, and none may pass;
- every form behind a POST endpoint is then posted whole, through the app, by the user allowed
  to, REQUEST_EXAMPLES times (25; FUZZ_REQUEST_EXAMPLES=200 for a deeper run): no 5xx, and the
  database, compared before and after (a hash of every table's rows), unchanged.

All examples are derandomised, so a run is repeatable.
"""

from __future__ import annotations

import os
import time

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matrix_scene import SIGNED_OUT, build_scene
from tests.test_route_matrix import QUERY, TABLE, url_values
from tests.test_wrong_tenant_writes import (
    FORM_FETCHERS,
    FORM_PAGE,
    REFUSED,
    _changed,
    _form_on,
    snapshot,
)

FORM_EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "200"))
REQUEST_EXAMPLES = int(os.environ.get("FUZZ_REQUEST_EXAMPLES", "25"))

# Posts whose form has nothing a person types, or that change state whatever is sent: no text
# to fuzz, and "nothing written" would not hold (they are tested for access elsewhere).
NOT_FUZZED = frozenset(
    {
        "auth.sign_out",
        "account.edit_message_preferences",
        "checks.confirm_agreement",
        "pupils.download_subject_access",
        "self_assessments.start_self_assessment",
    }
)

CONTROL = st.sampled_from(["\x00", "\x0b", "\x1f", "\x7f", "\x1b[31m", "\x08", "\x0c"])
UNICODE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=40,
)
HOSTILE = st.one_of(
    UNICODE,
    st.builds(lambda c, t: t + c + t, CONTROL, UNICODE),
    st.sampled_from(
        [
            "x" * 5000,
            "1e309",
            "-1e309",
            "NaN",
            "sNaN",
            "Infinity",
            "-0",
            "99999999999999999999999999999",
            "2147483648",
            "-2147483649",
            "0x10",
            "1,000",
            "٣",  # an Arabic-Indic digit
            "١٢٣٤",
            "9999",
            "31",
            "13",
            "0",
            "",
            " ",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "'; DROP TABLE pupils; --",
            "\u202eevil",
            "e\u0301\u0301\u0301",
            "\U0001f600" * 50,
        ]
    ),
)


def _fields(form) -> tuple[list[str], list[str], list[str]]:
    """The form's typed fields (text inputs and text areas), its choices (radios, checkboxes,
    selects) and its buttons, by name."""
    typed, chosen, buttons = [], [], []
    for field in form.inputs:
        name = field.name
        if not name or name == "csrf_token":
            continue
        kind = (field.get("type") or "text").lower() if field.tag == "input" else field.tag
        if kind in ("submit", "button", "image", "reset", "file", "hidden"):
            if kind in ("submit", "button"):
                buttons.append(name)
            continue
        (chosen if kind in ("radio", "checkbox", "select") else typed).append(name)
    return sorted(set(typed)), sorted(set(chosen)), buttons


def _targets(app: Flask, scene) -> list[tuple[str, str, str, str]]:
    """(endpoint, path to post to, page with the form, principal allowed to post it)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in NOT_FUZZED:
            continue
        spec = TABLE[rule.endpoint]
        values = url_values(rule.endpoint, scene)
        path = rule.build({n: values[n] for n in rule.arguments}, append_unknown=False)[1]
        if QUERY.get(rule.endpoint):
            path += "?" + QUERY[rule.endpoint].format(**values)
        page = FORM_PAGE.get(rule.endpoint, path).format(**values)
        for principal in (*FORM_FETCHERS, "anon"):
            if spec[principal] in REFUSED or (principal in SIGNED_OUT and spec[principal] == 302):
                continue
            found.append((rule.endpoint, path, page, principal))
            break
    return sorted(found)


def _fuzz(client, path: str, token: str, typed, chosen, buttons) -> list[str]:
    """Post REQUEST_EXAMPLES hostile versions of one form; the answers that were 5xx."""
    failures: list[str] = []

    @settings(
        max_examples=REQUEST_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        values=st.fixed_dictionaries(dict.fromkeys(typed + chosen, HOSTILE)),
        poisoned=st.sampled_from(typed),
        control=CONTROL,
    )
    def post(values, poisoned, control):
        data = dict(values)
        # one value the form must refuse: a control character inside the text (at either end,
        # the whitespace ones are trimmed like spaces, and what is kept is clean)
        data[poisoned] = "a" + control + "b" + data[poisoned]
        if buttons:
            data[buttons[0]] = ""
        answer = client.post(path, data=data | {"csrf_token": token})
        if answer.status_code >= 500:
            failures.append(f"{answer.status_code} for {data!r}"[:400])

    post()
    return failures


def test_every_form_refuses_hostile_input_without_an_error_or_a_write(app: Flask, db):
    scene = build_scene(app)
    fuzzed, skipped, problems = [], [], []
    started = time.perf_counter()
    for endpoint, path, page_path, principal in _targets(app, scene):
        client = scene.clients[principal]
        response = client.get(page_path)
        form = _form_on(response.get_data(as_text=True), path, page_path)
        if response.status_code != 200 or form is None:
            skipped.append(f"{endpoint} (no form for {principal} on {page_path})")
            continue
        typed, chosen, buttons = _fields(form)
        if not typed:
            skipped.append(f"{endpoint} (nothing typed)")
            continue
        token = scene.csrf(principal)
        before = snapshot()
        failures = _fuzz(client, path, token, typed, chosen, buttons)
        after = snapshot()
        changed = _changed(before, after)
        fuzzed.append(endpoint)
        if failures:
            problems.append(f"POST {path} [{endpoint}] as {principal}: {failures[0]}")
        if changed:
            problems.append(f"POST {path} [{endpoint}] as {principal}: wrote {changed}")
    elapsed = time.perf_counter() - started
    print(
        f"\nposted {len(fuzzed)} forms x {REQUEST_EXAMPLES} examples in {elapsed:.1f}s;"
        f" not fuzzed: {skipped or 'none'}"
    )
    assert len(fuzzed) >= 25, fuzzed
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value", ["\x00", "a\x0bb", "x" * 5000 + "\x1f"])
def test_the_public_application_refuses_them_too(client, db, value):
    from sqlalchemy import func, select

    from apregister.models import Provider
    from tests.conftest import submit

    response = submit(client, "/apply", {"name": value, "contact_email": "a@b.example"})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Provider.id))) == 0


def test_a_very_long_passphrase_is_judged_not_a_crash():
    from apregister.auth.rules import password_problem

    assert password_problem("correct horse battery staple " * 10, min_length=12) is None
    assert password_problem("a" * 500, min_length=12) is not None  # too easy, still an answer


# ---- every form class, validated as its view would -----------------------------------------


def _form_classes() -> list[type]:
    from apregister.forms import FlaskForm

    found, todo = [], [FlaskForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            # the service's own classes; not bases that views complete at run time (their
            # per-request subclasses are posted whole above)
            if (
                cls.__module__.startswith("apregister.")
                and "<locals>" not in cls.__qualname__
                and not cls.__name__.endswith("Base")
            ):
                found.append(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def _view_arguments() -> dict[str, object]:
    """What the views pass to forms that need more than the post, by argument name."""
    from datetime import date, timedelta

    from apregister.models import FrameworkDecision
    from apregister.models.base import utcnow

    today = date.today()
    return {
        "today": today,
        "now": utcnow(),
        "absence_date": today,
        "start": today - timedelta(weeks=4),
        "planned_end": today + timedelta(weeks=8),
        "taken_names": set(),
        "decisions": list(FrameworkDecision),
    }


def _instance(cls, formdata=None):
    import inspect

    wanted = {
        name
        for klass in cls.__mro__
        if "__init__" in vars(klass)
        for name in inspect.signature(vars(klass)["__init__"]).parameters
    }
    arguments = {name: value for name, value in _view_arguments().items() if name in wanted}
    try:
        return cls(formdata=formdata, meta={"csrf": False}, **arguments)
    except TypeError:
        return None  # needs arguments only its view has: covered by the posts above


def _reads_a_blank_post(cls) -> bool:
    """Whether the class works on its own: some are completed by their view after they are
    made (their areas, their rows), and only the posts above can try those."""
    from werkzeug.datastructures import MultiDict

    try:
        _instance(cls, MultiDict()).validate()
    except Exception:  # noqa: BLE001
        return False
    return True


def _validate_hostile(cls, names, boxes, poisoned, control, values) -> str | None:
    from werkzeug.datastructures import MultiDict

    from apregister.forms import TEXT_AREA_CONTROLS, control_characters

    data = MultiDict()
    for name in names:
        for value in values[name] if name in boxes else [values[name]]:
            data.add(name, value)
    if poisoned is not None:
        data.setlist(poisoned, ["a" + control + "b" + data.get(poisoned, "")])
    form = _instance(cls, data)
    try:
        if form.validate() and any(
            isinstance(field.data, str) and control_characters(field.data, TEXT_AREA_CONTROLS)
            for field in form
        ):
            # (a form that folds the character into a space, say, has kept nothing hostile)
            return f"{cls.__qualname__} accepted {dict(data.lists())!r}"[:300]
    except Exception as error:  # noqa: BLE001  (any exception is the finding)
        return f"{cls.__qualname__} raised {type(error).__name__}: {error}"[:300]
    return None


def _fuzz_class(cls, names, boxes, typed) -> list[str]:
    found: list[str] = []

    @settings(
        max_examples=FORM_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        values=st.fixed_dictionaries(
            {
                name: st.lists(HOSTILE, min_size=3, max_size=3) if name in boxes else HOSTILE
                for name in names
            }
        ),
        poisoned=st.sampled_from(typed) if typed else st.none(),
        control=CONTROL,
    )
    def check(values, poisoned, control):
        problem = _validate_hostile(cls, names, boxes, poisoned, control, values)
        if problem:
            found.append(problem)

    check()
    return found


def test_every_form_class_refuses_hostile_values_without_raising(app, db):
    from wtforms import StringField

    from apregister.forms import DateInputField

    checked, skipped, problems = [], [], []
    started = time.perf_counter()
    with app.test_request_context(method="POST"):
        for cls in _form_classes():
            form = _instance(cls)
            if form is None or not _reads_a_blank_post(cls):
                skipped.append(f"{cls.__qualname__} (completed by its view)")
                continue
            fields = [f for f in form if f.type not in ("CSRFTokenField", "SubmitField")]
            # with nothing typed to poison, the examples must still be read without an error
            typed = [f.name for f in fields if isinstance(f, StringField)]
            if not fields:
                skipped.append(f"{cls.__qualname__} (no fields)")
                continue
            names = [f.name for f in fields]
            boxes = {f.name for f in fields if isinstance(f, DateInputField)}
            found = _fuzz_class(cls, names, boxes, typed)
            db.session.rollback()
            checked.append(cls.__qualname__)
            if found:
                problems.append(found[0])
    elapsed = time.perf_counter() - started
    print(
        f"\nvalidated {len(checked)} form classes x {FORM_EXAMPLES} examples in {elapsed:.1f}s;"
        f" left to the posts: {skipped or 'none'}"
    )
    assert len(checked) >= 30, checked
    assert not problems, "\n".join(problems)
