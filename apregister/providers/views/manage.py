"""The LA's work on the register: add and edit providers, framework decisions, applications,
and inviting a provider's first user. A provider may also withdraw here."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func

from apregister.access import get_visible_or_404, managed_providers, role_required, visible
from apregister.extensions import db
from apregister.models import (
    ComplianceDocument,
    FrameworkDecision,
    FrameworkStatus,
    Placement,
    Provider,
    Role,
)
from apregister.models.base import utcnow
from apregister.placements.queries import current_clause
from apregister.providers import invitations, operations, rules
from apregister.providers.forms import FrameworkDecisionForm, InviteForm, ProviderForm
from apregister.providers.views import bp
from apregister.providers.views.common import commit_or_clash, details_from, found_clashes
from apregister.users.queries import EMAIL_TAKEN, email_taken

LA = (Role.LA_LEAD, Role.LA_OFFICER)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*LA)
def add_provider():
    form = ProviderForm()
    if form.validate_on_submit() and not found_clashes(form):
        provider = operations.add_provider(
            details_from(form),
            status=FrameworkStatus.APPLIED,
            reason="Added to the register by the LA",
            today=date.today(),
            by=current_user,
        )
        if commit_or_clash(form):
            flash(f"{provider.name} added to the register")
            return redirect(url_for(".show_provider", provider_id=provider.id))
    return render_template("providers/add_provider.html", form=form)


@bp.route("/<int:provider_id>/edit", methods=["GET", "POST"])
@role_required(*LA)
def edit_provider(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id)
    form = ProviderForm(obj=provider)
    if form.validate_on_submit() and not found_clashes(form, except_id=provider.id):
        operations.update_provider(provider, details_from(form))
        if commit_or_clash(form):
            flash("Changes saved")
            return redirect(url_for(".show_provider", provider_id=provider.id))
    return render_template("providers/edit_provider.html", form=form, provider=provider)


@bp.route("/<int:provider_id>/framework-status", methods=["GET", "POST"])
@role_required(Role.LA_LEAD, Role.LA_OFFICER, Role.PROVIDER)
def change_framework_status(provider_id: int):
    provider = get_visible_or_404(Provider, provider_id, scope=managed_providers)
    today = date.today()
    decisions = rules.decisions_open_to(current_user.role, provider.framework_status)
    form = FrameworkDecisionForm(decisions=decisions)
    if request.method == "GET":
        # An inspection's safeguarding prompt links here with the decision and reason filled in.
        if request.args.get("decision") in {decision.value for decision in decisions}:
            form.decision.data = request.args["decision"]
        form.reason.data = request.args.get("reason", "")[:2000]
    if form.validate_on_submit():
        try:
            operations.decide(
                provider,
                FrameworkDecision(form.decision.data),
                reason=form.reason.data,
                override=form.override.data,
                role=current_user.role,
                today=today,
                by=current_user,
            )
        except operations.DecisionRefused as refused:
            form.decision.errors.append(str(refused))
        else:
            db.session.commit()
            flash(f"{provider.name} is now {provider.framework_status.label.lower()}")
            return redirect(url_for(".show_provider", provider_id=provider.id))
    checklist = operations.checklist_for(provider, today) if current_user.is_la else None
    affected = []
    if current_user.is_la and {FrameworkDecision.SUSPEND, FrameworkDecision.REMOVE} & set(
        decisions
    ):
        affected = db.session.scalars(
            visible(Placement)
            .where(Placement.provider_id == provider.id, current_clause(today))
            .order_by(Placement.start_date)
        ).all()
    return render_template(
        "providers/change_framework_status.html",
        form=form,
        provider=provider,
        decisions=decisions,
        checklist=checklist,
        checklist_complete=checklist is not None and rules.checklist_complete(checklist),
        affected=affected,
    )


@bp.route("/applications")
@role_required(*LA)
def list_applications():
    providers = db.session.scalars(
        visible(Provider)
        .where(Provider.framework_status == FrameworkStatus.APPLIED)
        .order_by(Provider.created_at)
    ).all()
    today = date.today()
    documents = dict(
        db.session.execute(
            visible(ComplianceDocument)
            .with_only_columns(ComplianceDocument.provider_id, func.count())
            .where(ComplianceDocument.provider_id.in_([p.id for p in providers]))
            .group_by(ComplianceDocument.provider_id)
        ).all()
    )
    return render_template(
        "providers/list_applications.html",
        providers=[
            (provider, rules.checklist_complete(operations.checklist_for(provider, today)))
            for provider in providers
        ],
        documents=documents,
    )


@bp.route("/<int:provider_id>/invite", methods=["GET", "POST"])
@role_required(*LA)
def invite_provider_user(provider_id: int):
    """The name and email come from the application; the link goes to the person by message."""
    provider = get_visible_or_404(Provider, provider_id)
    form = InviteForm()
    if request.method == "GET":
        form.name.data = provider.contact_name
        form.email.data = provider.contact_email
    if form.validate_on_submit():
        again = invitations.pending_invitee(provider, form.email.data)
        if provider.framework_status is not FrameworkStatus.APPROVED:
            form.email.errors.append("Approve the provider before inviting its users")
        elif again is not None:
            invitations.invite_again(again, provider, by=current_user, now=utcnow())
        elif email_taken(form.email.data):
            form.email.errors.append(EMAIL_TAKEN)
        else:
            invitations.invite_user(
                provider,
                name=form.name.data,
                email=form.email.data,
                by=current_user,
                now=utcnow(),
            )
        if not form.email.errors:
            db.session.commit()
            flash(
                f"Invitation sent to {again.name if again else form.name.data}. "
                f"The link works once, for {invitations.INVITATION_LIFETIME.days} days"
            )
            return redirect(url_for(".show_provider", provider_id=provider.id))
    return render_template("providers/invite_provider_user.html", form=form, provider=provider)
