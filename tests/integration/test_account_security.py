"""Accounts and sessions: password rules, sign-in limits, two-factor, password reset, re-authentication,
session lifetimes and deactivation (issue 7)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from referral_app.models import OutboxMessage, PasswordReset, RecoveryCode, User
from referral_app.models._types import utcnow
from referral_app.services import outbox, password_reset, two_factor
from tests.conftest import DEMO_EMAILS, csrf_token_from, location, make_test_app, post_form, sign_in
from tests.factories import PASSWORD, make_account

NEW_PASSWORD = "kettle orbit meadow tangle"
# Accounts and sessions use plain reads and writes, the same on both databases; password hashing makes these tests
# slow, so they run on SQLite (test_users.py and test_sign_in.py cover PostgreSQL).
pytestmark = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)


@pytest.fixture
def user(db_session):
    return make_account(db_session, email="sam.security@example.net")


def _code(user: User, *, offset_steps: int = 0) -> str:
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * offset_steps)


def _enrol(client, db_session, user) -> list[str]:
    page = client.get("/account/two-factor/set-up")
    assert page.status_code == 200, page.text[:300]
    assert 'src="data:image/svg+xml' in page.text
    db_session.refresh(user)
    assert two_factor.grouped_secret(user.totp_secret) in page.text
    done = client.post(
        "/account/two-factor/set-up", data={"csrf_token": csrf_token_from(page.text), "code": _code(user)}
    )
    assert done.status_code == 200 and "Your recovery codes" in done.text
    assert done.headers["Cache-Control"] == "no-store"
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)


def _age_session(client, **ages: float) -> None:
    with client.session_transaction() as session:
        for key, seconds in ages.items():
            session[key] = time.time() - seconds


# Passwords ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short one", "at least 12 characters"),
        ("password123456", "too common"),
        ("Sunshine2026!!", "too common"),
        ("abcabcabcabcabc", "too common"),
        ("sam.security-is-me", "must not contain your email address"),
    ],
)
def test_weak_new_passwords_are_refused_with_a_reason(act_as, user, password, message):
    client = act_as(user)
    response = post_form(client, "/account/password", {"password": password})
    assert response.status_code == 200
    assert message in response.text


def test_a_long_pasted_password_with_any_characters_is_accepted(act_as, db_session, user):
    client = act_as(user)
    pasted = "Ünïcødé façade ☕ 🚲 — with spaces and no rules"
    response = post_form(client, "/account/password", {"password": pasted})
    assert location(response) == "/account"
    db_session.refresh(user)
    assert user.password_hash.startswith("scrypt:")
    assert sign_in(client.application.test_client(), user.email, pasted).status_code == 303


def test_the_password_field_allows_paste_and_password_managers(client):
    page = client.get("/sign-in").text
    assert 'autocomplete="current-password"' in page
    assert "onpaste" not in page and "maxlength" not in page


# Sign-in limits ----------------------------------------------------------------------------------------------


@pytest.fixture
def limited_client(migrated_engine, connection, tmp_path):
    app = make_test_app(
        migrated_engine,
        connection,
        MEDIA_ROOT=str(tmp_path),
        SIGN_IN_RATE_LIMIT_PER_ACCOUNT="3 per minute",
        SIGN_IN_RATE_LIMIT_PER_ADDRESS="6 per minute",
    )
    return app.test_client()


@pytest.mark.parametrize("email", ["linkworker@example.org", "no-such-account@example.org"])
def test_repeated_failures_for_one_account_are_stopped_the_same_way_whether_it_exists(limited_client, email):
    for _ in range(3):
        assert sign_in(limited_client, email, "wrong-password-here").status_code == 200
    blocked = sign_in(limited_client, email, "wrong-password-here")
    assert blocked.status_code == 429
    assert "Too many attempts to sign in. Wait a few minutes, then try again." in blocked.text
    assert f'value="{email}"' in blocked.text  # what was typed is kept
    assert int(blocked.headers["Retry-After"]) > 0
    # Even the right password waits now, so guessing on cannot find it.
    assert sign_in(limited_client, email).status_code == 429


def test_failures_across_accounts_from_one_address_are_stopped(limited_client):
    for number in range(6):
        assert sign_in(limited_client, f"guess{number}@example.org", "wrong-password-here").status_code == 200
    assert sign_in(limited_client, "guess-more@example.org", "wrong-password-here").status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(limited_client):
    for _ in range(5):
        assert sign_in(limited_client, DEMO_EMAILS["link_worker"]).status_code == 303
        limited_client.post("/sign-out", data={"csrf_token": csrf_token_from(limited_client.get("/account").text)})


# Two-factor authentication -----------------------------------------------------------------------------------


def test_enrolment_then_sign_in_needs_a_fresh_code_and_recovery_codes_work_once(act_as, client, db_session, user):
    codes = _enrol(act_as(user), db_session, user)
    assert len(codes) == 10
    db_session.refresh(user)
    assert user.two_factor_enabled
    stored = db_session.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not any(code in stored for code in codes)  # only hashes are kept

    fresh = client.application.test_client()
    response = sign_in(fresh, user.email, PASSWORD, next_path="/referrals")
    assert location(response) == "/sign-in/code"
    assert fresh.get("/account").status_code == 302  # not signed in yet
    page = fresh.get("/sign-in/code")
    wrong = fresh.post("/sign-in/code", data={"csrf_token": csrf_token_from(page.text), "code": "000000"})
    assert "Enter a correct code from your authenticator app, or one of your recovery codes" in wrong.text
    reused = fresh.post("/sign-in/code", data={"csrf_token": csrf_token_from(page.text), "code": _code(user)})
    assert reused.status_code == 200  # the code used to enrol cannot be used again
    ok = fresh.post(
        "/sign-in/code", data={"csrf_token": csrf_token_from(page.text), "code": _code(user, offset_steps=1)}
    )
    assert location(ok) == "/referrals"

    recovery = client.application.test_client()
    sign_in(recovery, user.email, PASSWORD)
    page = recovery.get("/sign-in/code")
    assert location(
        recovery.post("/sign-in/code", data={"csrf_token": csrf_token_from(page.text), "code": codes[0].upper()})
    )
    again = client.application.test_client()
    sign_in(again, user.email, PASSWORD)
    page = again.get("/sign-in/code")
    assert (
        again.post("/sign-in/code", data={"csrf_token": csrf_token_from(page.text), "code": codes[0]}).status_code
        == 200
    )


def test_the_code_step_expires(client, db_session, user):
    user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
    db_session.add(user)
    db_session.flush()
    sign_in(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        session["pending_sign_in"]["at"] = time.time() - 6 * 60
        session.modified = True
    response = client.get("/sign-in/code")
    assert location(response) == "/sign-in"


@pytest.fixture
def strict_client(migrated_engine, connection, tmp_path):
    return make_test_app(migrated_engine, connection, MEDIA_ROOT=str(tmp_path), REQUIRE_TWO_FACTOR=True).test_client()


def test_when_required_staff_must_enrol_at_first_sign_in(strict_client, db_session, user):
    assert location(sign_in(strict_client, user.email, PASSWORD)) == "/account/two-factor/set-up"
    assert location(strict_client.get("/referrals")) == "/account/two-factor/set-up"
    assert strict_client.get("/").status_code == 200  # public pages stay open
    _enrol(strict_client, db_session, user)
    assert strict_client.get("/referrals").status_code == 200
    account = strict_client.get("/account").text
    assert "Turn off two-factor authentication" not in account
    turned_off = strict_client.post("/account/two-factor/turn-off", data={"csrf_token": csrf_token_from(account)})
    assert location(turned_off) == "/account"
    db_session.refresh(user)
    assert user.two_factor_enabled


def test_turning_two_factor_off_where_allowed_ends_other_sessions(act_as, client, db_session, user):
    _enrol(act_as(user), db_session, user)
    other = client.application.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["signed_in_at"] = session["seen_at"] = session["confirmed_at"] = time.time()
    assert other.get("/account").status_code == 200
    response = post_form(client, "/account/two-factor/turn-off", {}, page="/account")
    assert location(response) == "/account"
    db_session.refresh(user)
    assert not user.two_factor_enabled
    assert not db_session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_an_admin_can_reset_someones_two_factor_but_not_their_own(act_as, db_session, user):
    user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
    db_session.add(user)
    db_session.flush()
    admin = act_as("admin")
    response = post_form(admin, f"/admin/users/{user.id}/reset-two-factor", {}, page="/admin/users")
    assert location(response) == "/admin/users"
    db_session.refresh(user)
    assert not user.two_factor_enabled
    me = db_session.exec(select(User).where(User.email == DEMO_EMAILS["admin"])).one()
    assert post_form(admin, f"/admin/users/{me.id}/deactivate", {}, page="/admin/users").status_code == 403


# Re-authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/password", "/account/email", "/account/two-factor/set-up"])
def test_sensitive_changes_ask_for_the_password_again_after_a_few_minutes(act_as, user, path):
    client = act_as(user)
    _age_session(client, confirmed_at=6 * 60)
    response = client.get(path)
    assert location(response) == f"/account/confirm-password?next={path}"
    page = client.get(location(response))
    wrong = client.post(
        "/account/confirm-password",
        data={"csrf_token": csrf_token_from(page.text), "password": "not-my-password", "next": path},
    )
    assert "Enter your correct password" in wrong.text
    right = client.post(
        "/account/confirm-password",
        data={"csrf_token": csrf_token_from(page.text), "password": PASSWORD, "next": path},
    )
    assert location(right) == path
    assert client.get(path).status_code == 200


def test_confirming_keeps_people_on_the_site(act_as, user):
    client = act_as(user)
    page = client.get("/account/confirm-password")
    response = client.post(
        "/account/confirm-password",
        data={"csrf_token": csrf_token_from(page.text), "password": PASSWORD, "next": "//evil.example/"},
    )
    assert location(response) == "/account"


def test_changing_the_password_ends_other_sessions_and_tells_the_owner(act_as, client, db_session, user):
    other = client.application.test_client()
    assert sign_in(other, user.email, PASSWORD).status_code == 303
    response = post_form(act_as(user), "/account/password", {"password": NEW_PASSWORD})
    assert location(response) == "/account"
    assert client.get("/account").status_code == 200  # this session carries on
    assert other.get("/account").status_code == 302  # the other one has ended
    notice = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "password_changed")).one()
    assert notice.recipient == user.email


def test_changing_the_email_checks_it_is_free_and_tells_the_old_address(act_as, db_session, user):
    client = act_as(user)
    taken = post_form(client, "/account/email", {"email": DEMO_EMAILS["admin"]})
    assert "not used by another account" in taken.text
    assert f'value="{DEMO_EMAILS["admin"]}"' in taken.text
    response = post_form(client, "/account/email", {"email": "Sam.New@Example.net"})
    assert location(response) == "/account"
    db_session.refresh(user)
    assert user.email == "sam.new@example.net"
    notice = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email_changed")).one()
    assert notice.recipient == "sam.security@example.net" and "sam.new@example.net" in notice.body


# Password reset ----------------------------------------------------------------------------------------------


def _reset_link(db_session, email: str) -> str:
    message = db_session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == email, OutboxMessage.kind == "password_reset")
        .order_by(OutboxMessage.id.desc())
    ).first()
    return (
        re.search(r"http://[^\s]+/reset-password/[\w-]+", message.body).group(0).removeprefix("http://127.0.0.1:5000")
    )


def test_a_reset_link_works_once_and_ends_every_session(client, db_session, user):
    signed_in = client.application.test_client()
    sign_in(signed_in, user.email, PASSWORD)
    response = post_form(client, "/sign-in/forgot-password", {"email": user.email.upper()})
    assert location(response) == "/sign-in/forgot-password/sent"
    link = _reset_link(db_session, user.email)
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    weak = client.post(link, data={"csrf_token": csrf_token_from(page.text), "password": "password123456"})
    assert "too common" in weak.text
    done = client.post(link, data={"csrf_token": csrf_token_from(page.text), "password": NEW_PASSWORD})
    assert location(done) == "/sign-in"
    assert client.get(link).status_code == 404
    assert signed_in.get("/account").status_code == 302
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 303


def test_asking_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db_session):
    before = len(db_session.exec(select(OutboxMessage)).all())
    response = post_form(client, "/sign-in/forgot-password", {"email": "nobody-here@example.org"})
    assert location(response) == "/sign-in/forgot-password/sent"
    assert len(db_session.exec(select(OutboxMessage)).all()) == before


def test_a_reset_link_expires_after_an_hour_and_a_newer_one_replaces_it(db_session, services_app, user):
    with services_app.test_request_context():
        first = password_reset.request_reset(session=db_session, email=user.email)
        second = password_reset.request_reset(session=db_session, email=user.email)
    assert password_reset.user_for_token(session=db_session, token=first) is None
    assert password_reset.user_for_token(session=db_session, token=second) == user
    later = utcnow() + timedelta(minutes=61)
    assert password_reset.user_for_token(session=db_session, token=second, now=later) is None
    stored = db_session.exec(select(PasswordReset.token_hash)).all()
    assert second not in stored  # only the hash is kept


def test_a_sent_reset_email_keeps_no_link(db_session, services_app, user):
    class Collect:
        """Keeps what it is given (the SMTP path itself is tested with a real server in test_outbox.py)."""

        def __init__(self):
            self.sent = []

        def send(self, recipient, subject, body):
            self.sent.append(body)

    with services_app.app_context():
        token = password_reset.request_reset(session=db_session, email=user.email)
        mailer = Collect()
        outbox.send_due_messages(
            session=db_session, mailer=mailer, sms_provider=None, now=utcnow() + timedelta(seconds=1)
        )
    assert any(token in body for body in mailer.sent)
    message = db_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")).one()
    assert token not in message.body


# Sessions ----------------------------------------------------------------------------------------------------


def test_idle_sessions_end_after_thirty_minutes(act_as, user):
    client = act_as(user)
    _age_session(client, seen_at=29 * 60)
    assert client.get("/referrals").status_code == 200
    _age_session(client, seen_at=31 * 60)
    response = client.get("/referrals")
    assert location(response).startswith("/sign-in?next=/referrals")
    assert "had not used the service for a while" in client.get(location(response)).text
    assert client.get("/account").status_code == 302


def test_sessions_end_after_twelve_hours_however_busy(act_as, user):
    client = act_as(user)
    _age_session(client, signed_in_at=12 * 3600 + 60, seen_at=10)
    response = client.get("/account")
    assert location(response).startswith("/sign-in")
    assert "signed in a long time ago" in client.get(location(response)).text


def test_sign_in_starts_a_new_session_and_sign_out_empties_it(client, user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()
    post_form(client, "/sign-out", {}, page="/account")
    with client.session_transaction() as session:
        assert "_user_id" not in session and "signed_in_at" not in session


def test_deactivating_an_account_ends_its_sessions_at_once(act_as, client, db_session, user):
    victim = client.application.test_client()
    assert sign_in(victim, user.email, PASSWORD).status_code == 303
    admin = act_as("admin")
    response = post_form(admin, f"/admin/users/{user.id}/deactivate", {}, page="/admin/users")
    assert location(response) == "/admin/users"
    assert victim.get("/account").status_code == 302
    assert sign_in(victim, user.email, PASSWORD).status_code == 200
    post_form(admin, f"/admin/users/{user.id}/reactivate", {}, page="/admin/users")
    assert sign_in(victim, user.email, PASSWORD).status_code == 303


def test_session_cookies_are_httponly_samesite_and_secure_behind_https(migrated_engine, connection, tmp_path, user):
    app = make_test_app(migrated_engine, connection, MEDIA_ROOT=str(tmp_path), SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = sign_in(client, user.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
