"""Pure rules about accounts."""

from apregister.models.enums import ROLE_ORGANISATION_KIND, OrganisationKind, Role


def role_fits_organisation(role: Role, kind: OrganisationKind) -> bool:
    """LA staff and board members belong to the LA; school and provider staff to their own."""
    return ROLE_ORGANISATION_KIND[role] is kind
