"""Adding a setting that is not on the register, to record a placement there: DfE (Aug 2025)
says schools will have to tell their LA about placements in unregistered AP, so the register
takes the setting in (as not on the framework, for the LA to see) rather than refusing it."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from apregister.access import role_required
from apregister.forms import int_or_zero
from apregister.models import FrameworkStatus, Role
from apregister.placements.setting_forms import UnlistedSettingForm
from apregister.placements.views import bp
from apregister.providers import operations
from apregister.providers.views.common import commit_or_clash, details_from, found_clashes


@bp.route("/new/setting", methods=["GET", "POST"])
@role_required(Role.LA_LEAD, Role.LA_OFFICER, Role.SCHOOL)
def add_setting():
    form = UnlistedSettingForm()
    pupil_id = request.args.get("pupil_id", 0, type=int_or_zero)
    if form.validate_on_submit() and not found_clashes(form):
        provider = operations.add_provider(
            details_from(form),
            status=FrameworkStatus.NOT_ON_FRAMEWORK,
            reason=f"Added by {current_user.organisation.name} to record a placement there",
            today=date.today(),
            by=current_user,
        )
        if commit_or_clash(form):
            flash(
                f"{provider.name} is on the register now, as not on the framework. "
                "Finish adding the placement"
            )
            return redirect(
                url_for(
                    ".add_placement",
                    provider_id=provider.id,
                    **({"pupil_id": pupil_id} if pupil_id else {}),
                )
            )
    return render_template("placements/add_setting.html", form=form, pupil_id=pupil_id)
