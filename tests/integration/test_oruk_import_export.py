"""Open Referral UK 3.0: importing the example dataset and API responses, refusing broken files, lossless export."""

from __future__ import annotations

import shutil
import uuid
from datetime import date, time
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from referral_app import create_app
from referral_app.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    ContactKind,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)
from referral_app.services.oruk_import import import_oruk
from referral_app.services.taxonomy import ensure_needs_taxonomy, need_term_id

DATA = Path(__file__).parents[1] / "data"
EXAMPLE_CSV = DATA / "oruk-example-csv"
EXAMPLE_JSON = DATA / "oruk-example-json"
SERVICE_ID = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
ORG_ID = uuid.UUID("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
DIRECTORY_MODELS = (Taxonomy, TaxonomyTerm, Organization, OrganizationTranslation, Service, ServiceTranslation,
                    Location, Address, Accessibility, ServiceAtLocation, Schedule, ServiceArea, CostOption, Contact,
                    Phone, Language, Attribute, ServiceSearch)  # fmt: skip

EXAMPLE_COUNTS = {
    **{table: {"created": 1, "updated": 0, "skipped": 0} for table in (
        "taxonomies", "taxonomy_terms", "organizations", "services", "locations", "address", "accessibility",
        "service_at_location", "schedule", "service_areas", "cost_options", "contacts", "phones")},
    **{table: {"created": 0, "updated": 0, "skipped": 1} for table in (
        "languages", "attribute", "funding", "meta_table_descriptions", "organization_identifiers", "programs",
        "required_documents")},
}  # fmt: skip
EXAMPLE_LINES = [
    "skipped languages row 2989d3ed-c547-48f8-8f9d-432d81c7892e: code is missing",
    "skipped attribute row ae58cc39-8b70-4ab1-8aea-786882e5ac8e: link_id f28dd44b-0c4d-479f-8e90-4c52219a8b3c is not "
    "the id of any record that attributes can describe",
    "skipped funding row 1f2df32c-bf08-4b8e-bd6f-e834014b19bc: the Open Referral UK table funding is not kept by "
    "this directory",
    "adjusted taxonomy_terms row 3f7b145d-84af-42d7-8fae-eaca714b02b2: parent_id 0bc248fa-dc27-4650-9ba4-8f1a24ef16a2 "
    "is not a known record; left empty",
    "adjusted organizations row d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610: parent_organization_id "
    "cd09a387-91f4-4555-94ec-e799c35344cd is not a known record; left empty",
    "adjusted locations row 3a19ff88-4620-4d17-9830-ac1d859eb5d5: latitude 100 is outside -90 to 90; "
    "stored without coordinates",
    "merged addresses.csv into address.csv (rows with the same id are one record)",
]


def counts(session: Session) -> dict[str, int]:
    return {model.__name__: session.exec(select(func.count()).select_from(model)).one() for model in DIRECTORY_MODELS}


def test_example_csv_imports_with_counts_and_reasons(db_session):
    report = import_oruk(session=db_session, path=EXAMPLE_CSV)

    assert report.counts == EXAMPLE_COUNTS
    for line in EXAMPLE_LINES:
        assert line in report.lines
    service = db_session.get(Service, SERVICE_ID)
    assert (service.name, service.status, service.minimum_age, service.maximum_age) == (
        "Community Counselling", "active", 12, 100)  # fmt: skip
    assert service.last_verified_on == date(2005, 1, 1)
    assert service.is_free is False  # its one cost option is 35
    assert db_session.get(Organization, ORG_ID).parent_organization_id is None
    address = db_session.get(Address, uuid.UUID("74706e55-df26-4b84-80fe-ecc30b5befb4"))
    assert (address.address_2, address.postal_code, address.country) == ("MyVillage", "ABC 1234", "US")
    assert db_session.get(Location, address.location_id).latitude is None
    assert db_session.get(Phone, uuid.UUID("1554f2e2-a373-45db-a3fa-9fc48a61c15e")).number == "+44 1234 234567"
    schedule = db_session.exec(select(Schedule).where(Schedule.service_id == SERVICE_ID)).one()
    assert (schedule.byday, schedule.opens_at, schedule.closes_at) == ("TH,FR", time(10), time(18))
    term = db_session.get(TaxonomyTerm, uuid.UUID("3f7b145d-84af-42d7-8fae-eaca714b02b2"))
    assert (term.code, term.parent_id, term.taxonomy_id) == ("name", None, None)


def test_importing_twice_updates_and_creates_nothing_new(db_session):
    first = import_oruk(session=db_session, path=EXAMPLE_CSV)
    before = counts(db_session)
    second = import_oruk(session=db_session, path=EXAMPLE_CSV)

    assert counts(db_session) == before
    for table, outcome in first.counts.items():
        assert second.counts[table] == {"created": 0, "updated": outcome["created"], "skipped": outcome["skipped"]}


def test_imported_services_are_found_by_search(db_session, client):
    report = import_oruk(session=db_session, path=EXAMPLE_CSV)

    assert report.service_ids == [SERVICE_ID]
    bodies = db_session.exec(select(ServiceSearch.body).where(ServiceSearch.service_id.in_(report.service_ids))).all()
    assert len(bodies) == 1
    assert "Community Counselling" in bodies[0]
    assert "Example Organization Inc." in bodies[0]
    assert "Community Counselling" in client.get("/services?q=counselling").text


@pytest.mark.parametrize("name", ["service_full.json", "service_list.json", "organization_full.json"])
def test_json_examples_import(db_session, name):
    report = import_oruk(session=db_session, path=EXAMPLE_JSON / name)

    assert report.counts["services"] == {"created": 1, "updated": 0, "skipped": 0}
    assert report.counts["organizations"] == {"created": 1, "updated": 0, "skipped": 0}
    assert db_session.get(Service, SERVICE_ID).organization_id == ORG_ID
    assert db_session.exec(select(ServiceSearch).where(ServiceSearch.service_id == SERVICE_ID)).one()
    if name == "service_full.json":
        attribute = db_session.exec(select(Attribute).where(Attribute.link_id == SERVICE_ID)).one()
        assert (attribute.link_entity, attribute.link_type) == ("service", "link_type")
        address = db_session.get(Address, uuid.UUID("74706e55-df26-4b84-80fe-ecc30b5befb4"))
        assert address.address_1 == "1-30 Main Street"
        assert "skipped languages row 2989d3ed-c547-48f8-8f9d-432d81c7892e: code is missing" in report.lines
        assert "skipped funding row 1f2df32c-bf08-4b8e-bd6f-e834014b19bc" in "\n".join(report.lines)


def test_cli_import_reports_skipped_rows_and_summary(app, db_session, tmp_path):
    broken = tmp_path / "csv"
    shutil.copytree(EXAMPLE_CSV, broken)
    services = broken / "services.csv"
    services.write_text(services.read_text().replace(",active,", ",nonsense,"))

    result = app.test_cli_runner().invoke(args=["import-oruk", str(broken)])

    assert result.exit_code == 0, result.output
    assert (f"skipped services row {SERVICE_ID}: status 'nonsense' is not one of: active, inactive, defunct, "
            "temporarily closed") in result.output  # fmt: skip
    assert (f"skipped service_at_location row e94c9f38-1e8f-4564-91d4-d53501ab1765: service_id {SERVICE_ID} is not "
            "a known record of services") in result.output  # fmt: skip
    assert "Imported: taxonomies 1 created, 0 updated, 0 skipped;" in result.output
    assert "services 0 created, 0 updated, 1 skipped" in result.output
    assert db_session.get(Service, SERVICE_ID) is None
    assert db_session.get(Organization, ORG_ID) is not None


@pytest.mark.parametrize(
    ("filename", "old", "new", "line"),
    [
        ("services.csv", ",12,", ",twelve,", f"services row {SERVICE_ID}: minimum_age 'twelve' is not a whole number"),
        ("cost_options.csv", "2020-01-01", "01/01/2020",
         "cost_options row 1fdf4d39-3d80-484d-9f92-a8ffa08621e7: valid_from '01/01/2020' is not a date (YYYY-MM-DD)"),
        ("schedule.csv", "10:00:00", "10am",
         "schedule row 48102e86-bb50-41c4-8f1e-e269368c41d1: opens_at '10am' is not a time (HH:MM or HH:MM:SS)"),
        ("locations.csv", ",100,", ",north,",
         "locations row 3a19ff88-4620-4d17-9830-ac1d859eb5d5: latitude 'north' is not a number"),
        ("contacts.csv", str(SERVICE_ID), "00000000-0000-4000-8000-000000000000",
         "contacts row 1e7efce3-639b-4880-940c-b95cd30cdb50: service_id 00000000-0000-4000-8000-000000000000 is not a "
         "known record of services"),
        ("organizations.csv", "Example Organization Inc.", "", f"organizations row {ORG_ID}: name is missing"),
    ],
)  # fmt: skip
def test_rows_that_cannot_be_used_are_skipped_with_a_reason(db_session, tmp_path, filename, old, new, line):
    spoilt = tmp_path / "csv"
    shutil.copytree(EXAMPLE_CSV, spoilt)
    (spoilt / filename).write_text((spoilt / filename).read_text().replace(old, new, 1))

    report = import_oruk(session=db_session, path=spoilt)

    assert f"skipped {line}" in report.lines
    assert report.counts[line.split()[0]]["skipped"] == 1


def _break_csv_quoting(directory: Path) -> None:
    with (directory / "services.csv").open("a") as handle:
        handle.write('00000000-0000-0000-0000-000000000001,x,"an unfinished quote\n')


def _add_a_row_too_long(directory: Path) -> None:
    with (directory / "contacts.csv").open("a") as handle:
        handle.write("00000000-0000-0000-0000-000000000001,,a,b,c,d\n")


def _write_latin1(directory: Path) -> None:
    (directory / "contacts.csv").write_bytes("id,service_id,name\n1,,Zo\xeb\n".encode("latin-1"))


def _drop_id_column(directory: Path) -> None:
    (directory / "phones.csv").write_text("number,description\n0123,main\n")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_break_csv_quoting, "services.csv cannot be read as CSV"),
        (_add_a_row_too_long, "contacts.csv line 3 has 6 values for 4 columns"),
        (_write_latin1, "contacts.csv is not UTF-8 text"),
        (_drop_id_column, "phones.csv has no id column"),
    ],
)
def test_a_broken_csv_changes_nothing(app, db_session, tmp_path, spoil, message):
    broken = tmp_path / "csv"
    shutil.copytree(EXAMPLE_CSV, broken)
    spoil(broken)
    before = counts(db_session)

    result = app.test_cli_runner().invoke(args=["import-oruk", str(broken)])

    assert result.exit_code != 0
    assert message in result.output
    assert "Nothing was imported." in result.output
    assert counts(db_session) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hello.json", '{"hello": "world"}', "is not an Open Referral UK service, organization"),
        ("list.json", '[{"id": "x", "colour": "blue"}]', "[0] is not an Open Referral UK service"),
        ("cut.json", '{"id": "ac148810", "name": ', "is not valid JSON"),
        ("notes.txt", "hello", "is neither a directory of Open Referral UK CSV files nor a .json file"),
    ],
)
def test_a_file_that_is_not_oruk_changes_nothing(app, db_session, tmp_path, name, content, message):
    (tmp_path / name).write_text(content)
    before = counts(db_session)

    result = app.test_cli_runner().invoke(args=["import-oruk", str(tmp_path / name)])

    assert result.exit_code != 0
    assert message in result.output
    assert counts(db_session) == before


def test_a_directory_without_oruk_tables_is_refused(app, tmp_path):
    (tmp_path / "people.csv").write_text("id,name\n1,Ann\n")
    result = app.test_cli_runner().invoke(args=["import-oruk", str(tmp_path)])
    assert result.exit_code != 0
    assert "holds no Open Referral UK tables" in result.output


def test_a_failure_after_writing_rolls_everything_back(app, db_session, monkeypatch):
    def fail(**_kwargs):
        raise ValueError("the search index is unavailable")

    monkeypatch.setattr("referral_app.services.oruk_import.refresh_search_documents", fail)
    before = counts(db_session)

    result = app.test_cli_runner().invoke(args=["import-oruk", str(EXAMPLE_CSV)])

    assert result.exit_code != 0
    assert "Import failed, nothing was imported: the search index is unavailable" in result.output
    assert counts(db_session) == before
    assert db_session.get(Organization, ORG_ID) is None


def _add_our_own_details(session: Session) -> None:
    """The example dataset, then a value in every column only we have, on the example's records (not the demo's)."""
    import_oruk(session=session, path=EXAMPLE_CSV)
    ensure_needs_taxonomy(session=session)
    session.get(Organization, ORG_ID).status = OrganizationStatus.PENDING
    location = Location(organization_id=ORG_ID, name="River Street", latitude=53.4808, longitude=-2.2426)
    contact = Contact(service_id=SERVICE_ID, name="Front desk")
    phone = Phone(contact_id=contact.id, number="18001 0161 496 0000", kind=ContactKind.RELAY_UK)
    session.add_all([location, contact])
    session.flush()  # without relationships, the session does not order inserts by foreign key
    session.add(phone)
    session.flush()
    session.add_all([
        Address(location_id=location.id, address_1="1 River Street", address_2="Unit 2", city="Manchester",
                postal_code="M1 1AA"),
        Accessibility(location_id=location.id, feature="step_free", description="Ramp at the side door"),
        ServiceAtLocation(service_id=SERVICE_ID, location_id=location.id),
        Schedule(service_id=SERVICE_ID, byday="TU", opens_at=time(9, 30), closes_at=time(12, 15), notes="Not Aug"),
        ServiceArea(service_id=SERVICE_ID, name="Central Manchester", outcode="M1"),
        CostOption(service_id=SERVICE_ID, option="Weekly membership", amount=3.5, valid_from=date(2026, 1, 1)),
        Attribute(link_id=SERVICE_ID, taxonomy_term_id=need_term_id("food")),
        Language(service_id=SERVICE_ID, phone_id=phone.id, code="bfi", name="British Sign Language", note="Tue"),
        ServiceTranslation(service_id=SERVICE_ID, locale="cy", name="Cwnsela", description="Cwnsela cymunedol",
                           application_process="Ffoniwch", eligibility_description="Pawb"),
        OrganizationTranslation(organization_id=ORG_ID, locale="ar", name="منظمة", description="منظمة مثال"),
    ])  # fmt: skip
    service = session.get(Service, SERVICE_ID)
    service.application_process, service.eligibility_description = "Drop in", "Anyone living nearby"
    service.is_free, service.bsl_staff, service.online, service.in_person = False, True, True, False
    session.flush()


def test_export_import_export_is_lossless(app, db_session, empty_database_url, tmp_path):
    _add_our_own_details(db_session)
    first, again, second = tmp_path / "first", tmp_path / "again", tmp_path / "second"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export-oruk", str(first)])
    assert result.exit_code == 0, result.output
    assert f"services.csv {counts(db_session)['Service']}," in result.output
    assert runner.invoke(args=["export-oruk", str(again)]).exit_code == 0

    fresh = create_app({"SECRET_KEY": "test", "DATABASE_URL": empty_database_url})
    fresh_runner = fresh.test_cli_runner()
    try:
        assert fresh_runner.invoke(args=["db", "upgrade"]).exit_code == 0
        imported = fresh_runner.invoke(args=["import-oruk", str(first)])
        assert imported.exit_code == 0, imported.output
        assert [line for line in imported.output.splitlines() if line.startswith(("skipped", "adjusted"))] == []
        assert fresh_runner.invoke(args=["export-oruk", str(second)]).exit_code == 0
        with Session(fresh.extensions["database"].engine) as session:
            imported_counts = counts(session)
        assert imported_counts["ServiceSearch"] == imported_counts["Service"]  # every service can be found
        assert {**imported_counts, "ServiceSearch": 0} == {**counts(db_session), "ServiceSearch": 0}
    finally:
        fresh.extensions["database"].engine.dispose()

    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    assert {"service_translations.csv", "organization_translations.csv"} <= set(names)
    for name in names:
        assert (first / name).read_bytes() == (again / name).read_bytes(), f"{name} differs between two exports"
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} changed on the round trip"
    header = (first / "services.csv").read_text().splitlines()[0]
    assert header.endswith(",last_modified,application_process,eligibility_description,is_free,bsl_staff,"
                           "bsl_interpreter,in_person,online,by_phone")  # fmt: skip
    assert (first / "phones.csv").read_text().splitlines()[0] == "id,contact_id,number,description,kind"
    assert (first / "languages.csv").read_text().splitlines()[0] == "id,service_id,phone_id,code,name,note"
    assert "relay_uk" in (first / "phones.csv").read_text()
    assert "Cwnsela cymunedol" in (first / "service_translations.csv").read_text()
