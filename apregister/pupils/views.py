"""Pupil pages: the list, adding a pupil, the pupil page and changing their details.

Children's data: no name, UPN or date of birth ever goes into a URL, a flash message (it lives
in the session cookie) or a log line; pages address pupils by id only.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from apregister import search
from apregister.access import get_visible_or_404, managed_pupils, role_required, visible
from apregister.extensions import db
from apregister.models import LA_ROLES, OrganisationKind, Placement, Pupil, Role
from apregister.pagination import paginate
from apregister.pupils import operations, rules
from apregister.pupils.forms import UPN_TAKEN, PupilForm

bp = Blueprint("pupils", __name__, url_prefix="/pupils")

PUPIL_STAFF = (Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)
PAGE_SIZE = 25
SEARCH = "pupils"  # the search term's name in the session


def _year_group(pupil: Pupil, today: date) -> str:
    return rules.year_group_label(rules.year_group(pupil.date_of_birth, today))


def _school_name(pupil: Pupil) -> str:
    if pupil.owner.kind is OrganisationKind.LA:
        return "No school place (the LA)"
    return pupil.owner.name


def _upn_taken(upn: str | None, except_id: int | None = None) -> bool:
    """Whether any pupil, whoever owns them, already has this UPN (UPNs are unique)."""
    if not upn:
        return False
    stmt = select(Pupil.id).where(Pupil.upn == upn)
    if except_id is not None:
        stmt = stmt.where(Pupil.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


def _commit_or_upn_clash(form: PupilForm, change) -> Pupil | None:
    """Run `change` (an operation) and commit; if another request took the UPN meanwhile, put
    the usual error on the UPN field and write nothing."""
    try:
        pupil = change()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not form.upn.data:
            raise
        form.upn.errors.append(UPN_TAKEN)
        return None
    return pupil


def _placement_url(placement_id: int) -> str:
    # The placement pages are built separately; fall back to their documented path.
    if "placements.show_placement" in current_app.view_functions:
        return url_for("placements.show_placement", placement_id=placement_id)
    return f"/placements/{placement_id}"


def _add_placement_url(pupil_id: int) -> str:
    if "placements.add_placement" in current_app.view_functions:
        return url_for("placements.add_placement", pupil_id=pupil_id)
    return f"/placements/new?pupil_id={pupil_id}"


@bp.route("")
@role_required(*PUPIL_STAFF)
def list_pupils():
    return _list_page(None)


def _list_page(search_form: search.SearchForm | None):
    term = search.current_term(SEARCH)
    if search_form is None:
        search_form = search.SearchForm(term=term)
    stmt = visible(Pupil)
    order = (Pupil.last_name, Pupil.first_name, Pupil.id)
    if term:
        stmt = stmt.where(search.pupil_match(term))
        # The pupils found are sorted, not found by walking the list's index in order and
        # testing each (PostgreSQL's choice for a common surname: "smi" read 137,000 index
        # entries for 25 pupils, all the names before S). `|| ''` keeps the order, not the index.
        order = (Pupil.last_name + "", Pupil.first_name, Pupil.id)
    # keys first (pagination.paginate): a deep page skips index entries, not whole rows
    page = paginate(stmt.order_by(*order), per_page=PAGE_SIZE)
    # the list's own address, also when a refused search (a POST) shows it
    page.url = lambda number: url_for(".list_pupils", page=number)
    today = date.today()
    return render_template(
        "pupils/list_pupils.html",
        form=search_form,
        term=term,
        rows=[(pupil, _year_group(pupil, today), _school_name(pupil)) for pupil in page.items],
        page=page,
        is_la=current_user.role in LA_ROLES,
    )


search.add_routes(bp, list_name=SEARCH, noun="pupils", roles=PUPIL_STAFF, render=_list_page)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*PUPIL_STAFF)
def add_pupil():
    form = PupilForm(today=date.today())
    if form.validate_on_submit():
        if _upn_taken(form.upn.data):
            form.upn.errors.append(UPN_TAKEN)
        else:
            # A school's pupils belong to it; the LA's own are pupils with no school place.
            pupil = _commit_or_upn_clash(
                form,
                lambda: operations.add_pupil(form.details(), owner_id=current_user.organisation_id),
            )
            if pupil is not None:
                flash("Pupil added")
                return redirect(url_for(".show_pupil", pupil_id=pupil.id))
    return render_template("pupils/add_pupil.html", form=form)


@bp.route("/<int:pupil_id>")
@role_required(*PUPIL_STAFF)
def show_pupil(pupil_id: int):
    pupil = get_visible_or_404(Pupil, pupil_id)
    today = date.today()
    placements = db.session.scalars(
        visible(Placement)
        .where(Placement.pupil_id == pupil.id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
    ).all()
    return render_template(
        "pupils/show_pupil.html",
        pupil=pupil,
        year_group=_year_group(pupil, today),
        school_name=_school_name(pupil),
        placements=[
            (placement, placement.status_on(today), _placement_url(placement.id))
            for placement in placements
        ],
        add_placement_url=_add_placement_url(pupil.id),
    )


@bp.route("/<int:pupil_id>/edit", methods=["GET", "POST"])
@role_required(*PUPIL_STAFF)
def edit_pupil(pupil_id: int):
    pupil = get_visible_or_404(Pupil, pupil_id, scope=managed_pupils)
    form = PupilForm(
        obj=pupil, today=date.today(), current_dob=pupil.date_of_birth, current_upn=pupil.upn
    )
    if form.validate_on_submit():
        if _upn_taken(form.upn.data, except_id=pupil.id):
            form.upn.errors.append(UPN_TAKEN)
        elif _commit_or_upn_clash(form, lambda: operations.update_pupil(pupil, form.details())):
            flash("Changes saved")
            return redirect(url_for(".show_pupil", pupil_id=pupil.id))
    return render_template("pupils/edit_pupil.html", form=form, pupil=pupil)
