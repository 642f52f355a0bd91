"""Turning records into Open Referral UK JSON: the parts that need no database."""

from datetime import UTC, date, datetime

import pytest

from referral_app.models import Language, Organization, Service, ServiceStatus
from referral_app.services.oruk_api import language, language_name, organization_item, page_envelope, service_item


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("bfi", "British Sign Language"),
        ("pl", "Polish"),
        ("ar", "Arabic"),
        ("cy", "Welsh"),
        ("zz-unknown", "zz-unknown"),
    ],
)
def test_language_names_in_english(code, name):
    assert language_name(code) == name


def test_a_language_keeps_its_own_name_when_it_has_one():
    assert language(Language(code="pa", name="Punjabi (Gurmukhi)"))["name"] == "Punjabi (Gurmukhi)"
    assert language(Language(code="pa"))["name"] == "Punjabi"


@pytest.mark.parametrize(
    ("total", "page", "per_page", "expected"),
    [
        (0, 1, 50, {"total_pages": 1, "first_page": True, "last_page": True}),
        (120, 1, 50, {"total_pages": 3, "first_page": True, "last_page": False}),
        (120, 3, 50, {"total_pages": 3, "first_page": False, "last_page": True}),
        (120, 7, 50, {"total_pages": 3, "first_page": False, "last_page": True}),
    ],
)
def test_page_envelope(total, page, per_page, expected):
    envelope = page_envelope([], total=total, page=page, per_page=per_page)
    assert {key: envelope[key] for key in expected} == expected
    assert (envelope["total_items"], envelope["page_number"], envelope["size"], envelope["empty"]) == (
        total,
        page,
        0,
        True,
    )


def test_empty_values_are_left_out_and_addresses_made_absolute():
    organization = Organization(name="Org", website="example.org", email="not an email", uri="ftp://x")
    item = organization_item(organization)
    assert item["website"] == "https://example.org"
    assert "email" not in item and "uri" not in item and "logo" not in item
    assert item["description"] == ""  # required by the schema, so always there


def test_service_item_maps_our_fields():
    service = Service(
        organization_id=Organization(name="x").id,
        name="S",
        status=ServiceStatus.TEMPORARILY_CLOSED,
        last_verified_on=date(2026, 1, 2),
        updated_at=datetime(2026, 1, 2, 3, 4, 5, 678000),  # SQLite gives naive UTC back
        url="http://example.org/s",
    )
    item = service_item(service)
    assert (item["status"], item["assured_date"]) == ("temporarily closed", "2026-01-02")
    assert item["last_modified"] == "2026-01-02T03:04:05.678Z"
    service.updated_at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert service_item(service)["last_modified"] == "2026-07-01T12:00:00.000Z"
    assert "organization" not in item and "minimum_age" not in item


def test_languages_cldr_does_not_name_still_get_an_english_name():
    from referral_app.services.oruk_api import language_name

    assert (language_name("prs"), language_name("bfi"), language_name("ils")) == (
        "Dari",
        "British Sign Language",
        "International Sign",
    )
    assert language_name("ro") == "Romanian"
