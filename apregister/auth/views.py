from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from apregister.access import signed_in
from apregister.auth import operations, rules
from apregister.auth.forms import SignInForm
from apregister.extensions import db
from apregister.models.base import utcnow

bp = Blueprint("auth", __name__)

BAD_SIGN_IN = "Enter a correct email address and password"


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        now = utcnow()
        user = operations.authenticate(form.email.data, form.password.data, now=now)
        if user is not None:
            operations.start_session(user, now=now)
            db.session.commit()
            login_user(user)
            next_path = rules.safe_next_path(request.args.get("next"))
            return redirect(next_path or url_for("pages.home"))
        db.session.commit()  # keep the failed attempt and its audit row
        form.email.errors.append(BAD_SIGN_IN)
        form.password.errors.append(BAD_SIGN_IN)
    ended = session.pop("ended", False)
    return render_template("auth/sign_in.html", form=form, session_ended=ended)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    operations.end_session(current_user, now=utcnow())
    db.session.commit()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))
