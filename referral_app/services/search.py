"""Finding services: every filter combines, results come a page at a time with a fixed number of queries.

`search_filters` turns a `SearchQuery` into SQL; `search_results` reads what the list shows about each service.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from referral_app.services.search_filters import SearchQuery, ranked_service_ids
from referral_app.services.search_results import ServiceResult, load_results

__all__ = ["SearchQuery", "SearchResults", "ServiceResult", "find_service_ids", "search_log_row", "search_services"]


@dataclass(frozen=True)
class SearchResults:
    items: list[ServiceResult]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def find_service_ids(
    *, session: Session, query: SearchQuery, now: datetime, page: int = 1, page_size: int = 20
) -> tuple[list[uuid.UUID], int]:
    """One page of matching service ids in result order, and how many match (a page past the end is empty)."""
    base, order = ranked_service_ids(query, dialect=session.get_bind().dialect.name, now=now)
    # The total comes with the page (a window count), so the filters run once; only a page past the end
    # needs a count of its own.
    rows = (
        session.connection()
        .execute(  # rows of (id, total); session.exec would return only the ids
            base.add_columns(func.count().over().label("total"))
            .order_by(*order)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        .all()
    )
    if rows:
        return [row[0] for row in rows], rows[0][1]
    total = 0 if page == 1 else session.exec(select(func.count()).select_from(base.subquery())).one()
    return [], total


def search_services(
    *, session: Session, query: SearchQuery, locale: str, now: datetime, page: int = 1, page_size: int = 20
) -> SearchResults:
    """Services matching every part of `query`: nearest first when `near` is set, else by name."""
    page = max(1, page)
    page_ids, total = find_service_ids(session=session, query=query, now=now, page=page, page_size=page_size)
    if not page_ids and total:  # past the last page (an old link): show the last page
        page = math.ceil(total / page_size)
        page_ids, total = find_service_ids(session=session, query=query, now=now, page=page, page_size=page_size)
    items = load_results(session=session, service_ids=page_ids, locale=locale, now=now, near=query.near)
    return SearchResults(items=items, total=total, page=page, page_size=page_size)


def search_log_row(*, query: SearchQuery, locale: str, result_count: int, now: datetime) -> dict:
    """A search as the insights record it (`SearchLog`, written by `search_log.record`): what was asked, never who."""
    filters = {
        key: value
        for key, value in asdict(query).items()
        if key not in {"text", "near"} and value not in (None, False, (), "")
    }
    return {
        "created_at": now,
        "terms": query.text.replace("\x00", "")[:200],  # PostgreSQL cannot store a NUL, which nobody types
        "filters": json.dumps(filters, default=str, sort_keys=True),
        "outcode": query.near.outcode if query.near else None,
        "locale": locale,
        "result_count": result_count,
    }
