"""Attacks an information-governance lead asks about, through the running app: another organisation's ids in
forms, CSRF, open redirects, session fixation, script injection, upload abuse, and what the public API gives away.

What other tests already prove is not repeated here: referral pages by address (test_referral_isolation.py),
listings by address (test_manage_listings.py), the sign-in form's own checks (test_sign_in.py), video files and
/media names (test_videos.py), choosing another link worker's resident (test_referral_drafts.py) and each role's
answer from each endpoint (test_endpoint_matrix.py).
"""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape
from sqlmodel import func, select

from referral_app.models import (
    Contact,
    ListingReport,
    Organization,
    OutboxMessage,
    Phone,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Resident,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
    User,
    Video,
)
from referral_app.services import media, referrals
from referral_app.services.demo_media import CLIP, POSTER
from tests.conftest import csrf_token_from, post_form, sign_in, unavailable
from tests.factories import make_referral, make_resident
from tests.integration.test_endpoint_matrix import MATRIX, REFUSALS, ROLES
from tests.security_records import (
    NEW_ROOTS,
    NEW_ROOTS_SERVICE,
    PANTRY,
    RIVERSIDE,
    Records,
    build_records,
    without_rate_limits,
)

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
SHOWN = str(escape(PAYLOAD))  # how a page that shows it as text has it
RAW = ("<script>alert(1)", "<img src=x", "\"'><")
OFF_SITE = [
    "//evil.example", "https://evil.example/", "https:evil.example", "http:/evil.example", "/\\evil.example",
    "\\\\evil.example", "/%2F/evil.example", "%2F%2Fevil.example", "/\t/evil.example", " //evil.example",
    "///evil.example", "javascript:alert(1)", "/account\r\nLocation: https://evil.example", "/%0d%0aSet-Cookie:x=1",
    "//evil.example@localhost", "/.//evil.example",
]  # fmt: skip
# For attacks on what the pages and forms do, not on what the database keeps: one backend is enough.
ONE_BACKEND = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
LISTING = {
    "name": "Community food pantry",
    "description": "Fresh and cupboard food every week.",
    "status": "active",
    "is_free": "yes",
    "delivery": ["in_person"],
    "needs": ["food"],
}


@pytest.fixture
def records(app, db_session) -> Records:
    without_rate_limits(app)
    return build_records(app, db_session, Path(app.config["MEDIA_ROOT"]))


def shown_as_text(response, *, where: str = "") -> None:
    """The page shows the payload, escaped, and nowhere as markup."""
    assert response.status_code == 200, (where, response.status_code)
    for raw in RAW:
        assert raw not in response.text, (where, raw)
    assert SHOWN in response.text, f"{where} does not show the text at all"


def count(db_session, model, *where) -> int:
    return db_session.exec(select(func.count()).select_from(model).where(*where)).one()


def token_of(client) -> str:
    return csrf_token_from(client.get("/account").text)


# --- Another organisation's ids in forms and query strings ----------------------------------------------------------


def test_a_refused_request_with_a_complete_form_changes_nothing(act_as, db_session, records):
    """Staff of another organisation send complete, valid forms (not empty ones, which a form would refuse anyway)
    to every change of Riverside's records: each is 404 and nothing is written."""
    client = act_as("org_staff_other")
    token = token_of(client)
    ids = records.ids
    pantry = f"/manage/services/{PANTRY}"
    attempts = {
        f"{pantry}/edit": {**LISTING, "name": "Taken over"},
        f"{pantry}/checked": {},
        f"{pantry}/translations/cy": {"name": "Wedi'i gymryd"},
        f"{pantry}/opening-times": {"days": ["SU"], "opens": "01:00", "closes": "02:00"},
        f"{pantry}/opening-times/{ids['schedule']}/remove": {},
        f"{pantry}/contacts": {"kind": "phone", "value": "0114 496 0999"},
        f"{pantry}/contacts/{ids['phone']}/remove": {},
        f"{pantry}/locations": {"address_1": "1 Elsewhere", "city": "Sheffield", "postcode": "S5 6AB"},
        f"{pantry}/locations/{ids['link']}/remove": {},
        f"{pantry}/video/remove": {},
        f"/manage/reports/{ids['report']}/resolve": {"note": "Not mine"},
        f"/referrals/{ids['referral']}/decline": {"version": "1", "reason": "no_capacity"},
        f"/referrals/{ids['referral']}/status/accepted": {"version": "1"},
    }
    before = listing_state(db_session)
    for path, data in attempts.items():
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    db_session.expire_all()
    assert listing_state(db_session) == before


def listing_state(db_session) -> tuple:
    service = db_session.get(Service, PANTRY)
    return (
        service.name,
        service.last_verified_on,
        count(db_session, ServiceTranslation, ServiceTranslation.service_id == PANTRY),
        count(db_session, Schedule, Schedule.service_id == PANTRY),
        count(db_session, Phone),
        count(db_session, ServiceAtLocation, ServiceAtLocation.service_id == PANTRY),
        count(db_session, Video, Video.service_id == PANTRY),
        count(db_session, ListingReport, ListingReport.resolved_at.is_not(None)),
        count(db_session, ReferralEvent),
    )


def test_my_listing_cannot_reach_another_organisations_contact_or_place(act_as, db_session):
    """Ids in the address after my own service's: a contact or place of another organisation's service."""
    foreign_phone = next(p for p in db_session.exec(select(Phone)).all() if not belongs_to_pantry(db_session, p))
    other_link = db_session.exec(select(ServiceAtLocation).where(ServiceAtLocation.service_id != PANTRY)).first()
    client = act_as("org_staff")
    token = token_of(client)
    pantry = f"/manage/services/{PANTRY}"
    assert client.post(f"{pantry}/contacts/{foreign_phone.id}/remove", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{pantry}/locations/{other_link.id}/remove", data={"csrf_token": token}).status_code == 404
    db_session.expire_all()
    assert db_session.get(Phone, foreign_phone.id) is not None
    assert db_session.get(ServiceAtLocation, other_link.id) is not None


def belongs_to_pantry(db_session, phone: Phone) -> bool:
    contact = db_session.get(Contact, phone.contact_id)
    return contact is not None and contact.service_id == PANTRY


def test_staff_cannot_add_a_listing_to_another_organisation(act_as, db_session):
    client = act_as("org_staff")
    path = f"/manage/services/new?organisation={NEW_ROOTS}"
    data = {**LISTING, "name": "Cuckoo listing", "organization_id": str(NEW_ROOTS), "organisation": str(NEW_ROOTS)}
    assert post_form(client, path, data).status_code == 303
    assert db_session.exec(select(Service).where(Service.name == "Cuckoo listing")).one().organization_id == RIVERSIDE
    listed = client.get(f"/manage/services?organisation={NEW_ROOTS}").text
    assert "English conversation club" not in listed


def test_fields_a_form_does_not_offer_are_ignored(act_as, db_session, records):
    """Mass assignment: extra fields naming a role, an organisation, an owner or a status change nothing."""
    staff = records.users["org_staff"]
    client = act_as("org_staff")
    extra = {"role": "admin", "organization_id": str(NEW_ROOTS), "email": "taken@evil.example", "active": "y",
             "id": str(NEW_ROOTS_SERVICE), "status_token_hash": "x", "referrer_id": "1"}  # fmt: skip
    post_form(client, "/account", {"preferred_locale": "cy", **extra})
    listing_extra = {key: value for key, value in extra.items() if key != "email"}  # a listing has an email field
    post_form(client, f"/manage/services/{PANTRY}/edit", {**LISTING, **listing_extra})
    db_session.expire_all()
    user = db_session.get(User, staff.id)
    assert (user.role.value, user.organization_id, user.email) == ("org_staff", RIVERSIDE, "orgstaff@example.org")
    assert db_session.get(Service, PANTRY).organization_id == RIVERSIDE
    assert db_session.get(Service, NEW_ROOTS_SERVICE).name == "English conversation club"
    response = post_form(
        client, f"/services/{PANTRY}/refer-yourself",
        {"name": "Ana", "reason": "Food", "contact_method": "sms", "phone": "07700 900777", "language": "ro",
         "agreed": "y", "website": "", "status": "completed", "service_id": str(NEW_ROOTS_SERVICE), **extra},
    )  # fmt: skip
    token = response.headers["Location"].rsplit("/", 1)[1]
    referral = referrals.by_status_token(session=db_session, token=token)
    assert (referral.status, referral.service_id, referral.referrer_id) == (ReferralStatus.SENT, PANTRY, None)


def test_a_referral_can_only_be_for_a_listed_service(act_as, db_session, records):
    """The service id a link worker's form sends: a pending organisation's, a closed one, or none at all."""
    pending_service = db_session.exec(
        select(Service).where(Service.organization_id == uuid.UUID(records.ids["pending_org"]))
    ).first()
    closed = db_session.exec(select(Service).where(Service.status == ServiceStatus.DEFUNCT)).first()
    client = act_as("link_worker")
    token = token_of(client)
    for service_id in [s.id for s in (pending_service, closed) if s] + ["00000000-0000-0000-0000-000000000000"]:
        started = client.post("/referrals/new", data={"csrf_token": token, "service_id": str(service_id)})
        assert started.headers["Location"].endswith("/service"), service_id  # asked to choose one
        chosen = client.post(started.headers["Location"], data={"csrf_token": token, "service_id": str(service_id)})
        assert chosen.status_code == 200 and "Choose a service from the list" in chosen.text


def test_insights_offer_only_approved_organisations(act_as, records):
    page = act_as("commissioner").get(f"/insights?organisation={records.ids['pending_org']}")
    assert page.status_code == 200
    assert "Choose an option from the list" in page.text


# --- The Open Referral API is public directory data and nothing else -----------------------------------------------

API = "/api/openreferral"
SCHEMAS = Path(__file__).resolve().parents[2] / "referral_app" / "data" / "oruk" / "schema"
LISTS = {  # each list and the schema of one of its items
    "services": "compiled/service_list.json",
    "service_at_locations": "compiled/service_at_location_list.json",
    "organizations": "compiled/organization_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def every_page(client, name: str) -> list[dict]:
    items, page = [], 1
    while True:
        body = client.get(f"{API}/{name}?per_page=100&page={page}").get_json()
        assert set(body) == PAGE_KEYS, name
        items += body["contents"]
        if body["last_page"]:
            return items
        page += 1


# What we add to ORUK on purpose (services/oruk_api.py: the schemas allow extra properties and consumers need them).
EXTENSIONS = {
    "application_process", "eligibility_description", "is_free", "in_person", "online", "by_phone", "bsl_staff",
    "bsl_interpreter", "translations", "phones", "schedules", "code", "name", "outcode", "feature", "link_entity",
    "kind", "locale", "number", "contact_id",
}  # fmt: skip


def names_in(schema) -> set[str]:
    """Every property name a schema declares, at any depth."""
    if isinstance(schema, list):
        return set().union(*(names_in(item) for item in schema))
    if not isinstance(schema, dict):
        return set()
    return set(schema.get("properties", {})) | set().union(*(names_in(value) for value in schema.values()))


ORUK_NAMES = frozenset().union(*(names_in(json.loads(path.read_text())) for path in SCHEMAS.glob("**/*.json")))


def undeclared_keys(data, schema: dict | None, where: str = "") -> list[str]:
    """Keys in `data` that neither `schema` (a compiled ORUK schema) nor EXTENSIONS declare, anywhere in the tree;
    inside an extension (no schema there), keys must be names some ORUK schema uses, or extensions."""
    found = []
    if isinstance(data, dict):
        properties = (schema or {}).get("properties")
        for key, value in data.items():
            if properties is not None and key in properties:
                found += undeclared_keys(value, properties[key], f"{where}.{key}")
            elif key in EXTENSIONS or (properties is None and key in ORUK_NAMES):
                found += undeclared_keys(value, None, f"{where}.{key}")
            else:
                found.append(f"{where}.{key}")
    elif isinstance(data, list):
        items = (schema or {}).get("items")
        for value in data:
            found += undeclared_keys(value, items if isinstance(items, dict) else None, f"{where}[]")
    return found


def test_the_api_gives_out_directory_data_and_nothing_else(act_as, client, db_session, records):
    staff = act_as("org_staff")  # "mark as checked" must not publish the staff member's own email address
    assert staff.post(f"/manage/services/{PANTRY}/checked", data={"csrf_token": token_of(staff)}).status_code == 303
    staff.post("/sign-out", data={"csrf_token": token_of(staff)})
    everything = {name: every_page(client, name) for name in LISTS}
    details = [client.get(f"{API}/services/{item['id']}").get_json() for item in everything["services"][:15]]
    details += [client.get(f"{API}/organizations/{item['id']}").get_json() for item in everything["organizations"]]
    text = json.dumps([everything, details], ensure_ascii=False)
    private = [user.email for user in db_session.exec(select(User)).all()]
    private += [name for name in db_session.exec(select(Resident.name)).all() if " " in name]
    private += [row.reference for row in db_session.exec(select(Referral)).all()]
    private += [reason for reason in db_session.exec(select(Referral.reason)).all() if len(reason) > 12]
    private += [user.password_hash for user in db_session.exec(select(User)).all()]
    private += ["Private reason", "Closed now", "password_hash", "status_token", "session_token", "totp_secret"]
    leaked = [value for value in private if value and value in text]
    assert not leaked, leaked
    pending = db_session.get(Organization, uuid.UUID(records.ids["pending_org"]))
    assert pending.name not in text and str(pending.id) not in text
    for name, schema_file in LISTS.items():
        item_schema = json.loads((SCHEMAS / schema_file).read_text())
        assert [key for item in everything[name] for key in undeclared_keys(item, item_schema)] == [], name
    service_schema = json.loads((SCHEMAS / "compiled" / "service.json").read_text())
    organization_schema = json.loads((SCHEMAS / "compiled" / "organization.json").read_text())
    extra = [key for item in details if "services" not in item for key in undeclared_keys(item, service_schema)]
    extra += [key for item in details if "services" in item for key in undeclared_keys(item, organization_schema)]
    assert extra == []


# --- CSRF ----------------------------------------------------------------------------------------------------------


def allowed_role(row: dict) -> str:
    """The first role the matrix lets POST to an endpoint (the signed-out first, when it is public)."""
    for role in ROLES:
        expected = row[role]
        post = expected[1] if isinstance(expected, tuple) else expected
        if post not in REFUSALS:
            return role
    raise AssertionError(row)


@ONE_BACKEND
def test_every_post_is_refused_without_its_token_or_with_another_sessions(app, act_as, records):
    stranger = app.test_client()
    strangers_token = csrf_token_from(stranger.get("/sign-in").text)
    checked = []
    for endpoint, (template, row) in MATRIX.items():
        rule_methods = {m for rule in app.url_map.iter_rules(endpoint) for m in rule.methods}
        if "POST" not in rule_methods:
            continue
        role = allowed_role(row)
        if role == "anonymous":
            sender = app.test_client()
            own_token = csrf_token_from(sender.get("/sign-in").text)
        else:
            sender = act_as(records.users[role])
            own_token = token_of(sender)
        path = template.format(**records.ids)
        for data in ({}, {"csrf_token": strangers_token}, {"csrf_token": own_token + "x"}, {"csrf_token": ""}):
            response = sender.post(path, data=data)
            assert response.status_code == 400, (endpoint, role, data, response.status_code)
            assert "Your page expired" in response.text
        checked.append(endpoint)
    assert len(checked) >= 30


# --- Open redirects ------------------------------------------------------------------------------------------------


def same_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
        and not any(ord(ch) < 32 for ch in location)
    )


@ONE_BACKEND
def test_signing_in_never_sends_anyone_off_the_site(client, act_as):
    response = sign_in(client, "admin@example.org", next_path="/\\evil.example")
    assert response.status_code == 303 and same_site(response.headers["Location"]), response.headers["Location"]
    signed_in = act_as("admin")  # the same check of `next`, without hashing a password each time
    token = token_of(signed_in)
    for target in OFF_SITE:
        again = signed_in.get("/sign-in", query_string={"next": target})
        posted = signed_in.post("/sign-in", data={"csrf_token": token, "next": target})
        for response in (again, posted):
            assert response.status_code in (302, 303) and same_site(response.headers["Location"]), target


@ONE_BACKEND
def test_no_page_redirects_off_the_site_or_echoes_script_from_its_address(app, client, act_as, records):
    """Every GET page, as someone allowed to see it, with hostile parameters a page might echo or follow:
    `next`, `return_to`, `lang`, every filter, and a Referer from elsewhere."""
    echoed = ("q", "postcode", "area", "user", "resident", "since", "until", "tab", "page", "show", "need",
              "organisation", "group", "change", "when", "age", "download")  # fmt: skip
    query = dict.fromkeys(echoed, PAYLOAD)
    query.update({"next": "//evil.example", "return_to": "https://evil.example", "lang": "//evil.example"})
    for endpoint, (template, row) in MATRIX.items():
        if "GET" not in {m for rule in app.url_map.iter_rules(endpoint) for m in rule.methods}:
            continue
        role = next(r for r in ROLES if (row[r][0] if isinstance(row[r], tuple) else row[r]) not in REFUSALS)
        if role != "anonymous":
            act_as(records.users[role])
        path, _, own_query = template.format(**records.ids).partition("?")
        asked = {**query, **dict(parse_qsl(own_query))}
        response = client.get(path, query_string=asked, headers={"Referer": "https://evil.example/"})
        assert response.status_code < 500, (endpoint, response.status_code)
        if "Location" in response.headers:
            assert same_site(response.headers["Location"]), (endpoint, response.headers["Location"])
        if response.mimetype == "text/html":
            for raw in RAW:
                assert raw not in response.text, (endpoint, raw)
            for href in re.findall(r'href="([^"]*)"', response.text):
                assert not href.startswith(("//", "/\\", "javascript:")), (endpoint, href)


@ONE_BACKEND
@pytest.mark.parametrize("path", ["/\\evil.example", "/%5Cevil.example/", "/%2F%2Fevil.example", "//evil.example/x"])
def test_the_language_links_of_any_address_stay_on_the_site(client, path):
    """A 404 for an address made to look like another site still offers its language links: to this site."""
    page = client.get("/", environ_overrides={"PATH_INFO": path.replace("%5C", "\\")})
    links = re.findall(r'app-language-switcher__link" href="([^"]+)"', page.text)
    assert links
    for link in links:
        assert same_site(link.replace("&amp;", "&")), link


@ONE_BACKEND
def test_a_post_never_follows_its_referer(act_as):
    client = act_as("org_staff")
    headers = {"Referer": "https://evil.example/"}
    token = token_of(client)
    for path, data in [
        ("/account", {"preferred_locale": "cy"}),
        (f"/manage/services/{PANTRY}/checked", {}),
        (f"/services/{PANTRY}/report", {"reason": "closed"}),
        ("/sign-out", {}),
    ]:
        response = client.post(path, data={"csrf_token": token, **data}, headers=headers)
        assert response.status_code == 303 and same_site(response.headers["Location"]), path


@ONE_BACKEND
def test_links_in_messages_never_take_their_host_from_the_request(client, db_session):
    """A private status link or a password-reset link is sent to someone: a forged Host (or X-Forwarded-Host)
    header must not make it point at another site, which would then receive the token."""
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    before = {message.id for message in db_session.exec(select(OutboxMessage)).all()}
    form = f"/services/{PANTRY}/refer-yourself"
    token = csrf_token_from(client.get(form, headers=forged).text)
    answers = {"name": "Ana", "reason": "Food", "contact_method": "email", "email": "ana@example.org",
               "language": "en", "agreed": "y", "website": "", "csrf_token": token}  # fmt: skip
    assert client.post(form, data=answers, headers=forged).status_code == 303
    reset = {"csrf_token": token, "email": "linkworker@example.org"}
    assert client.post("/sign-in/forgot-password", data=reset, headers=forged).status_code == 303
    # The forged header does reach the app: the API's description of itself answers the caller with it.
    assert "evil.example" in client.get(f"{API}/", headers=forged).get_json()["openapi_url"]
    sent = [message for message in db_session.exec(select(OutboxMessage)).all() if message.id not in before]
    assert len(sent) >= 2
    assert not [message.body for message in sent if "evil.example" in message.body]


# --- Session fixation ----------------------------------------------------------------------------------------------


@ONE_BACKEND
def test_a_session_from_before_sign_in_is_not_the_one_used_after(client):
    """An attacker who planted a session (and knows its CSRF token) gets nothing from it after the victim signs in:
    only the language survives, and the old token no longer works."""
    client.get("/?lang=cy")
    planted_token = csrf_token_from(client.get("/sign-in").text)
    with client.session_transaction() as session:
        planted = dict(session)
    assert planted.get("csrf_token")
    assert sign_in(client, "linkworker@example.org").status_code == 303
    with client.session_transaction() as session:
        after = dict(session)
    assert after["lang"] == "cy"
    assert after.get("csrf_token") != planted.get("csrf_token")
    kept = {key for key in planted if key in after and after[key] == planted[key]}
    assert kept == {"lang"}, kept
    refused = client.post("/account", data={"csrf_token": planted_token, "preferred_locale": "en"})
    assert refused.status_code == 400


@ONE_BACKEND
def test_signing_out_empties_the_session(act_as, records):
    client = act_as("link_worker")
    token = token_of(client)
    client.get("/referrals")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    with client.session_transaction() as session:
        left = set(session) - {"_flashes", "lang"}
    assert not left, left
    assert client.get("/referrals").status_code == 302
    assert client.post("/account", data={"csrf_token": token, "preferred_locale": "en"}).status_code == 400


# --- Script injection: whatever people type is shown as text -------------------------------------------------------


def test_script_in_a_listing_is_shown_as_text_everywhere(act_as, client, records):
    staff = act_as("org_staff")
    pantry = f"/manage/services/{PANTRY}"
    listing = {**LISTING, "is_free": "no", "alert": PAYLOAD}
    listing |= dict.fromkeys(["name", "description", "application_process", "eligibility_description",
                              "cost_description"], PAYLOAD)  # fmt: skip
    assert post_form(staff, f"{pantry}/edit", listing).status_code == 303
    assert post_form(staff, f"{pantry}/translations/cy", {"name": PAYLOAD, "description": PAYLOAD}).status_code == 303
    times = {"days": ["TU"], "opens": "10:00", "closes": "11:00", "notes": PAYLOAD}
    assert post_form(staff, f"{pantry}/opening-times", times).status_code == 303
    contact = {"kind": "phone", "value": "0114 496 0001", "description": PAYLOAD}
    assert post_form(staff, f"{pantry}/contacts", contact).status_code == 303
    place = {"name": PAYLOAD, "address_1": PAYLOAD, "address_2": PAYLOAD, "city": "Sheffield", "postcode": "S5 6AB"}
    assert post_form(staff, f"{pantry}/locations", place).status_code == 303
    for path in (
        pantry,
        f"{pantry}/edit",
        f"{pantry}/translations/cy",
        f"{pantry}/opening-times",
        f"{pantry}/contacts",
        f"{pantry}/locations",
        "/manage/services",
        "/inbox",
        f"{pantry}/video",
    ):
        shown_as_text(staff.get(path), where=path)
    for path in (
        f"/services/{PANTRY}",
        f"/services/{PANTRY}?lang=cy",
        "/services?q=alert",
        "/services?q=alert&lang=cy",
        f"/organisations/{RIVERSIDE}",
        f"/services/{PANTRY}/refer-yourself",
        f"/services/{PANTRY}/report",
        f"/requests/{records.ids['token']}",
    ):
        shown_as_text(staff.get(path), where=path)
    link_worker = act_as("link_worker")
    for path in (
        f"/referrals/{records.ids['referral']}",
        "/referrals",
        f"/referrals/drafts/{records.ids['draft']}/service?q=alert",
        f"/referrals/drafts/{records.ids['draft']}/consent",
        f"/referrals/drafts/{records.ids['draft']}/check",
    ):
        shown_as_text(link_worker.get(path), where=path)
    api = client.get(f"{API}/services/{PANTRY}")
    assert api.mimetype == "application/json" and api.get_json()["name"] == PAYLOAD


@ONE_BACKEND
def test_script_in_an_organisation_is_shown_as_text_everywhere(act_as, records):
    admin = act_as("admin")
    details = {"name": PAYLOAD, "description": PAYLOAD, "email": "", "website": ""}
    assert post_form(admin, f"/admin/organisations/{RIVERSIDE}/edit", details).status_code == 303
    for path in (
        f"/admin/organisations/{RIVERSIDE}/edit",
        "/admin/organisations",
        "/admin/users",
        "/insights",
        "/insights/map",
        "/insights/wellbeing",
        f"/organisations/{RIVERSIDE}",
        f"/services/{PANTRY}",
        "/services?q=pantry",
        f"/referrals/{records.ids['referral']}",
        "/manage/services",
        f"/manage/services/{PANTRY}",
        "/manage/reports",
    ):
        shown_as_text(admin.get(path), where=path)
    download = admin.get("/insights/by_organisation.csv")
    assert download.mimetype == "text/csv" and download.headers["Content-Disposition"].startswith("attachment")
    shown_as_text(act_as("org_staff").get("/account"), where="/account")


def test_script_in_what_people_write_about_a_referral_is_shown_as_text(act_as, client, db_session, records):
    answers = {"name": PAYLOAD, "reason": PAYLOAD, "contact_method": "email", "email": "ana@example.org",
               "language": "ro", "agreed": "y", "website": ""}  # fmt: skip
    sent = post_form(client, f"/services/{PANTRY}/refer-yourself", answers)
    assert sent.status_code == 303
    shown = client.get(sent.headers["Location"])
    assert shown.status_code == 200 and "<script>" not in shown.text
    self_referral = db_session.exec(select(Referral).where(Referral.reason == PAYLOAD)).one()
    staff = act_as("org_staff")
    token = token_of(staff)
    page = f"/referrals/{self_referral.id}"
    assert staff.post(f"{page}/notes", data={"csrf_token": token, "note": PAYLOAD}).status_code == 303
    accepted = staff.post(f"{page}/status/accepted", data={"csrf_token": token, "version": "1", "note": PAYLOAD})
    assert accepted.status_code == 303
    link_worker = records.users["link_worker"]
    resident = make_resident(db_session, created_by=link_worker, name=PAYLOAD, other_communication=PAYLOAD,
                             times_to_avoid=PAYLOAD)  # fmt: skip
    declined = make_referral(db_session, service=db_session.get(Service, PANTRY), referrer=link_worker,
                             resident=resident, reason=PAYLOAD)  # fmt: skip
    decline = {"csrf_token": token, "version": "1", "reason": "other", "note": PAYLOAD}
    assert staff.post(f"/referrals/{declined.id}/decline", data=decline).status_code == 303
    for path in (page, "/inbox?tab=in_progress", "/inbox?tab=closed", f"/referrals/{declined.id}"):
        shown_as_text(staff.get(path), where=path)
    lw = act_as("link_worker")
    withdraw = {"csrf_token": token_of(lw), "confirm": "y", "note": PAYLOAD}
    assert lw.post(f"/referrals/{declined.id}/withdraw-consent", data=withdraw).status_code == 303
    for path in (f"/referrals/{declined.id}", "/referrals?tab=closed"):
        shown_as_text(lw.get(path), where=path)
    admin = act_as("admin")
    for path in (f"/admin/audit?resident={self_referral.resident_id}", page, "/inbox?tab=in_progress",
                 f"/admin/residents/{resident.id}"):  # fmt: skip
        shown_as_text(admin.get(path), where=path)
    export = admin.get(f"/admin/residents/{resident.id}/export.json")
    assert export.mimetype == "application/json" and export.headers["Content-Disposition"].startswith("attachment")


@ONE_BACKEND
def test_script_in_a_problem_report_a_term_or_a_search_is_shown_as_text(act_as, client, records):
    assert post_form(client, f"/services/{PANTRY}/report", {"reason": "other", "details": PAYLOAD}).status_code == 303
    for _ in range(5):  # words searched 5 times or more are shown to commissioners
        client.get("/services", query_string={"q": PAYLOAD})
    shown_as_text(act_as("org_staff").get("/manage/reports"), where="reports")
    admin = act_as("admin")
    shown_as_text(admin.get("/manage/reports"), where="reports for admins")
    gaps = admin.get("/insights/gaps")
    assert gaps.status_code == 200 and "&lt;script&gt;alert(1)" in gaps.text
    assert not any(raw in gaps.text for raw in RAW)
    taxonomy = records.ids["taxonomy"]
    term = {"name": PAYLOAD, "description": PAYLOAD, "code": "", "parent_id": ""}
    assert post_form(admin, f"/admin/taxonomies/{taxonomy}/terms/new", term).status_code == 303
    shown_as_text(admin.get("/admin/taxonomies"), where="taxonomies")
    terms = client.get(f"{API}/taxonomy_terms?taxonomy_id={taxonomy}&per_page=100").get_json()
    assert PAYLOAD in [item["name"] for item in terms["contents"]]


def test_links_from_imported_data_can_only_be_web_addresses(client, db_session):
    """An Open Referral import can bring any text as a service's or organisation's web address: a `javascript:`
    one must not become a link that runs when a resident follows it."""
    service = db_session.get(Service, PANTRY)
    service.url = "javascript:alert(document.cookie)"
    organization = db_session.get(Organization, RIVERSIDE)
    organization.website = " JavaScript:alert(1)"
    db_session.add_all([service, organization])
    db_session.flush()
    for path in (f"/services/{PANTRY}", f"/organisations/{RIVERSIDE}"):
        page = client.get(path).text
        hrefs = re.findall(r'<a\b[^>]*\bhref="\s*([^"]*)"', page)  # links (the favicon is a data: address)
        assert not [href for href in hrefs if href.lower().startswith(("javascript:", "data:", "vbscript:"))], path


# --- Upload abuse --------------------------------------------------------------------------------------------------

VTT = b"WEBVTT\n\n00:00.000 --> 00:03.000\nWelcome.\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
MP4_START = b"\x00\x00\x00\x18ftypmp42"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def upload(
    client,
    path: str,
    *,
    video=None,
    video_name="clip.mp4",
    captions=VTT,
    poster=None,
    poster_name="p.png",
    transcript="Kept transcript.",
):
    page = client.get(path)
    data = {
        "csrf_token": csrf_token_from(page.text),
        "video": (io.BytesIO(CLIP.read_bytes() if video is None else video), video_name),
        "captions": (io.BytesIO(captions), "captions.vtt"),
        "transcript": transcript,
    }
    if poster is not None:
        data["poster"] = (io.BytesIO(poster), poster_name)
    return client.post(path, data=data, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


@ONE_BACKEND
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"video": HTML, "video_name": "page.html"}, "video", "The video must be an MP4 or WebM video file"),
        ({"video": HTML, "video_name": "clip.mp4"}, "video", "The video must be an MP4 or WebM video file"),
        ({"video": SVG, "video_name": "clip.svg"}, "video", "The video must be an MP4 or WebM video file"),
        # Starts like an MP4 (so a quick look at its first bytes passes), but holds a web page, not a video.
        ({"video": MP4_START + b"\x00" * 8 + HTML * 20}, "video",
         "The video must be an MP4 or WebM video file"),
        ({"poster": SVG, "poster_name": "poster.png"}, "poster", "The poster image must be a JPEG or PNG"),
        ({"poster": HTML, "poster_name": "poster.jpg"}, "poster", "The poster image must be a JPEG or PNG"),
        ({"captions": HTML}, "captions", "The captions file must be a WebVTT file that starts with WEBVTT"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_what_it_claims_is_refused_and_never_stored(app, act_as, changes, field, message):
    if changes.get("video", b"").startswith(MP4_START) and not media.ffmpeg_available():
        unavailable("ffprobe is not installed: without it only the first bytes of a video are checked")
    response = upload(act_as("org_staff"), f"/manage/services/{PANTRY}/video", **changes)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.text and message in response.text
    assert "Kept transcript." in response.text
    assert stored_files(app) == []


@ONE_BACKEND
def test_an_upload_is_stored_under_a_name_of_our_own_inside_the_media_folder(app, act_as, tmp_path):
    client = act_as("org_staff")
    response = upload(client, f"/manage/services/{PANTRY}/video", video_name="../../../../tmp/evil.html",
                      captions=b"WEBVTT\n\n00:00.000 --> 00:03.000\n<script>alert(1)</script>\n",
                      poster=POSTER.read_bytes(),
                      poster_name="../../x.svg", transcript=PAYLOAD)  # fmt: skip
    assert response.status_code == 303
    files = stored_files(app)
    assert len(files) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}\.(mp4|vtt|jpg)", path.name) for path in files), files
    assert not list(tmp_path.parent.glob("**/evil.html")) and not Path("/tmp/evil.html").exists()
    types = {}
    for path in files:
        served = client.get(f"/media/{path.name}")
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        types[path.suffix] = served.mimetype
    assert types == {".mp4": "video/mp4", ".vtt": "text/vtt", ".jpg": "image/jpeg"}
    shown_as_text(client.get(f"/services/{PANTRY}?lang=bfi"), where="the service page in BSL")
    shown_as_text(client.get(f"/manage/services/{PANTRY}/video"), where="the upload page")


@ONE_BACKEND
def test_an_oversized_poster_or_captions_file_is_refused(app, act_as):
    client = act_as("org_staff")
    path = f"/manage/services/{PANTRY}/video"
    big_captions = b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\nHello there.\n\n" * 20_000
    response = upload(client, path, captions=big_captions)
    assert "The captions file must be 500 KB or smaller" in response.text
    response = upload(client, path, poster=b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024 + 10))
    # Refused on the form, or before it is read when the whole request is over the limit: either way, said clearly.
    assert "The poster image must be 2 MB or smaller" in response.text or "What you sent is too large" in response.text
    assert stored_files(app) == []
