"""Signing in: Flask-Login wired to server-side sessions."""

from __future__ import annotations

from flask import Flask, g, redirect, request, session, url_for
from flask_login import current_user

from apregister.extensions import db, login_manager
from apregister.models.base import utcnow


def init_app(app: Flask) -> None:
    from apregister.auth import operations, rules

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
