"""A link worker's referral, page by page: validation messages beside the fields and in the summary, nothing
typed lost, back links, "Change" from the check page, someone referred before filled in, and one referral however
often "Send" is pressed."""

from __future__ import annotations

import re
import uuid

from sqlmodel import select

from referral_app.models import AuditLog, OutboxMessage, Referral, ReferralDraft, Role
from referral_app.services import referrals
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import demo_key_id
from tests.conftest import csrf_token_from, error_shown, location, post_form
from tests.factories import make_account, make_resident

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
GRACE = demo_key_id("resident", "grace")  # a resident the demo link worker referred before


def start(client) -> str:
    """Press "Refer someone" on the service page; returns the draft's first page that needs an answer."""
    return location(post_form(client, "/referrals/new", {"service_id": str(PANTRY)}, page=f"/services/{PANTRY}"))


def test_a_link_worker_refers_someone_new_page_by_page(act_as, db_session):
    client = act_as("link_worker")
    service_page = client.get(f"/services/{PANTRY}").text
    assert "Refer someone" in service_page and "Refer myself" in service_page

    resident_page = start(client)
    draft_id = resident_page.split("/")[3]
    assert resident_page == f"/referrals/drafts/{draft_id}/resident"
    page = client.get(resident_page).text
    assert f'href="/referrals/drafts/{draft_id}/service"' in page  # back link
    assert "Grace Okafor" in page  # people referred before

    details = location(post_form(client, resident_page, {"resident": "new"}))
    assert details == f"/referrals/drafts/{draft_id}/details"
    page = client.get(details).text
    assert f'href="{resident_page}" class="govuk-back-link"' in page

    bad = post_form(client, details, {"name": "", "language": "ro", "outcode": "nowhere"})
    assert bad.status_code == 200
    assert "<title>Error:" in bad.text
    assert error_shown(bad.text, "name", "Enter the person's name")
    assert error_shown(bad.text, "outcode", "Enter a real postcode or the first half of one")
    assert 'value="nowhere"' in bad.text  # nothing typed is lost
    assert re.search(r'<option value="ro"\s+selected', bad.text)

    communication = location(
        post_form(client, details, {"name": "Zofia Nowak", "language": "pl", "outcode": "s4 7ab", "age_band": "25_34"})
    )
    assert communication == f"/referrals/drafts/{draft_id}/communication"
    bad = post_form(
        client, communication, {"needs": ["interpreter"], "contact_method": "sms", "times_to_avoid": "Fridays"}
    )
    assert error_shown(bad.text, "phone", "Enter a phone number to contact the person this way")
    assert error_shown(bad.text, "interpreter_language", "Select the language the interpreter should speak")
    assert 'value="Fridays"' in bad.text

    needs = location(
        post_form(
            client,
            communication,
            {
                "needs": ["interpreter", "bsl_interpreter"],
                "interpreter_language": "pl",
                "contact_method": "sms",
                "phone": "07700 900321",
                "times_to_avoid": "Fridays",
            },
        )
    )
    assert needs == f"/referrals/drafts/{draft_id}/needs"
    bad = post_form(client, needs, {"reason": "Typed reason kept"})
    assert error_shown(bad.text, "needs", "Select at least one need")
    assert error_shown(bad.text, "urgency", "Select how urgent it is")
    assert "Typed reason kept" in bad.text

    consent = location(post_form(client, needs, {"needs": ["food", "money"], "reason": "No food", "urgency": "urgent"}))
    assert consent == f"/referrals/drafts/{draft_id}/consent"
    page = client.get(consent).text
    assert "Riverside Community Hub" in page and 'value="Zofia Nowak"' in page  # who agreed, pre-filled
    bad = post_form(client, consent, {"consent_by": "Zofia Nowak", "consent_method": "in_person"})
    assert error_shown(bad.text, "agreed", "You can only send a referral if the person agrees to share their details")

    check = location(
        post_form(client, consent, {"consent_by": "Zofia Nowak", "consent_method": "in_person", "agreed": "y"})
    )
    assert check == f"/referrals/drafts/{draft_id}/check"
    page = client.get(check).text
    for shown in ("Community food pantry", "Zofia Nowak", "Polish", "S4", "Needs a BSL interpreter", "07700 900321"):
        assert shown in page, shown
    assert f'href="/referrals/drafts/{draft_id}/details?change=1"' in page

    # Changing an answer from the check page comes back to it.
    change = client.get(f"{details}?change=1").text
    assert f'href="{check}" class="govuk-back-link"' in change and 'value="Zofia Nowak"' in change
    back = post_form(client, f"{details}?change=1", {"name": "Zofia Nowak-Kowalska", "language": "pl"})
    assert location(back) == check
    assert "Zofia Nowak-Kowalska" in client.get(check).text

    token = csrf_token_from(client.get(check).text)
    sent = client.post(check, data={"csrf_token": token})
    referral_page = location(sent)
    referral_id = uuid.UUID(referral_page.rsplit("/", 1)[1])
    again = client.post(check, data={"csrf_token": token})  # a double click
    assert location(again) == referral_page
    made = db_session.exec(select(Referral).where(Referral.idempotency_key == draft_id)).all()
    assert [referral.id for referral in made] == [referral_id]
    page = client.get(referral_page).text
    assert "Referral sent. Reference:" in page and "Zofia Nowak-Kowalska" in page
    assert client.get(check).status_code == 303  # the draft is used up: its pages lead to the referral
    [message] = db_session.exec(select(OutboxMessage).where(OutboxMessage.referral_id == referral_id)).all()
    assert message.kind == "new_referral" and "Zofia" not in message.body


def test_choosing_someone_referred_before_fills_in_their_details(act_as, db_session):
    client = act_as("link_worker")
    resident_page = start(client)
    draft_id = resident_page.split("/")[3]
    needs = location(post_form(client, resident_page, {"resident": str(GRACE)}))
    assert needs == f"/referrals/drafts/{draft_id}/needs"  # details and communication are already answered
    location(post_form(client, needs, {"needs": ["money"], "reason": "Bills", "urgency": "routine"}))
    check = location(
        post_form(
            client,
            f"/referrals/drafts/{draft_id}/consent",
            {"consent_by": "Grace", "consent_method": "phone", "agreed": "y"},
        )
    )
    page = client.get(check).text
    assert "Grace Okafor" in page and "grace@example.com" in page
    referral_id = location(post_form(client, check, {})).rsplit("/", 1)[1]
    assert db_session.get(Referral, uuid.UUID(referral_id)).resident_id == GRACE
    entry = db_session.exec(select(AuditLog).where(AuditLog.action == "chose_resident")).all()
    assert [row.resident_id for row in entry] == [GRACE]


def test_someone_elses_resident_cannot_be_chosen(act_as, db_session):
    stranger = make_resident(db_session, created_by=make_account(db_session), name="Not Theirs")
    client = act_as("link_worker")
    resident_page = start(client)
    response = post_form(client, resident_page, {"resident": str(stranger.id)})
    assert response.status_code == 200  # not one of the choices offered
    assert "Not Theirs" not in response.text


def test_pages_are_answered_in_order_and_drafts_are_private(act_as, db_session):
    client = act_as("link_worker")
    draft_id = start(client).split("/")[3]
    assert location(client.get(f"/referrals/drafts/{draft_id}/consent")) == f"/referrals/drafts/{draft_id}/resident"
    assert location(client.get(f"/referrals/drafts/{draft_id}/check")) == f"/referrals/drafts/{draft_id}/resident"
    act_as(make_account(db_session, role=Role.LINK_WORKER))
    assert client.get(f"/referrals/drafts/{draft_id}/resident").status_code == 404
    assert client.get(f"/referrals/drafts/{uuid.uuid4()}/service").status_code == 404


def test_new_referral_without_a_service_starts_by_choosing_one(act_as):
    client = act_as("link_worker")
    service_page = location(post_form(client, "/referrals/new", {}, page="/referrals"))
    assert service_page.endswith("/service")
    page = client.get(f"{service_page}?q=pantry").text
    assert "Community food pantry" in page and 'href="/referrals" class="govuk-back-link"' in page
    bad = post_form(client, service_page, {"service_id": str(uuid.uuid4())})
    assert bad.status_code == 200 and "Choose a service from the list" in bad.text
    assert location(post_form(client, service_page, {"service_id": str(PANTRY)})).endswith("/resident")


def test_a_conflicting_send_is_sent_again_to_see_what_the_other_did(act_as, db_session, monkeypatch):
    """On SQLite a second "Send" that loses the race is told so; the same POST again finds the referral."""
    client = act_as("link_worker")
    draft_id = start(client).split("/")[3]
    answers = referrals.DraftAnswers.from_json(db_session.get(ReferralDraft, uuid.UUID(draft_id)).data)
    assert answers.service_id == str(PANTRY)
    location(post_form(client, f"/referrals/drafts/{draft_id}/resident", {"resident": str(GRACE)}))
    location(
        post_form(client, f"/referrals/drafts/{draft_id}/needs", {"needs": ["food"], "reason": "x", "urgency": "soon"})
    )
    check = location(
        post_form(
            client,
            f"/referrals/drafts/{draft_id}/consent",
            {"consent_by": "G", "consent_method": "video", "agreed": "y"},
        )
    )

    def lose_the_race(**_arguments):
        raise referrals.SendConflict()

    monkeypatch.setattr(referrals, "send_draft", lose_the_race)
    response = post_form(client, check, {})
    assert response.status_code == 307 and location(response) == check
    monkeypatch.undo()
    assert location(client.post(check, data={"csrf_token": csrf_token_from(client.get(check).text)})).startswith(
        "/referrals/"
    )


def test_new_referral_without_a_service_searches_the_directory_and_chooses_one(act_as, db_session):
    client = act_as("link_worker")
    service_page = location(post_form(client, "/referrals/new", {}, page="/referrals"))
    draft_id = service_page.split("/")[3]
    assert service_page == f"/referrals/drafts/{draft_id}/service"

    page = client.get(service_page, query_string={"q": "food pantry"}).text
    assert "Community food pantry" in page and "Riverside Community Hub" in page
    assert f'name="service_id" value="{PANTRY}"' in page  # a "Choose" button for each result

    bad = post_form(client, service_page, {"service_id": "not-a-service"}, page=service_page)
    assert "Choose a service from the list" in bad.text
    chosen = location(post_form(client, service_page, {"service_id": str(PANTRY)}, page=service_page))
    assert chosen == f"/referrals/drafts/{draft_id}/resident"
