import pytest

from tests.conftest import CSRF_INPUT, DEMO_EMAILS, DEMO_PASSWORD, csrf_token_from, sign_in


@pytest.mark.parametrize("role_key", DEMO_EMAILS)
def test_every_demo_account_can_sign_in_and_out(client, role_key):
    response = sign_in(client, DEMO_EMAILS[role_key])
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    account = client.get("/account")
    assert DEMO_EMAILS[role_key] in account.text
    response = client.post("/sign-out", data={"csrf_token": csrf_token_from(account.text)})
    assert response.status_code == 303
    assert client.get("/account").status_code == 302


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client):
    response = sign_in(client, "linkworker@example.org", password="not-the-password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct email address and password" in response.text
    assert 'value="linkworker@example.org"' in response.text
    assert "not-the-password" not in response.text


def test_unknown_account_gets_the_same_message(client):
    def page_without_token_and_email(response, email):
        return CSRF_INPUT.sub("", response.text).replace(email, "EMAIL")

    wrong_password = sign_in(client, "linkworker@example.org", password="not-the-password")
    unknown = sign_in(client, "nobody@example.org", password="not-the-password")
    assert "Enter a correct email address and password" in unknown.text
    assert page_without_token_and_email(wrong_password, "linkworker@example.org") == page_without_token_and_email(
        unknown, "nobody@example.org"
    )


def test_empty_form_says_what_is_missing(client):
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"csrf_token": csrf_token_from(page.text), "email": "", "password": ""})
    assert response.status_code == 200
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text
    assert 'href="#email"' in response.text


def test_sign_in_without_csrf_token_is_refused(client):
    response = client.post("/sign-in", data={"email": DEMO_EMAILS["admin"], "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "Your page expired" in response.text
    assert client.get("/account").status_code == 302


def test_sign_out_without_csrf_token_is_refused(sign_in_as):
    client = sign_in_as("admin")
    assert client.post("/sign-out").status_code == 400
    assert client.get("/account").status_code == 200


def test_sign_in_returns_to_a_safe_next_page(client):
    page = client.get("/account")
    assert page.headers["Location"] == "/sign-in?next=%2Faccount"
    response = sign_in(client, DEMO_EMAILS["admin"], next_path="/admin/users")
    assert response.headers["Location"] == "/admin/users"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_sign_in_ignores_unsafe_next(client, target):
    response = sign_in(client, DEMO_EMAILS["admin"], next_path=target)
    assert response.headers["Location"] == "/account"


def test_sign_in_starts_a_fresh_session_but_keeps_the_language(client):
    client.get("/?lang=cy")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, DEMO_EMAILS["admin"])
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "cy"


def test_signed_in_user_visiting_sign_in_goes_to_their_account(sign_in_as):
    client = sign_in_as("link_worker")
    assert client.get("/sign-in").headers["Location"] == "/account"


def test_deactivated_account_is_signed_out_on_next_request(sign_in_as, db_session):
    from referral_app.services.users import get_user_by_email

    client = sign_in_as("commissioner")
    user = get_user_by_email(session=db_session, email=DEMO_EMAILS["commissioner"])
    user.active = False
    db_session.flush()
    assert client.get("/account").status_code == 302
