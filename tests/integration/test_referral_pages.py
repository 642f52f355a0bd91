"""An organisation answering a referral; outcomes, notes, consent withdrawn; the
audit log; and the `referrals nudge` and `measures import` commands. Both databases, through the routes."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from referral_app.models import (
    AuditLog,
    DeclineReason,
    EventKind,
    Measure,
    OutboxMessage,
    Referral,
    ReferralDraft,
    ReferralEvent,
    ReferralStatus,
    Role,
    Service,
    User,
)
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import demo_key_id
from tests.conftest import error_shown, location, make_test_app, post_form
from tests.factories import make_account, make_referral, make_resident

S = ReferralStatus
PANTRY = demo_id("Riverside Community Hub/Community food pantry")  # orgstaff@'s organisation
DECLINED = demo_key_id("referral", "leyla-english")  # the demo link worker's, declined by New Roots


def user(db_session, email: str) -> User:
    return db_session.exec(select(User).where(User.email == email)).one()


@pytest.fixture
def referral(db_session):
    """A new referral to Riverside's food pantry from the demo link worker, waiting for an answer."""
    link_worker = user(db_session, "linkworker@example.org")
    resident = make_resident(
        db_session, created_by=link_worker, name="Wanda Wombat", phone="07700 900444", bsl_interpreter=True
    )
    return make_referral(
        db_session,
        service=db_session.get(Service, PANTRY),
        referrer=link_worker,
        resident=resident,
        reason="Needs food for her children this week",
        needs=("food",),
    )


def fresh(db_session, model, key):
    db_session.expire_all()
    return db_session.get(model, key)


# --- The organisation answers --------------------------------------------------------------------------------------


def tab_counts(html: str) -> dict[str, int]:
    return {
        label: int(count)
        for label, count in re.findall(r'app-tabs__link"[^>]*>([^<]+?) <span class="app-tabs__count">\((\d+)\)', html)
    }


def test_the_inbox_has_tabs_with_counts_and_shows_communication_needs(act_as, referral):
    client = act_as("org_staff")
    page = client.get("/inbox").text
    assert tab_counts(page) == {"New": 4, "In progress": 2, "Closed": 3}  # the demo's, and this test's referral
    assert "Wanda Wombat" in page and "Needs a BSL interpreter" in page
    assert "Self-referral" in page
    assert "Leyla Ahmed" not in client.get("/inbox?tab=closed").text  # New Roots' declined referral
    in_progress = client.get("/inbox?tab=in_progress").text
    assert "Dan Moss" in in_progress and "Wanda Wombat" not in in_progress
    assert client.get("/inbox?tab=nonsense&page=-3").status_code == 200


def test_my_referrals_lists_what_the_link_worker_sent(act_as, referral):
    page = act_as("link_worker").get("/referrals").text
    assert "Wanda Wombat" in page and "Waiting for an answer" in page
    assert tab_counts(page)["Waiting for an answer"] == 3  # ana-food, tom-digital and this one


def change(client, referral_id, to: str, version, **data):
    return post_form(
        client,
        f"/referrals/{referral_id}/status/{to}",
        {"version": str(version), **data},
        page=f"/referrals/{referral_id}",
    )


def test_staff_accept_contact_attended_and_complete_through_the_buttons(act_as, db_session, referral):
    client = act_as("org_staff")
    page = client.get(f"/referrals/{referral.id}").text
    assert "Accept" in page and "Wanda Wombat" in page and "Needs food for her children" in page
    assert f'action="/referrals/{referral.id}/status/accepted"' in page
    assert f'href="/referrals/{referral.id}/decline"' in page
    for version, to in enumerate(("accepted", "contacted", "attended", "completed"), start=1):
        assert location(change(client, referral.id, to, version, note=f"Step {to}")) == f"/referrals/{referral.id}"
    current = fresh(db_session, Referral, referral.id)
    assert (current.status, current.version) == (S.COMPLETED, 5)
    page = client.get(f"/referrals/{referral.id}").text
    assert "Referral updated: Completed" in page and "Step contacted" in page
    assert "What happens next" not in page  # nothing more to do
    messages = db_session.exec(select(OutboxMessage).where(OutboxMessage.referral_id == referral.id)).all()
    assert [message.kind for message in messages] == ["referral_answered"]


def test_did_not_attend(act_as, db_session, referral):
    client = act_as("org_staff")
    for version, to in enumerate(("accepted", "contacted", "did_not_attend"), start=1):
        location(change(client, referral.id, to, version))
    assert fresh(db_session, Referral, referral.id).status == S.DID_NOT_ATTEND


def test_declining_needs_a_reason_and_other_needs_a_note(act_as, db_session, referral):
    client = act_as("org_staff")
    path = f"/referrals/{referral.id}/decline"
    page = client.get(path).text
    assert 'name="version"' in page and 'value="1"' in page
    bad = post_form(client, path, {"version": "1"})
    assert error_shown(bad.text, "reason", "Select why you are declining the referral")
    bad = post_form(client, path, {"version": "1", "reason": "other", "note": "  "})
    assert error_shown(bad.text, "note", "Say why you are declining the referral")
    assert re.search(r'value="other"\s+checked', bad.text)
    assert location(post_form(client, path, {"version": "1", "reason": "other", "note": "Moved away"})).endswith(
        str(referral.id)
    )
    current = fresh(db_session, Referral, referral.id)
    assert (current.status, current.decline_reason) == (S.DECLINED, DeclineReason.OTHER)
    event = db_session.exec(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral.id, ReferralEvent.kind == EventKind.STATUS)
    ).one()
    assert event.note == "Moved away"
    assert client.get(path).status_code == 409  # nothing left to decline


def test_a_stale_version_gets_409_with_the_message_and_the_referral_as_it_is_now(act_as, db_session, referral):
    client = act_as("org_staff")
    location(change(client, referral.id, "accepted", 1))
    response = change(client, referral.id, "accepted", 1)  # someone else's page, still at version 1
    assert response.status_code == 409
    assert "Someone else changed this referral while you were looking at it" in response.text
    assert "Accepted" in response.text and 'name="version" type="hidden" value="2"' in response.text
    declined = post_form(client, f"/referrals/{referral.id}/decline", {"version": "1", "reason": "no_capacity"})
    assert declined.status_code == 409
    assert fresh(db_session, Referral, referral.id).status == S.ACCEPTED


def test_an_impossible_change_gets_409(act_as, db_session, referral):
    client = act_as("org_staff")
    response = change(client, referral.id, "completed", 1)
    assert response.status_code == 409
    assert "That change cannot be made to the referral as it is now" in response.text
    assert fresh(db_session, Referral, referral.id).status == S.SENT


def test_a_change_the_person_may_not_make_is_403(act_as, db_session, referral):
    assert change(act_as("org_staff"), referral.id, "withdrawn", 1).status_code == 403
    assert change(act_as("link_worker"), referral.id, "accepted", 1).status_code == 403
    assert fresh(db_session, Referral, referral.id).status == S.SENT


@pytest.mark.parametrize("version", ["", "abc", "1.5"])
def test_a_tampered_version_is_400(act_as, db_session, referral, version):
    response = change(act_as("org_staff"), referral.id, "accepted", version)
    assert response.status_code == 400
    assert fresh(db_session, Referral, referral.id).status == S.SENT


def test_the_referrer_withdraws_the_referral(act_as, db_session, referral):
    location(change(act_as("link_worker"), referral.id, "withdrawn", 1))
    assert fresh(db_session, Referral, referral.id).status == S.WITHDRAWN


def test_refer_elsewhere_after_a_decline_starts_a_draft_with_everything_but_service_and_consent(act_as, db_session):
    client = act_as("link_worker")
    page = client.get(f"/referrals/{DECLINED}").text
    assert "Refer elsewhere" in page
    service_page = location(
        post_form(client, f"/referrals/{DECLINED}/refer-elsewhere", {}, page=f"/referrals/{DECLINED}")
    )
    draft_id = service_page.split("/")[3]
    consent = location(post_form(client, service_page, {"service_id": str(PANTRY)}))
    assert consent == f"/referrals/drafts/{draft_id}/consent"  # everything else is already answered
    page = client.get(consent).text
    assert 'value="Leyla Ahmed"' in page and "Riverside Community Hub" in page
    assert not re.search(r'name="agreed"[^>]*checked', page)  # consent is asked again
    check = location(
        post_form(
            client,
            consent,
            {
                "consent_by": "Leyla Ahmed",
                "consent_method": "spoken_interpreter",
                "consent_interpreter_language": "ar",
                "agreed": "y",
            },
        )
    )
    page = client.get(check).text
    assert "Leyla Ahmed" in page and "Wants to practise English for the school run." in page
    assert "English language" in page or "English" in page


def test_only_the_referrer_may_refer_elsewhere(act_as, db_session, referral):
    other = make_account(db_session, role=Role.LINK_WORKER)
    assert post_form(act_as(other), f"/referrals/{DECLINED}/refer-elsewhere", {}, page="/referrals").status_code == 404


def test_withdrawn_consent_hides_the_persons_details_from_the_organisation(act_as, db_session, referral):
    link_worker = act_as("link_worker")
    path = f"/referrals/{referral.id}/withdraw-consent"
    bad = post_form(link_worker, path, {"note": "Kept note"})
    assert error_shown(bad.text, "confirm", "Confirm that the person has withdrawn their consent")
    assert "Kept note" in bad.text
    assert location(post_form(link_worker, path, {"confirm": "y", "note": "Phoned"})) == f"/referrals/{referral.id}"
    current = fresh(db_session, Referral, referral.id)
    assert (current.status, current.consent_withdrawn) == (S.WITHDRAWN, True)
    assert "Wanda Wombat" in link_worker.get(f"/referrals/{referral.id}").text  # the referrer still knows them
    assert location(link_worker.get(path)) == f"/referrals/{referral.id}"  # nothing more to withdraw

    staff = act_as("org_staff")
    page = staff.get(f"/referrals/{referral.id}").text
    assert "Consent withdrawn" in page
    for private in ("Wanda Wombat", "07700 900444", "Needs food for her children", "Needs a BSL interpreter"):
        assert private not in page, private
    closed = staff.get("/inbox?tab=closed").text
    assert "Consent withdrawn" in closed and "Wanda Wombat" not in closed
    outcome = staff.get(f"/referrals/{referral.id}/outcomes/ons4/baseline")
    assert outcome.status_code == 403


# --- Outcomes and notes --------------------------------------------------------------------------------------------


def ons4(client, referral_id, stage, values):
    data = dict(
        zip(("item_life_satisfaction", "item_worthwhile", "item_happiness", "item_anxiety"), values, strict=True)
    )
    return post_form(client, f"/referrals/{referral_id}/outcomes/ons4/{stage}", data)


def test_outcomes_are_validated_and_the_change_is_shown(act_as, db_session, referral):
    client = act_as("org_staff")
    bad = ons4(client, referral.id, "baseline", ("abc", "11", "", "-1"))
    assert bad.status_code == 200
    for field in ("item_life_satisfaction", "item_worthwhile", "item_happiness", "item_anxiety"):
        assert error_shown(bad.text, field, "Enter a number from 0 to 10"), field
    assert bad.text.count("Enter a number from 0 to 10</a>") == 4  # once each, in the summary
    assert "Enter an age" not in bad.text
    assert 'value="abc"' in bad.text and 'value="11"' in bad.text
    assert location(ons4(client, referral.id, "baseline", ("4", "5", "6", "8"))).endswith(f"{referral.id}#outcomes")
    location(ons4(act_as("link_worker"), referral.id, "follow_up", ("7", "5", "3", "2")))
    page = client.get(f"/referrals/{referral.id}").text
    assert "+3" in page and "-6" in page and "(better)" in page and "(worse)" in page
    assert "Well-being answers recorded" in page
    assert client.get(f"/referrals/{referral.id}/outcomes/nonsense/baseline").status_code == 404
    assert client.get(f"/referrals/{referral.id}/outcomes/ons4/halfway").status_code == 404


def test_notes_are_added_to_the_timeline(act_as, db_session, referral):
    client = act_as("org_staff")
    bad = post_form(client, f"/referrals/{referral.id}/notes", {"note": "   "}, page=f"/referrals/{referral.id}")
    assert bad.status_code == 400 and error_shown(bad.text, "note", "Enter a note")
    long = post_form(client, f"/referrals/{referral.id}/notes", {"note": "x" * 2001}, page=f"/referrals/{referral.id}")
    assert long.status_code == 400 and "Enter 2000 characters or fewer" in long.text
    response = post_form(
        client, f"/referrals/{referral.id}/notes", {"note": "Called, no answer"}, page=f"/referrals/{referral.id}"
    )
    assert location(response) == f"/referrals/{referral.id}#timeline"
    assert "Called, no answer" in client.get(f"/referrals/{referral.id}").text
    assert fresh(db_session, Referral, referral.id).version == 1  # a note changes no status


# --- Audit ---------------------------------------------------------------------------------------------------------


def test_viewing_a_referral_is_audited(act_as, db_session, referral):
    staff = user(db_session, "orgstaff@example.org")
    act_as(staff).get(f"/referrals/{referral.id}", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    entry = db_session.exec(
        select(AuditLog).where(AuditLog.referral_id == referral.id, AuditLog.action == "viewed_referral")
    ).one()
    assert (entry.user_id, entry.resident_id, entry.path) == (
        staff.id,
        referral.resident_id,
        f"/referrals/{referral.id}",
    )
    assert entry.remote_address == "192.0.2.7"


def test_listing_referrals_is_audited(act_as, db_session, referral):
    act_as("org_staff").get("/inbox")
    listed = db_session.exec(select(AuditLog).where(AuditLog.action == "listed_referral")).all()
    assert referral.id in {entry.referral_id for entry in listed}
    assert {entry.path for entry in listed} == {"/inbox"}


# --- Commands ------------------------------------------------------------------------------------------------------


@pytest.fixture
def cli(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection)
    return app.test_cli_runner()


def test_referrals_nudge_queues_reminders_once(cli, db_session, referral):
    referral.created_at = datetime.now(UTC) - timedelta(days=21)
    old_draft = ReferralDraft(user_id=referral.referrer_id, created_at=datetime.now(UTC) - timedelta(days=8))
    db_session.add_all([referral, old_draft])
    db_session.flush()
    result = cli.invoke(args=["referrals", "nudge"])
    assert result.exit_code == 0, result.output
    assert "Queued reminders for" in result.output and "unanswered after 5 working days" in result.output
    assert "Removed 1 unsent draft(s) older than 7 days." in result.output
    nudges = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.referral_id == referral.id, OutboxMessage.kind == "nudge")
    ).all()
    assert len(nudges) == 1
    again = cli.invoke(args=["referrals", "nudge"])
    assert "Queued reminders for 0 referral(s)" in again.output


def test_measures_import_adds_a_measure_or_says_what_is_wrong(cli, db_session, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"code": "calm", "name": "Calm scale", "items": [{"code": "c1", "text": "Calm?"}]}))
    result = cli.invoke(args=["measures", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Measure calm (Calm scale) is ready to use." in result.output
    assert db_session.get(Measure, "calm").name == "Calm scale"

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"code": "worse", "name": "Worse", "items": [{"code": "w1", "text": "?"}, {"code": "w1"}]})
    )
    result = cli.invoke(args=["measures", "import", str(bad)])
    assert result.exit_code == 1
    assert "Error: Item 2 needs a code and a text." in result.output
    assert db_session.get(Measure, "worse") is None
    missing = cli.invoke(args=["measures", "import", str(tmp_path / "nowhere.json")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_a_database_failure_still_gets_the_friendly_error_page(act_as, referral, monkeypatch):
    """A flush that fails leaves the request's session unusable; the error page (which reads the signed-in user)
    is rendered after rolling it back, instead of failing in turn."""
    from referral_app.services import referral_lifecycle

    def failing_note(*, session, **_arguments):
        session.add(ReferralEvent(referral_id=uuid.uuid4(), kind=EventKind.NOTE))  # no such referral
        session.flush()

    monkeypatch.setattr(referral_lifecycle, "add_note", failing_note)
    client = act_as("org_staff")
    response = post_form(client, f"/referrals/{referral.id}/notes", {"note": "Hi"}, page=f"/referrals/{referral.id}")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "Olu Riverside" in response.text or "Sign out" in response.text  # still signed in
