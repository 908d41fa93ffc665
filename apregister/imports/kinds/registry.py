"""Every kind of import, by its name, in the order a new register is filled: providers and
schools first, then the pupils who belong to the schools, then their placements."""

from __future__ import annotations

from apregister.imports.kinds import placements, providers, pupils, schools
from apregister.imports.kinds.base import ImportKind

KINDS: dict[str, ImportKind] = {
    kind.name: kind for kind in (providers.KIND, schools.KIND, pupils.KIND, placements.KIND)
}
