"""Issue 13: finding a pupil's placements by name or UPN on /placements, each role within its
own scope, combined with the filters; and the school and provider filters that list no
thousand options (a name typed, matched on the server; suggestions for the autocomplete)."""

import html
import re

import pytest

from apregister.models import FrameworkStatus, Role
from tests.conftest import (
    make_la,
    make_placement,
    make_provider,
    make_pupil,
    make_school,
    submit,
)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _search(client, term: str, path: str = "/placements/search", follow: bool = True):
    return submit(client, path, {"term": term}, form_path="/placements", follow_redirects=follow)


def _sign_out(client):
    submit(client, "/sign-out", {}, form_path="/")


def _pupils_listed(page: str) -> set[str]:
    return set(re.findall(r'<a class="govuk-link" href="/placements/\d+">([^<]+)</a>', page))


@pytest.fixture
def scene(db):
    oak, elm = make_school(name="Oak Primary"), make_school(name="Elm High")
    river = make_provider(name="River Tuition")
    hill = make_provider(name="Hill Farm Learning")
    pupils = {
        "oak_jo": make_pupil(oak, first_name="Jo", last_name="Smithson"),
        "oak_alex": make_pupil(oak, first_name="Alex", last_name="Stone"),
        "elm_jo": make_pupil(elm, first_name="Jo", last_name="Smith"),
        "la_jo": make_pupil(make_la(), first_name="Jody", last_name="Smart"),
    }
    make_placement(pupils["oak_jo"], river)
    make_placement(pupils["oak_alex"], river)
    make_placement(pupils["elm_jo"], hill)
    make_placement(pupils["la_jo"], river)
    return {"oak": oak, "elm": elm, "river": river, "hill": hill, **pupils}


def test_school_search_never_finds_another_schools_pupil(client, login_as, scene):
    login_as(Role.SCHOOL, scene["oak"])
    page = _text(_search(client, "jo sm"))
    assert _pupils_listed(page) == {"Jo Smithson"}
    assert "Results for ‘jo sm’" in page
    assert "1 placement matches your search" in re.sub(r"<[^>]+>", "", page)
    page = _text(_search(client, scene["elm_jo"].upn))
    assert _pupils_listed(page) == set()


def test_provider_search_finds_only_its_own_placements_pupils(client, login_as, scene):
    login_as(Role.PROVIDER, scene["river"])
    assert _pupils_listed(_text(_search(client, "jo"))) == {"Jo Smithson", "Jody Smart"}
    _sign_out(client)
    login_as(Role.PROVIDER, scene["hill"])
    assert _pupils_listed(_text(_search(client, "jo"))) == {"Jo Smith"}


def test_la_search_finds_every_pupil(client, login_as, scene):
    login_as(Role.LA_LEAD)
    page = _text(_search(client, "jo"))
    assert _pupils_listed(page) == {"Jo Smithson", "Jo Smith", "Jody Smart"}
    page = _text(_search(client, scene["oak_alex"].upn.lower()))
    assert _pupils_listed(page) == {"Alex Stone"}


def test_search_combines_with_the_filters_and_keeps_them(client, login_as, scene):
    login_as(Role.LA_OFFICER)
    response = _search(
        client,
        "jo",
        path=f"/placements/search?provider_id={scene['river'].id}&page=2",
        follow=False,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/placements?provider_id={scene['river'].id}"
    page = _text(client.get(response.headers["Location"]))
    assert _pupils_listed(page) == {"Jo Smithson", "Jody Smart"}
    assert "match your search and filters" in re.sub(r"<[^>]+>", "", page)
    # the clear button keeps the filters too, and shows the provider's placements again
    clear = submit(
        client, f"/placements/search/clear?provider_id={scene['river'].id}", {}, form_path="/"
    )
    assert clear.headers["Location"] == f"/placements?provider_id={scene['river'].id}"
    page = _text(client.get(clear.headers["Location"]))
    assert _pupils_listed(page) == {"Jo Smithson", "Alex Stone", "Jody Smart"}


def test_the_term_is_never_in_a_redirect_or_a_link(client, login_as, scene):
    login_as(Role.SCHOOL, scene["oak"])
    response = _search(client, "Smithson", follow=False)
    assert response.status_code == 302 and "mithson" not in response.headers["Location"]
    page = client.get("/placements").get_data(as_text=True)
    links = re.findall(r'(?:href|action|src)="([^"]*)"', page)
    assert links and not any("mithson" in link.lower() for link in links)


def test_pupils_and_placements_searches_are_kept_apart(client, login_as, scene):
    login_as(Role.SCHOOL, scene["oak"])
    _search(client, "alex")
    assert "Results for" not in _text(client.get("/pupils"))
    assert _pupils_listed(_text(client.get("/placements"))) == {"Alex Stone"}


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "Enter a name or UPN"),
        ("y" * 101, "Search must be 100 characters or fewer"),
        ("jo_%", "Search using letters, numbers, spaces, hyphens and apostrophes only"),
        ("jo\x00", "must not contain special characters"),
    ],
)
def test_bad_search_shows_the_error_and_keeps_nothing(client, login_as, scene, term, message):
    login_as(Role.SCHOOL, scene["oak"])
    response = _search(client, term, path="/placements/search?status=active", follow=False)
    assert response.status_code == 200
    page = _text(response)
    assert message in page and "govuk-error-summary" in page
    assert _pupils_listed(page) == {"Jo Smithson", "Alex Stone"}  # the list, as filtered
    # its links lead back to the list, not to the POST-only search address
    assert 'href="/placements/search' not in page
    assert "Results for" not in _text(client.get("/placements"))


# ---- the school and provider filters -------------------------------------------------------


def test_no_list_of_every_organisation_is_rendered(client, login_as, scene):
    for n in range(120):
        make_school(name=f"School {n:03d}")
    login_as(Role.LA_LEAD)
    page = client.get("/placements").get_data(as_text=True)
    assert page.count("<option") <= 100
    assert 'name="school"' in page and 'name="provider"' in page


def test_typing_part_of_one_name_filters_by_it(client, login_as, scene):
    login_as(Role.LA_LEAD)
    page = _text(client.get("/placements?provider=hill farm&provider_id="))
    assert _pupils_listed(page) == {"Jo Smith"}
    assert 'value="Hill Farm Learning"' in page
    page = _text(client.get("/placements?school=OAK PRIMARY"))
    assert _pupils_listed(page) == {"Jo Smithson", "Alex Stone"}


def test_a_name_matching_several_is_an_error_with_links_to_each(client, login_as, scene):
    make_school(name="Oakwood Academy")
    login_as(Role.LA_LEAD)
    page = _text(client.get("/placements?school=oak&status=active"))
    assert "More than one school matches ‘oak’" in page and "govuk-error-summary" in page
    links = re.findall(r'href="(/placements\?[^"]*school_id=\d+[^"]*)"', page)
    assert len(links) == 2 and all("status=active" in link for link in links)
    assert "school=" not in "".join(links)


def test_a_name_matching_none_is_an_error(client, login_as, scene):
    login_as(Role.LA_LEAD)
    page = _text(client.get("/placements?provider=nowhere"))
    assert "No provider matches ‘nowhere’" in page


def test_the_chosen_id_counts_only_while_the_name_still_matches(client, login_as, scene):
    twin = make_school(name="Oak Primary")  # two schools of one name: the id tells them apart
    make_placement(make_pupil(twin, first_name="Sam", last_name="Twin"))
    login_as(Role.LA_LEAD)
    page = _text(client.get(f"/placements?school=Oak Primary&school_id={twin.id}"))
    assert _pupils_listed(page) == {"Sam Twin"}
    page = _text(client.get(f"/placements?school=elm&school_id={twin.id}"))
    assert _pupils_listed(page) == {"Jo Smith"}
    page = _text(client.get(f"/placements?school=&school_id={twin.id}"))  # cleared
    assert "Sam Twin" in page and "Jo Smith" in page
    page = _text(client.get(f"/placements?school_id={scene['elm'].id}"))  # a link's id
    assert _pupils_listed(page) == {"Jo Smith"} and 'value="Elm High"' in page


def test_a_school_cannot_filter_by_a_provider_it_may_not_see(client, login_as, scene):
    hidden = make_provider(name="Hidden Applicant", framework_status=FrameworkStatus.APPLIED)
    login_as(Role.SCHOOL, scene["oak"])
    page = _text(client.get(f"/placements?provider_id={hidden.id}"))
    assert _pupils_listed(page) == {"Jo Smithson", "Alex Stone"}
    assert "Hidden Applicant" not in page
    assert 'name="school"' not in page


def test_suggestions_are_scoped_and_short(client, login_as, scene):
    for n in range(15):
        make_provider(name=f"River Side {n}")
    make_provider(name="Riverbank Hidden", framework_status=FrameworkStatus.APPLIED)
    login_as(Role.LA_LEAD)
    found = client.get("/organisations/suggest?kind=provider&q=river").get_json()
    assert len(found) == 10 and all(item["name"].startswith("River") for item in found)
    assert set(found[0]) == {"id", "name"}
    assert client.get("/organisations/suggest?kind=school&q=e").get_json() == []  # too short
    assert [
        s["name"] for s in client.get("/organisations/suggest?kind=school&q=elm").get_json()
    ] == ["Elm High"]
    _sign_out(client)
    login_as(Role.SCHOOL, scene["oak"])
    suggest = "/organisations/suggest?kind=provider&q="
    assert client.get(suggest + "riverbank").get_json() == []  # applied: not in its directory
    assert client.get(suggest + "tuition").get_json() == [
        {"id": scene["river"].id, "name": "River Tuition"}
    ]
    schools = client.get("/organisations/suggest?kind=school&q=high").get_json()
    assert schools == []  # a school sees only itself
    assert client.get("/organisations/suggest?kind=pupil&q=jo").status_code == 404
    _sign_out(client)
    login_as(Role.PROVIDER, scene["river"])
    assert client.get("/organisations/suggest?kind=provider&q=riv").status_code == 403
