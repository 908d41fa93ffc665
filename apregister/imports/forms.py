"""The import pages' forms."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.validators import InputRequired

from apregister.forms import FlaskForm, OneOf, choices
from apregister.imports.files import MAX_FILE_BYTES
from apregister.imports.kinds.registry import KINDS


class StartImportForm(FlaskForm):
    kind = RadioField(
        "What does the file hold?",
        choices=choices((name, kind.label) for name, kind in KINDS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Select what the file holds"),
            OneOf("Select what the file holds"),
        ],
    )
    upload = FileField(
        "Upload the file",
        widget=GovFileInput(),
        description=(
            f"A CSV or an Excel workbook (.xlsx), smaller than {MAX_FILE_BYTES // 2**20}MB, "
            "with the column headings in row 1"
        ),
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    only_valid = BooleanField(
        "Import only the rows without errors, and leave out the others",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Import", widget=GovSubmitInput())


class CancelImportForm(FlaskForm):
    submit = SubmitField("Cancel this import", widget=GovSubmitInput())
