"""A pupil in AP, and the name keys pupil search compares."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from apregister.extensions import db
from apregister.models.base import StrEnumType, TimestampMixin
from apregister.models.enums import SenStatus, Sex
from apregister.models.organisation import Organisation


def name_search_key(name: str) -> str:
    """A name (or a word searched for) as pupil search compares it: lower case, the
    typographic apostrophe plain, single spaces."""
    return " ".join(name.replace("’", "'").lower().split())


# Compared by code point on both databases ("C"), so that every name starting with a word is
# one range of the index: "ruby" <= key < "rubz". (In a language's collation punctuation and
# accents are weighed apart, and a prefix is not always one range.)
NAME_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")


class Pupil(TimestampMixin, db.Model):
    """A child in AP: only the fields DESIGN.md lists. Owned by a school, or by the LA."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    upn: Mapped[str | None] = mapped_column(String(13), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # the names as search compares them (name_search_key), kept by _keep_name_keys: a search
    # for a name's start is then a range of an index, not a read of every pupil
    first_name_key: Mapped[str] = mapped_column(NAME_KEY, index=True)
    last_name_key: Mapped[str] = mapped_column(NAME_KEY, index=True)
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(StrEnumType(Sex, 1))
    sen_status: Mapped[SenStatus] = mapped_column(StrEnumType(SenStatus, 20))
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    disadvantaged: Mapped[bool] = mapped_column(Boolean, default=False)
    # set when the pupil's name, UPN and notes were removed after the retention period
    removed_on: Mapped[date | None] = mapped_column(Date)
    # Bumped inside a transaction that adds a placement, so two such transactions queue.
    placement_lock: Mapped[int] = mapped_column(Integer, default=0)

    owner: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    # The pupil list is read in name order, a page at a time.
    __table_args__ = (
        Index("ix_pupils_name", "last_name", "first_name", "id"),
        # the data-quality report's pupils without a UPN, in its order (a few hundred)
        Index(
            "ix_pupils_no_upn",
            "last_name",
            "id",
            sqlite_where=text("upn IS NULL"),
            postgresql_where=text("upn IS NULL"),
        ),
    )

    # the name keys follow the names, whose changes are logged (redacted)
    __audit_ignore__ = frozenset({"placement_lock", "first_name_key", "last_name_key"})
    # The audit log notes that these changed, never what they were: children's data.
    __audit_redact__ = frozenset({"upn", "first_name", "last_name", "date_of_birth"})

    @validates("first_name", "last_name")
    def _keep_name_keys(self, key: str, value: str) -> str:
        setattr(self, f"{key}_key", None if value is None else name_search_key(value))
        return value

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"
