"""One structured line per request, for the council's operations team.

Each request gets an id (`g.request_id`, the `X-Request-Id` response header, and the reference
the 500 page shows). When the response has been sent, one JSON line goes to the
`apregister.requests` logger:

    {"time": "2026-12-05T09:14:03.512Z", "request_id": "9f1c2a7be04d5631", "user_id": 12,
     "organisation_id": 3, "route": "placements.show_placement", "method": "GET",
     "status": 200, "duration_ms": 41.7, "queries": 6}

The line holds only those fields: never a name, an email address, a UPN, a date of birth, a
URL or a query string (the route is the view's endpoint name). Every record the app's own logger
writes during a request (a 500's traceback among them) ends with the same request id.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request
from flask_login import user_logged_out
from sqlalchemy import event, inspect

LOGGER_NAME = "apregister.requests"
logger = logging.getLogger(LOGGER_NAME)

HEADER = "X-Request-Id"
# an id a proxy in front of the app sent is kept only if it is plainly an id: nothing that could
# break the line or smuggle text into the log
INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
# any other method a client makes up is logged as "OTHER": the line holds no text a client chose
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def new_request_id() -> str:
    return secrets.token_hex(8)


def request_id() -> str:
    """This request's id, made now if the request got this far without one."""
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else new_request_id()
    return g.request_id


class _Request:
    """What the line needs, gathered as the request runs."""

    __slots__ = ("started", "time", "queries", "organisations", "signed_out", "written")

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.time = datetime.now(UTC)
        self.queries = 0
        # organisation of each user row loaded, so the line never loads one itself
        self.organisations: dict[int, int | None] = {}
        self.signed_out: tuple[int | None, int | None] | None = None
        self.written = False


# The request being served in this thread (gunicorn's sync workers serve one at a time). A
# context variable, not `g`: the statement counter runs on every statement and a streamed
# download's statements run after the view has returned.
_current: ContextVar[_Request | None] = ContextVar("apregister_request", default=None)


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    current = _current.get()
    if current is not None:
        current.queries += 1


def _note_user(target, *args) -> None:
    """A user row was loaded or refreshed: keep its organisation, read from what was loaded."""
    current = _current.get()
    if current is not None:
        values = target.__dict__
        if "id" in values:
            current.organisations[values["id"]] = values.get("organisation_id")


def _ids(user, current: _Request) -> tuple[int | None, int | None]:
    """The user's id and organisation id, without a statement (an expired user is not refreshed)."""
    state = inspect(user)
    user_id = state.identity[0] if state.identity else user.__dict__.get("id")
    if "organisation_id" in user.__dict__:
        return user_id, user.__dict__["organisation_id"]
    return user_id, current.organisations.get(user_id)


def _signed_in(current: _Request) -> tuple[int | None, int | None]:
    from apregister.models import User

    user = g.get("_login_user")  # Flask-Login's, set once the user has been looked up
    if isinstance(user, User):
        return _ids(user, current)
    if current.signed_out is not None:  # the request that signs out is the user's own
        return current.signed_out
    return None, None


def _write(current: _Request, fields: dict) -> None:
    if current.written:
        return
    current.written = True
    fields["duration_ms"] = round((time.perf_counter() - current.started) * 1000, 1)
    fields["queries"] = current.queries
    if _current.get() is current:
        _current.set(None)
    logger.info(json.dumps(fields))


def _fields(current: _Request, status: int) -> dict:
    user_id, organisation_id = _signed_in(current)
    return {
        "time": current.time.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "request_id": request_id(),
        "user_id": user_id,
        "organisation_id": organisation_id,
        "route": request.endpoint,  # the view's name: never the path or its query string
        "method": request.method if request.method in METHODS else "OTHER",
        "status": status,
        "duration_ms": None,
        "queries": None,
    }


def start_request() -> None:
    _current.set(_Request())
    request_id()


def finish_request(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    current = _current.get()
    if current is not None:
        fields = _fields(current, response.status_code)
        g.request_logged = True
        if response.direct_passthrough:
            # a file the server sends itself (static files, send_file): its response is never
            # closed through the app, so the line is written now
            _write(current, fields)
        else:
            # written once the body has gone (a streamed download's too), so the duration and
            # the statement count are the whole request's
            response.call_on_close(lambda: _write(current, fields))
    return response


def request_ended(error: BaseException | None) -> None:
    """An exception that no handler answered (tests let them through): still one line."""
    current = _current.get()
    if current is not None and not g.get("request_logged"):
        _write(current, _fields(current, 500))


def _signing_out(sender, user, **extra) -> None:
    from apregister.models import User

    current = _current.get()
    if current is not None and isinstance(user, User):
        current.signed_out = _ids(user, current)


class RequestIdFilter(logging.Filter):
    """Ends each record the app logs while serving a request with that request's id, the
    reference the 500 page shows; `record.request_id` carries it for other formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = request_id()
            if isinstance(record.msg, str):
                record.msg = f"{record.msg} [request_id {record.request_id}]"
        return True


class _StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is when the line is written (as logging's last resort does)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def _configure_logger(app: Flask) -> None:
    if logger.level == logging.NOTSET:  # an operator's logging config may have set one
        logger.setLevel(logging.INFO)
    if app.testing:
        # the tests' log capture (caplog) gets the lines through the root logger; nothing is
        # printed
        return
    if not logger.handlers:  # unless an operator's logging config gave it handlers already
        handler = _StandardError()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        # the line alone, as JSON: not again through the app logger's "[time] INFO in ..." handler
        logger.propagate = False
    if app.logger.level == logging.NOTSET:
        # the app's and the worker's own INFO lines ("Worker started") are written too
        app.logger.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    from apregister.extensions import db
    from apregister.models import User

    _configure_logger(app)
    app.logger.addFilter(RequestIdFilter())
    # first of the app's hooks before the view, and last after it: the duration and the count
    # cover the sign-in check, the limits and the security headers too
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request_funcs.setdefault(None, []).insert(0, finish_request)
    app.teardown_request(request_ended)
    with app.app_context():
        for engine in db.engines.values():
            if not event.contains(engine, "before_cursor_execute", _count_statement):
                event.listen(engine, "before_cursor_execute", _count_statement)
    if not event.contains(User, "load", _note_user):
        event.listen(User, "load", _note_user)
        event.listen(User, "refresh", _note_user)
    user_logged_out.connect(_signing_out, app)
