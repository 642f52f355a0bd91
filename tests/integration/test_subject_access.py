"""Admins find a resident and see, or download, everything held about them; every read is audited."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import select

from referral_app.models import AuditLog
from referral_app.services import subject_access
from tests.conftest import csrf_token_from, error_shown, post_form
from tests.factories import make_resident
from tests.integration.resident_records import (
    ACCEPT_NOTE,
    DECLINE_NOTE,
    EMAIL,
    NAME,
    NOTE,
    OTHER,
    PHONE,
    REASON,
    SCORES,
    SELF_REASON,
    TIMES,
    make_record,
)


@pytest.fixture
def record(app, db_session):
    with app.app_context():
        return make_record(db_session)


def actions_for(db_session, resident_id) -> list[str]:
    return list(db_session.exec(select(AuditLog.action).where(AuditLog.resident_id == resident_id)).all())


def test_the_page_shows_everything_held_and_is_audited(record, act_as, db_session):
    client = act_as("admin")
    page = client.get(f"/admin/residents/{record.resident.id}")

    assert page.status_code == 200
    text = unescape(page.text)
    for value in (NAME, PHONE, EMAIL, TIMES, OTHER, SELF_REASON, REASON, NOTE, ACCEPT_NOTE, DECLINE_NOTE):
        assert value in text, value
    for value in (record.self_referral.reference, record.referral.reference, "Olu Staffmember", "Lin Worker"):
        assert value in text, value
    assert "Overall, how anxious did you feel yesterday?" in text  # the outcome answers, question by question
    assert "has been sent. Your reference is" in text and "has accepted your request" in text  # her texts
    assert "was declined" not in text  # the email to the link worker is not hers
    assert "Looked at a referral" in text  # the audit trail about her
    assert f"/admin/residents/{record.resident.id}/export.json" in text
    assert f"/admin/audit?resident={record.resident.id}" in text
    assert "subject_access" in actions_for(db_session, record.resident.id)


def test_the_download_holds_the_same_as_json(record, act_as, db_session):
    response = act_as("admin").get(f"/admin/residents/{record.resident.id}/export.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert list(data) == ["format", "generated_at", "resident", "referrals", "messages", "drafts", "audit",
                          "audit_complete"]  # fmt: skip
    person = data["resident"]
    assert (person["name"], person["phone"], person["email"]) == (NAME, PHONE, EMAIL)
    assert (person["times_to_avoid"], person["other_communication"]) == (TIMES, OTHER)
    assert (person["postcode_district"], person["age_band"], person["priority_groups"]) == (
        "S4",
        "25_34",
        ["roma", "carer"],
    )
    assert person["created_at"].endswith("+00:00")  # ISO 8601, in UTC
    mine, theirs = data["referrals"]
    assert (mine["reference"], mine["reason"], mine["status"]) == (
        record.self_referral.reference,
        SELF_REASON,
        "accepted",
    )
    assert [event["note"] for event in mine["events"]] == ["", NOTE, ACCEPT_NOTE, "ons4:baseline"]
    assert mine["outcomes"][0]["answers"] == SCORES and mine["private_status_link_active"] is True
    assert (theirs["reason"], theirs["decline_reason"], theirs["referred_by"]["name"]) == (
        REASON,
        "other",
        "Lin Worker",
    )
    assert theirs["events"][-1]["note"] == DECLINE_NOTE and theirs["needs"] == ["food"]
    assert {message["kind"] for message in data["messages"]} == {"self_referral_received", "referral_answered"}
    assert {message["recipient"] for message in data["messages"]} == {PHONE}
    assert data["drafts"][0]["answers"]["resident"]["name"] == NAME
    assert {"viewed_referral", "subject_access_export"} <= {entry["action"] for entry in data["audit"]}
    assert "192.0.2.7" not in response.text  # staff's addresses stay on the audit trail page
    assert actions_for(db_session, record.resident.id).count("subject_access_export") == 1


def test_search_finds_by_name_email_phone_or_reference_case_insensitively(record, act_as, db_session):
    client = act_as("admin")
    path = f"/admin/residents/{record.resident.id}"
    reference = record.referral.reference.replace("-", "").lower()
    for query in ("quorn-x", "ZELDA.QUORN@EXAMPLE", "01632960417", "+44 1632 960417", reference, "Quorn\x00-X"):
        response = post_form(client, "/admin/residents", {"query": query})
        assert response.status_code == 200
        assert path in response.text, query
    assert "1 resident found" in response.text
    assert actions_for(db_session, record.resident.id).count("found_resident") == 6

    nothing = post_form(client, "/admin/residents", {"query": "Nobody ByThisname"})
    assert "0 residents found" in nothing.text


def test_search_explains_a_bad_query_and_keeps_it(act_as):
    client = act_as("admin")
    response = post_form(client, "/admin/residents", {"query": "z"})
    assert response.status_code == 400
    assert error_shown(response.text, "query", "Enter at least 2 characters")
    assert 'value="z"' in response.text
    empty = client.post("/admin/residents", data={"csrf_token": csrf_token_from(response.text), "query": "  "})
    assert error_shown(empty.text, "query", "Enter a name, email address, phone number or referral reference")


def test_search_rows_are_capped(db_session):
    for number in range(3):
        make_resident(db_session, name=f"Capped Person {number}")
    found, more = subject_access.find_residents(session=db_session, text="capped person", limit=2)
    assert len(found) == 2 and more
    found, more = subject_access.find_residents(session=db_session, text="capped person", limit=3)
    assert len(found) == 3 and not more


@pytest.mark.parametrize("who", ["link_worker", "org_staff", "commissioner"])
def test_only_admins_may_see_residents(record, act_as, who):
    client = act_as(who)
    for path in ("/admin/residents", f"/admin/residents/{record.resident.id}",
                 f"/admin/residents/{record.resident.id}/export.json"):  # fmt: skip
        assert client.get(path).status_code == 403, path


def test_an_unknown_resident_is_not_found(act_as):
    client = act_as("admin")
    assert client.get("/admin/residents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/admin/residents/00000000-0000-0000-0000-000000000000/export.json").status_code == 404


def test_script_in_a_name_is_shown_as_text(db_session, act_as):
    resident = make_resident(db_session, name='<script>alert("x")</script> Quinta')
    client = act_as("admin")
    found = post_form(client, "/admin/residents", {"query": "quinta"})
    page = client.get(f"/admin/residents/{resident.id}")
    for html in (found.text, page.text):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
