import pytest

from referral_app.models import Role
from referral_app.services import users
from tests.factories import PASSWORD, make_organization, make_user


def test_create_user_normalises_email_and_hashes_password(db_session):
    user = users.create_user(
        session=db_session, email="  Someone@Example.NET ", name=" Sam ", password=PASSWORD, role=Role.LINK_WORKER
    )
    assert user.email == "someone@example.net"
    assert user.name == "Sam"
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"email": "not-an-email"}, "not a valid email"),
        ({"password": "short"}, "at least 12 characters"),
        ({"password": "x" * 257}, "256 characters or fewer"),
        ({"password": "password123456"}, "too common"),
        ({"name": "   "}, "A name is needed"),
        ({"role": Role.ORG_STAFF}, "must belong to an organisation"),
    ],
)
def test_create_user_refuses_bad_input(db_session, fields, reason):
    values = {"email": "ok@example.net", "name": "Ok", "password": PASSWORD, "role": Role.LINK_WORKER} | fields
    with pytest.raises(users.AccountError, match=reason):
        users.create_user(session=db_session, **values)


def test_create_user_refuses_duplicate_email_in_any_case(db_session):
    make_user(db_session, email="dup@example.net")
    with pytest.raises(users.AccountError, match="already exists"):
        users.create_user(
            session=db_session, email="DUP@example.net", name="Again", password=PASSWORD, role=Role.COMMISSIONER
        )


def test_create_user_refuses_unknown_organisation(db_session):
    import uuid

    with pytest.raises(users.AccountError, match="does not exist"):
        users.create_user(
            session=db_session,
            email="o@example.net",
            name="O",
            password=PASSWORD,
            role=Role.ORG_STAFF,
            organization_id=uuid.uuid4(),
        )


def test_authenticate_accepts_right_password_and_records_sign_in(db_session):
    user = make_user(db_session, email="auth@example.net")
    assert user.last_login_at is None
    assert users.authenticate(session=db_session, email="AUTH@example.net", password=PASSWORD) == user
    assert user.last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"), [("auth@example.net", "wrong-password!!"), ("nobody@example.net", PASSWORD)]
)
def test_authenticate_refuses_wrong_password_or_unknown_email(db_session, email, password):
    make_user(db_session, email="auth@example.net")
    assert users.authenticate(session=db_session, email=email, password=password) is None


def test_deactivated_user_cannot_sign_in_or_be_loaded(db_session):
    user = make_user(db_session)
    user.active = False
    db_session.flush()
    assert users.authenticate(session=db_session, email=user.email, password=PASSWORD) is None
    assert users.get_active_user(session=db_session, user_id=user.id) is None


def test_list_users_includes_organisation_names(db_session):
    organization = make_organization(db_session, name="Listed Org")
    staff = make_user(db_session, role=Role.ORG_STAFF, organization=organization)
    rows = dict((user.email, org) for user, org in users.list_users(session=db_session))
    assert rows[staff.email] == "Listed Org"
    assert rows["admin@example.org"] is None


def test_set_preferred_locale(db_session):
    user = make_user(db_session)
    users.set_preferred_locale(session=db_session, user=user, locale="cy")
    assert users.get_active_user(session=db_session, user_id=user.id).preferred_locale == "cy"
