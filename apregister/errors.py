"""GOV.UK-style error pages that say nothing about the inside of the service."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from apregister.access import write_refusals
from apregister.extensions import db
from apregister.request_log import request_id

PAGES = {
    400: "errors/bad_request.html",
    403: "errors/forbidden.html",
    404: "errors/not_found.html",
    405: "errors/not_found.html",
    413: "errors/bad_request.html",
    429: "errors/too_many_requests.html",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        return render_template("errors/bad_request.html", csrf=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (403, 404):
            write_refusals()
        template = PAGES.get(error.code or 500)
        if template is None:
            return error
        return render_template(template), error.code

    @app.errorhandler(500)
    def server_error(error: Exception):
        # Flask has logged the exception (traceback redacted by logs.RowValuesFilter), ending
        # with this request's id (request_log.RequestIdFilter): the page gives the user the same
        # id to quote
        db.session.rollback()
        return render_template("errors/server_error.html", reference=request_id()), 500
