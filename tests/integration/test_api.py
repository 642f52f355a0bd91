"""The Open Referral UK 3.0 API: every response validates against the published UK profile schemas."""

from __future__ import annotations

import json
import uuid
from datetime import date, time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import event
from sqlmodel import select

from referral_app.models import (
    Address,
    Attribute,
    Contact,
    ContactKind,
    CostOption,
    Language,
    OrganizationStatus,
    OrganizationTranslation,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)
from referral_app.services.service_records import load_service_records
from referral_app.services.taxonomy import NEEDS_TAXONOMY_ID, need_term_id
from tests.factories import add_location, add_schedule, make_organization, make_service, tag

API = "/api/openreferral"
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "oruk-schema"
PAGE = {
    "type": "object",
    "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 1},
        "page_number": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 0},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "title"],
            "properties": {"status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"}},
        }
    },
}


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(_schema(name), default_specification=DRAFT202012))
    for name in ("taxonomy.json", "taxonomy_term.json")
)


def assert_valid(instance: dict, schema_name: str | dict) -> None:
    schema = schema_name if isinstance(schema_name, dict) else _schema(schema_name)
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
    assert errors == [], errors


def get_page(client, path: str, item_schema: str) -> dict:
    response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.text
    body = response.get_json()
    assert_valid(body, PAGE)
    for item in body["contents"]:
        assert_valid(item, item_schema)
    assert body["size"] == len(body["contents"])
    return body


def get_item(client, path: str, schema: str) -> dict:
    response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.text
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert_valid(body, schema)
    return body


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["contents"]]


def sal_id(db_session, service) -> uuid.UUID:
    return db_session.exec(select(ServiceAtLocation.id).where(ServiceAtLocation.service_id == service.id)).first()


@pytest.fixture
def directory(db_session):
    """Wombat services: a rich food bank and signing club in Sheffield, a youth club in Great Yarmouth, one online."""
    org = make_organization(
        db_session, name="Wombat Trust", description="Wombats helping", website="wombat.example.org"
    )
    db_session.add(OrganizationTranslation(organization_id=org.id, locale="cy", name="Ymddiriedolaeth Wombat"))
    food = make_service(
        db_session,
        organization=org,
        name="Wombat food bank",
        description="Food parcels",
        url="https://wombat.example.org/food",
        email="food@wombat.example.org",
        minimum_age=18,
        last_verified_on=date(2026, 10, 1),
        application_process="Just drop in.",
    )
    tag(db_session, food, needs=["food"], languages=["pl", "bfi"])
    location = add_location(db_session, food, latitude=53.40, longitude=-1.46, features=["step_free"])  # S4
    db_session.add(Address(location_id=location.id, address_1="1 Wombat Road", city="Sheffield", postal_code="S4 7AB"))
    add_schedule(db_session, food, "MO", "10:00", "12:00")
    db_session.add(
        Schedule(
            service_at_location_id=sal_id(db_session, food),
            byday="TU",
            opens_at=time(18, 0),
            closes_at=time(20, 0),
        )
    )
    db_session.add_all(
        [
            ServiceTranslation(service_id=food.id, locale="cy", name="Banc bwyd Wombat"),
            CostOption(service_id=food.id, option="Membership", amount=2.5, amount_description="A week"),
            ServiceArea(service_id=food.id, name="Pitsmoor", outcode="S4"),
        ]
    )
    contact = Contact(service_id=food.id, name="Wendy Wombat", title="Coordinator")
    db_session.add(contact)
    db_session.flush()
    phone = Phone(contact_id=contact.id, number="0114 496 0000", kind=ContactKind.RELAY_UK)
    db_session.add(phone)
    db_session.flush()
    db_session.add(Language(phone_id=phone.id, code="ar"))

    signing = make_service(db_session, organization=org, name="Wombat signing club", bsl_staff=True)
    tag(db_session, signing, needs=["deaf_community"], languages=["bfi"])
    add_location(db_session, signing, latitude=53.36, longitude=-1.50)  # a few km south-west of S4
    add_schedule(db_session, signing, "WE", "18:00", "21:00")

    youth = make_service(db_session, organization=org, name="Wombat youth club", minimum_age=11, maximum_age=25)
    tag(db_session, youth, needs=["mental_health"])
    add_location(db_session, youth, latitude=52.61, longitude=1.73)  # Great Yarmouth
    add_schedule(db_session, youth, "WE", "16:00", "18:00")

    online = make_service(db_session, organization=org, name="Wombat online advice", in_person=False, online=True)
    add_schedule(db_session, online, "SA", "09:00", "17:00")

    old = make_service(db_session, organization=org, name="Wombat old club", status=ServiceStatus.INACTIVE)
    pending_org = make_organization(db_session, name="Wombat pending", status=OrganizationStatus.PENDING)
    waiting = make_service(db_session, organization=pending_org, name="Wombat waiting")

    taxonomy = Taxonomy(name="Wombat categories", description="Ours", uri="https://example.org/wombat")
    db_session.add(taxonomy)
    db_session.flush()
    term = TaxonomyTerm(taxonomy_id=taxonomy.id, code="burrow", name="Burrows", term_uri="https://example.org/b")
    db_session.add(term)
    db_session.flush()
    db_session.add(Attribute(link_id=youth.id, link_type="service", taxonomy_term_id=term.id))
    db_session.flush()
    return {
        "org": org,
        "pending_org": pending_org,
        "food": food,
        "signing": signing,
        "youth": youth,
        "online": online,
        "old": old,
        "waiting": waiting,
        "taxonomy": taxonomy,
        "term": term,
    }


LISTED = ["Wombat food bank", "Wombat online advice", "Wombat signing club", "Wombat youth club"]


def test_root_says_what_the_api_is(client):
    body = client.get(f"{API}/").get_json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://openreferraluk.org/")
    assert body["openapi_url"].endswith("/api/openreferral/openapi.json")


def test_openapi_refers_only_to_schemas_served_here(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "raw.githubusercontent.com" not in response.text
    document = response.get_json()
    refs = {ref for ref in _refs(document) if not ref.startswith("#")}
    assert "schema/compiled/service.json" in refs
    for ref in refs:
        served = client.get(f"{API}/{ref}")
        assert served.status_code == 200, ref
        assert served.get_json()["type"] == "object"
    assert document["paths"]["/taxonomy_terms"]["get"]["operationId"] == "getPaginatedListOfTaxonomyTerms"
    assert client.get(f"{API}/schema/../README.md").status_code == 404


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_services_lists_listed_services_with_their_organisation(client, directory):
    body = get_page(client, "/services?search=wombat", "compiled/service_list.json")
    assert names(body) == LISTED
    assert (body["total_items"], body["total_pages"], body["page_number"]) == (4, 1, 1)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    food = body["contents"][0]
    assert food["organization"]["name"] == "Wombat Trust"
    assert food["organization"]["website"] == "https://wombat.example.org"
    assert food["assured_date"] == "2026-10-01"
    assert food["last_modified"].endswith("Z")
    assert "schedules" not in food  # lists carry one-to-one fields only


def test_a_service_in_full(client, directory):
    food = directory["food"]
    body = get_item(client, f"/services/{food.id}", "compiled/service.json")
    assert body["application_process"] == "Just drop in."
    assert body["organization"]["translations"] == [{"locale": "cy", "name": "Ymddiriedolaeth Wombat"}]
    assert body["translations"][0]["name"] == "Banc bwyd Wombat"
    assert {(lang["code"], lang["name"]) for lang in body["languages"]} == {
        ("bfi", "British Sign Language"),
        ("pl", "Polish"),
    }
    [term] = [a["taxonomy_term"] for a in body["attributes"]]
    assert (term["term"], term["name"], term["taxonomy"]) == ("food", "Food", "Needs")
    [phone] = body["contacts"][0]["phones"]
    assert "Relay UK" in phone["description"] and phone["kind"] == "relay_uk"
    assert phone["languages"][0]["name"] == "Arabic"
    assert body["cost_options"][0]["amount"] == 2.5
    assert body["service_areas"][0]["name"] == "Pitsmoor"
    assert sorted((s["byday"], s["opens_at"]) for s in body["schedules"]) == [("MO", "10:00"), ("TU", "18:00")]
    [sal] = body["service_at_locations"]
    assert sal["schedules"][0]["byday"] == "TU"
    assert sal["location"]["addresses"][0]["postal_code"] == "S4 7AB"
    assert sal["location"]["accessibility"][0]["accessibility"] == "Step-free access"


def test_unlisted_services_can_be_read_but_not_found_in_lists(client, directory):
    assert get_item(client, f"/services/{directory['old'].id}", "compiled/service.json")["status"] == "inactive"
    assert "Wombat old club" not in names(get_page(client, "/services?search=wombat", "compiled/service_list.json"))
    response = client.get(f"{API}/services/{directory['waiting'].id}")
    assert response.status_code == 404
    assert_valid(response.get_json(), ERROR)


def test_service_at_locations_list_and_full(client, directory, db_session):
    body = get_page(client, "/service_at_locations?search=wombat", "compiled/service_at_location_list.json")
    assert [item["service"]["name"] for item in body["contents"]] == [
        "Wombat food bank",
        "Wombat signing club",
        "Wombat youth club",
    ]
    assert body["contents"][0]["location"]["name"] == "Hall"
    full = get_item(
        client, f"/service_at_locations/{sal_id(db_session, directory['food'])}", "compiled/service_at_location.json"
    )
    assert full["service"]["name"] == "Wombat food bank"
    assert full["location"]["addresses"][0]["city"] == "Sheffield"
    assert [s["byday"] for s in full["schedules"]] == ["TU"]
    pending = client.get(f"{API}/service_at_locations/{uuid.uuid4()}")
    assert pending.status_code == 404


def test_postcode_sorts_by_distance_and_proximity_limits_it(client, directory):
    near_s4 = get_page(client, "/services?search=wombat&postcode=S4 7AB", "compiled/service_list.json")
    assert names(near_s4) == [
        "Wombat food bank",
        "Wombat signing club",
        "Wombat youth club",
        "Wombat online advice",  # no location: last
    ]
    within = get_page(client, "/services?search=wombat&postcode=s4&proximity=5000", "compiled/service_list.json")
    assert names(within) == ["Wombat food bank"]
    # The food bank lists its area (S4 only), so a Great Yarmouth postcode leaves it out.
    near_nr30 = get_page(client, "/services?search=wombat&postcode=NR30", "compiled/service_list.json")
    assert names(near_nr30) == ["Wombat youth club", "Wombat signing club", "Wombat online advice"]
    sal = get_page(
        client,
        "/service_at_locations?search=wombat&postcode=S4&proximity=8000",
        "compiled/service_at_location_list.json",
    )
    assert [item["service"]["name"] for item in sal["contents"]] == ["Wombat food bank", "Wombat signing club"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("taxonomy_term_id={food}", ["Wombat food bank"]),
        ("taxonomy_id={taxonomy}", ["Wombat youth club"]),
        ("taxonomy_id={needs}", ["Wombat food bank", "Wombat signing club", "Wombat youth club"]),
        ("minimum_age=11", ["Wombat food bank", "Wombat youth club"]),
        ("minimum_age=12", ["Wombat food bank"]),
        ("maximum_age=25", ["Wombat youth club"]),
        ("minimum_age=10&maximum_age=30", ["Wombat youth club"]),
        ("day=WE", ["Wombat signing club", "Wombat youth club"]),
        ("day=wednesday&start_time=17:00", ["Wombat signing club"]),
        ("day=We&end_time=18:00", ["Wombat youth club"]),
        ("day=TU", ["Wombat food bank"]),  # through its location's schedule
        ("start_time=09:00&end_time=12:00", ["Wombat food bank"]),
        ("start_time=08:30", LISTED),
        ("day=SUN", []),
    ],
)
def test_filters(client, directory, params, expected):
    params = params.format(food=need_term_id("food"), taxonomy=directory["taxonomy"].id, needs=NEEDS_TAXONOMY_ID)
    assert names(get_page(client, f"/services?search=wombat&{params}", "compiled/service_list.json")) == expected


def test_filters_apply_to_service_at_locations_too(client, directory):
    body = get_page(client, "/service_at_locations?search=wombat&day=WE", "compiled/service_at_location_list.json")
    assert [item["service"]["name"] for item in body["contents"]] == ["Wombat signing club", "Wombat youth club"]


def test_paging(client, directory):
    second = get_page(client, "/services?search=wombat&per_page=3&page=2", "compiled/service_list.json")
    assert names(second) == ["Wombat youth club"]
    assert (second["total_items"], second["total_pages"], second["page_number"], second["size"]) == (4, 2, 2, 1)
    assert (second["first_page"], second["last_page"], second["empty"]) == (False, True, False)
    past = get_page(client, "/services?search=wombat&per_page=3&page=9", "compiled/service_list.json")
    assert (past["page_number"], past["empty"], past["last_page"], past["contents"]) == (9, True, True, [])
    none = get_page(client, "/services?search=nothingmatchesthis", "compiled/service_list.json")
    assert (none["total_items"], none["total_pages"], none["empty"]) == (0, 1, True)


@pytest.mark.parametrize("text", ["%00", "%", "_", "a:b & c | !d", '"wombat', "wombat*", "(", "x" * 500])
@pytest.mark.parametrize("path", ["/services", "/service_at_locations", "/organizations"])
def test_any_search_text_is_safe(client, path, text):
    response = client.get(f"{API}{path}?search={text}")
    assert response.status_code == 200, response.text


def test_per_page_defaults_to_50(client, directory):
    body = get_page(client, "/services", "compiled/service_list.json")
    assert body["size"] == min(50, body["total_items"])


def test_organizations(client, directory):
    body = get_page(client, "/organizations?search=wombat", "compiled/organization_list.json")
    assert names(body) == ["Wombat Trust"]  # the pending organisation is not listed
    full = get_item(client, f"/organizations/{directory['org'].id}", "compiled/organization.json")
    assert [s["name"] for s in full["services"]] == [
        "Wombat food bank",
        "Wombat old club",
        "Wombat online advice",
        "Wombat signing club",
        "Wombat youth club",
    ]
    assert full["translations"][0]["locale"] == "cy"
    assert client.get(f"{API}/organizations/{directory['pending_org'].id}").status_code == 404


def test_taxonomies_and_terms(client, directory):
    taxonomy, term = directory["taxonomy"], directory["term"]
    listed = get_page(client, "/taxonomies?per_page=100", "taxonomy.json")
    assert "Wombat categories" in names(listed)
    full = get_item(client, f"/taxonomies/{taxonomy.id}", "taxonomy.json")
    assert [t["term"] for t in full["taxonomy_terms"]] == ["burrow"]
    needs = get_page(client, f"/taxonomy_terms?taxonomy_id={NEEDS_TAXONOMY_ID}&per_page=100", "taxonomy_term.json")
    assert "food" in [t["term"] for t in needs["contents"]]
    assert {t["taxonomy_id"] for t in needs["contents"]} == {str(NEEDS_TAXONOMY_ID)}
    ours = get_page(client, f"/taxonomy_terms?taxonomy_id={taxonomy.id}", "taxonomy_term.json")
    assert names(ours) == ["Burrows"]
    one = get_item(client, f"/taxonomy_terms/{term.id}", "taxonomy_term.json")
    assert (one["term"], one["taxonomy"], one["taxonomy_id"]) == ("burrow", "Wombat categories", str(taxonomy.id))


def test_every_demo_service_validates(client):
    """The demo data, whatever it holds today, makes valid records too."""
    body = get_page(client, "/services?per_page=100", "compiled/service_list.json")
    for item in body["contents"][:30]:
        get_item(client, f"/services/{item['id']}", "compiled/service.json")
    get_page(client, "/service_at_locations?per_page=100", "compiled/service_at_location_list.json")
    for item in get_page(client, "/organizations?per_page=100", "compiled/organization_list.json")["contents"][:10]:
        get_item(client, f"/organizations/{item['id']}", "compiled/organization.json")


@pytest.mark.parametrize(
    "query",
    [
        "/services?page=0",
        "/services?page=two",
        "/services?page=1.5",
        "/services?per_page=101",
        "/services?per_page=0",
        "/services?per_page=-5",
        "/services?day=funday",
        "/services?start_time=9am",
        "/services?end_time=25:00",
        "/services?start_time=12:61",
        "/services?postcode=not-a-postcode",
        "/services?postcode=ZZ9 9ZZ",
        "/services?proximity=1000",
        "/services?postcode=S4&proximity=far",
        "/services?minimum_age=-1",
        "/services?maximum_age=old",
        "/services?taxonomy_term_id=food",
        "/services?taxonomy_id=123",
        "/service_at_locations?proximity=500",
        "/service_at_locations?per_page=1000",
        "/taxonomy_terms?taxonomy_id=nope",
        "/taxonomies?page=x",
        "/organizations?per_page=x",
        "/services/not-a-uuid",
        "/service_at_locations/123",
        "/organizations/xyz",
        "/taxonomies/xyz",
        "/taxonomy_terms/xyz",
    ],
)
def test_bad_parameters_are_400_json(client, query):
    response = client.get(f"{API}{query}")
    assert response.status_code == 400, response.text
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert_valid(body, ERROR)
    assert body["error"]["status"] == 400 and body["error"]["detail"]


@pytest.mark.parametrize(
    "path", ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms", "no_such_thing"]
)
def test_unknown_ids_are_404_json(client, path):
    response = client.get(f"{API}/{path}/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert_valid(response.get_json(), ERROR)


def test_the_api_is_read_only(client):
    response = client.post(f"{API}/services")
    assert response.status_code in (400, 405)  # CSRF or method: either way nothing is written
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.is_json


def test_cors_is_only_on_the_api(client):
    assert "Access-Control-Allow-Origin" not in client.get("/healthz").headers


@pytest.fixture
def count_queries(connection):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)

    def run(action) -> int:
        statements.clear()
        action()
        return len(statements)

    yield run
    event.remove(connection, "before_cursor_execute", record)


def test_lists_and_records_take_a_fixed_number_of_queries(client, db_session, count_queries):
    org = make_organization(db_session, name="Quoll Trust")
    services = []
    for number in range(55):
        service = make_service(db_session, organization=org, name=f"Quoll service {number:02}")
        tag(db_session, service, needs=["food"], languages=["cy"])
        add_location(db_session, service, latitude=53.4, longitude=-1.46, features=["step_free"])
        add_schedule(db_session, service, "MO", "09:00", "12:00")
        services.append(service)

    def fetch(path):
        def action():
            response = client.get(f"{API}{path}")
            assert response.status_code == 200
            return response

        return action

    small = count_queries(fetch("/services?search=quoll&per_page=5"))
    large = count_queries(fetch("/services?search=quoll&per_page=50"))
    assert small == large, (small, large)
    assert count_queries(fetch("/service_at_locations?search=quoll&postcode=S4&per_page=5")) == count_queries(
        fetch("/service_at_locations?search=quoll&postcode=S4&per_page=50")
    )
    small_org = make_organization(db_session, name="Quoll Junior")
    make_service(db_session, organization=small_org, name="Quoll junior service")
    assert count_queries(fetch(f"/organizations/{small_org.id}")) == count_queries(fetch(f"/organizations/{org.id}"))
    ids = [service.id for service in services]
    for batch in (ids[:1], ids):
        assert count_queries(lambda batch=batch: load_service_records(session=db_session, service_ids=batch)) == 13


def test_the_loader_keeps_order_and_skips_missing_ids(db_session, directory):
    wanted = [directory["youth"].id, uuid.uuid4(), directory["food"].id]
    records = load_service_records(session=db_session, service_ids=wanted)
    assert list(records) == [directory["youth"].id, directory["food"].id]
    food = records[directory["food"].id]
    assert [s.byday for s in food.schedules] == ["MO"]
    assert [s.byday for s in food.all_schedules] == ["MO", "TU"]
    assert food.contacts[0].phones[0].languages[0].code == "ar"
    assert [lang.code for lang in food.languages] == ["bfi", "pl"]
    assert food.service_at_locations[0].location.addresses[0].city == "Sheffield"
    assert [a.term.code for a in records[directory["youth"].id].attributes] == ["burrow", "mental_health"]
    assert load_service_records(session=db_session, service_ids=[]) == {}
