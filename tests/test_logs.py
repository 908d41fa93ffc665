"""Nothing about a child reaches the log (issue 12): ids too large for the database are no
page, not an error; and PostgreSQL's own error text, which may quote a refused row, is cut
from every record the app logs."""

from __future__ import annotations

import logging

import pytest

from apregister.logs import RowValuesFilter, redact
from apregister.models import Role

PG_UNIQUE = (
    'duplicate key value violates unique constraint "uq_pupils_upn"\n'
    "DETAIL:  Key (upn)=(A123456789012) already exists.\n"
    "[SQL: INSERT INTO pupils ...]"
)


def test_a_refused_rows_values_are_cut_from_the_text():
    text = redact(PG_UNIQUE + '\nFailing row contains (7, Sasha, Export, 2012-03-04).')
    assert "A123456789012" not in text and "Sasha" not in text and "2012-03-04" not in text
    assert "duplicate key value violates unique constraint" in text  # what went wrong stays


def test_the_apps_logger_cuts_them_from_tracebacks(app, caplog):
    assert any(isinstance(f, RowValuesFilter) for f in app.logger.filters)
    try:
        raise RuntimeError(PG_UNIQUE)
    except RuntimeError:
        with caplog.at_level(logging.ERROR, logger=app.logger.name):
            app.logger.exception("Exception on /pupils/1/edit [POST]")
    handler_text = "\n".join(
        logging.Formatter().format(record) for record in caplog.records
    )
    assert "A123456789012" not in handler_text
    assert "Exception on /pupils/1/edit" in handler_text


@pytest.mark.parametrize(
    "path",
    [
        "/pupils/99999999999999999999",
        "/placements/2147483648",
        "/providers/99999999999999999999",
        "/inspections/99999999999999999999",
    ],
)
def test_an_id_past_the_databases_integers_is_no_page(client, db, login_as, path):
    login_as(Role.LA_LEAD)
    assert client.get(path).status_code == 404
