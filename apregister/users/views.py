from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from apregister.access import get_visible_or_404, role_required, visible
from apregister.auth import two_factor
from apregister.auth.forms import ResetTwoFactorForm
from apregister.extensions import db
from apregister.models import Organisation, Role, User
from apregister.models.base import utcnow
from apregister.users import operations
from apregister.users.forms import UserForm
from apregister.users.queries import EMAIL_TAKEN, email_taken

bp = Blueprint("users", __name__, url_prefix="/users")


def _organisations() -> dict[int, Organisation]:
    stmt = visible(Organisation).order_by(Organisation.kind, Organisation.name)
    return {org.id: org for org in db.session.scalars(stmt)}


@bp.route("")
@role_required(Role.LA_LEAD)
def list_users():
    users = db.session.scalars(visible(User).order_by(User.active.desc(), User.name)).all()
    return render_template("users/list_users.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def add_user():
    form = UserForm(organisations=_organisations(), new=True)
    if form.validate_on_submit():
        if email_taken(form.email.data):
            form.email.errors.append(EMAIL_TAKEN)
        else:
            try:
                user = operations.add_user(
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    organisation_id=form.organisation_id.data,
                    password=form.password.data,
                )
                db.session.commit()
            except IntegrityError:  # the same email added at the same moment elsewhere
                db.session.rollback()
                form.email.errors.append(EMAIL_TAKEN)
            else:
                flash(f"Account added for {user.name}")
                return redirect(url_for(".list_users"))
    return render_template("users/add_user.html", form=form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def edit_user(user_id: int):
    user = get_visible_or_404(User, user_id)
    form = UserForm(obj=user, organisations=_organisations())
    if form.validate_on_submit():
        is_self = user.id == current_user.id
        if email_taken(form.email.data, except_id=user.id):
            form.email.errors.append(EMAIL_TAKEN)
        elif is_self and not form.active.data:
            form.active.errors.append("You cannot deactivate your own account")
        elif is_self and form.role.data != Role.LA_LEAD:
            form.role.errors.append("You cannot change your own role")
        else:
            try:
                operations.change_user(
                    user,
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    organisation_id=form.organisation_id.data,
                    active=form.active.data,
                    password=form.password.data or None,
                    now=utcnow(),
                )
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.email.errors.append(EMAIL_TAKEN)
            else:
                flash(f"Changes saved for {user.name}")
                return redirect(url_for(".list_users"))
    return render_template("users/edit_user.html", form=form, user=user)


@bp.route("/<int:user_id>/reset-two-factor", methods=["GET", "POST"])
@role_required(Role.LA_LEAD)
def reset_two_factor(user_id: int):
    user = get_visible_or_404(User, user_id)
    form = ResetTwoFactorForm()
    if form.validate_on_submit():
        two_factor.reset_two_factor(user, by=current_user, now=utcnow())
        db.session.commit()
        flash(
            f"Two-factor sign-in reset for {user.name}. They have been signed out, and will "
            "set it up again when they next sign in"
        )
        return redirect(url_for(".edit_user", user_id=user.id))
    return render_template("users/reset_two_factor.html", form=form, user=user)
