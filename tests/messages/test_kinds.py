"""The kinds of message: the README's table for Notify templates is the code's, and a kind's
template always gets the same fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apregister import mail
from apregister.messages.kinds import KINDS

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(\w+)` \| (.+?) \| (.+?) \| (yes|no) \| (.*) \|$")


def test_the_readme_documents_every_kind_and_its_fields():
    documented = {}
    for line in README.read_text().splitlines():
        if match := ROW.match(line):
            fields = tuple(re.findall(r"`(\w+)`", match.group(5)))
            documented[match.group(1)] = (match.group(2), match.group(4), fields)
    assert set(documented) == set(KINDS)
    for key, kind in KINDS.items():
        label, switchable, fields = documented[key]
        assert label == kind.label, key
        assert fields == kind.fields, key
        assert switchable == ("yes" if kind.roles and not kind.safeguarding else "no"), key


def test_a_message_without_its_kinds_fields_is_refused(db):
    with pytest.raises(ValueError, match="review_due takes the fields"):
        mail.queue_message(
            "k:1", "a@example.test", "S", "B", kind="review_due", personalisation={"link": ""}
        )
    assert mail.queue_message(
        "k:2",
        "a@example.test",
        "S",
        "B",
        kind="review_due",
        personalisation={"link": "", "count": "2"},
    )
