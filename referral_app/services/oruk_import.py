"""Import Open Referral UK 3.0 data (a CSV directory or JSON of API objects) into the directory.

Records are matched by id, so importing again updates them and never duplicates. Rows that cannot be used
are skipped with a reason; the caller commits once, or rolls back everything if an exception escapes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from referral_app.models import Attribute, CostOption, Language, Service
from referral_app.models._types import utcnow
from referral_app.services.oruk_sources import OrukFormatError, SourceRow, read_sources
from referral_app.services.oruk_tables import (
    TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
    format_value,
    is_empty,
    parse_value,
)
from referral_app.services.search_index import refresh_search_documents

__all__ = ["ImportReport", "OrukFormatError", "import_oruk"]

# What an attribute's link_id may point at, in the order tried when link_entity is not given.
LINK_ENTITIES = {"service": "services", "organization": "organizations", "location": "locations",
                 "service_at_location": "service_at_location", "contact": "contacts", "phone": "phones"}  # fmt: skip
LOCATION_TYPES = ("physical", "postal", "virtual")


class RowProblem(Exception):
    """Why a row is skipped."""


@dataclass
class ImportReport:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    service_ids: list[uuid.UUID] = field(default_factory=list)

    def count(self, table: str, outcome: str) -> None:
        counts = self.counts.setdefault(table, {"created": 0, "updated": 0, "skipped": 0})
        counts[outcome] += 1

    def skip(self, table: str, label: str, reason: str) -> None:
        self.lines.append(f"skipped {table} row {label}: {reason}")
        self.count(table, "skipped")

    def adjust(self, table: str, label: str, change: str) -> None:
        self.lines.append(f"adjusted {table} row {label}: {change}")

    def summary(self) -> str:
        parts = [f"{table} {c['created']} created, {c['updated']} updated, {c['skipped']} skipped"
                 for table, c in self.counts.items()]  # fmt: skip
        return "Imported: " + ("; ".join(parts) if parts else "nothing") + "."


def import_oruk(*, session: Session, path: Path) -> ImportReport:
    """Read everything first (OrukFormatError if it cannot be), then create or update records by id."""
    sources = read_sources(path)
    report = ImportReport(lines=list(sources.notes))
    importer = _Importer(session=session, report=report)
    for table in TABLES:
        if sources.tables.get(table.name):
            importer.import_table(table, sources.tables[table.name])
    for name, rows in sources.tables.items():
        if name not in TABLES_BY_NAME:
            for row in rows:
                report.skip(name, _label(row), f"the Open Referral UK table {name} is not kept by this directory")
    importer.derive_is_free()
    report.service_ids = importer.touched_services()
    refresh_search_documents(session=session, service_ids=report.service_ids)
    return report


def _label(row: SourceRow) -> str:
    row_id = row.values.get("id")
    return str(row_id).strip() if not is_empty(row_id) and not isinstance(row_id, (dict, list)) else row.where


class _Importer:
    def __init__(self, *, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self.known: dict[str, set[Any]] = defaultdict(set)
        self.missing: dict[str, set[Any]] = defaultdict(set)
        self.imported: dict[str, set[Any]] = defaultdict(set)
        self.free_from_costs: set[uuid.UUID] = set()

    def exists(self, table: str, record_id: Any) -> bool:
        if record_id in self.known[table]:
            return True
        if record_id not in self.missing[table]:
            found = self.session.get(TABLES_BY_NAME[table].model, record_id) is not None
            (self.known if found else self.missing)[table].add(record_id)
        return record_id in self.known[table]

    def import_table(self, table: Table, rows: list[SourceRow]) -> None:
        parsed: list[tuple[str, dict[str, Any]]] = []
        for row in rows:
            label = _label(row)
            try:
                parsed.append((label, self.parse_row(table, row, label)))
            except RowProblem as problem:
                self.report.skip(table.name, label, str(problem))
        existing = self.load_existing(table, [values for _label, values in parsed])
        deferred: list[tuple[str, Any, Column, Any]] = []
        for label, values in parsed:
            for column in table.columns:
                if column.ref == table.name and column.field in values:
                    deferred.append((label, values["id"], column, values.pop(column.field)))
            key = tuple(values[name] for name in table.key)
            record = existing.get(key)
            if record is None:
                record = existing[key] = table.model(**values)
                self.report.count(table.name, "created")
            else:
                for name, value in values.items():
                    setattr(record, name, value)
                if hasattr(record, "updated_at") and "updated_at" not in values:
                    record.updated_at = utcnow()
                self.report.count(table.name, "updated")
            self.session.add(record)
            self.imported[table.name].add(key[0])
            if table.key == ("id",):
                self.known[table.name].add(key[0])
                self.missing[table.name].discard(key[0])
        self.session.flush()
        for label, record_id, column, value in deferred:  # self-references, once every row of the table exists
            if value is not None and not self.exists(table.name, value):
                self.report.adjust(table.name, label, f"{column.name} {value} is not a known record; left empty")
                value = None
            setattr(self.session.get(table.model, record_id), column.field, value)
        self.session.flush()

    def select_in(self, what: Any, column: Any, ids: Any) -> list[Any]:
        """`select(what).where(column IN ids)`, a chunk at a time."""
        ids = list(ids)
        return [row for start in range(0, len(ids), 500)
                for row in self.session.exec(select(what).where(column.in_(ids[start : start + 500])))]  # fmt: skip

    def load_existing(self, table: Table, rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], Any]:
        ids = {values[table.key[0]] for values in rows}
        records = self.select_in(table.model, getattr(table.model, table.key[0]), ids)
        return {tuple(getattr(record, name) for name in table.key): record for record in records}

    def parse_row(self, table: Table, row: SourceRow, label: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column in table.columns:
            raw = row.values.get(column.name)
            if column.required and is_empty(raw):
                raise RowProblem(f"{column.name} is missing")
            if column.field is None or column.name not in row.values:
                continue
            try:
                value = parse_value(column, raw)
            except ValueError as error:
                raise RowProblem(str(error)) from None
            length = getattr(table.model.__table__.c[column.field].type, "length", None)
            if isinstance(value, str) and length and len(value) > length:
                raise RowProblem(f"{column.name} is longer than {length} characters")
            if column.ref and column.ref != table.name and value is not None and not self.exists(column.ref, value):
                if column.dangling == "skip":
                    raise RowProblem(f"{column.name} {value} is not a known record of {column.ref}")
                self.report.adjust(table.name, label, f"{column.name} {value} is not a known record; left empty")
                value = None
            values[column.field] = value
        check = getattr(self, f"check_{table.name}", None)
        if check is not None:
            check(values, row.values, label)
        return values

    def check_services(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        if "is_free" not in values:
            self.free_from_costs.add(values["id"])

    def check_locations(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        if values.get("location_type", "physical") not in LOCATION_TYPES:
            raise RowProblem(f"location_type {values['location_type']!r} is not one of: {', '.join(LOCATION_TYPES)}")
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            problem = f"latitude {format_value(latitude)} is outside -90 to 90"
        elif longitude is not None and not -180 <= longitude <= 180:
            problem = f"longitude {format_value(longitude)} is outside -180 to 180"
        elif (latitude is None) != (longitude is None):
            problem = "it has only one of latitude and longitude"
        else:
            return
        values["latitude"] = values["longitude"] = None
        self.report.adjust("locations", label, f"{problem}; stored without coordinates")

    def check_address(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        if "country" in values:
            values["country"] = values["country"].strip().upper()
            if len(values["country"]) != 2 or not values["country"].isalpha():
                raise RowProblem(f"country {raw.get('country')!r} is not a two-letter ISO 3166 code")

    def check_accessibility(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        if values.get("description") is None and not is_empty(raw.get("accessibility")):
            values["description"] = str(raw["accessibility"])  # the UK profile's own column for the same text

    def check_schedule(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        if values.get("service_id") is None and values.get("service_at_location_id") is None:
            raise RowProblem("it belongs to no service and no service at location")

    def check_phones(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        number = values["number"].strip()
        if len(number) > 1 and number[0] == number[-1] == '"':
            values["number"] = number[1:-1].strip()
            self.report.adjust("phones", label, "number was wrapped in quotation marks; removed them")

    def check_attribute(self, values: dict[str, Any], raw: dict[str, Any], label: str) -> None:
        entity = (values.get("link_entity") or "").strip().lower()
        if entity and entity not in LINK_ENTITIES:
            raise RowProblem(f"link_entity {entity!r} is not one of: {', '.join(LINK_ENTITIES)}")
        candidates = [entity] if entity else list(LINK_ENTITIES)
        found = next((name for name in candidates if self.exists(LINK_ENTITIES[name], values["link_id"])), None)
        if found is None:
            known_as = f"a known {entity}" if entity else "the id of any record that attributes can describe"
            raise RowProblem(f"link_id {values['link_id']} is not {known_as}")
        values["link_entity"] = found

    def derive_is_free(self) -> None:
        """Services whose data says nothing of `is_free`: free if every cost is 0 or "free", not if any costs."""
        options: dict[uuid.UUID, list[CostOption]] = defaultdict(list)
        for option in self.select_in(CostOption, CostOption.service_id, self.free_from_costs):
            options[option.service_id].append(option)
        for service_id, costs in options.items():
            if any((cost.amount or 0) > 0 for cost in costs):
                is_free = False
            elif all(cost.amount == 0 or "free" in (cost.option or "").lower() for cost in costs):
                is_free = True
            else:
                continue
            self.session.get(Service, service_id).is_free = is_free
        self.session.flush()

    def touched_services(self) -> list[uuid.UUID]:
        """Services whose search text may have changed: imported, or their organisation, terms or words were."""
        ids = self.imported["services"] | self.imported["service_translations"]
        ids |= set(self.select_in(Language.service_id, Language.id, self.imported["languages"]))
        orgs = self.imported["organizations"] | self.imported["organization_translations"]
        ids |= set(self.select_in(Service.id, Service.organization_id, orgs))
        links = self.select_in(Attribute.link_id, Attribute.id, self.imported["attribute"])
        ids |= {link_id for link_id in links if self.exists("services", link_id)}
        return sorted((service_id for service_id in ids if service_id is not None), key=str)
