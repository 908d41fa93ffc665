"""Running one kind of import in a test without a file: cells in, checked rows out, and the
valid ones written, as the engine does."""

from __future__ import annotations

from datetime import date

from apregister.imports.kinds.base import Action, ImportKind
from apregister.settings import current_settings


class KindRun:
    def __init__(self, kind: ImportKind, today: date):
        self.kind, self.today = kind, today
        self.keys = [column.key for column in kind.columns]

    def checked(self, *rows: dict[str, str]):
        """The context and each row's result; the rows are lines 2, 3, ... of a file."""
        context = self.kind.prepare(today=self.today, settings=current_settings())
        results = [
            self.kind.check(context, line, dict.fromkeys(self.keys, "") | row)
            for line, row in enumerate(rows, start=2)
        ]
        return context, results

    def imported(self, db, *rows: dict[str, str]):
        """Check the rows, write the ones to add or update, commit; each row's result."""
        context, results = self.checked(*rows)
        writes = [row for row in results if row.action in (Action.CREATE, Action.UPDATE)]
        self.kind.write(context, writes, by=None)
        db.session.commit()
        return results
