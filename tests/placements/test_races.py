"""Two requests at the same moment, on whichever database the suite runs on."""

import threading

from sqlalchemy import func, select

from apregister.models import Placement, Role
from tests.conftest import csrf_token, make_provider, make_pupil, make_school, make_user, sign_in
from tests.placements.test_views import _form


def _race(app, user, forms):
    """Post each form from its own signed-in client, all released at once."""
    clients = []
    for form in forms:
        client = app.test_client()
        sign_in(client, user)
        clients.append((client, form | {"csrf_token": csrf_token(client, "/placements/new")}))
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def post(index, client, form):
        barrier.wait()
        responses[index] = client.post("/placements/new", data=form)

    threads = [
        threading.Thread(target=post, args=(index, client, form))
        for index, (client, form) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _placements(db):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Placement))


def test_the_same_new_placement_sent_twice_at_once_creates_one(app, db):
    school = make_school()
    user = make_user(Role.SCHOOL, school)
    pupil, provider = make_pupil(school), make_provider()
    form = _form(pupil, provider, submission_key="same-form")
    responses = _race(app, user, [form, form])
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert _placements(db) == 1


def test_two_overlapping_placements_for_one_pupil_cannot_both_succeed(app, db):
    school = make_school()
    user = make_user(Role.SCHOOL, school)
    pupil = make_pupil(school)
    forms = [
        _form(pupil, make_provider(), submission_key="first"),
        _form(pupil, make_provider(), submission_key="second"),
    ]
    responses = _race(app, user, forms)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
    assert "already placed" in refused
    assert _placements(db) == 1
