"""Friendly, translated error pages (and JSON for the API and health check)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from referral_app import db

# (page title, what happened, what to do) for each status we explain.
MESSAGES = {
    400: (
        _l("There was a problem with your request"),
        _l("Something in what was sent could not be understood."),
        _l("Go back, check what you entered and try again."),
    ),
    403: (
        _l("You cannot see this page"),
        _l("Your account does not have permission to see this page."),
        _l("If you think you should be able to see it, contact your administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("If you typed the web address, check it is correct. If you pasted it, check you copied all of it."),
        _l("You can search for services from the home page."),
    ),
    405: (
        _l("This page cannot be used that way"),
        _l("The page was asked to do something it does not do."),
        _l("Go back and use the buttons and links on the page."),
    ),
    413: (
        _l("What you sent is too large"),
        _l("The file or form you sent is larger than this service accepts."),
        _l("Go back and send a smaller file."),
    ),
    429: (
        _l("Too many attempts"),
        _l("There have been too many attempts in a short time."),
        _l("Wait a few minutes, then try again."),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Something went wrong on our side. What you entered has not been saved."),
        _l("Try again later. If it keeps happening, contact us for help."),
    ),
}
# A limit that trips on a form (self-referral, problem report, sign-in): say that nothing was sent and how to get
# back to what was typed, which the browser keeps when the person goes back.
FORM_TOO_MANY = (
    MESSAGES[429][0],
    _l("There have been too many attempts from your connection in a short time. What you entered has not been sent."),
    _l(
        "Use your browser’s back button to return to the form: what you typed is still there. "
        "Wait a few minutes, then send it again."
    ),
)
CSRF_MESSAGE = (
    _l("Your page expired"),
    _l("For your security, forms expire. What you entered was not sent."),
    _l("Go back, reload the page and send the form again."),
)


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz"))


def render_error(code: int, texts: tuple) -> tuple:
    title, detail, action = texts
    if wants_json():
        return jsonify(error={"status": code, "title": str(title)}), code
    return render_template("errors/error.html", code=code, title=title, detail=detail, action=action), code


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    if code not in MESSAGES:
        return error
    texts = FORM_TOO_MANY if code == 429 and request.method == "POST" else MESSAGES[code]
    body, status = render_error(code, texts)
    valid_methods = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(valid_methods)} if code == 405 and valid_methods else {}
    return body, status, headers


def handle_csrf_error(_error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    # Logged with its traceback for us; the person sees a plain page without details.
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.rollback_session()  # a failed flush leaves the session unusable, and the page reads the signed-in user
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected_error)
