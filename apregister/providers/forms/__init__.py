"""Provider forms. Each block of fields is written once and combined per form.

One module a sub-area: `fields` (the shared field builders and checks), `profile` (a
provider's details, for the LA, an application and the provider itself), `framework`
(framework decisions and compliance documents), `joining` (the invitation and the new
account's password) and `register` (the register list's filters).
"""

from __future__ import annotations

from apregister.providers.forms.fields import (  # noqa: F401 (re-exported)
    Check,
    Normalise,
    OneOfEach,
)
from apregister.providers.forms.framework import (  # noqa: F401 (re-exported)
    DocumentForm,
    FrameworkDecisionForm,
)
from apregister.providers.forms.joining import (  # noqa: F401 (re-exported)
    InviteForm,
    SetPasswordForm,
)
from apregister.providers.forms.profile import (  # noqa: F401 (re-exported)
    ApplicationForm,
    ContactFields,
    IdentityFields,
    OfferFields,
    ProfileForm,
    ProviderForm,
)
from apregister.providers.forms.register import (  # noqa: F401 (re-exported)
    RegisterFilterForm,
)
