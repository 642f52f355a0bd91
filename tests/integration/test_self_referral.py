"""A resident refers themselves without an account, and follows the request through a private link that shows
the status and nothing else; bots are held off with a honeypot and a rate limit, not a puzzle."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from referral_app.models import (
    AuditLog,
    Channel,
    OutboxMessage,
    Outcome,
    Referral,
    ReferralStatus,
    Resident,
    ServiceStatus,
)
from referral_app.services import referrals
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN
from tests.conftest import csrf_token_from, make_test_app, post_form
from tests.factories import make_service

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
FORM = f"/services/{PANTRY}/refer-yourself"
VALID = {
    "name": "Ion Popescu",
    "reason": "I need a food parcel this week",
    "contact_method": "sms",
    "phone": "07700 900777",
    "language": "ro",
    "communication": ["interpreter"],
    "agreed": "y",
    "website": "",
}


def count(db_session, model) -> int:
    return db_session.exec(select(func.count()).select_from(model)).one()


def refer_myself(client, **changes):
    return post_form(client, FORM, {**VALID, **changes})


def status_path(response) -> str:
    assert response.status_code == 303, response.status_code
    path = response.headers["Location"]
    assert re.fullmatch(r"/requests/[\w-]{40,}", path), path
    return path


def test_the_service_page_offers_refer_myself_to_everyone(client):
    page = client.get(f"/services/{PANTRY}").text
    assert f'href="{FORM}"' in page and "Refer someone" not in page


def test_a_resident_refers_themselves_and_gets_a_private_status_link(client, db_session):
    page = client.get(FORM).text
    assert 'name="website"' in page and 'tabindex="-1"' in page  # the honeypot, hidden from people
    assert re.search(r'<option value="en"\s+selected', page)  # their language, as the page is in

    path = status_path(refer_myself(client))

    token = path.rsplit("/", 1)[1]
    referral = referrals.by_status_token(session=db_session, token=token)
    assert (referral.status, referral.referrer_id, referral.reason) == (
        ReferralStatus.SENT,
        None,
        "I need a food parcel this week",
    )
    assert token not in (referral.status_token_hash or "")
    resident = db_session.get(Resident, referral.resident_id)
    assert (resident.name, resident.phone, resident.language, resident.interpreter_language) == (
        "Ion Popescu",
        "07700 900777",
        "ro",
        "ro",
    )
    sms = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.referral_id == referral.id, OutboxMessage.channel == Channel.SMS)
    ).one()
    assert sms.recipient == "07700 900777" and f"/requests/{token}" in sms.body
    assert db_session.exec(
        select(OutboxMessage).where(OutboxMessage.referral_id == referral.id, OutboxMessage.kind == "new_referral")
    ).first()
    assert (
        db_session.exec(select(AuditLog).where(AuditLog.referral_id == referral.id)).first().action
        == "created_referral"
    )

    status = client.get(path)
    assert status.status_code == 200
    assert referral.reference in status.text
    assert "Your request has been sent. The service has not answered yet." in status.text
    for private in ("Ion", "Popescu", "07700 900777", "food parcel"):
        assert private not in status.text, private
    assert status.headers["Cache-Control"] == "no-store"
    assert status.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name"),
        ({"reason": ""}, "reason", "Tell us what you would like help with"),
        ({"contact_method": ""}, "contact_method", "Select how they should contact you"),
        ({"contact_method": "link_worker"}, "contact_method", "Not a valid choice"),
        ({"phone": ""}, "phone", "Enter a phone number so they can contact you this way"),
        ({"phone": "call me"}, "phone", "Enter a phone number, like 07700 900 982"),
        ({"contact_method": "email", "email": ""}, "email", "Enter an email address so they can contact you this way"),
        ({"contact_method": "email", "email": "nope"}, "email", "Enter an email address like name@example.org"),
        ({"language": "xx"}, "language", "Choose an option from the list"),
        ({"agreed": ""}, "agreed", "You need to agree so that the service can contact you"),
        ({"name": "n" * 201}, "name", "Enter 200 characters or fewer"),
    ],
)
def test_bad_answers_get_a_message_keep_what_was_typed_and_create_nothing(client, db_session, changes, field, message):
    referrals_before = count(db_session, Referral)
    response = refer_myself(client, **{"reason": "Typed and kept", **changes})
    assert response.status_code == 200
    assert "<title>Error:" in response.text
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    if "reason" not in changes:
        assert "Typed and kept" in response.text
    assert count(db_session, Referral) == referrals_before


def test_a_filled_honeypot_looks_like_success_but_creates_nothing(client, db_session):
    before = (count(db_session, Referral), count(db_session, Resident), count(db_session, OutboxMessage))
    response = refer_myself(client, website="http://spam.example")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/services/{PANTRY}"
    assert (count(db_session, Referral), count(db_session, Resident), count(db_session, OutboxMessage)) == before


def test_a_service_people_cannot_be_referred_to_has_no_form(client, db_session):
    closed = make_service(db_session, status=ServiceStatus.DEFUNCT)
    assert client.get(f"/services/{closed.id}/refer-yourself").status_code == 404
    assert client.get("/services/00000000-0000-0000-0000-000000000000/refer-yourself").status_code == 404


def test_a_wrong_or_mangled_token_is_404(client):
    for token in ("nope", DEMO_STATUS_TOKEN + "x", "x" * 200, "%00", "..%2F..%2Fetc"):
        response = client.get(f"/requests/{token}")
        assert response.status_code == 404, token
    assert client.post("/requests/nope/withdraw").status_code in (400, 404)


def test_the_demo_status_link_works(client):
    page = client.get(f"/requests/{DEMO_STATUS_TOKEN}").text
    assert "Leyla" not in page and "Your request" in page


def test_the_resident_withdraws_from_the_status_page(client, db_session):
    path = status_path(refer_myself(client))
    token = path.rsplit("/", 1)[1]
    response = post_form(client, f"{path}/withdraw", {})  # a page of its own, to confirm
    assert response.status_code == 303 and response.headers["Location"] == path
    assert response.headers["Referrer-Policy"] == "no-referrer"
    referral = referrals.by_status_token(session=db_session, token=token)
    db_session.refresh(referral)
    assert (referral.status, referral.consent_withdrawn) == (ReferralStatus.WITHDRAWN, True)
    page = client.get(path).text
    assert "This request has been withdrawn." in page
    assert "Withdraw my request" not in page and "How are you feeling?" not in page
    assert client.get(f"{path}/well-being/baseline").status_code == 404  # nothing more is collected


def test_the_resident_answers_the_ons4_questions_through_their_link(client, db_session):
    path = status_path(refer_myself(client))
    form = f"{path}/well-being/baseline"
    page = client.get(form)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Ion" not in page.text
    bad = post_form(client, form, {"item_life_satisfaction": "ten", "item_worthwhile": "5", "item_happiness": "5"})
    assert bad.status_code == 200 and "Enter a number from 0 to 10" in bad.text and 'value="ten"' in bad.text
    scores = {"item_life_satisfaction": "3", "item_worthwhile": "4", "item_happiness": "5", "item_anxiety": "9"}
    saved = post_form(client, form, scores)
    assert saved.status_code == 303 and saved.headers["Location"] == path
    assert "Change your first answers" in client.get(path).text
    referral = referrals.by_status_token(session=db_session, token=path.rsplit("/", 1)[1])
    outcome = db_session.exec(select(Outcome).where(Outcome.referral_id == referral.id)).one()
    assert (outcome.by_resident, outcome.recorded_by_id) == (True, None)


def test_the_third_request_in_a_minute_is_refused(migrated_engine, connection, db_session):
    app = make_test_app(migrated_engine, connection, SELF_REFERRAL_RATE_LIMIT="2 per minute")
    client = app.test_client()
    token = csrf_token_from(client.get(FORM).text)
    answers = [client.post(FORM, data={"csrf_token": token, **VALID, "name": f"Person {n}"}) for n in range(3)]
    assert [response.status_code for response in answers] == [303, 303, 429]
    assert "Too many attempts" in answers[2].text
    assert client.get(FORM).status_code == 200  # reading the form is not limited
