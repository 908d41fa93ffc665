"""WSGI entry point: `gunicorn wsgi:app`."""

from apregister import create_app

app = create_app()
