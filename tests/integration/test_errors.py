import pytest
from werkzeug.exceptions import abort

from tests.conftest import make_test_app


@pytest.fixture
def error_app(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection)
    app.testing = False  # let errors reach the handlers as in production
    from referral_app.access import public

    @public
    def fail():
        raise RuntimeError("database password is hunter2")

    @public
    def refuse(code):
        abort(code)

    app.add_url_rule("/test-fail", "fail", fail)
    app.add_url_rule("/test-abort/<int:code>", "refuse", refuse)
    return app


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (400, "There was a problem with your request"),
        (403, "You cannot see this page"),
        (404, "Page not found"),
        (413, "What you sent is too large"),
        (429, "Too many attempts"),
    ],
)
def test_error_pages_are_friendly(error_app, code, title):
    response = error_app.test_client().get(f"/test-abort/{code}")
    assert response.status_code == code
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in response.text
    assert "Help and contact" in response.text  # the footer is there


def test_unknown_page_is_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_wrong_method_is_405_with_allow_header(client):
    response = client.delete("/")
    assert response.status_code == 405
    assert "This page cannot be used that way" in response.text
    assert "GET" in response.headers["Allow"]


def test_too_large_request_is_413(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection, MAX_CONTENT_LENGTH=1024, WTF_CSRF_ENABLED=False)
    response = app.test_client().post("/sign-in", data={"email": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "What you sent is too large" in response.text


def test_unexpected_error_is_500_without_details(error_app, caplog):
    response = error_app.test_client().get("/test-fail")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" in caplog.text


@pytest.mark.parametrize(("code", "text"), [(404, "Heb ddod o hyd i’r dudalen"), (500, "Mae’n ddrwg gennym")])
def test_error_pages_are_translated(error_app, code, text):
    path = "/no-such-page" if code == 404 else "/test-fail"
    response = error_app.test_client().get(f"{path}?lang=cy")
    assert response.status_code == code
    assert text in response.text
    assert '<html lang="cy"' in response.text


def test_api_style_paths_get_json_errors(client):
    response = client.get("/api/openreferral/nothing-yet")
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "title": "Page not found"}}
