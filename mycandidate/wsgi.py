"""WSGI entry point for gunicorn: `gunicorn mycandidate.wsgi:app`."""

from mycandidate import create_app

app = create_app()
