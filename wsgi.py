"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from referral_app import create_app

app = create_app()
