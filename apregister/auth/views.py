from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from apregister.access import signed_in
from apregister.auth import operations, rules, two_factor
from apregister.auth.forms import SignInForm
from apregister.auth.operations import SecondFactor
from apregister.extensions import db
from apregister.models.base import utcnow

bp = Blueprint("auth", __name__)

BAD_SIGN_IN = "Enter a correct email address and password"
# Where a checked password goes next, when there is more to do before signing in.
SECOND_FACTOR_PAGES = {
    SecondFactor.CODE: "auth.enter_code",
    SecondFactor.SET_UP: "auth.set_up_two_factor",
}
# Why a sign-in part-way through its second factor was stopped (told on the sign-in page).
STOPPED = {
    "expired": "You took too long to finish signing in. Sign in again.",
    "locked": (
        "There have been too many wrong attempts. The account is locked for 15 minutes. "
        "Then sign in again."
    ),
}


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    if form.validate_on_submit():
        now = utcnow()
        user = operations.authenticate(form.email.data, form.password.data, now=now)
        if user is not None:
            next_path = rules.safe_next_path(request.args.get("next"))
            stage = operations.second_factor_stage(user)
            if stage is not None:
                two_factor.begin_pending(user, stage, next_path=next_path, now=now)
                db.session.commit()
                return redirect(url_for(SECOND_FACTOR_PAGES[stage]))
            operations.start_session(user, now=now)
            db.session.commit()
            login_user(user)
            return redirect(next_path or url_for("pages.home"))
        db.session.commit()  # keep the failed attempt and its audit row
        form.email.errors.append(BAD_SIGN_IN)
        form.password.errors.append(BAD_SIGN_IN)
    ended = session.pop("ended", False)
    stopped = STOPPED.get(session.pop("sign_in_stopped", None) or "")
    return render_template(
        "auth/sign_in.html", form=form, session_ended=ended, sign_in_stopped=stopped
    )


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    operations.end_session(current_user, now=utcnow())
    db.session.commit()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))


from apregister.auth import two_factor_views  # noqa: E402, F401  (its routes join this blueprint)
