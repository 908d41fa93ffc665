from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import func, text
from sqlalchemy.exc import SQLAlchemyError

from apregister.access import countable, signed_in, visible
from apregister.extensions import db
from apregister.models import LA_ROLES, FrameworkStatus, Provider, Role

bp = Blueprint("pages", __name__)


def _providers_by_status() -> dict[FrameworkStatus, int]:
    counted = visible(Provider).with_only_columns(Provider.framework_status, func.count())
    rows = db.session.execute(counted.group_by(Provider.framework_status)).all()
    return dict(rows)


@bp.route("/")
@signed_in
def home():
    """Each role lands on its own first page (DESIGN.md, 'What each user sees first')."""
    organisation = current_user.organisation
    if current_user.role in LA_ROLES:
        return render_template("pages/home_la.html", by_status=_providers_by_status())
    if current_user.role is Role.SCHOOL:
        return render_template("pages/home_school.html", school=organisation)
    if current_user.role is Role.PROVIDER:
        provider = db.session.get(Provider, current_user.organisation_id)
        return render_template("pages/home_provider.html", provider=provider)
    approved = db.session.scalar(
        countable(Provider)
        .with_only_columns(func.count())
        .where(Provider.framework_status == FrameworkStatus.APPROVED)
    )
    return render_template("pages/home_board.html", approved=approved)


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
