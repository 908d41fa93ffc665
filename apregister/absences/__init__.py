"""Same-day absence follow-up (DESIGN.md): an absence the provider cannot explain, or a session
not recorded by the LA's cut-off, is put to the home school the same day; the school records
its contact and whether the pupil was seen safe and well, or escalates; unresolved cases reach
the LA."""
