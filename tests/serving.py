"""The app served on a real port of 127.0.0.1, for tests that need real concurrent requests
(races) or a real browser. The test starts it and stops it itself."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

from flask import Flask
from werkzeug.serving import make_server

# the CSRF token in a page's form, for a client that is not the Flask test client
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@contextlib.contextmanager
def serve(app: Flask, name: str = "live-server") -> Iterator[str]:
    """The app on a free port, a thread per request; yields its URL and stops it after."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
