"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each setting can be changed from the environment without editing this file.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# two a core, plus one: the app waits on PostgreSQL for part of most requests
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# a request that takes longer is a fault: every download streams (the XLSX of the whole
# register, 200,000 placements, sends its first bytes at once and ends in about 8 seconds)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# workers are recycled now and then, so a leak cannot grow for ever
max_requests = 2000
max_requests_jitter = 200
# the app is loaded once, before the workers are forked, so they share its memory
preload_app = True
# The app writes one JSON line per request to standard error (apregister/request_log.py: its
# route, status, duration, statement count, user and organisation ids), so gunicorn's own access
# log is off: it would repeat each request without those, and add the client's IP address.
# GUNICORN_ACCESS_LOG=- turns it back on; it names the path only, never the query string.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def when_ready(server) -> None:
    """After the app is loaded and before the workers are forked: the objects made at start-up
    (the app, its templates and metadata) are set aside from the garbage collector, so full
    collections in the workers walk only what requests make, and copy-on-write pages stay
    shared."""
    gc.collect()
    gc.freeze()
