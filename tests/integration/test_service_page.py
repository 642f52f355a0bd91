"""The public service page, and reporting a problem with a listing."""

import pytest
from sqlmodel import select

from referral_app.models import (
    ChangeLog,
    Contact,
    ContactKind,
    ListingReport,
    OrganizationStatus,
    Phone,
    ServiceTranslation,
)
from tests.conftest import csrf_token_from
from tests.factories import add_location, add_schedule, make_organization, make_service, tag


@pytest.fixture
def service(db_session):
    org = make_organization(db_session, name="Otter Trust")
    service = make_service(
        db_session,
        organization=org,
        name="Otter advice",
        description="Advice about money.",
        application_process="Just drop in",
        eligibility_description="Anyone in Sheffield",
        minimum_age=18,
        email="advice@otter.example.org",
        url="https://otter.example.org",
        bsl_interpreter=True,
        last_verified_on=None,
    )
    tag(db_session, service, needs=["money"], languages=["prs", "bfi"])
    add_location(db_session, service, latitude=53.4, longitude=-1.46, features=["hearing_loop"])
    add_schedule(db_session, service, "MO", "09:30", "12:00", notes="Closed on bank holidays")
    add_schedule(db_session, service, "MO", "13:00", "15:30")
    contact = Contact(service_id=service.id, name="Front desk")
    db_session.add(contact)
    db_session.flush()
    for kind, number in [
        (ContactKind.PHONE, "0114 496 0000"),
        (ContactKind.SMS, "07700 900123"),
        (ContactKind.RELAY_UK, "0114 496 0000"),
        (ContactKind.VIDEO_RELAY, "https://signvideo.example.org/otter"),
    ]:
        db_session.add(Phone(contact_id=contact.id, number=number, kind=kind))
    db_session.flush()
    return service


def test_service_page_shows_everything_a_person_needs(client, service):
    page = client.get(f"/services/{service.id}").text
    for text in [
        "Otter advice", "Otter Trust", "Advice about money.", "Just drop in", "Anyone in Sheffield", "Age 18 and over",
        "A BSL interpreter can be booked", "Dari", "British Sign Language (BSL)", "Money and debt",
        "09:30 to 12:00", "13:00 to 15:30", "Closed on bank holidays", "Hearing loop",
        'href="tel:01144960000"', 'href="sms:07700900123"', 'href="tel:1800101144960000"',
        'href="https://signvideo.example.org/otter"', 'href="mailto:advice@otter.example.org"',
        'href="geo:53.400000,-1.460000', "openstreetmap.org", "This information may be out of date",
        f'href="/services/{service.id}/report"',
    ]:  # fmt: skip
        assert text in page, text


def test_service_page_in_welsh_uses_the_translation_and_marks_the_rest(client, service, db_session):
    db_session.add(ServiceTranslation(service_id=service.id, locale="cy", name="Cyngor Dyfrgi"))
    db_session.flush()
    page = client.get(f"/services/{service.id}?lang=cy").text
    assert '<h1 class="govuk-heading-l">Cyngor Dyfrgi</h1>' in page
    assert 'lang="en" dir="ltr">Advice about money.</p>' in page
    assert "Dydd Llun" in page  # Monday


def test_pending_organisations_services_are_not_public(client, db_session):
    org = make_organization(db_session, status=OrganizationStatus.PENDING)
    hidden = make_service(db_session, organization=org)
    assert client.get(f"/services/{hidden.id}").status_code == 404


def report(client, service, **data):
    form = client.get(f"/services/{service.id}/report")
    return client.post(f"/services/{service.id}/report", data={"csrf_token": csrf_token_from(form.text), **data})


def test_reporting_a_problem_reaches_the_organisation(client, service, db_session):
    response = report(client, service, reason="wrong_contact", details="The number has changed.\nNew: 0114 496 0999")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/services/{service.id}/report/sent"
    assert "Thank you for your report" in client.get(response.headers["Location"]).text
    [saved] = db_session.exec(select(ListingReport).where(ListingReport.service_id == service.id)).all()
    assert (saved.reason.value, saved.locale) == ("wrong_contact", "en")
    assert saved.details.startswith("The number has changed.")


def test_report_without_a_reason_is_refused_and_keeps_the_details(client, service):
    response = report(client, service, details="Something odd")
    assert response.status_code == 200
    assert "Select what is wrong with this listing" in response.text
    assert "Something odd" in response.text


def test_report_from_a_bot_is_quietly_dropped(client, service, db_session):
    response = report(client, service, reason="other", details="buy pills", website="http://spam.example")
    assert response.status_code == 303
    assert db_session.exec(select(ListingReport).where(ListingReport.service_id == service.id)).all() == []


def test_too_long_report_details_get_a_message(client, service):
    response = report(client, service, reason="other", details="x" * 1001)
    assert "Enter 1000 characters or fewer" in response.text


def test_reports_are_seen_and_resolved_only_by_their_organisation_and_admins(client, sign_in_as, db_session):
    from referral_app.models import ReportReason
    from referral_app.services.demo_data import demo_id
    from referral_app.services.listing_reports import create_report

    pantry = demo_id("Riverside Community Hub/Community food pantry")
    club = demo_id("New Roots Refugee Welcome/English conversation club")
    mine = create_report(
        session=db_session, service_id=pantry, reason=ReportReason.CLOSED, details="Shut for good?", locale="en"
    )
    theirs = create_report(
        session=db_session, service_id=club, reason=ReportReason.UNCLEAR, details="Which room?", locale="en"
    )
    staff = sign_in_as("org_staff")
    page = staff.get("/manage/reports").text
    assert "Shut for good?" in page and "Which room?" not in page
    token = csrf_token_from(page)
    assert staff.post(f"/manage/reports/{theirs.id}/resolve", data={"csrf_token": token}).status_code == 404
    response = staff.post(f"/manage/reports/{mine.id}/resolve", data={"csrf_token": token, "note": "Phoned them"})
    assert response.status_code == 303
    db_session.expire_all()
    assert mine.resolved_at is not None and mine.resolution_note == "Phoned them"
    assert theirs.resolved_at is None
    assert "Shut for good?" in staff.get("/manage/reports?show=resolved").text
    [change] = db_session.exec(select(ChangeLog).where(ChangeLog.entity == "listing_report")).all()
    assert change.entity_id == str(mine.id)


def test_admins_see_every_report(sign_in_as, db_session):
    from referral_app.models import ReportReason
    from referral_app.services.demo_data import demo_id
    from referral_app.services.listing_reports import create_report

    club = demo_id("New Roots Refugee Welcome/English conversation club")
    create_report(session=db_session, service_id=club, reason=ReportReason.UNCLEAR, details="Which room?", locale="cy")
    page = sign_in_as("admin").get("/manage/reports").text
    assert "Which room?" in page
    assert 'lang="cy" dir="auto">Which room?' in page


@pytest.mark.parametrize("role_key", ["link_worker", "commissioner"])
def test_other_roles_cannot_see_reports(sign_in_as, role_key):
    assert sign_in_as(role_key).get("/manage/reports").status_code == 403
