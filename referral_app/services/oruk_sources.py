"""Reading Open Referral UK data into rows per table: a directory of CSV files, or a JSON file of API objects.

Everything is read and checked before the database is touched, so a file that cannot be parsed changes nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referral_app.services.oruk_tables import FILE_NAMES, UNSUPPORTED_TABLES, Table, is_empty


class OrukFormatError(Exception):
    """The source is not Open Referral UK data that can be read; nothing was imported."""


@dataclass
class SourceRow:
    values: dict[str, Any]
    where: str  # "line 3" of a CSV file, or a path into a JSON document


@dataclass
class Sources:
    tables: dict[str, list[SourceRow]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _by_id: dict[tuple[str, str], SourceRow] = field(default_factory=dict)

    def add(self, table: str, values: dict[str, Any], where: str) -> None:
        """Add a row; a row whose id was seen before is merged into it, filling the values it lacks."""
        row_id = str(values.get("id") or "").strip().lower()
        seen = self._by_id.get((table, row_id)) if row_id else None
        if seen is None:
            row = SourceRow(dict(values), where)
            self.tables.setdefault(table, []).append(row)
            if row_id:
                self._by_id[(table, row_id)] = row
            return
        for name, value in values.items():
            if is_empty(seen.values.get(name)):
                seen.values[name] = value


def read_sources(path: Path) -> Sources:
    if path.is_dir():
        return read_csv_directory(path)
    if path.is_file() and path.suffix.lower() == ".json":
        return read_json_file(path)
    raise OrukFormatError(f"{path} is neither a directory of Open Referral UK CSV files nor a .json file.")


def _table_of(stem: str) -> Table | str | None:
    return FILE_NAMES.get(stem) or (stem if stem in UNSUPPORTED_TABLES else None)


def read_csv_directory(directory: Path) -> Sources:
    sources = Sources()
    files = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    known = [(p, _table_of(p.stem.lower())) for p in files]
    # Canonical names first, so that rows from e.g. addresses.csv are merged into those of address.csv.
    known.sort(key=lambda pair: (not isinstance(pair[1], Table) or pair[1].name != pair[0].stem.lower(), pair[0].name))
    for path, table in known:
        if table is None:
            sources.notes.append(f"ignored {path.name}: not an Open Referral UK table")
            continue
        name = table.name if isinstance(table, Table) else table
        if isinstance(table, Table) and name in sources.tables and path.stem.lower() != name:
            sources.notes.append(f"merged {path.name} into {table.filename} (rows with the same id are one record)")
        for values, where in _read_csv(path, table, sources.notes):
            sources.add(name, values, where)
    if not any(isinstance(table, Table) for _path, table in known):
        raise OrukFormatError(f"{directory} holds no Open Referral UK tables (organizations.csv, services.csv, ...).")
    return sources


def _read_csv(path: Path, table: Table | str, notes: list[str]) -> list[tuple[dict[str, str], str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            records = [row for row in csv.reader(handle, strict=True) if row]
    except UnicodeDecodeError:
        raise OrukFormatError(f"{path.name} is not UTF-8 text.") from None
    except OSError as error:
        raise OrukFormatError(f"{path.name} cannot be read: {error.strerror}.") from None
    except csv.Error as error:
        raise OrukFormatError(f"{path.name} cannot be read as CSV: {error}.") from None
    if not records:
        return []
    header = [name.strip().lower() for name in records[0]]
    key = table.key if isinstance(table, Table) else ("id",)
    if len(set(header)) != len(header):
        raise OrukFormatError(f"{path.name} has the same column twice.")
    if not set(key) <= set(header):
        raise OrukFormatError(f"{path.name} has no {', '.join(key)} column: is it an Open Referral UK table?")
    if isinstance(table, Table) and (unknown := [name for name in header if name not in table.column_names]):
        notes.append(f"ignored columns of {path.name} (not kept by this directory): {', '.join(unknown)}")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) > len(header):
            raise OrukFormatError(f"{path.name} line {number} has {len(record)} values for {len(header)} columns.")
        rows.append((dict(zip(header, record + [""] * (len(header) - len(record)), strict=True)), f"line {number}"))
    return rows


# The nested lists of each object: key -> (table of the items, the items' column holding this object's id, extras).
_CHILDREN: dict[str, dict[str, tuple[str, str, dict[str, str]]]] = {
    "services": {
        "schedules": ("schedule", "service_id", {}), "service_areas": ("service_areas", "service_id", {}),
        "languages": ("languages", "service_id", {}), "cost_options": ("cost_options", "service_id", {}),
        "contacts": ("contacts", "service_id", {}), "service_at_locations": ("service_at_location", "service_id", {}),
        "attributes": ("attribute", "link_id", {"link_entity": "service"}),
        "translations": ("service_translations", "service_id", {}),
    },
    "organizations": {
        "services": ("services", "organization_id", {}), "locations": ("locations", "organization_id", {}),
        "translations": ("organization_translations", "organization_id", {}),
    },
    "contacts": {"phones": ("phones", "contact_id", {})},
    "phones": {"languages": ("languages", "phone_id", {})},
    "service_at_location": {"schedules": ("schedule", "service_at_location_id", {})},
    "locations": {"addresses": ("address", "location_id", {}), "accessibility": ("accessibility", "location_id", {})},
    "taxonomies": {"taxonomy_terms": ("taxonomy_terms", "taxonomy_id", {})},
}  # fmt: skip
# Nested single objects this object refers to: key -> (their table, this object's column holding their id).
_REFERENCES: dict[str, dict[str, tuple[str, str]]] = {
    "services": {"organization": ("organizations", "organization_id")},
    "service_at_location": {"location": ("locations", "location_id"), "service": ("services", "service_id")},
    "attribute": {"taxonomy_term": ("taxonomy_terms", "taxonomy_term_id")},
    "taxonomy_terms": {"taxonomy_detail": ("taxonomies", "taxonomy_id")},
}


def _kind(item: Any) -> str | None:
    """Which ORUK object a top-level JSON object is, judged by the keys only that object has."""
    if not isinstance(item, dict) or not item.get("id"):
        return None
    keys = set(item)
    if {"location", "service"} <= keys:
        return "service_at_location"
    if keys & {"status", "organization", "service_at_locations", "assured_date"}:
        return "services"
    if keys & {"services", "organization_identifiers", "parent_organization_id", "website", "logo"}:
        return "organizations"
    if keys & {"term", "parent_id", "taxonomy_id", "term_uri"}:
        return "taxonomy_terms"
    if keys & {"taxonomy_terms", "version"}:
        return "taxonomies"
    return None


def read_json_file(path: Path) -> Sources:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise OrukFormatError(f"{path.name} is not UTF-8 text.") from None
    except OSError as error:
        raise OrukFormatError(f"{path.name} cannot be read: {error.strerror}.") from None
    except json.JSONDecodeError as error:
        raise OrukFormatError(f"{path.name} is not valid JSON: {error}.") from None
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "contents"
    elif isinstance(document, list):
        items, prefix = document, ""
    else:
        items, prefix = [document], None
    sources = Sources()
    for index, item in enumerate(items):
        where = f"{prefix}[{index}]" if prefix is not None else "the top-level object"
        kind = _kind(item)
        if kind is None:
            raise OrukFormatError(
                f"{path.name}: {where} is not an Open Referral UK service, organization, service at location, "
                "taxonomy or taxonomy term (with an id)."
            )
        _flatten(sources, kind, item, where)
    return sources


def _flatten(
    sources: Sources, table: str, item: dict[str, Any], where: str, parent: dict[str, Any] | None = None
) -> None:
    values = {key: value for key, value in item.items() if not isinstance(value, (dict, list))}
    for key, value in item.items():
        if isinstance(value, dict) and key in _REFERENCES.get(table, {}):
            ref_table, column = _REFERENCES[table][key]
            _flatten(sources, ref_table, value, f"{where}.{key}")
            if is_empty(values.get(column)):
                values[column] = value.get("id")
        elif isinstance(value, dict):
            sources.add(key, value, f"{where}.{key}")  # e.g. a program: reported as an unsupported table
    for column, value in (parent or {}).items():
        if is_empty(values.get(column)):
            values[column] = value
    sources.add(table, values, where)
    for key, value in item.items():
        if not isinstance(value, list):
            continue
        child_table, column, extras = _CHILDREN.get(table, {}).get(key, (key, "", {}))
        for index, child in enumerate(value):
            if isinstance(child, dict):
                link = {column: item.get("id"), **extras} if column else {}
                _flatten(sources, child_table, child, f"{where}.{key}[{index}]", link)
