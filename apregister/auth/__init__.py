"""Signing in: Flask-Login wired to server-side sessions."""

from __future__ import annotations

from flask import Flask, g, redirect, request, session, url_for
from flask_login import current_user

from apregister.extensions import db, login_manager
from apregister.models.base import utcnow


def init_app(app: Flask) -> None:
    from apregister.access import PUBLIC_ENDPOINTS
    from apregister.auth import operations, rules, two_factor
    from apregister.auth.operations import SecondFactor
    from apregister.auth.views import SECOND_FACTOR_PAGES

    # What a signed-in user who must set up a second factor can still reach.
    SET_UP_ANSWERS = PUBLIC_ENDPOINTS | {"auth.set_up_two_factor", "auth.sign_out"}

    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session decides, not a hash of IP/UA

    @login_manager.user_loader
    def load_user(user_id: str):
        row = operations.current_session_row(utcnow())
        if row is None or str(row.user_id) != user_id:
            g.session_ended = True
            return None
        return row.user

    @login_manager.unauthorized_handler
    def unauthorized():
        # Part-way through signing in: finish that first.
        pending = two_factor.current_pending(utcnow())
        if pending is not None:
            return redirect(url_for(SECOND_FACTOR_PAGES[pending.stage]))
        target = request.full_path if request.method == "GET" else None
        if target and target.endswith("?"):
            target = target[:-1]
        # Only ask to come back to an address that sign-in will agree to go to.
        return redirect(url_for("auth.sign_in", next=rules.safe_next_path(target)))

    @app.before_request
    def load_session_first():
        # Load (and touch) the session before the view runs, and save that on its own.
        if request.endpoint == "static":
            return
        current_user._get_current_object()
        if g.pop("session_ended", False):
            session.clear()
            session["ended"] = True
        if db.session.dirty:
            db.session.commit()
        if (
            current_user.is_authenticated
            and request.endpoint not in SET_UP_ANSWERS
            and operations.second_factor_stage(current_user) is SecondFactor.SET_UP
        ):
            # Two-factor sign-in is now required of this user (the LA's setting, say): set it
            # up before anything else.
            return redirect(url_for("auth.set_up_two_factor"))
        return None
