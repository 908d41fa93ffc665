"""Keep children's data out of the log. `hide_parameters` keeps a failed statement's values out
of SQLAlchemy's errors, but PostgreSQL's own message may quote the row it refused (`DETAIL:
Key (upn)=(...) already exists`, `Failing row contains (...)`): this filter removes those
lines from every record the app logs, traceback included."""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask

# the parts of a database error that repeat the values of a row
ROW_VALUES = re.compile(
    r"(DETAIL:\s*|Key \(|Failing row contains \(|\[parameters: ).*$", re.MULTILINE
)
REDACTED = "[row values removed]"


def redact(text: str) -> str:
    return ROW_VALUES.sub(lambda match: match.group(1).strip() + " " + REDACTED, text)


class RowValuesFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact(text)
            record.exc_info = None  # the handler prints exc_text, already redacted
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def init_app(app: Flask) -> None:
    app.logger.addFilter(RowValuesFilter())
