from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional, Regexp, ValidationError

from apregister.forms import DateInputField, FlaskForm, choices, int_or_zero


class AuditFilterForm(FlaskForm):
    """Filters read from the query string; a GET changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    user_id = SelectField("User", coerce=int_or_zero, widget=GovSelect(), validate_choice=False)
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

    def __init__(self, *args, users=(), tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices(
            [(0, "Anyone")] + [(u.id, f"{u.name} ({u.email})") for u in users]
        )
        self.table_name.choices = choices(
            [("", "Any record")] + [(t, t.replace("_", " ")) for t in tables]
        )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The to date must be the same as or after the from date")
