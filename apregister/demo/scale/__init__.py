"""`flask seed-scale`: a large, realistic synthetic register for benchmarks.

The default size is ten years of the largest English LA: 1,000 schools, 500 providers and
200,000 placements, with pupils, reviews, extension requests, recent session-by-session
attendance, annual inspections (judgements and actions) and annual self-assessments.

Rows are written with Core bulk inserts in batches (on PostgreSQL with COPY, its bulk insert),
never as ORM objects. So the audit hook, an ORM flush hook, does not run: instead one audit
event per pupil and per placement is written here, as the hook would have written it, so the
audit page has a realistic length. Values are converted by the models' own column types, so
they are stored exactly as the app stores them. Everything is random but reproducible: the same
seed on the same day gives the same data.

One module per thing built, in the order `seed.build` runs them: `organisations` (the LA, its
QA officers, schools), `providers` (with `framework`: status history and documents), `pupils`,
`placements` (with `reviews` and `attendance`), `inspections` and `self_assessments`. They share
a `run.ScaleRun` (the spec, the random numbers, the dates and the rows made so far) and write
through `writer.BulkWriter`.
"""

from apregister.demo.scale.attendance import DEFAULT_ATTENDANCE_WEEKS
from apregister.demo.scale.run import ScaleSpec
from apregister.demo.scale.seed import (
    SeedRefused,
    check_schema,
    has_placements,
    row_counts,
    seed_scale,
)
from apregister.demo.scale.writer import ORDER

__all__ = [
    "DEFAULT_ATTENDANCE_WEEKS",
    "ORDER",
    "ScaleSpec",
    "SeedRefused",
    "check_schema",
    "has_placements",
    "row_counts",
    "seed_scale",
]
