"""Issue 12, item 12: every route in `app.url_map`, asked by each of nine principals, answers
what the design says. The table below names every endpoint; a new endpoint that is not in it
fails the test until someone decides who may reach it.

The principals and the scene are in tests/matrix_scene.py: signed out, a deactivated la_lead,
the LA's lead, officer and board member, the first tenant's school and provider users, and the
other tenant's school and provider users. Every URL carries the FIRST tenant's record ids.

A GET is sent to each rule that takes one; a POST-only rule gets a POST with a valid CSRF token
and an empty body. What the answers mean:

- 200 the page (or a 400 where an empty form is refused by design);
- 302 signed out (to /sign-in, checked), or a step that sends the user elsewhere;
- 403 a role the endpoint is not for (role_required);
- 404 a role the endpoint is for, asking for another organisation's record (the same answer a
  record that does not exist gets).

Every 2xx answer (pages, CSV exports) to a principal who may not read the first tenant's pupil
is also searched for the pupil's UPN and surname and for the school's note on the absence case
(the provider may read the pupil, not the note): a list that answers 200 must not leak either.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from flask import Flask

from apregister.models import Role
from tests.matrix_scene import (
    ANON,
    BOARD,
    GONE,
    OTHER_TENANT,
    PRINCIPALS,
    PROVIDER,
    ROLE_OF,
    SIGNED_OUT,
    Scene,
    build_scene,
)

LA = (Role.LA_LEAD, Role.LA_OFFICER)
LA_LEAD = (Role.LA_LEAD,)
SCHOOLS = (Role.SCHOOL,)
PROVIDERS = (Role.PROVIDER,)
BOARDS = (Role.BOARD,)
EVERYONE = (*LA, Role.SCHOOL, Role.PROVIDER, Role.BOARD)

Spec = dict[str, int]


def ok(*groups: Iterable[Role], status: int = 200, other: int | None = None, **by: int) -> Spec:
    """`status` for the principals whose role is in `groups`; 403 for every other signed-in
    principal; 302 to sign-in for the signed-out and the deactivated. `other` is what the
    other tenant's users get where their role is let in (404: not their record); `by` sets
    single principals by name."""
    roles = {role for group in groups for role in group}
    spec: Spec = {}
    for principal in PRINCIPALS:
        if principal in SIGNED_OUT:
            spec[principal] = 302
        elif ROLE_OF[principal] not in roles:
            spec[principal] = 403
        elif principal in OTHER_TENANT and other is not None:
            spec[principal] = other
        else:
            spec[principal] = status
    unknown = set(by) - set(PRINCIPALS)
    assert not unknown, f"no such principal: {unknown}"
    return spec | by


def public(status: int = 200, **by: int) -> Spec:
    """Anyone, signed in or not."""
    return dict.fromkeys(PRINCIPALS, status) | by


# Per endpoint, what each principal gets. Every endpoint in app.url_map must be here.
TABLE: dict[str, Spec] = {
    # public pages
    "static": public(),
    "pages.healthz": public(),
    "pages.accessibility_statement": public(),
    "pages.privacy_notice": public(),
    "pages.cookies": public(),
    "applications.apply_to_join": public(),
    # the confirmation reads the applicant's own session: none sent from this browser, 404
    "applications.application_sent": public(404),
    # the token is the key: whoever holds the link may set that user's password
    "applications.accept_invitation": public(),
    "auth.sign_in": public(302, anon=200, gone=200),  # signed in: on to the home page
    "auth.sign_out": ok(EVERYONE, status=302),
    # two-factor steps: with no password checked in this session, back to sign-in (signed in:
    # on to the home page)
    "auth.enter_code": public(302),
    "auth.enter_recovery_code": public(302),
    "auth.set_up_two_factor": public(302),
    # everyone's own pages
    "pages.home": ok(EVERYONE),
    "account.edit_message_preferences": ok(LA, SCHOOLS, PROVIDERS),
    # lists and exports: scoped by the query, so the other tenant gets its own (empty) list
    "placements.list_placements": ok(LA, SCHOOLS, PROVIDERS),
    "placements.export_placements": ok(LA, SCHOOLS, PROVIDERS),
    "providers.list_providers": ok(LA, SCHOOLS, PROVIDERS),
    "providers.export_providers": ok(LA, SCHOOLS, PROVIDERS),
    "pupils.list_pupils": ok(LA, SCHOOLS),
    # issue 13: the search box posts its term (an empty one is refused on the list page)
    "placements.search_placements": ok(LA, SCHOOLS, PROVIDERS),
    "placements.clear_placements_search": ok(LA, SCHOOLS, PROVIDERS, status=302),
    "pupils.search_pupils": ok(LA, SCHOOLS),
    "pupils.clear_pupils_search": ok(LA, SCHOOLS, status=302),
    # the school and provider filters' suggestions; asked for no kind of organisation: 404
    "organisations.suggest_organisations": ok(LA, SCHOOLS, status=404),
    "absences.list_absences": ok(LA, SCHOOLS),
    "reports.list_reports": ok(LA, SCHOOLS),
    "reports.census_export": ok(LA, SCHOOLS),
    "inspections.list_inspections": ok(LA, PROVIDERS),
    "self_assessments.list_self_assessments": ok(LA, PROVIDERS),
    "attendance.record_attendance": ok(PROVIDERS),
    "attendance.list_unrecorded": ok(PROVIDERS),
    "dashboard.show_dashboard": ok(LA, BOARDS),
    "dashboard.download_figures": ok(LA, BOARDS),
    # starting pages for new records
    "pupils.add_pupil": ok(LA, SCHOOLS),
    "placements.add_placement": ok(LA, SCHOOLS),
    "placements.add_setting": ok(LA, SCHOOLS),
    "providers.add_provider": ok(LA),
    "providers.list_applications": ok(LA),
    "inspections.plan_inspection": ok(LA),
    "self_assessments.start_self_assessment": ok(PROVIDERS, status=302),  # each its own
    # the LA lead's own corner
    "users.list_users": ok(LA_LEAD),
    "users.add_user": ok(LA_LEAD),
    "users.edit_user": ok(LA_LEAD),
    "users.reset_two_factor": ok(LA_LEAD),
    "audit_log.list_audit_events": ok(LA_LEAD),
    "imports.start_import": ok(LA_LEAD),
    "imports.show_import": ok(LA_LEAD),
    "imports.download_import_errors": ok(LA_LEAD),
    "imports.download_import_template": ok(LA_LEAD),
    "imports.confirm_import": ok(LA_LEAD, status=400),  # nothing in it to import
    "imports.cancel_import": ok(LA_LEAD, status=302),
    "outbox.list_messages": ok(LA_LEAD),
    "outbox.show_message": ok(LA_LEAD),
    "la_settings.edit_settings": ok(LA_LEAD),
    "la_settings.edit_qa_areas": ok(LA_LEAD),
    "la_settings.edit_retention": ok(LA_LEAD),
    "dashboard.edit_kpi_settings": ok(LA_LEAD),
    "pupils.subject_access": ok(LA_LEAD),
    "pupils.download_subject_access": ok(LA_LEAD),
    # reports: a school may have most, not the QA compliance one the matrix asks for
    "reports.show_report": ok(LA),
    "reports.export_report": ok(LA),
    # the first tenant's pupil
    "pupils.show_pupil": ok(LA, SCHOOLS, other=404),
    "pupils.edit_pupil": ok(LA, SCHOOLS, other=404),
    # the first tenant's placement: the school and the provider are both parties
    "placements.show_placement": ok(LA, SCHOOLS, PROVIDERS, other=404),
    "checks.show_agreement": ok(LA, SCHOOLS, PROVIDERS, other=404),
    "checks.print_agreement": ok(LA, SCHOOLS, PROVIDERS, other=404),
    "checks.download_agreement": ok(LA, SCHOOLS, PROVIDERS, other=404),
    "checks.download_agreement_text": ok(LA, SCHOOLS, PROVIDERS, other=404),
    # the risk assessment is the commissioner's to record, not the provider's
    "checks.record_check": ok(LA, SCHOOLS, PROVIDERS, other=404, provider=403),
    # an empty form: the commissioner's is refused with 400; the provider's confirms
    "checks.confirm_agreement": ok(LA, SCHOOLS, PROVIDERS, status=400, other=404, provider=302),
    "checks.edit_contacts": ok(LA, SCHOOLS, other=404),
    "placements.add_review": ok(LA, SCHOOLS, other=404),
    "placements.request_extension": ok(LA, SCHOOLS, other=404),
    "placements.change_placement": ok(LA, SCHOOLS, other=404),
    "placements.end_placement": ok(LA, SCHOOLS, other=404),
    "placements.cancel_placement": ok(LA, SCHOOLS, other=404),
    "placements.decide_extension": ok(LA),
    "placements.review_off_framework": ok(LA, status=302),  # on the framework: nothing to do
    "absences.show_absence": ok(LA, SCHOOLS, other=404),
    # an empty note: back to the case with a message
    "absences.close_escalation": ok(LA, SCHOOLS, status=302, other=404),
    # the first tenant's provider: approved, so in everyone's directory
    "providers.show_provider": ok(LA, SCHOOLS, PROVIDERS),
    "providers.edit_provider": ok(LA),
    "providers.invite_provider_user": ok(LA),
    "providers.edit_own_profile": ok(PROVIDERS, other=404),
    "providers.change_framework_status": ok(LA, PROVIDERS, other=404),
    "providers.add_document": ok(LA, PROVIDERS, other=404),
    "providers.download_document": ok(LA, PROVIDERS, other=404),
    # the first tenant's inspections (a planned one to record, a published one
    # with an open action for the provider and a done one for the LA)
    "inspections.show_inspection": ok(LA, PROVIDERS, other=404),
    "inspections.record_inspection": ok(LA),
    "inspections.record_unplanned": ok(LA),
    "inspections.mark_action_done": ok(PROVIDERS, other=404),
    "inspections.close_action": ok(LA),  # the action the provider has marked done
    "inspections.reopen_action": ok(LA),
    # the first tenant's self-assessments (last year's, submitted; this year's
    # draft, answered, for edit and check)
    "self_assessments.show_self_assessment": ok(LA, PROVIDERS, other=404),
    "self_assessments.review_self_assessment": ok(LA),
    "self_assessments.edit_self_assessment": ok(PROVIDERS, other=404),
    "self_assessments.check_self_assessment": ok(PROVIDERS, other=404),
}


# URL arguments that are not the scene's defaults, and query strings, per endpoint.
def url_values(endpoint: str, scene: Scene) -> dict[str, object]:
    values = dict(scene.ids)
    if endpoint in (
        "self_assessments.edit_self_assessment",
        "self_assessments.check_self_assessment",
    ):
        values["self_assessment_id"] = scene.extra["draft_self_assessment_id"]
    if endpoint in ("inspections.close_action", "inspections.reopen_action"):
        values["action_id"] = scene.extra["done_action_id"]
    if endpoint == "inspections.record_inspection":
        values["inspection_id"] = scene.extra["planned_inspection_id"]
    return values


QUERY = {
    "inspections.record_unplanned": "provider_id={provider_id}",
}


def _requests(app: Flask, scene: Scene) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every rule: GETs first, POST-only rules last, and
    signing out at the very end (it ends the session the rest rely on)."""
    gets, posts = [], []
    for rule in app.url_map.iter_rules():
        values = url_values(rule.endpoint, scene)
        args = {name: values[name] for name in rule.arguments if name not in (rule.defaults or {})}
        path = rule.build(args, append_unknown=False)[1]
        query = QUERY.get(rule.endpoint)
        if query:
            path += "?" + query.format(**values)
        if "GET" in rule.methods:
            gets.append((rule.endpoint, "GET", path))
        else:
            posts.append((rule.endpoint, "POST", path))
    posts.sort(key=lambda request: request[0] == "auth.sign_out")
    return gets + posts


def test_every_endpoint_has_an_expected_answer_per_principal(app: Flask):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(TABLE)) == [], "endpoints missing from the matrix table"
    assert sorted(set(TABLE) - endpoints) == [], "the table names endpoints that do not exist"
    for endpoint, spec in TABLE.items():
        assert set(spec) == set(PRINCIPALS), endpoint


def _hidden_from(scene: Scene) -> dict[str, tuple[str, ...]]:
    """What each principal must never read: the pupil's UPN and surname and the school's note on
    the absence case are for the LA and the school; the provider sees the pupil, not the note."""
    upn, surname, note = scene.secrets
    everything = (upn, surname, note)
    return dict.fromkeys((ANON, GONE, BOARD, *OTHER_TENANT), everything) | {PROVIDER: (note,)}


def test_route_matrix(app: Flask, db):
    """Every rule, as every principal, against the first tenant's records; every answer that
    differs from the table is reported together."""
    scene = build_scene(app)
    requests = _requests(app, scene)
    tokens = {principal: scene.csrf(principal) for principal in PRINCIPALS}
    hidden = _hidden_from(scene)
    mismatches: list[str] = []
    sent = 0
    started = time.perf_counter()
    for endpoint, method, path in requests:
        spec = TABLE.get(endpoint, {})
        for principal in PRINCIPALS:
            client = scene.clients[principal]
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data={"csrf_token": tokens[principal]})
            sent += 1
            got, want = response.status_code, spec.get(principal)
            where = f"{method} {path} [{endpoint}] as {principal}"
            if got != want:
                mismatches.append(f"{where}: {got}, want {want}")
                continue
            location = response.headers.get("Location", "")
            if principal in SIGNED_OUT and got == 302 and not location.startswith("/sign-in"):
                mismatches.append(f"{where}: 302 to {location}, not to sign-in")
            if 200 <= got < 300:
                body = response.get_data()  # bytes: the .xlsx downloads are not text
                leaked = [s for s in hidden.get(principal, ()) if s.encode() in body]
                if leaked:
                    mismatches.append(f"{where}: shows {leaked}")
    elapsed = time.perf_counter() - started
    print(
        f"\nroute matrix: {len(requests)} rules x {len(PRINCIPALS)} principals"
        f" = {sent} requests in {elapsed:.1f}s"
    )
    assert not mismatches, f"{len(mismatches)} answers differ:\n" + "\n".join(mismatches)
