from datetime import date

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from apregister.access import get_visible_or_404, signed_in
from apregister.extensions import db
from apregister.models import LA_ROLES, Provider, Role
from apregister.pages import home as facts

bp = Blueprint("pages", __name__)


@bp.route("/")
@signed_in
def home():
    """Each role lands on its own first page (DESIGN.md, 'What each user sees first')."""
    today = date.today()
    warn_days = current_app.config["DOCUMENT_EXPIRY_WARNING_DAYS"]
    if current_user.role in LA_ROLES:
        return render_template(
            "pages/home_la.html", today=today, **facts.la_work_queue(current_user, today, warn_days)
        )
    if current_user.role is Role.SCHOOL:
        return render_template(
            "pages/home_school.html",
            school=current_user.organisation,
            today=today,
            **facts.school_home(current_user, today),
        )
    if current_user.role is Role.PROVIDER:
        # read whole, through access: the user's organisation is in the session already, as
        # an Organisation without the provider's own columns, which the page would then fetch
        provider = get_visible_or_404(Provider, current_user.organisation_id)
        return render_template(
            "pages/home_provider.html",
            today=today,
            **facts.provider_home(current_user, provider, today, warn_days),
        )
    return render_template("pages/home_board.html", **facts.board_home(current_user, today))


@bp.route("/accessibility-statement")
def accessibility_statement():
    return render_template("pages/accessibility_statement.html")


@bp.route("/privacy-notice")
def privacy_notice():
    return render_template("pages/privacy_notice.html")


@bp.route("/cookies")
def cookies():
    return render_template("pages/cookies.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except (SQLAlchemyError, OSError):
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
