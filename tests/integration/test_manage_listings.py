"""Organisation staff keep their own listings up to date; nobody else's."""

import pytest
from sqlmodel import select

from referral_app.models import ChangeLog, Organization, Phone, Schedule, Service, ServiceAtLocation
from referral_app.services.demo_data import demo_id
from tests.conftest import csrf_token_from

PANTRY = demo_id("Riverside Community Hub/Community food pantry")  # orgstaff@'s organisation
OTHER = demo_id("New Roots Refugee Welcome/English conversation club")  # orgstaff2@'s organisation

VALID = {
    "name": "Community food pantry",
    "description": "Fresh and cupboard food every week.",
    "status": "active",
    "is_free": "yes",
    "delivery": ["in_person"],
    "needs": ["food"],
    "languages": ["en", "ar"],
}


def post(client, path, data):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(path, data={"csrf_token": csrf_token_from(page.text), **data})


def test_staff_see_only_their_organisations_listings(sign_in_as):
    page = sign_in_as("org_staff").get("/manage/services").text
    assert "Community food pantry" in page
    assert "English conversation club" not in page


def test_editing_details_saves_logs_and_updates_search(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    response = post(
        client, f"/manage/services/{PANTRY}/edit", {**VALID, "name": "Riverside larder", "bsl": ["interpreter"]}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/manage/services/{PANTRY}"
    db_session.expire_all()
    service = db_session.get(Service, PANTRY)
    assert (service.name, service.bsl_interpreter, service.is_free) == ("Riverside larder", True, True)
    assert "Riverside larder" in client.get("/services?q=larder").text
    change = db_session.exec(select(ChangeLog).where(ChangeLog.entity_id == str(PANTRY))).all()[-1]
    assert change.action == "updated" and change.user_id is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the name of the service"),
        (
            {"minimum_age": "30", "maximum_age": "20"},
            "The oldest age must be the same as or more than the youngest age",
        ),
        ({"minimum_age": "ten"}, "Enter an age as a number, like 16"),
        ({"is_free": "no"}, "Say what the service costs"),
        ({"url": "javascript:alert(1)"}, "Enter a web address starting with https://"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.org"),
        ({"needs": []}, "Select at least one thing the service helps with"),
        ({"delivery": []}, "Select at least one way people use the service"),
    ],
)
def test_bad_details_get_a_message_and_keep_what_was_typed(sign_in_as, changes, message):
    client = sign_in_as("org_staff")
    response = post(client, f"/manage/services/{PANTRY}/edit", {**VALID, "description": "Typed text kept", **changes})
    assert response.status_code == 200
    assert message in response.text
    assert "Typed text kept" in response.text
    assert "<title>Error:" in response.text


def test_staff_add_a_service_to_their_own_organisation(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    response = post(client, "/manage/services/new", {**VALID, "name": "Baby bank"})
    assert response.status_code == 303
    service = db_session.exec(select(Service).where(Service.name == "Baby bank")).one()
    assert service.organization_id == demo_id("Riverside Community Hub")


def test_admins_add_a_service_to_any_organisation(sign_in_as, db_session):
    client = sign_in_as("admin")
    org = demo_id("Deaf Connect")
    assert (
        post(client, f"/manage/services/new?organisation={org}", {**VALID, "name": "Deaf quokka club"}).status_code
        == 303
    )
    assert db_session.exec(select(Service).where(Service.name == "Deaf quokka club")).one().organization_id == org
    assert client.get("/manage/services/new").status_code == 404  # an admin must say which organisation


def test_translation_shows_on_the_public_page_and_is_searchable(sign_in_as):
    client = sign_in_as("org_staff")
    response = post(
        client, f"/manage/services/{PANTRY}/translations/cy", {"name": "Pantri bwyd cymunedol", "description": ""}
    )
    assert response.status_code == 303
    assert "Pantri bwyd cymunedol" in client.get(f"/services/{PANTRY}?lang=cy").text
    assert "Pantri bwyd cymunedol" in client.get("/services?q=pantri&lang=cy").text
    assert client.get(f"/manage/services/{PANTRY}/translations/en").status_code == 404
    assert client.get(f"/manage/services/{PANTRY}/translations/xx").status_code == 404


def test_opening_times_two_periods_a_day_and_remove(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    path = f"/manage/services/{PANTRY}/opening-times"
    assert post(client, path, {"days": ["SA"], "opens": "9.30", "closes": "12:00"}).status_code == 303
    assert (
        post(client, path, {"days": ["SA"], "opens": "13:00", "closes": "15:00", "notes": "Not in August"}).status_code
        == 303
    )
    saturday = db_session.exec(select(Schedule).where(Schedule.service_id == PANTRY, Schedule.byday == "SA")).all()
    assert sorted(f"{s.opens_at:%H:%M}" for s in saturday) == ["09:30", "13:00"]
    page = client.get(f"/services/{PANTRY}").text
    assert "09:30 to 12:00" in page and "13:00 to 15:00" in page and "Not in August" in page
    token = csrf_token_from(client.get(path).text)
    assert client.post(f"{path}/{saturday[0].id}/remove", data={"csrf_token": token}).status_code == 303


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"opens": "09:00", "closes": "17:00"}, "Select at least one day"),
        ({"days": ["MO"], "opens": "9am", "closes": "17:00"}, "Enter a time like 09:30, using the 24-hour clock"),
        ({"days": ["MO"], "opens": "17:00", "closes": "09:00"}, "The closing time must be after the opening time"),
        ({"days": ["MO"], "opens": "09:00", "closes": "25:00"}, "Enter a time like 16:00, using the 24-hour clock"),
    ],
)
def test_opening_times_that_make_no_sense_are_refused(sign_in_as, data, message):
    response = post(sign_in_as("org_staff"), f"/manage/services/{PANTRY}/opening-times", data)
    assert response.status_code == 200
    assert message in response.text


def test_contact_methods(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    path = f"/manage/services/{PANTRY}/contacts"
    assert post(client, path, {"kind": "sms", "value": "07700 900456"}).status_code == 303
    assert "Enter a phone number" in post(client, path, {"kind": "phone", "value": "call us"}).text
    assert "starting with https://" in post(client, path, {"kind": "video_relay", "value": "signvideo"}).text
    assert 'href="sms:07700900456"' in client.get(f"/services/{PANTRY}").text
    phone = db_session.exec(select(Phone).where(Phone.number == "07700 900456")).one()
    token = csrf_token_from(client.get(path).text)
    assert client.post(f"{path}/{phone.id}/remove", data={"csrf_token": token}).status_code == 303


def test_places_use_the_postcode_district_for_distance(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    path = f"/manage/services/{PANTRY}/locations"
    data = {"name": "Church hall", "address_1": "1 Chapel Lane", "city": "Sheffield", "postcode": "S5 6AB",
            "features": ["hearing_loop"]}  # fmt: skip
    assert post(client, path, data).status_code == 303
    assert "Church hall" in client.get(f"/services/{PANTRY}").text
    assert "Enter a full postcode" in post(client, path, {**data, "postcode": "S5"}).text
    assert "We could not find that postcode" in post(client, path, {**data, "postcode": "ZZ9 9ZZ"}).text
    links = db_session.exec(select(ServiceAtLocation).where(ServiceAtLocation.service_id == PANTRY)).all()
    token = csrf_token_from(client.get(path).text)
    for link in links:
        assert client.post(f"{path}/{link.id}/remove", data={"csrf_token": token}).status_code == 303


def test_mark_as_checked_today(sign_in_as, db_session):
    client = sign_in_as("org_staff")
    token = csrf_token_from(client.get(f"/manage/services/{PANTRY}").text)
    assert client.post(f"/manage/services/{PANTRY}/checked", data={"csrf_token": token}).status_code == 303
    db_session.expire_all()
    service = db_session.get(Service, PANTRY)
    # The organisation's public address is published as the assurer, not the staff member's own.
    organisation_email = db_session.get(Organization, service.organization_id).email
    assert service.assurer_email == organisation_email != "orgstaff@example.org"


OTHER_ORGANISATION_PATHS = [
    ("get", f"/manage/services/{OTHER}"),
    ("get", f"/manage/services/{OTHER}/edit"),
    ("post", f"/manage/services/{OTHER}/edit"),
    ("post", f"/manage/services/{OTHER}/checked"),
    ("get", f"/manage/services/{OTHER}/translations/cy"),
    ("post", f"/manage/services/{OTHER}/translations/cy"),
    ("get", f"/manage/services/{OTHER}/opening-times"),
    ("post", f"/manage/services/{OTHER}/opening-times"),
    ("post", f"/manage/services/{OTHER}/opening-times/00000000-0000-0000-0000-000000000000/remove"),
    ("get", f"/manage/services/{OTHER}/contacts"),
    ("post", f"/manage/services/{OTHER}/contacts"),
    ("post", f"/manage/services/{OTHER}/contacts/00000000-0000-0000-0000-000000000000/remove"),
    ("get", f"/manage/services/{OTHER}/locations"),
    ("post", f"/manage/services/{OTHER}/locations"),
    ("post", f"/manage/services/{OTHER}/locations/00000000-0000-0000-0000-000000000000/remove"),
]


@pytest.mark.parametrize(("method", "path"), OTHER_ORGANISATION_PATHS)
def test_another_organisations_listing_is_404_everywhere(sign_in_as, method, path):
    client = sign_in_as("org_staff")
    token = csrf_token_from(client.get("/manage/services").text)
    response = client.get(path) if method == "get" else client.post(path, data={"csrf_token": token, **VALID})
    assert response.status_code == 404


def test_removing_another_services_record_through_my_service_is_404(sign_in_as, db_session):
    other_schedule = db_session.exec(select(Schedule).where(Schedule.service_id == OTHER)).first()
    client = sign_in_as("org_staff")
    token = csrf_token_from(client.get("/manage/services").text)
    path = f"/manage/services/{PANTRY}/opening-times/{other_schedule.id}/remove"
    assert client.post(path, data={"csrf_token": token}).status_code == 404


@pytest.mark.parametrize("role_key", ["link_worker", "commissioner"])
def test_other_roles_cannot_manage_listings(sign_in_as, role_key):
    client = sign_in_as(role_key)
    assert client.get("/manage/services").status_code == 403
    assert client.get(f"/manage/services/{PANTRY}").status_code == 403
