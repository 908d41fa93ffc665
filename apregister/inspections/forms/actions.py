"""Working on an action: the provider marks it done, the LA closes or reopens it."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from apregister.forms import FlaskForm
from apregister.inspections.forms.fields import _optional_text, _required_text


class MarkActionDoneForm(FlaskForm):
    note = _required_text(
        "What you did",
        "Enter what you did to complete the action",
        hint="The LA reads this when it checks the action",
        what="What you did",
    )
    submit = SubmitField("Mark as done", widget=GovSubmitInput())


class CloseActionForm(FlaskForm):
    note = _optional_text("Note (optional)", max_length=2000, what="The note")
    submit = SubmitField("Close the action", widget=GovSubmitInput())


class ReopenActionForm(FlaskForm):
    note = _required_text(
        "Why the action is reopened",
        "Enter why the action is reopened",
        hint="The provider sees this on the report",
        what="The reason",
    )
    submit = SubmitField("Reopen the action", widget=GovSubmitInput())
