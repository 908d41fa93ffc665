from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from apregister.audit_log.labels import kind_label
from apregister.forms import DateInputField, FlaskForm, choices


def _by_label(choice: tuple[str, str]) -> str:
    return choice[1]


class AuditFilterForm(FlaskForm):
    """Filters read from the query string; a GET changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    # a text box, not a list of every user: a large LA has thousands of users
    user = StringField(
        "User",
        description="Part of their name or email address",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="User must be 200 characters or fewer")],
    )
    table_name = SelectField("Record type", widget=GovSelect(), validate_choice=False)
    record_id = StringField(
        "Record number",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^\d{1,12}$", message="Record number must be a number, like 42"),
        ],
    )
    date_from = DateInputField("From", what="the from date", validators=[Optional()])
    date_to = DateInputField("To", what="the to date", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def __init__(self, *args, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.table_name.choices = choices(
            [("", "Any record")] + sorted(((t, kind_label(t)) for t in tables), key=_by_label)
        )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The to date must be the same as or after the from date")
