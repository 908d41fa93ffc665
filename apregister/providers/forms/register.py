"""The register list's filters."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField

from apregister.forms import FlaskForm, blank_to_none, choices, strip
from apregister.models import FrameworkStatus, KeyStage, ProvisionType, RegistrationType, Specialism
from apregister.providers.queries import QA_FILTERS, RegisterFilters


class RegisterFilterForm(FlaskForm):
    """Search and filters on the register, from the query string."""

    class Meta:
        csrf = False

    q = StringField("Search by name", widget=GovTextInput(), filters=[strip, blank_to_none])
    registration = SelectField("Registration", widget=GovSelect(), validate_choice=False)
    status = SelectField("Framework status", widget=GovSelect(), validate_choice=False)
    qa = SelectField(
        "Quality assurance",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices([("", "Any"), *QA_FILTERS.items()]),
    )
    provision_type = SelectField("Type of provision", widget=GovSelect(), validate_choice=False)
    specialism = SelectField("Specialism", widget=GovSelect(), validate_choice=False)
    key_stage = SelectField("Key stage", widget=GovSelect(), validate_choice=False)
    area = SelectField("Area", widget=GovSelect(), validate_choice=False)
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        validate_choice=False,
        choices=choices(
            [("name", "Name"), ("status", "Framework status"), ("updated", "Recently changed")]
        ),
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def __init__(self, *args, areas=(), with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration.choices = choices(
            [("", "Any"), ("registered", "Registered settings"), ("unregistered", "Unregistered")]
            + [(member.value, member.label) for member in RegistrationType]
        )
        self.status.choices = choices(
            [("", "Any")] + [(member.value, member.label) for member in FrameworkStatus]
        )
        for field, enum in (
            (self.provision_type, ProvisionType),
            (self.specialism, Specialism),
            (self.key_stage, KeyStage),
        ):
            field.choices = choices([("", "Any")] + [(m.value, m.label) for m in enum])
        self.area.choices = choices([("", "Any")] + [(area, area) for area in areas])
        if not with_status:  # the framework status and QA filters are for LA roles only
            del self.status
            del self.qa

    def filters(self) -> RegisterFilters:
        def pick(name: str, enum=None):
            field = getattr(self, name, None)
            value = field.data if field is not None else None
            if not value or field.process_errors:  # control characters: no filter at all
                return None
            if enum is not None:
                return enum(value) if value in {m.value for m in enum} else None
            return value

        return RegisterFilters(
            q=pick("q"),
            registration=pick("registration"),
            status=pick("status", FrameworkStatus),
            qa=pick("qa"),
            provision_type=pick("provision_type", ProvisionType),
            specialism=pick("specialism", Specialism),
            key_stage=pick("key_stage", KeyStage),
            area=pick("area"),
            sort=self.sort.data or "name",
        )
