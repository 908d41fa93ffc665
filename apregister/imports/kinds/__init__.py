"""What can be imported: one module per kind of record, each an `ImportKind` (base.py)."""
