"""The public application form with the documents an applicant may send with it."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms.validators import ValidationError

from apregister.forms import DateInputField
from apregister.models import DocumentKind
from apregister.providers.applying import APPLICATION_DOCUMENTS, ApplicationDocument
from apregister.providers.forms import ApplicationForm
from apregister.uploads import CheckedFile, check_upload

FILE_HINT = "PDF, DOCX, PNG or JPEG, smaller than 10MB"


def _file(kind: DocumentKind) -> FileField:
    return FileField(f"{kind.label} (optional)", widget=GovFileInput(), description=FILE_HINT)


def file_field_name(kind: DocumentKind) -> str:
    return f"{kind.value}_file"


class ApplyForm(ApplicationForm):
    """The application, and optionally the documents the admission checklist asks for (the
    LA asks later for what is missing). Any bad file and nothing is saved."""

    insurance_file = _file(DocumentKind.INSURANCE)
    insurance_expires_on = DateInputField(
        "Date the insurance expires", what="the date the insurance expires"
    )
    safeguarding_policy_file = _file(DocumentKind.SAFEGUARDING_POLICY)
    dbs_confirmation_file = _file(DocumentKind.DBS_CONFIRMATION)
    risk_assessment_file = _file(DocumentKind.RISK_ASSESSMENT)
    data_protection_file = _file(DocumentKind.DATA_PROTECTION)
    complaints_policy_file = _file(DocumentKind.COMPLAINTS_POLICY)

    def document_fields(self):
        return [self[file_field_name(kind)] for kind in APPLICATION_DOCUMENTS]

    def validate_insurance_expires_on(self, field):
        if field.data and not self.insurance_file.data:
            raise ValidationError(
                "Select the insurance certificate to go with this expiry date, or clear the date"
            )
        if not field.data and self.insurance_file.data:
            raise ValidationError("Enter the date the insurance expires")

    def validate(self, extra_validators=None) -> bool:
        """The fields, then every file by its content (uploads.py's rules), so that one bad
        file is reported with the rest and nothing is written."""
        valid = super().validate(extra_validators)
        self.documents: list[ApplicationDocument] = []
        for kind in APPLICATION_DOCUMENTS:
            field = self[file_field_name(kind)]
            if not field.data:
                continue
            checked = check_upload(field.data.read(), stem=kind.value.replace("_", "-"))
            if isinstance(checked, CheckedFile):
                expires = self.insurance_expires_on.data if kind is DocumentKind.INSURANCE else None
                self.documents.append(ApplicationDocument(kind, checked, expires))
            else:
                field.errors = [*field.errors, checked]
                valid = False
        return valid
