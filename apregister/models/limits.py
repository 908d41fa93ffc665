"""The counters behind the abuse limits on public forms, kept in the database so that every app
server shares them (apregister/limits.py; Redis instead when RATELIMIT_STORAGE_URI names it)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from apregister.extensions import db


class RateLimitCounter(db.Model):
    """One fixed window's count for one key (a client address and a form). No personal data:
    the key holds an address, and a row lives only until its window ends."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
