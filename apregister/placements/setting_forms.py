"""The form a school (or the LA) fills in to add a setting that is not on the register yet, so
that a placement there can be recorded. Its fields are the register's own, checked the same way
(providers/forms.py); a setting needs its address and a contact."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import ValidationError

from apregister.providers.forms import ContactFields, IdentityFields, OfferFields


def _needed(message: str):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)

    return check


class UnlistedSettingForm(FlaskForm):
    name = IdentityFields.name
    registration_type = IdentityFields.registration_type
    urn = IdentityFields.urn
    ukprn = IdentityFields.ukprn
    address_line_1 = OfferFields.address_line_1
    address_line_2 = OfferFields.address_line_2
    town = OfferFields.town
    postcode = OfferFields.postcode
    contact_name = ContactFields.contact_name
    contact_email = ContactFields.contact_email
    contact_phone = ContactFields.contact_phone
    submit = SubmitField("Add the setting", widget=GovSubmitInput())

    validate_address_line_1 = _needed("Enter the first line of the setting's address")
    validate_town = _needed("Enter the town or city")
    validate_postcode = _needed("Enter the setting's postcode")
    validate_contact_name = _needed("Enter the name of a contact at the setting")

    def validate_contact_phone(self, field):
        if not field.data and not self.contact_email.data and not self.contact_email.errors:
            raise ValidationError("Enter a telephone number or an email address for the contact")
