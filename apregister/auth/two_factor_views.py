"""The second factor's pages: the code (or a recovery code) after the password, and set-up.

They answer a browser whose password was just checked (the pending marker), and set-up also
answers a signed-in user who must now have a second factor and has not set it up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from apregister.auth import operations, rules, two_factor
from apregister.auth.forms import CodeForm, RecoveryCodeForm, SetUpForm
from apregister.auth.operations import SecondFactor
from apregister.auth.two_factor import Outcome, Pending
from apregister.auth.views import bp
from apregister.extensions import db
from apregister.models import Role, User
from apregister.models.base import utcnow

WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"
REUSED_CODE = "This code has already been used. Wait for your app to show a new code, then enter it"
WRONG_RECOVERY_CODE = "The recovery code is not right, or has been used. Check it and try again"


def password_checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a page of the sign-in itself: any role may reach it, and the view lets through
    only the browser whose password was just checked (test_access sees the mark). Its pages
    (the set-up key among them) are never kept in a cache."""

    @wraps(view)
    def uncached(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    uncached.allowed_roles = frozenset(Role)  # type: ignore[attr-defined]
    return uncached


def _stop(reason: str):
    session["sign_in_stopped"] = reason
    return redirect(url_for("auth.sign_in"))


def _pending_for(stage: SecondFactor):
    """The pending sign-in at this stage, or None (and where to send the browser instead)."""
    if current_user.is_authenticated:
        return None, redirect(url_for("pages.home"))
    pending = two_factor.current_pending(utcnow())
    if pending is None:
        return None, _stop("expired")
    if pending.stage is not stage:
        return None, redirect(url_for("auth.sign_in"))
    return pending, None


def _sign_in(pending: Pending) -> None:
    """The second factor is right: start the real session (a new token, the marker dropped)."""
    operations.start_session(pending.user, now=utcnow())
    db.session.commit()
    login_user(pending.user)


def _after_check(outcome: Outcome, pending: Pending, form, wrong: str, *, recovery: bool):
    if outcome is Outcome.ACCEPTED:
        _sign_in(pending)
        if recovery:
            left = len(pending.user.recovery_code_hashes or [])
            flash(
                f"You have {left} recovery code{'' if left == 1 else 's'} left. "
                "Ask your LA lead to reset two-factor sign-in to get new ones."
            )
        return redirect(pending.next_path or url_for("pages.home"))
    db.session.commit()  # keep the failed attempt, its count and its audit row
    if outcome is Outcome.LOCKED:
        return _stop("locked")
    form.code.errors.append(REUSED_CODE if outcome is Outcome.REUSED else wrong)
    return None


@bp.route("/sign-in/code", methods=["GET", "POST"])
@password_checked
def enter_code():
    pending, elsewhere = _pending_for(SecondFactor.CODE)
    if pending is None:
        return elsewhere
    form = CodeForm()
    if form.validate_on_submit():
        outcome = two_factor.check_code(pending.user, form.tidy, now=utcnow())
        done = _after_check(outcome, pending, form, WRONG_CODE, recovery=False)
        if done is not None:
            return done
    return render_template("auth/enter_code.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@password_checked
def enter_recovery_code():
    pending, elsewhere = _pending_for(SecondFactor.CODE)
    if pending is None:
        return elsewhere
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        outcome = two_factor.check_recovery_code(pending.user, form.tidy, now=utcnow())
        done = _after_check(outcome, pending, form, WRONG_RECOVERY_CODE, recovery=True)
        if done is not None:
            return done
    return render_template("auth/enter_recovery_code.html", form=form)


def _who_sets_up() -> tuple[User | None, Pending | None, Any]:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if operations.second_factor_stage(user) is not SecondFactor.SET_UP:
            return None, None, redirect(url_for("pages.home"))
        return user, None, None
    pending, elsewhere = _pending_for(SecondFactor.SET_UP)
    if pending is None:
        return None, None, elsewhere
    return pending.user, pending, None


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@password_checked
def set_up_two_factor():
    user, pending, elsewhere = _who_sets_up()
    if user is None:
        return elsewhere
    secret = two_factor.secret_being_set_up()
    form = SetUpForm()
    if form.validate_on_submit():
        now = utcnow()
        codes = two_factor.confirm_set_up(user, secret, form.tidy, now=now)
        if codes is not None:
            if pending is not None:
                operations.complete_sign_in(user, now=now)
                _sign_in(pending)
            else:
                db.session.commit()
            # Shown once, in answer to this post: they are never stored where they can be read.
            return render_template(
                "auth/recovery_codes.html",
                codes=[rules.show_recovery_code(code) for code in codes],
                next_path=(pending.next_path if pending else None) or url_for("pages.home"),
            )
        db.session.commit()  # the failed confirmation's audit row
        form.code.errors.append(WRONG_CODE)
    uri = two_factor.provisioning_uri(secret, user)
    return render_template(
        "auth/set_up_two_factor.html",
        form=form,
        qr_code=two_factor.qr_code_data_uri(uri),
        secret=rules.show_secret(secret),
        user=user,
    )
