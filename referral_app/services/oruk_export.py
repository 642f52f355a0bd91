"""Export the directory as Open Referral UK 3.0 CSV files, with our own columns after the ORUK ones.

Rows are ordered by id (translations by their record and locale) and values are written one way only,
so two exports of the same data are byte-identical, and importing an export loses nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from referral_app.models import Taxonomy
from referral_app.services.oruk_tables import TABLES, Column, Table, format_value


def export_oruk(*, session: Session, directory: Path) -> dict[str, int]:
    """Write one CSV file per table into `directory` (created if needed); returns rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    taxonomy_names = {taxonomy.id: taxonomy.name for taxonomy in session.exec(select(Taxonomy))}
    written: dict[str, int] = {}
    for table in TABLES:
        records = sorted(session.exec(select(table.model)).all(), key=lambda record, t=table: _sort_key(t, record))
        with (directory / table.filename).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column.name for column in table.columns])
            for record in records:
                writer.writerow([format_value(_value(column, record, taxonomy_names)) for column in table.columns])
        written[table.filename] = len(records)
    return written


def _sort_key(table: Table, record: Any) -> tuple[str, ...]:
    return tuple(str(getattr(record, name)) for name in table.key)


def _value(column: Column, record: Any, taxonomy_names: dict[Any, str]) -> Any:
    if column.field is not None:
        return getattr(record, column.field)
    if column.name == "taxonomy":  # ORUK repeats the taxonomy's name on each term
        return taxonomy_names.get(record.taxonomy_id)
    if column.name == "accessibility":  # the UK profile's column for the description
        return record.description
    raise AssertionError(column.name)
