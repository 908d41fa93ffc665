"""The form a school (or the LA) fills in to add a setting that is not on the register yet, so
that a placement there can be recorded. Its fields are the register's own, checked the same way
(providers/forms/profile.py); a setting needs its address and a contact."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from apregister.forms import FlaskForm
from apregister.providers.forms import ContactFields, IdentityFields, OfferFields

# Optional in the register's own forms; a setting added here needs them, with these messages.
NEEDED = {
    "address_line_1": "Enter the first line of the setting's address",
    "town": "Enter the town or city",
    "postcode": "Enter the setting's postcode",
    "contact_name": "Enter the name of a contact at the setting",
}


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

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, message in NEEDED.items():
            field = self[name]
            if not field.data and not field.errors:
                field.errors.append(message)
                valid = False
        phone, email = self.contact_phone, self.contact_email
        if not (phone.data or email.data or phone.errors or email.errors):
            phone.errors.append("Enter a telephone number or an email address for the contact")
            valid = False
        return valid
