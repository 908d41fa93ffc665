from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField

from apregister.forms import DateInputField, DateRequired, FlaskForm, OneOf, choices


class CensusForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing

    census_date = DateInputField(
        "Census date", what="the census date", validators=[DateRequired("Enter the census date")]
    )
    format = RadioField(
        "Format",
        choices=choices([("csv", "CSV"), ("xlsx", "XLSX (Excel)")]),
        default="csv",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[OneOf("Select CSV or XLSX")],
    )
    submit = SubmitField("Download the census export", widget=GovSubmitInput())
