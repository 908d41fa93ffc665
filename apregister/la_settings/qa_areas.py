"""The areas inspections and self-assessments judge: rename, switch off or on, add (la_lead).

Until the la_lead first saves, the areas are the defaults in qa/rules.py; the first save writes
them as rows. Past inspections and self-assessments keep the names they were recorded with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextInput
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from apregister.access import role_required
from apregister.extensions import db
from apregister.forms import FlaskForm
from apregister.la_settings.blueprint import bp
from apregister.models import QaArea, Role
from apregister.qa import rules

KEY_LENGTH = 40  # QaArea.key
NAME_LENGTH = 200  # QaArea.name


@dataclass(frozen=True)
class AreaRow:
    key: str
    name: str
    active: bool

    @property
    def always_on(self) -> bool:
        # An inadequate safeguarding judgement prompts a suspension: it is never left out.
        return self.key == rules.SAFEGUARDING


def _tidy(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def _same_name(name: str) -> str:
    return _tidy(name).casefold()


def listed_areas() -> list[AreaRow]:
    """Every area, switched on or off, in order; the defaults until the la_lead saves."""
    saved = db.session.scalars(select(QaArea).order_by(QaArea.position, QaArea.id)).all()
    if saved:
        return [AreaRow(area.key, area.name, area.active) for area in saved]
    return [AreaRow(key, name, True) for key, name in rules.DEFAULT_AREAS]


def key_for(name: str, taken: set[str]) -> str:
    """A stable key from the name ('Premises and SEND' -> 'premises_and_send'), unique."""
    base = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[: KEY_LENGTH - 4] or "area"
    base = base.rstrip("_")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


# ---- forms --------------------------------------------------------------------------------


def _name_field(label: str, required: str) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[_tidy],
        validators=[
            DataRequired(message=required),
            Length(max=NAME_LENGTH, message=f"The name must be {NAME_LENGTH} characters or fewer"),
        ],
    )


class AreasForm(FlaskForm):
    """One name field and one on/off checkbox per area, added by `areas_form`."""

    save = SubmitField("Save changes", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        seen: set[str] = set()
        for area in self.areas:
            field = self[f"name_{area.key}"]
            if not field.data or field.errors:
                continue
            if _same_name(field.data) in seen:
                field.errors.append("Each area needs a different name")
                valid = False
            seen.add(_same_name(field.data))
        return valid


def areas_form(areas: list[AreaRow], *, submitted: bool) -> AreasForm:
    fields = {}
    for number, area in enumerate(areas, start=1):
        fields[f"name_{area.key}"] = _name_field(
            f"Name of area {number}", f"Enter a name for area {number}"
        )
        if not area.always_on:
            fields[f"active_{area.key}"] = BooleanField(
                "Use this area in new inspections and self-assessments",
                widget=GovCheckboxInput(),
            )
    form_class = type("AreasForm", (AreasForm,), fields)
    data = {f"name_{area.key}": area.name for area in areas} | {
        f"active_{area.key}": area.active for area in areas
    }
    form = form_class(formdata=None if not submitted else request.form, data=data)
    form.areas = areas
    return form


class AddAreaForm(FlaskForm):
    new_area_name = _name_field("Name of the new area", "Enter the name of the new area")
    add = SubmitField("Add area", widget=GovSubmitInput())

    def __init__(self, *args, taken_names: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_names = taken_names

    def validate_new_area_name(self, field):
        if field.data and _same_name(field.data) in self.taken_names:
            raise ValidationError("There is already an area with this name")


# ---- changes (flush, never commit) --------------------------------------------------------


def _saved_areas() -> list[QaArea]:
    """The area rows, writing the defaults first if the la_lead has never saved any."""
    saved = list(db.session.scalars(select(QaArea).order_by(QaArea.position, QaArea.id)))
    if saved:
        return saved
    saved = [
        QaArea(key=key, name=name, position=position, active=True)
        for position, (key, name) in enumerate(rules.DEFAULT_AREAS)
    ]
    db.session.add_all(saved)
    db.session.flush()
    return saved


def save_areas(changes: dict[str, tuple[str, bool]]) -> None:
    """Rename and switch areas on or off: `changes` maps key -> (name, active)."""
    for area in _saved_areas():
        if area.key in changes:
            name, active = changes[area.key]
            area.name = name
            area.active = active or area.key == rules.SAFEGUARDING
    db.session.flush()


def add_area(name: str) -> QaArea:
    """A new area, switched on, after the others."""
    existing = _saved_areas()
    position = (db.session.scalar(select(func.max(QaArea.position))) or 0) + 1
    area = QaArea(
        key=key_for(name, {a.key for a in existing}), name=name, position=position, active=True
    )
    db.session.add(area)
    db.session.flush()
    return area


# ---- the page -----------------------------------------------------------------------------


def _commit(message: str):
    try:
        db.session.commit()
    except IntegrityError:  # another la_lead saved the areas at the same moment
        db.session.rollback()
        flash("Someone else changed the areas at the same time. Check them and try again.")
        return redirect(url_for(".edit_qa_areas"))
    flash(message)
    return redirect(url_for(".edit_qa_areas"))


@bp.route("/qa-areas", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_qa_areas():
    areas = listed_areas()
    adding = request.method == "POST" and "add" in request.form
    saving = request.method == "POST" and not adding
    form = areas_form(areas, submitted=saving)
    add_form = AddAreaForm(
        formdata=request.form if adding else None,
        taken_names={_same_name(area.name) for area in areas},
    )
    failed = None
    if saving:
        if form.validate():
            save_areas(
                {
                    area.key: (
                        form[f"name_{area.key}"].data,
                        area.always_on or bool(form[f"active_{area.key}"].data),
                    )
                    for area in areas
                }
            )
            return _commit("QA areas saved")
        failed = form
    if adding:
        if add_form.validate():
            area = add_area(add_form.new_area_name.data)
            return _commit(f"{area.name} added")
        failed = add_form
    return render_template(
        "la_settings/qa_areas.html",
        form=failed or form,
        areas_form=form,
        add_form=add_form,
        areas=areas,
    )
