from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from apregister.forms import DateInputField


class _DateForm(Form):
    when = DateInputField("When", what="the date")


@pytest.mark.parametrize(
    ("parts", "expected", "error"),
    [
        (["3", "3", "2025"], date(2025, 3, 3), None),
        (["", "", ""], None, None),
        (["31", "2", "2025"], None, "The date must be a real date"),
        (["1", "", ""], None, "The date must include a month and year"),
        (["x", "1", "2025"], None, "The date must be a real date, like 27 3 2025"),
        (["1"], None, "The date must include a month and year"),
        ([], None, None),
    ],
)
def test_date_input_reads_three_boxes_and_never_crashes(app, parts, expected, error):
    with app.test_request_context():
        form = _DateForm(MultiDict([("when", part) for part in parts]))
        form.validate()
        assert form.when.data == expected
        assert (form.when.errors[0] if form.when.errors else None) == error
        assert 'name="when"' in str(form.when())  # renders even when boxes were left out
