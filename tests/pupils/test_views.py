import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apregister.models import LA_ROLES, PlacementStatus, Pupil, Role, SenStatus, Sex
from apregister.pupils import rules
from tests.conftest import (
    count_queries,
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    make_upn,
    submit,
)

TODAY = date.today()
# Year 9 today, whatever today is: born in the academic year 13 to 14 years before this one.
IN_SCHOOL_AGE = date(rules.academic_year_start(TODAY) - 14, 10, 1)


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Pupil))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _form(**overrides) -> dict:
    values = {
        "upn": "",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": [
            str(IN_SCHOOL_AGE.day),
            str(IN_SCHOOL_AGE.month),
            str(IN_SCHOOL_AGE.year),
        ],
        "sex": "F",
        "sen_status": "sen_support",
        "looked_after": "yes",
        "disadvantaged": "no",
    }
    return values | overrides


def _date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _links(page: str) -> list[str]:
    """Every address the page points to: links, form actions, anything else with a URL."""
    return re.findall(r'(?:href|action|src|formaction)="([^"]*)"', page)


# ---- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_role_by_page_table(client, db, login_as, role):
    user = login_as(role)
    owner = user.organisation if role is Role.SCHOOL else make_school()
    pupil = make_pupil(owner)
    allowed = role in LA_ROLES or role is Role.SCHOOL
    expected = 200 if allowed else 403
    for path in [
        "/pupils",
        "/pupils/new",
        f"/pupils/{pupil.id}",
        f"/pupils/{pupil.id}/edit",
    ]:
        assert client.get(path).status_code == expected, path


def test_provider_is_refused_even_for_a_pupil_placed_with_it(client, db, login_as):
    provider = make_provider()
    placement = make_placement(provider=provider)
    login_as(Role.PROVIDER, provider)
    assert client.get(f"/pupils/{placement.pupil_id}").status_code == 403
    assert client.get("/pupils").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client, db):
    pupil = make_pupil()
    for path in ["/pupils", "/pupils/new", f"/pupils/{pupil.id}", f"/pupils/{pupil.id}/edit"]:
        assert client.get(path).status_code == 302, path


# ---- the list --------------------------------------------------------------------------------


def test_school_lists_only_its_own_pupils_with_their_year_group(client, db, login_as):
    school = make_school()
    mine = make_pupil(school, first_name="Mine", date_of_birth=IN_SCHOOL_AGE)
    theirs = make_pupil(make_school(name="Other School"), first_name="Theirs")
    login_as(Role.SCHOOL, school)
    page = _text(client.get("/pupils"))
    assert mine.name in page
    assert theirs.name not in page
    assert "Year 9" in page
    assert "SEN status" in page
    assert "Other School" not in page
    assert "Add a pupil" in page


def test_la_lists_every_pupil_with_the_owner(client, db, login_as):
    login_as(Role.LA_OFFICER)
    at_school = make_pupil(make_school(name="Hilltop Academy"), sen_status=SenStatus.EHC_PLAN)
    no_place = make_pupil(make_la())
    page = _text(client.get("/pupils"))
    assert at_school.name in page
    assert no_place.name in page
    assert "Hilltop Academy" in page
    assert "No school place" in page
    assert "EHC plan" in page


def test_list_is_paginated_by_25(client, db, login_as):
    school = make_school()
    for n in range(26):
        make_pupil(school, last_name=f"Pupil{n:02d}")
    login_as(Role.SCHOOL, school)
    first = _text(client.get("/pupils"))
    assert "Pupil00" in first and "Pupil24" in first and "Pupil25" not in first
    assert "26 pupils, page 1 of 2" in first
    assert 'href="/pupils?page=2"' in first
    second = _text(client.get("/pupils?page=2"))
    assert "Pupil25" in second and "Pupil24" not in second
    # a page number out of range shows the nearest page rather than failing
    assert "Pupil25" in _text(client.get("/pupils?page=99"))
    assert "Pupil00" in _text(client.get("/pupils?page=x"))


def test_list_query_count_does_not_grow_with_rows(client, db, login_as):
    login_as(Role.LA_LEAD)
    make_pupil()
    client.get("/pupils")
    with count_queries() as few:
        assert client.get("/pupils").status_code == 200
    schools = [make_school() for _ in range(5)] + [make_la()]
    for n in range(30):
        make_pupil(schools[n % len(schools)])
    with count_queries() as many:
        assert client.get("/pupils").status_code == 200
    with count_queries() as second_page:
        assert client.get("/pupils?page=2").status_code == 200
    assert len(many) == len(few)
    assert len(second_page) == len(few)


# ---- adding a pupil --------------------------------------------------------------------------


def test_school_adds_a_pupil_it_owns(client, db, login_as):
    school = make_school()
    login_as(Role.SCHOOL, school)
    upn = make_upn()
    typed = f" {upn[:4].lower()} {upn[4:]} "
    response = submit(client, "/pupils/new", _form(upn=typed))
    assert response.status_code == 302
    pupil = db.session.scalars(select(Pupil)).one()
    assert response.headers["Location"] == f"/pupils/{pupil.id}"
    assert pupil.owner_id == school.id
    assert pupil.upn == upn
    assert (pupil.first_name, pupil.last_name) == ("Ada", "Lovelace")
    assert pupil.date_of_birth == IN_SCHOOL_AGE
    assert pupil.sex is Sex.FEMALE
    assert pupil.sen_status is SenStatus.SEN_SUPPORT
    assert pupil.looked_after is True
    assert pupil.disadvantaged is False
    page = _text(client.get(response.headers["Location"]))
    assert "Pupil added" in page
    assert "Year 9" in page
    assert school.name in page


def test_la_adds_a_pupil_with_no_school_place_owned_by_the_la(client, db, login_as):
    user = login_as(Role.LA_LEAD)
    response = submit(client, "/pupils/new", _form(upn=""))
    assert response.status_code == 302
    pupil = db.session.scalars(select(Pupil)).one()
    assert pupil.owner_id == user.organisation_id
    assert pupil.upn is None
    page = _text(client.get(f"/pupils/{pupil.id}"))
    assert "No school place" in page
    assert "Not recorded yet" in page


def test_the_form_offers_census_sex_values_and_no_year_group_input(client, db, login_as):
    login_as(Role.SCHOOL)
    page = _text(client.get("/pupils/new"))
    for value, label in [("F", "Female"), ("M", "Male"), ("U", "Unknown")]:
        assert f'value="{value}"' in page
        assert label in page
    assert "Leave blank if the pupil does not have one yet" in page
    assert 'name="year_group"' not in page


BAD_INPUT = [
    ("upn", "A20112340000", "UPN must be 13 characters, like A123456789012"),
    ("upn", "A2011234X0001", "UPN must be a letter followed by 11 digits"),
    ("upn", "B201123400001", "The UPN's check letter is wrong"),
    ("first_name", "", "Enter the pupil's first name"),
    ("first_name", "   ", "Enter the pupil's first name"),
    ("first_name", "x" * 101, "First name must be 100 characters or fewer"),
    ("last_name", "", "Enter the pupil's last name"),
    ("date_of_birth", ["", "", ""], "Enter the pupil's date of birth"),
    ("date_of_birth", ["1", "9"], "The date of birth must include a year"),
    ("date_of_birth", ["1"], "The date of birth must include a month and year"),
    ("date_of_birth", ["31", "2", "2014"], "The date of birth must be a real date"),
    ("date_of_birth", ["a", "b", "2014"], "The date of birth must be a real date"),
    ("date_of_birth", "future", "The date of birth must be in the past"),
    ("date_of_birth", "too young", "The pupil must be of compulsory school age (5 to 16)"),
    ("date_of_birth", "too old", "The pupil must be of compulsory school age (5 to 16)"),
    ("sex", None, "Select the pupil's sex"),
    ("sex", "X", "Select the pupil's sex"),
    ("sen_status", None, "Select the pupil's SEN status"),
    ("sen_status", "statement", "Select the pupil's SEN status"),
    ("looked_after", None, "Select yes if the pupil is looked after"),
    ("looked_after", "maybe", "Select yes if the pupil is looked after"),
    ("disadvantaged", None, "Select yes if the pupil is disadvantaged"),
    ("disadvantaged", "true", "Select yes if the pupil is disadvantaged"),
]


def _bad_value(value):
    if value == "future":
        return _date_parts(TODAY + timedelta(days=1))
    if value == "too young":
        return _date_parts(TODAY.replace(year=TODAY.year - 3))
    if value == "too old":
        return _date_parts(TODAY.replace(year=TODAY.year - 18, day=1))
    return value


def _post_bad(client, path, field, value, form_path=None):
    data = _form()
    if value is None:
        del data[field]
    else:
        data[field] = _bad_value(value)
    return submit(client, path, data, form_path=form_path)


def _assert_field_error(response, field, message):
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    # the error summary links to the field (a date to its day box, as GOV.UK advises)
    target = f"{field}-day" if field == "date_of_birth" else field
    assert f'href="#{target}"' in page
    error = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', page, re.S)
    assert error, f"no error message on {field}"
    assert message in error.group(1)


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_on_adding_gets_a_field_error_and_writes_nothing(
    client, db, login_as, field, value, message
):
    login_as(Role.SCHOOL)
    response = _post_bad(client, "/pupils/new", field, value)
    _assert_field_error(response, field, message)
    assert _count(db) == 0


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_on_changing_gets_a_field_error_and_writes_nothing(
    client, db, login_as, field, value, message
):
    school = make_school()
    pupil = make_pupil(school, first_name="Before", date_of_birth=date(2013, 1, 1))
    before = (pupil.upn, pupil.first_name, pupil.last_name, pupil.date_of_birth, pupil.sex)
    login_as(Role.SCHOOL, school)
    response = _post_bad(client, f"/pupils/{pupil.id}/edit", field, value)
    _assert_field_error(response, field, message)
    db.session.expire_all()
    pupil = db.session.get(Pupil, pupil.id)
    assert (pupil.upn, pupil.first_name, pupil.last_name, pupil.date_of_birth, pupil.sex) == before


def test_a_form_with_the_date_boxes_left_out_of_the_post_does_not_fail(client, db, login_as):
    login_as(Role.SCHOOL)
    data = _form()
    del data["date_of_birth"]
    response = submit(client, "/pupils/new", data)
    _assert_field_error(response, "date_of_birth", "Enter the pupil's date of birth")
    assert _count(db) == 0


# ---- UPNs are unique -------------------------------------------------------------------------


def test_a_upn_already_recorded_at_another_school_is_refused_without_saying_whose(
    client, db, login_as
):
    upn = make_upn()
    make_pupil(make_school(name="Secret School"), upn=upn, first_name="Hidden", last_name="Child")
    login_as(Role.SCHOOL)
    response = submit(client, "/pupils/new", _form(upn=upn.lower()))
    _assert_field_error(response, "upn", "A pupil with this UPN is already recorded")
    page = _text(response)
    assert "Secret School" not in page
    assert "Hidden" not in page and "Child" not in page
    assert _count(db) == 1


def test_a_upn_already_recorded_at_the_same_school_is_refused(client, db, login_as):
    school = make_school()
    upn = make_upn()
    make_pupil(school, upn=upn)
    login_as(Role.SCHOOL, school)
    response = submit(client, "/pupils/new", _form(upn=upn))
    _assert_field_error(response, "upn", "A pupil with this UPN is already recorded")
    assert _count(db) == 1


def test_changing_a_pupil_to_another_pupils_upn_is_refused(client, db, login_as):
    login_as(Role.LA_OFFICER)
    taken = make_pupil().upn
    pupil = make_pupil(date_of_birth=IN_SCHOOL_AGE)
    own_upn = pupil.upn
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=taken))
    _assert_field_error(response, "upn", "A pupil with this UPN is already recorded")
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).upn == own_upn
    # keeping its own UPN is not a clash
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=own_upn))
    assert response.status_code == 302


def test_a_upn_taken_at_the_same_moment_gets_the_same_field_error(
    client, db, login_as, monkeypatch
):
    """Two requests both pass the check; the database's unique constraint refuses the second."""
    from apregister.pupils import views

    upn = make_upn()
    make_pupil(upn=upn)
    school = make_school()
    pupil = make_pupil(school, date_of_birth=IN_SCHOOL_AGE)
    monkeypatch.setattr(views, "_upn_taken", lambda *args, **kwargs: False)
    login_as(Role.SCHOOL, school)
    response = submit(client, "/pupils/new", _form(upn=upn))
    _assert_field_error(response, "upn", "A pupil with this UPN is already recorded")
    assert _count(db) == 2
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=upn))
    _assert_field_error(response, "upn", "A pupil with this UPN is already recorded")
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).upn != upn


# ---- the pupil page --------------------------------------------------------------------------


def test_pupil_page_shows_details_year_group_and_placements(client, db, login_as):
    school = make_school()
    pupil = make_pupil(
        school,
        date_of_birth=IN_SCHOOL_AGE,
        sex=Sex.MALE,
        sen_status=SenStatus.EHC_PLAN,
        looked_after=True,
        disadvantaged=True,
    )
    running = make_placement(pupil, make_provider(name="Riverside Tuition"))
    ended = make_placement(
        pupil,
        make_provider(name="Old Mill Farm"),
        start_date=TODAY - timedelta(weeks=30),
        actual_end=TODAY - timedelta(weeks=20),
    )
    login_as(Role.SCHOOL, school)
    response = client.get(f"/pupils/{pupil.id}")
    page = _text(response)
    assert pupil.name in page
    assert pupil.upn in page
    assert f"{IN_SCHOOL_AGE.day} {IN_SCHOOL_AGE:%B %Y}" in page
    assert "Year 9" in page
    assert "Male" in page and "EHC plan" in page
    assert "Riverside Tuition" in page and "Old Mill Farm" in page
    assert PlacementStatus.ACTIVE.label in page and PlacementStatus.ENDED.label in page
    links = _links(page)
    assert f"/placements/{running.id}" in links
    assert f"/placements/{ended.id}" in links
    assert f"/placements/new?pupil_id={pupil.id}" in links
    assert f"/pupils/{pupil.id}/edit" in links
    # the page title names the pupil, like its heading (issue 13); the URL holds only a number
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith(f"{pupil.name}: pupil details - ")


def test_school_sees_only_its_own_placements_of_a_pupil(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school)
    make_placement(pupil, make_provider(name="Ours"))
    # a placement of the same pupil commissioned elsewhere (school_id of another school)
    other = make_school()
    make_placement(pupil, make_provider(name="Not ours"), school_id=other.id)
    login_as(Role.SCHOOL, school)
    page = _text(client.get(f"/pupils/{pupil.id}"))
    assert "Ours" in page
    assert "Not ours" not in page


# ---- changing a pupil ------------------------------------------------------------------------


def test_school_changes_its_own_pupil(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school, upn=None)
    login_as(Role.SCHOOL, school)
    page = _text(client.get(f"/pupils/{pupil.id}/edit"))
    assert f'value="{pupil.last_name}"' in page
    assert 'value="U" checked>' in page
    upn = make_upn()
    response = submit(
        client, f"/pupils/{pupil.id}/edit", _form(upn=upn, first_name="Grace", sex="M")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pupils/{pupil.id}"
    db.session.expire_all()
    pupil = db.session.get(Pupil, pupil.id)
    assert (pupil.upn, pupil.first_name, pupil.sex) == (upn, "Grace", Sex.MALE)
    assert pupil.owner_id == school.id
    assert "Changes saved" in _text(client.get(f"/pupils/{pupil.id}"))


def test_la_changes_a_schools_pupil_and_the_owner_stays(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school)
    login_as(Role.LA_LEAD)
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=pupil.upn))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).owner_id == school.id


def test_a_pupil_past_school_age_can_still_be_corrected_but_not_given_a_new_such_date(
    client, db, login_as
):
    school = make_school()
    old_enough = TODAY.replace(year=TODAY.year - 18, day=1)
    pupil = make_pupil(school, date_of_birth=old_enough)
    login_as(Role.SCHOOL, school)
    data = _form(upn=pupil.upn, date_of_birth=_date_parts(old_enough), sen_status="ehc_plan")
    assert submit(client, f"/pupils/{pupil.id}/edit", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).sen_status is SenStatus.EHC_PLAN
    other_date = old_enough - timedelta(days=1)
    data["date_of_birth"] = _date_parts(other_date)
    response = submit(client, f"/pupils/{pupil.id}/edit", data)
    _assert_field_error(
        response, "date_of_birth", "The pupil must be of compulsory school age (5 to 16)"
    )


# ---- another school's pupil ------------------------------------------------------------------


def test_another_school_cannot_see_or_change_a_schools_pupil(client, db, login_as):
    school = make_school()
    pupil = make_pupil(school, first_name="Private")
    other = make_school()
    own = make_pupil(other)
    login_as(Role.SCHOOL, other)
    for path in [f"/pupils/{pupil.id}", f"/pupils/{pupil.id}/edit"]:
        assert client.get(path).status_code == 404, path
    assert "Private" not in _text(client.get("/pupils"))
    response = submit(
        client,
        f"/pupils/{pupil.id}/edit",
        _form(first_name="Changed", upn=pupil.upn),
        form_path=f"/pupils/{own.id}/edit",
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Pupil, pupil.id).first_name == "Private"


def test_a_pupil_that_does_not_exist_answers_404(client, db, login_as):
    login_as(Role.LA_LEAD)
    assert client.get("/pupils/999999").status_code == 404
    assert client.get("/pupils/999999/edit").status_code == 404


# ---- children's data stays out of URLs ---------------------------------------------------------


def test_no_page_puts_a_name_upn_or_date_of_birth_in_a_url(client, db, login_as):
    school = make_school()
    upn = make_upn()
    born = IN_SCHOOL_AGE
    pupil = make_pupil(
        school, upn=upn, first_name="Zebedee", last_name="Quintrell", date_of_birth=born
    )
    for n in range(26):  # enough for a second page, so the pagination links are there
        make_pupil(school, last_name=f"Aaron{n:02d}")
    make_placement(pupil)
    login_as(Role.SCHOOL, school)
    secrets = [
        upn,
        upn.lower(),
        "zebedee",
        "quintrell",
        born.isoformat(),
        born.strftime("%d%m%Y"),
        born.strftime("%d/%m/%Y"),
        born.strftime("%d-%m-%Y"),
        born.strftime("%Y%m%d"),
    ]
    pages = ["/pupils", "/pupils?page=2", f"/pupils/{pupil.id}", f"/pupils/{pupil.id}/edit"]
    for path in pages:
        page = _text(client.get(path))
        links = _links(page)
        assert links, path
        for link in links:
            for secret in secrets:
                assert secret.lower() not in link.lower(), (path, link)
    # ... and adding or changing a pupil redirects to an address made of the id only
    response = submit(client, "/pupils/new", _form(upn=make_upn(), first_name="Zebedee"))
    assert re.fullmatch(r"/pupils/\d+", response.headers["Location"])
    response = submit(client, f"/pupils/{pupil.id}/edit", _form(upn=upn, first_name="Zebedee"))
    assert response.headers["Location"] == f"/pupils/{pupil.id}"


def test_the_pupil_list_pages_by_key_with_page_numbers(client, db, login_as, monkeypatch):
    from apregister.pupils import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    school = make_school()
    for letter in "ABCDEFG":
        make_pupil(school, last_name=f"Paged{letter}")
    login_as(Role.SCHOOL, school)
    with count_queries() as first:
        page_one = client.get("/pupils").get_data(as_text=True)
    with count_queries() as last:
        page_four = client.get("/pupils?page=4").get_data(as_text=True)
    assert len(last) == len(first)  # a deep page costs what the first does
    assert "7 pupils, page 1 of 4" in page_one and "PagedA" in page_one
    assert 'href="/pupils?page=4"' in page_one  # GOV.UK pagination: the last page's number
    assert "PagedG" in page_four and "PagedA" not in page_four
