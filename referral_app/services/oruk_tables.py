"""How our tables map to the Open Referral UK 3.0 CSV layout, and how each value is read and written.

One `Table` per CSV file: the ORUK columns first, in the order of the UK profile's schemas, then ours.
Import and export both read this mapping, so a column added here travels both ways.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlmodel import SQLModel

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
    ServiceStatus,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)

# Tables of the ORUK layout this directory does not keep; their rows are reported as skipped.
UNSUPPORTED_TABLES = frozenset(
    {"funding", "programs", "program", "required_documents", "required_document", "organization_identifiers",
     "organization_identifier", "meta_table_descriptions", "meta_table_description", "metadata", "url", "urls"}
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One CSV column. `attr` None: written on export but not stored (derived from other data)."""

    name: str
    kind: str = "text"  # text (empty = null), str (empty = ""), uuid, date, time, datetime, int, float, bool, enum
    attr: str | None = ""  # "" means the same as `name`
    required: bool = False
    ref: str | None = None  # the table this id must be found in
    dangling: str = "skip"  # when `ref` finds nothing: "skip" the row or set the value to "null"
    enum: type[StrEnum] | None = None
    default: Any = None  # used when the cell is empty (kind "str" only)

    @property
    def field(self) -> str | None:
        return self.name if self.attr == "" else self.attr


@dataclass(frozen=True)
class Table:
    name: str  # also the CSV file name, without ".csv"
    model: type[SQLModel]
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()  # other file names met in the wild; rows are merged by id
    key: tuple[str, ...] = ("id",)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(column.name for column in self.columns)


def _id() -> Column:
    return Column("id", "uuid", required=True)


def _ref(name: str, table: str, *, required: bool = False, dangling: str = "skip") -> Column:
    return Column(name, "uuid", required=required, ref=table, dangling=dangling)


def _str(name: str, **kwargs: Any) -> Column:
    return Column(name, "str", **kwargs)


def _flags(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name, "bool") for name in names)


TABLES: tuple[Table, ...] = (
    Table("taxonomies", Taxonomy, (
        _id(), _str("name", required=True), _str("description"), Column("uri"), Column("version"),
    ), aliases=("taxonomy",)),
    Table("taxonomy_terms", TaxonomyTerm, (
        _id(), _str("name", required=True), _str("description"), _ref("parent_id", "taxonomy_terms", dangling="null"),
        Column("taxonomy", attr=None), _ref("taxonomy_id", "taxonomies", dangling="null"), Column("term_uri"),
        Column("term", attr="code"),
    ), aliases=("taxonomy_term",)),
    Table("organizations", Organization, (
        _id(), _str("name", required=True), _str("description"), Column("email"), Column("website"), Column("logo"),
        Column("uri"), _ref("parent_organization_id", "organizations", dangling="null"),
        Column("status", "enum", enum=OrganizationStatus),
    ), aliases=("organization",)),
    Table("services", Service, (
        _id(), _ref("organization_id", "organizations", required=True), _str("name", required=True),
        _str("description"), Column("url"), Column("email"),
        Column("status", "enum", required=True, enum=ServiceStatus), Column("fees"), Column("accreditations"),
        Column("minimum_age", "int"), Column("maximum_age", "int"),
        Column("assured_date", "date", attr="last_verified_on"), Column("assurer_email"), Column("alert"),
        Column("last_modified", "datetime", attr="updated_at"),
        _str("application_process"), _str("eligibility_description"),
        *_flags("is_free", "bsl_staff", "bsl_interpreter", "in_person", "online", "by_phone"),
    ), aliases=("service",)),
    Table("locations", Location, (
        _id(), _str("location_type", default="physical"), Column("name"), Column("description"),
        Column("latitude", "float"), Column("longitude", "float"), Column("external_identifier"),
        Column("external_identifier_type"), _ref("organization_id", "organizations", dangling="null"),
    ), aliases=("location",)),
    Table("address", Address, (
        _id(), _ref("location_id", "locations", required=True), Column("attention"), _str("address_1", required=True),
        _str("city", required=True), Column("region"), _str("state_province"), _str("postal_code", required=True),
        _str("country", default="GB"), _str("address_type", default="physical"), Column("address_2"),
    ), aliases=("addresses",)),
    Table("accessibility", Accessibility, (
        _id(), _ref("location_id", "locations", required=True), Column("description"), Column("details"),
        Column("url"), Column("accessibility", attr=None), Column("feature"),
    ), aliases=("accessibilities",)),
    Table("service_at_location", ServiceAtLocation, (
        _id(), _ref("service_id", "services", required=True), _ref("location_id", "locations", required=True),
    ), aliases=("service_at_locations", "services_at_location")),
    Table("schedule", Schedule, (
        _id(), _ref("service_id", "services"), _ref("service_at_location_id", "service_at_location"),
        Column("valid_from", "date"), Column("valid_to", "date"), Column("dtstart", "date"), Column("freq"),
        Column("interval", "int"), Column("byday"), Column("bymonthday"), Column("description"),
        Column("opens_at", "time"), Column("closes_at", "time"), Column("schedule_link"), Column("attending_type"),
        Column("notes"),
    ), aliases=("schedules",)),
    Table("service_areas", ServiceArea, (
        _id(), _ref("service_id", "services", required=True), Column("name"), Column("extent"),
        Column("extent_type"), Column("uri"), Column("service_area"), Column("outcode"),
    ), aliases=("service_area",)),
    Table("cost_options", CostOption, (
        _id(), _ref("service_id", "services", required=True), Column("valid_from", "date"),
        Column("valid_to", "date"), Column("option"), Column("amount", "float"), Column("amount_description"),
    ), aliases=("cost_option",)),
    Table("contacts", Contact, (
        _id(), _ref("service_id", "services"), Column("name"), Column("title"),
    ), aliases=("contact",)),
    Table("phones", Phone, (
        _id(), _ref("contact_id", "contacts"), _str("number", required=True), Column("description"),
        Column("kind", "enum", enum=ContactKind),
    ), aliases=("phone",)),
    Table("languages", Language, (
        _id(), _ref("service_id", "services"), _ref("phone_id", "phones"), _str("code", required=True),
        _str("name"), Column("note"),
    ), aliases=("language",)),
    Table("attribute", Attribute, (
        _id(), Column("link_id", "uuid", required=True), _ref("taxonomy_term_id", "taxonomy_terms", required=True),
        Column("link_type"), Column("link_entity"), Column("value"),
    ), aliases=("attributes",)),
    Table("service_translations", ServiceTranslation, (
        _ref("service_id", "services", required=True), _str("locale", required=True), _str("name"),
        _str("description"), _str("application_process"), _str("eligibility_description"),
    ), key=("service_id", "locale")),
    Table("organization_translations", OrganizationTranslation, (
        _ref("organization_id", "organizations", required=True), _str("locale", required=True), _str("name"),
        _str("description"),
    ), key=("organization_id", "locale")),
)  # fmt: skip
TABLES_BY_NAME = {table.name: table for table in TABLES}
FILE_NAMES = {alias: table for table in TABLES for alias in (table.name, *table.aliases)}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")
_SHAPES: dict[str, tuple[re.Pattern[str], Any, str]] = {
    "date": (_DATE, date, "YYYY-MM-DD"),
    "time": (_TIME, time, "HH:MM or HH:MM:SS"),
}
_INT = re.compile(r"[+-]?\d+(\.0*)?")
_TRUE, _FALSE = {"true", "1", "yes", "y", "t"}, {"false", "0", "no", "n", "f"}


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse_value(column: Column, raw: Any) -> Any:
    """The stored value of a cell (or JSON value); ValueError says what is wrong with it."""
    if is_empty(raw):
        return (column.default if column.default is not None else "") if column.kind == "str" else None
    if isinstance(raw, (dict, list)):
        raise ValueError(f"{column.name} is a nested object, not a value")
    text = str(raw).strip()
    match column.kind:
        case "text" | "str":
            return str(raw)
        case "uuid":
            try:
                return uuid.UUID(text)
            except ValueError:
                raise ValueError(f"{column.name} {text!r} is not a UUID") from None
        case "date" | "time":
            pattern, parse, shape = _SHAPES[column.kind]
            try:
                if pattern.fullmatch(text):
                    return parse.fromisoformat(text)
            except ValueError:
                pass
            raise ValueError(f"{column.name} {text!r} is not a {column.kind} ({shape})")
        case "datetime":
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{column.name} {text!r} is not a date and time (ISO 8601)") from None
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        case "int":
            if isinstance(raw, bool) or not _INT.fullmatch(text):
                raise ValueError(f"{column.name} {text!r} is not a whole number")
            return int(float(text))
        case "float":
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if isinstance(raw, bool) or not math.isfinite(number):
                raise ValueError(f"{column.name} {text!r} is not a number")
            return number
        case "bool":
            if text.lower() in _TRUE or raw is True:
                return True
            if text.lower() in _FALSE or raw is False:
                return False
            raise ValueError(f"{column.name} {text!r} is not true or false")
        case "enum":
            assert column.enum is not None
            allowed = [member.value for member in column.enum]
            if text.lower() not in allowed:
                raise ValueError(f"{column.name} {text!r} is not one of: {', '.join(allowed)}")
            return column.enum(text.lower())
    raise AssertionError(column.kind)


def format_value(value: Any) -> str:
    """A stored value as a CSV cell, the same way every time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
