"""Issue 14: pupil search by name at scale. Each pupil keeps their names as search compares them
(Pupil.first_name_key, last_name_key: lower case, indexed), so a name's start is a range of an
index, not a read of every pupil. These tests hold the search to its rule (a UPN exactly, or
every word starting the first or last name, case aside), and the keys to the names: through
a change, the retention job, the migration that adds them and the scale seeder."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import (
    Date,
    DateTime,
    column,
    create_engine,
    insert,
    make_url,
    select,
    table,
    text,
)

from apregister import create_app
from apregister.config import TestConfig
from apregister.extensions import db as _db
from apregister.models import AuditEvent, Placement, Pupil, Role
from apregister.models.placement import name_search_key
from apregister.retention import remove_past_retention
from apregister.search import pupil_match
from tests.conftest import (
    count_queries,
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    submit,
)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _names(page: str) -> set[str]:
    """The pupils a list shows (each row links to the pupil's or the placement's page)."""
    links = re.findall(r'<a class="govuk-link" href="/(?:pupils|placements)/\d+">([^<]+)</a>', page)
    return set(links)


def _search(client, term: str, noun: str = "pupils") -> str:
    response = submit(
        client, f"/{noun}/search", {"term": term}, form_path=f"/{noun}", follow_redirects=True
    )
    assert response.status_code == 200
    return _text(response)


def _found(term: str) -> set[str]:
    """Whom the match finds among every pupil (no user's scope)."""
    return {p.name for p in _db.session.scalars(select(Pupil).where(pupil_match(term)))}


@pytest.fixture
def pupils(db):
    school = make_school(name="Oak School")
    return {
        "ruby": make_pupil(school, first_name="Ruby", last_name="Palmer"),
        "elodie": make_pupil(school, first_name="Élodie", last_name="McDonald"),
        "sean": make_pupil(school, first_name="Seán", last_name="O’Brien"),
        "mary": make_pupil(school, first_name="Mary-Jane", last_name="Smith Jones"),
        "pal": make_pupil(school, first_name="Pal", last_name="Rubens"),
        "school": school,
    }


# ---- the rule ----------------------------------------------------------------------------------


def test_the_keys_are_the_names_in_lower_case(pupils):
    ruby, sean = pupils["ruby"], pupils["sean"]
    assert (ruby.first_name_key, ruby.last_name_key) == ("ruby", "palmer")
    assert (sean.first_name_key, sean.last_name_key) == ("seán", "o'brien")
    assert name_search_key("  Mary   ANN ") == "mary ann"


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("ruby", {"Ruby Palmer"}),  # Rubens starts with "rub", not "ruby"
        ("RUB", {"Ruby Palmer", "Pal Rubens"}),
        ("rUbY pAlM", {"Ruby Palmer"}),
        ("élo", {"Élodie McDonald"}),
        ("ÉLODIE", {"Élodie McDonald"}),
        ("mcd", {"Élodie McDonald"}),
        ("o'bri", {"Seán O’Brien"}),  # the typographic apostrophe is matched as a plain one
        ("O’B", {"Seán O’Brien"}),
        ("mary-j", {"Mary-Jane Smith Jones"}),
        ("smith", {"Mary-Jane Smith Jones"}),
        ("jones", set()),  # a word inside a name, not its start
        ("almer", set()),
        ("sean", set()),  # letters are compared as written: á is not a
    ],
)
def test_each_word_starts_the_first_or_last_name_whatever_the_case(pupils, term, found):
    assert _found(term) == found


def test_two_words_must_each_start_a_name_in_either_order(pupils):
    assert _found("rub pal") == {"Ruby Palmer", "Pal Rubens"}
    assert _found("pal rub") == {"Ruby Palmer", "Pal Rubens"}
    assert _found("palmer rub") == {"Ruby Palmer"}
    assert _found("rube pal") == {"Pal Rubens"}
    assert _found("ruby mc") == set()
    assert _found("ruby ruby") == {"Ruby Palmer"}  # a repeated word counts once


def test_a_upn_matches_exactly_and_in_any_case(pupils):
    ruby, sean = pupils["ruby"], pupils["sean"]
    assert _found(ruby.upn) == {"Ruby Palmer"}
    assert _found(ruby.upn.lower()) == {"Ruby Palmer"}
    assert _found(ruby.upn[:-1]) == set()
    assert _found(sean.upn[:12] + ("A" if sean.upn[12] != "A" else "B")) == set()


def test_a_word_at_the_end_of_the_alphabet_still_has_its_range(db):
    make_pupil(first_name="Zz", last_name="Ży")
    make_pupil(first_name="Zz", last_name="Zzz")
    assert _found("zz") == {"Zz Ży", "Zz Zzz"}
    assert _found("zzz") == {"Zz Zzz"}
    assert _found("ży") == {"Zz Ży"}


# ---- scope -------------------------------------------------------------------------------------


def test_a_school_never_finds_another_schools_pupil_of_the_same_name(client, login_as, db):
    oak, elm = make_school(name="Oak School"), make_school(name="Elm School")
    river = make_provider(name="River Tuition")
    ours = make_pupil(oak, first_name="Ruby", last_name="Palmer")
    theirs = make_pupil(elm, first_name="Ruby", last_name="Palmer")
    la_own = make_pupil(make_la(), first_name="Ruby", last_name="Palmerston")
    for pupil in (ours, theirs, la_own):
        make_placement(pupil, river)
    login_as(Role.SCHOOL, oak)
    page = _search(client, "ruby pal")
    assert "1 pupil matches your search" in page
    assert f'href="/pupils/{ours.id}"' in page
    assert f"/pupils/{theirs.id}" not in page and "Palmerston" not in page
    page = _search(client, theirs.upn, noun="placements")
    assert _names(page) == set() and "Ruby Palmer" not in page
    page = _search(client, "RUBY", noun="placements")
    ours_placed = _db.session.scalar(select(Placement.id).where(Placement.pupil_id == ours.id))
    assert re.findall(r'href="/placements/(\d+)"', page) == [str(ours_placed)]


def test_the_la_finds_every_schools_pupils_and_its_own(client, login_as, db):
    oak, elm = make_school(), make_school()
    for owner in (oak, elm, make_la()):
        make_pupil(owner, first_name="Ruby", last_name="Palmer")
    make_pupil(oak, first_name="Rubin", last_name="Palmer")
    login_as(Role.LA_OFFICER)
    assert "3 pupils match your search" in _search(client, "ruby palmer")


def test_the_pupils_found_are_listed_in_name_order(client, login_as, db):
    school = make_school()
    for first, last in [("Ruby", "Zed"), ("Rubin", "Palmer"), ("Ruby", "Adams"), ("Ada", "Ruiz")]:
        make_pupil(school, first_name=first, last_name=last)
    login_as(Role.LA_LEAD)
    page = _search(client, "ru")
    assert re.findall(r'href="/pupils/\d+">([^<]+)<', page) == [
        "Ruby Adams",
        "Rubin Palmer",
        "Ada Ruiz",
        "Ruby Zed",
    ]


# ---- the keys follow the names ----------------------------------------------------------------


def test_the_keys_follow_a_change_of_name(client, login_as, pupils, db):
    login_as(Role.SCHOOL, pupils["school"])
    ruby = pupils["ruby"]
    form = {
        "upn": ruby.upn,
        "first_name": "Rubie",
        "last_name": "Ashworth",
        "date_of_birth": [str(part) for part in (1, 10, ruby.date_of_birth.year)],
        "sex": ruby.sex.value,
        "sen_status": ruby.sen_status.value,
        "looked_after": "no",
        "disadvantaged": "no",
    }
    response = submit(client, f"/pupils/{ruby.id}/edit", form)
    assert response.status_code == 302, _text(response)[:2000]
    db.session.expire_all()
    changed = db.session.get(Pupil, ruby.id)
    assert (changed.first_name_key, changed.last_name_key) == ("rubie", "ashworth")
    assert _found("ruby palmer") == set()
    assert _found("rubie ash") == {"Rubie Ashworth"}
    page = _search(client, "ashw")
    assert "Rubie Ashworth" in page
    # set in code too, not only through the form
    changed.last_name = "DE LA CRUZ"
    db.session.commit()
    assert changed.last_name_key == "de la cruz" and _found("rubie de") == {"Rubie DE LA CRUZ"}


def test_the_keys_never_reach_the_audit_log(client, login_as, pupils, db):
    pupils["ruby"].first_name = "Rubella"
    db.session.commit()
    logged = " ".join(
        str(event.changes) for event in db.session.scalars(select(AuditEvent)) if event.changes
    )
    assert "_key" not in logged
    for name in ("ruby", "rubella", "palmer", "élodie", "o'brien"):
        assert name not in logged.lower()


def test_the_retention_job_removes_the_keys_with_the_names(db):
    school = make_school()
    old = make_pupil(school, first_name="Olive", last_name="Oldrecord")
    long_ago = date(2019, 7, 19)
    make_placement(
        old,
        start_date=long_ago - timedelta(weeks=12),
        planned_end=long_ago,
        actual_end=long_ago,
    )
    assert remove_past_retention(date(2026, 12, 4)) == 1
    db.session.commit()
    db.session.expire_all()
    gone = db.session.get(Pupil, old.id)
    assert (gone.first_name_key, gone.last_name_key) == ("removed", "pupil")
    assert _found("olive") == set() and _found("oldrecord") == set()
    assert _found("removed pupil") == {"Removed pupil"}


# ---- at scale: the same queries however many pupils -----------------------------------------


@pytest.mark.parametrize("noun", ["pupils", "placements"])
@pytest.mark.parametrize("role", [Role.LA_LEAD, Role.SCHOOL])
def test_a_searched_list_runs_the_same_queries_however_many_match(client, login_as, db, noun, role):
    school = make_school()
    provider = make_provider()
    make_placement(make_pupil(school, first_name="Ruby", last_name="Palmer"), provider)
    login_as(role, school if role is Role.SCHOOL else None)
    _search(client, "ruby pal", noun=noun)
    with count_queries() as few:
        assert client.get(f"/{noun}").status_code == 200
    for n in range(40):
        pupil = make_pupil(school, first_name="Ruby" if n % 4 else "Ada", last_name=f"Palm{n:02}")
        make_placement(pupil, provider)
    with count_queries() as many:
        page = _text(client.get(f"/{noun}"))
    with count_queries() as second_page:
        assert client.get(f"/{noun}?page=2").status_code == 200
    assert f"31 {noun} match your search" in re.sub(r"<[^>]+>", "", page)  # two pages
    assert len(many) == len(few) == len(second_page)


# ---- the migration and the seeder fill them -----------------------------------------------------


@pytest.fixture
def scratch_app(database_url: str, tmp_path) -> Iterator[Flask]:
    """An app on an empty database of the same kind as the test database."""
    url = make_url(database_url)
    server = None
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_keys_{os.getpid()}"
        server = create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = url.set(database=name).render_as_string(hide_password=False)
    else:
        scratch = f"sqlite:///{tmp_path / 'keys.db'}"
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=scratch)
    try:
        with application.app_context():
            yield application
            _db.session.remove()
            _db.engine.dispose()
    finally:
        if server is not None:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.dispose()


def test_the_migration_fills_the_keys_of_every_pupil_already_recorded(scratch_app):
    upgrade(revision="d1a7e5c0b9f2")

    def stamps():
        return column("created_at", DateTime), column("updated_at", DateTime)

    organisations = table("organisations", column("id"), column("kind"), column("name"), *stamps())
    pupils = table(
        "pupils",
        *(column(name) for name in ("id", "owner_id", "first_name", "last_name", "sex")),
        *(column(name) for name in ("sen_status", "looked_after", "disadvantaged")),
        column("placement_lock"),
        column("date_of_birth", Date),
        *stamps(),
    )
    names = [
        ("Ruby", "Palmer"),
        ("ÉLODIE", "McDonald"),  # SQLite's lower() leaves É as it is
        ("Seán", "O’Brien"),
        (" Mary  Ann", "SMITH "),
    ]
    now = {"created_at": datetime(2026, 1, 5, 9), "updated_at": datetime(2026, 1, 5, 9)}
    with _db.engine.begin() as connection:
        connection.execute(
            insert(organisations).values(id=1, kind="school", name="Oak School", **now)
        )
        connection.execute(
            insert(pupils),
            [
                {
                    "id": n,
                    "owner_id": 1,
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": date(2012, 10, 1),
                    "sex": "U",
                    "sen_status": "none",
                    "looked_after": False,
                    "disadvantaged": False,
                    "placement_lock": 0,
                    **now,
                }
                for n, (first, last) in enumerate(names, start=1)
            ],
        )
    upgrade()
    _db.session.remove()
    rows = _db.session.execute(
        select(Pupil.first_name, Pupil.last_name, Pupil.first_name_key, Pupil.last_name_key)
    ).all()
    assert {(row[2], row[3]) for row in rows} == {
        ("ruby", "palmer"),
        ("élodie", "mcdonald"),
        ("seán", "o'brien"),
        ("mary ann", "smith"),
    }
    for first, last, first_key, last_key in rows:
        assert (first_key, last_key) == (name_search_key(first), name_search_key(last))


def test_the_scale_seeder_writes_the_keys(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["seed-scale", "--schools", "2", "--providers", "3", "--placements", "40"]
        + ["--years", "1", "--attendance-weeks", "1", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    rows = db.session.execute(
        select(Pupil.first_name, Pupil.last_name, Pupil.first_name_key, Pupil.last_name_key)
    ).all()
    assert rows
    for first, last, first_key, last_key in rows:
        assert (first_key, last_key) == (name_search_key(first), name_search_key(last))
