"""Nobody sees a referral that is not theirs: staff of another organisation and other link workers get 404 for the
page and every action (and do not find it in their lists), commissioners 403, the signed-out the sign-in page."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from referral_app.models import AuditLog, Outcome, Referral, ReferralEvent, ReferralStatus, Role, Service, User
from referral_app.services.demo_data import demo_id
from tests.conftest import csrf_token_from
from tests.factories import make_account, make_referral, make_resident

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
SCORES = {"item_life_satisfaction": "5", "item_worthwhile": "5", "item_happiness": "5", "item_anxiety": "5"}
ACTIONS = [
    ("GET", "", {}),
    *(("POST", f"/status/{to}", {"version": "1"}) for to in ("accepted", "contacted", "attended", "did_not_attend")),
    ("POST", "/status/completed", {"version": "1"}),
    ("POST", "/status/withdrawn", {"version": "1"}),
    ("GET", "/decline", {}),
    ("POST", "/decline", {"version": "1", "reason": "no_capacity"}),
    ("POST", "/notes", {"note": "Hello"}),
    ("GET", "/withdraw-consent", {}),
    ("POST", "/withdraw-consent", {"confirm": "y"}),
    ("POST", "/refer-elsewhere", {}),
    ("GET", "/outcomes/ons4/baseline", {}),
    ("POST", "/outcomes/ons4/baseline", SCORES),
    ("GET", "/outcomes/ons4/follow_up", {}),
    ("POST", "/outcomes/ons4/follow_up", SCORES),
]
ORG_STAFF_ONLY = {"/decline"}  # no link worker may use these (403 by role, whoever's the referral)
LINK_WORKERS_ONLY = {"/refer-elsewhere"}


@pytest.fixture
def referral(db_session):
    link_worker = db_session.exec(select(User).where(User.email == "linkworker@example.org")).one()
    resident = make_resident(db_session, created_by=link_worker, name="Priya Private", phone="07700 900888")
    return make_referral(
        db_session, service=db_session.get(Service, PANTRY), referrer=link_worker, resident=resident, reason="Secret"
    )


def attempt(client, referral, method, suffix, data, token):
    path = f"/referrals/{referral.id}{suffix}"
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token, **data})


def assert_untouched(db_session, referral):
    db_session.expire_all()
    current = db_session.get(Referral, referral.id)
    assert (current.status, current.version, current.consent_withdrawn_at) == (ReferralStatus.SENT, 1, None)
    assert db_session.exec(select(func.count()).where(ReferralEvent.referral_id == referral.id)).one() == 0
    assert db_session.exec(select(func.count()).where(Outcome.referral_id == referral.id)).one() == 0
    assert db_session.exec(select(func.count()).where(AuditLog.referral_id == referral.id)).one() == 0


@pytest.mark.parametrize("who", ["org_staff_other", "other_link_worker"])
def test_strangers_get_404_for_the_page_and_every_action(act_as, db_session, referral, who):
    stranger = make_account(db_session, role=Role.LINK_WORKER) if who == "other_link_worker" else who
    client = act_as(stranger)
    token = csrf_token_from(client.get("/account").text)
    refused_by_role = LINK_WORKERS_ONLY if who == "org_staff_other" else ORG_STAFF_ONLY
    for method, suffix, data in ACTIONS:
        response = attempt(client, referral, method, suffix, data, token)
        expected = 403 if suffix in refused_by_role else 404
        assert response.status_code == expected, (method, suffix, response.status_code)
        assert "Priya Private" not in response.text and "Secret" not in response.text
    assert_untouched(db_session, referral)


def test_staff_of_another_organisation_do_not_find_it_in_their_inbox(act_as, referral):
    client = act_as("org_staff_other")
    for tab in ("new", "in_progress", "closed"):
        page = client.get(f"/inbox?tab={tab}")
        assert page.status_code == 200
        assert "Priya Private" not in page.text and referral.reference not in page.text
    assert "Priya Private" in act_as("org_staff").get("/inbox").text


def test_another_link_worker_does_not_find_it_in_their_referrals(act_as, db_session, referral):
    client = act_as(make_account(db_session, role=Role.LINK_WORKER))
    for tab in ("new", "in_progress", "closed"):
        assert "Priya Private" not in client.get(f"/referrals?tab={tab}").text


def test_commissioners_are_refused_every_referral_page(act_as, db_session, referral):
    client = act_as("commissioner")
    token = csrf_token_from(client.get("/account").text)
    for method, suffix, data in ACTIONS:
        assert attempt(client, referral, method, suffix, data, token).status_code == 403, (method, suffix)
    for path in ("/inbox", "/referrals"):
        assert client.get(path).status_code == 403
    assert_untouched(db_session, referral)


def test_signed_out_people_are_sent_to_sign_in(client, db_session, referral):
    token = csrf_token_from(client.get("/sign-in").text)
    for method, suffix, data in ACTIONS:
        response = attempt(client, referral, method, suffix, data, token)
        assert response.status_code == 302, (method, suffix)
        assert response.headers["Location"].startswith("/sign-in?next=")
    assert client.get("/inbox").headers["Location"].startswith("/sign-in?next=")
    assert_untouched(db_session, referral)


def test_an_inactive_account_is_signed_out(act_as, db_session, referral):
    staff = make_account(db_session, role=Role.ORG_STAFF, organization_id=referral.organization_id, active=False)
    assert act_as(staff).get(f"/referrals/{referral.id}").status_code == 302


def test_staff_without_an_organisation_have_no_inbox(act_as, db_session, referral):
    client = act_as(make_account(db_session, role=Role.ORG_STAFF, organization_id=None))
    assert client.get("/inbox").status_code == 403
    assert client.get(f"/referrals/{referral.id}").status_code == 404


def test_admins_see_every_referral(act_as, referral):
    client = act_as("admin")
    assert "Priya Private" in client.get(f"/referrals/{referral.id}").text
    assert "Priya Private" in client.get("/inbox").text


@pytest.mark.parametrize("path", ["/status/declined", "/status/sent", "/status/nonsense", "/outcomes/ons4/later"])
def test_unknown_action_urls_are_404(act_as, referral, path):
    client = act_as("org_staff")
    token = csrf_token_from(client.get(f"/referrals/{referral.id}").text)
    assert client.post(f"/referrals/{referral.id}{path}", data={"csrf_token": token, "version": "1"}).status_code == 404


def test_a_post_without_its_csrf_token_is_refused(act_as, db_session, referral):
    response = act_as("org_staff").post(f"/referrals/{referral.id}/status/accepted", data={"version": "1"})
    assert response.status_code == 400
    assert_untouched(db_session, referral)
