"""Gaps for decision-makers: where needs are not met, counted in the database with small numbers suppressed.

- Supply against demand: listed services for a need in a postcode district, against the referrals of people who
  live there and the searches made near there for that need.
- Referrals declined for lack of capacity or as not suitable, by need and by organisation.
- Searches that found nothing, by the words used, area and language. Words are free text typed by anonymous
  people: a word is shown only when at least 5 searches that found nothing used it (case and outer spaces
  ignored); the rest are counted together.
- Listings with no translation, no BSL video, or not checked in the last 12 months (services/listing_gaps.py).
- Areas and languages with fewer referrals for their searches than the average: under three quarters of it.

Every count is a GROUP BY in the database (referrals from the insight facts, models/insight.py); counts from 1 to
4 leave this module as SUPPRESSED, and where a table shows a total one more is hidden if only one was
(`suppress_with_total`), so no small number can be worked out by subtraction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlmodel import Session

from referral_app.models import (
    Attribute,
    DeclineReason,
    InsightReferral,
    InsightTag,
    Organization,
    ReferralStatus,
    SearchLog,
    Service,
    TagKind,
    TaxonomyTerm,
)
from referral_app.services.insights import (
    SMALLEST_SHOWN,
    InsightFilters,
    fact_conditions,
    suppress,
    suppress_with_total,
)
from referral_app.services.listing_gaps import ListingGaps, listed, listing_gaps, service_districts
from referral_app.services.taxonomy import NEED_CODES, NEEDS_TAXONOMY_ID

Count = int | None  # None: fewer than 5, or hidden so that one under 5 cannot be worked out
OTHER_WORDS = "\x00other"  # searches whose words were used fewer than 5 times (no search's words hold a NUL)
NO_WORDS = "\x00none"  # searches with filters only
WELL_BELOW = 0.75  # referrals for each search under this share of the average are marked: a gap, not noise


@dataclass(frozen=True)
class GapFilters:
    since: date | None = None  # referrals sent and searches made on or after this (UTC) day
    until: date | None = None  # ... and on or before this one
    outcode: str | None = None  # where the person lives, or the district searched near
    need: str | None = None  # referrals for it, searches that chose it, services that offer it

    def for_referrals(self, *, need: bool = True) -> InsightFilters:
        return InsightFilters(
            since=self.since, until=self.until, outcode=self.outcode, need=self.need if need else None
        )


@dataclass(frozen=True)
class SupplyRow:
    need: str
    outcode: str
    services: Count
    referrals: Count
    searches: Count


@dataclass(frozen=True)
class DeclineRow:
    key: str  # a need code or an organisation id
    referrals: Count
    no_capacity: Count
    not_suitable: Count


@dataclass(frozen=True)
class Counted:
    """Counts by one dimension with their total, largest first."""

    rows: list[tuple[str, Count]]
    total: Count


@dataclass(frozen=True)
class ReachRow:
    key: str  # an outcode or a language code
    searches: Count
    referrals: Count
    per_100_searches: float | None  # only where both counts are shown
    well_below_average: bool  # under WELL_BELOW of the average


@dataclass(frozen=True)
class Reach:
    rows: list[ReachRow]
    searches: Count
    referrals: Count
    per_100_searches: float | None  # the average the rows are compared with


@dataclass(frozen=True)
class Gaps:
    filters: GapFilters
    supply: list[SupplyRow]
    declines_by_need: list[DeclineRow]
    declines_by_organisation: list[DeclineRow]
    organisation_names: dict[str, str]
    no_results_by_words: Counted  # keys: the words, OTHER_WORDS, NO_WORDS
    no_results_by_area: Counted  # keys: outcodes, "" for no area
    no_results_by_language: Counted
    reach_by_area: Reach
    reach_by_language: Reach
    listings: ListingGaps  # public records, not counts of people


def _rank(shown: Count) -> int:
    """Shown figures in order, a hidden one (1 to 4) between 0 and 5, so that order reveals nothing more."""
    return 1 if shown is None else shown


def _need_marker(code: str) -> str:
    return f'"need": "{code}"'  # as search.search_log_row writes it (json.dumps)


def _search_need() -> ColumnElement:
    """The need a search chose in its filters (one at most), or NULL."""
    return case(
        *((SearchLog.filters.contains(_need_marker(code), autoescape=True), code) for code in sorted(NEED_CODES)),
        else_=None,
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def search_conditions(filters: GapFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions on SearchLog for these filters."""
    found: list[ColumnElement[bool]] = []
    if filters.since:
        found.append(SearchLog.created_at >= _day_start(filters.since))
    if filters.until:
        found.append(SearchLog.created_at < _day_start(filters.until + timedelta(days=1)))
    if filters.outcode:
        found.append(SearchLog.outcode == filters.outcode)
    if filters.need:
        found.append(SearchLog.filters.contains(_need_marker(filters.need), autoescape=True))
    return found


def _pairs(session: Session, statement) -> dict[tuple[str, str], int]:
    """{(first, second): count} from a statement grouped by two columns, leaving out rows where either is NULL."""
    return {(first, second): count for first, second, count in session.execute(statement) if first and second}


# --- Supply against demand ------------------------------------------------------------------------------------


def _services_by_need_and_area(session: Session, filters: GapFilters) -> dict[tuple[str, str], int]:
    """Listed services for each need in each district they are in."""
    districts = service_districts()
    statement = (
        select(TaxonomyTerm.code, districts.c.outcode, func.count(func.distinct(districts.c.service_id)))
        .select_from(districts)
        .join(Service, Service.id == districts.c.service_id)
        .join(Organization, Organization.id == Service.organization_id)
        .join(Attribute, Attribute.link_id == Service.id)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(*listed(), TaxonomyTerm.taxonomy_id == NEEDS_TAXONOMY_ID)
        .group_by(TaxonomyTerm.code, districts.c.outcode)
    )
    if filters.outcode:
        statement = statement.where(districts.c.outcode == filters.outcode)
    if filters.need:
        statement = statement.where(TaxonomyTerm.code == filters.need)
    return _pairs(session, statement)


def _referrals_by_need(filters: GapFilters, *keys: ColumnElement, columns: Sequence[ColumnElement] = ()) -> Select:
    """Referrals grouped by need (a referral counts once for each of its needs) and `keys`, with `columns`."""
    statement = (
        select(InsightTag.code, *keys, func.count(), *columns)
        .join(InsightReferral, InsightReferral.id == InsightTag.insight_id)
        .where(InsightTag.kind == TagKind.NEED, *fact_conditions(filters.for_referrals(need=False)))
        .group_by(InsightTag.code, *keys)
    )
    if filters.need:
        statement = statement.where(InsightTag.code == filters.need)
    return statement


def supply_and_demand(*, session: Session, filters: GapFilters) -> list[SupplyRow]:
    """Each need and district someone was referred or searched for, with the services listed there: fewest first."""
    referrals = _pairs(session, _referrals_by_need(filters, InsightReferral.outcode))
    # The need is worked out in a subquery, so that GROUP BY names it rather than repeating its parameters.
    chosen = (
        select(_search_need().label("need"), SearchLog.outcode)
        .where(SearchLog.filters.contains('"need": "'), *search_conditions(filters))
        .subquery()
    )
    searches = _pairs(
        session, select(chosen.c.need, chosen.c.outcode, func.count()).group_by(chosen.c.need, chosen.c.outcode)
    )
    services = _services_by_need_and_area(session, filters)
    rows = [
        SupplyRow(
            need=code,
            outcode=outcode,
            services=suppress(services.get((code, outcode), 0)),
            referrals=suppress(referrals.get((code, outcode), 0)),
            searches=suppress(searches.get((code, outcode), 0)),
        )
        for code, outcode in set(referrals) | set(searches)
    ]
    rows.sort(key=lambda row: (_rank(row.services), -_rank(row.referrals) - _rank(row.searches), row.need, row.outcode))
    return rows


# --- Declines -------------------------------------------------------------------------------------------------


def _declined_for(reason: DeclineReason) -> ColumnElement:
    chosen = and_(InsightReferral.status == ReferralStatus.DECLINED, InsightReferral.decline_reason == reason)
    return func.sum(case((chosen, 1), else_=0))


DECLINE_COLUMNS = (_declined_for(DeclineReason.NO_CAPACITY), _declined_for(DeclineReason.NOT_SUITABLE))


def _decline_rows(found: Iterable[tuple]) -> list[DeclineRow]:
    """Rows with a referral declined for capacity or as not suitable. Each referral in a row is one of those or
    neither: the three add up to the row's total, so they are suppressed together with it."""
    rows = []
    for key, referrals, capacity, unsuitable in found:
        capacity, unsuitable = int(capacity or 0), int(unsuitable or 0)
        if capacity or unsuitable:
            shown_capacity, shown_unsuitable, _rest = suppress_with_total(
                [capacity, unsuitable, referrals - capacity - unsuitable]
            )
            rows.append(DeclineRow(str(key), suppress(referrals), shown_capacity, shown_unsuitable))
    rows.sort(key=lambda row: (-_rank(row.no_capacity) - _rank(row.not_suitable), row.key))
    return rows


def declines_by_need(*, session: Session, filters: GapFilters) -> list[DeclineRow]:
    return _decline_rows(session.execute(_referrals_by_need(filters, columns=DECLINE_COLUMNS)))


def declines_by_organisation(*, session: Session, filters: GapFilters) -> list[DeclineRow]:
    statement = (
        select(InsightReferral.organization_id, func.count(), *DECLINE_COLUMNS)
        .where(*fact_conditions(filters.for_referrals()))
        .group_by(InsightReferral.organization_id)
    )
    return _decline_rows(session.execute(statement))


def _organisation_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    ids = [uuid.UUID(key) for key in keys]
    found = session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return {str(organization_id): name for organization_id, name in found}


# --- Searches that found nothing ------------------------------------------------------------------------------


def _counted(pairs: Sequence[tuple[str, int]], *, last: Sequence[str] = ()) -> Counted:
    """Suppressed counts with their total: largest first by what is shown, the keys in `last` at the end."""
    pairs = [(key, count) for key, count in pairs if count]
    shown = suppress_with_total([count for _key, count in pairs])
    rows = list(zip([key for key, _count in pairs], shown, strict=True))
    rows.sort(key=lambda row: (last.index(row[0]) if row[0] in last else -1, -_rank(row[1]), row[0]))
    return Counted(rows=rows, total=suppress(sum(count for _key, count in pairs)))


def _words(text: str) -> str:
    return " ".join(text.replace("\x00", "").casefold().split())


def no_results_by_words(*, session: Session, filters: GapFilters) -> Counted:
    """Searches that found nothing, by their words: only words that at least 5 of them used are shown."""
    words = func.lower(func.trim(SearchLog.terms))
    statement = (
        select(words, func.count()).where(SearchLog.result_count == 0, *search_conditions(filters)).group_by(words)
    )
    # The database folds only plain letters' case; Python folds the rest, adding up the groups it joins.
    merged: dict[str, int] = {}
    for text, count in session.execute(statement):
        key = _words(text or "") or NO_WORDS
        merged[key] = merged.get(key, 0) + count
    shown = {key: count for key, count in merged.items() if key == NO_WORDS or count >= SMALLEST_SHOWN}
    other = sum(count for key, count in merged.items() if key not in shown)
    return _counted([*shown.items(), (OTHER_WORDS, other)], last=(OTHER_WORDS, NO_WORDS))


def _no_results_by(session: Session, filters: GapFilters, key: ColumnElement) -> Counted:
    statement = select(key, func.count()).where(SearchLog.result_count == 0, *search_conditions(filters)).group_by(key)
    return _counted([(value or "", count) for value, count in session.execute(statement)], last=("",))


def no_results_by_area(*, session: Session, filters: GapFilters) -> Counted:
    return _no_results_by(session, filters, SearchLog.outcode)


def no_results_by_language(*, session: Session, filters: GapFilters) -> Counted:
    return _no_results_by(session, filters, SearchLog.locale)


# --- Areas and languages with fewer referrals than their searches suggest ----------------------------------------


def _reach(searches: dict[str, int], referrals: dict[str, int]) -> Reach:
    keys = sorted(set(searches) | set(referrals))
    shown_searches = suppress_with_total([searches.get(key, 0) for key in keys])
    shown_referrals = suppress_with_total([referrals.get(key, 0) for key in keys])
    total_searches, total_referrals = suppress(sum(searches.values())), suppress(sum(referrals.values()))
    average = 100 * total_referrals / total_searches if total_searches and total_referrals is not None else None
    rows = []
    for key, searched, referred in zip(keys, shown_searches, shown_referrals, strict=True):
        ratio = 100 * referred / searched if searched and referred is not None else None
        below = ratio is not None and average is not None and ratio < WELL_BELOW * average
        rows.append(ReachRow(key, searched, referred, None if ratio is None else round(ratio, 1), below))
    rows.sort(key=lambda row: (row.per_100_searches is None, row.per_100_searches or 0, row.key))
    return Reach(rows, total_searches, total_referrals, None if average is None else round(average, 1))


def reach_by_area(*, session: Session, filters: GapFilters) -> Reach:
    """Searches near each district against referrals of people living there (those with no district left out)."""
    searches = session.execute(
        select(SearchLog.outcode, func.count())
        .where(SearchLog.outcode.is_not(None), *search_conditions(filters))
        .group_by(SearchLog.outcode)
    )
    referrals = session.execute(
        select(InsightReferral.outcode, func.count())
        .where(InsightReferral.outcode.is_not(None), *fact_conditions(filters.for_referrals()))
        .group_by(InsightReferral.outcode)
    )
    return _reach(dict(searches.all()), dict(referrals.all()))


def reach_by_language(*, session: Session, filters: GapFilters) -> Reach:
    """Searches in each interface language against referrals of people who prefer it."""
    searches = session.execute(
        select(SearchLog.locale, func.count()).where(*search_conditions(filters)).group_by(SearchLog.locale)
    )
    referrals = session.execute(
        select(InsightReferral.language, func.count())
        .where(*fact_conditions(filters.for_referrals()))
        .group_by(InsightReferral.language)
    )
    return _reach(dict(searches.all()), dict(referrals.all()))


def gaps(*, session: Session, filters: GapFilters, today: date, listing_limit: int | None = None) -> Gaps:
    """Every table of the gaps page for these filters."""
    by_organisation = declines_by_organisation(session=session, filters=filters)
    return Gaps(
        filters=filters,
        supply=supply_and_demand(session=session, filters=filters),
        declines_by_need=declines_by_need(session=session, filters=filters),
        declines_by_organisation=by_organisation,
        organisation_names=_organisation_names(session, [row.key for row in by_organisation]),
        no_results_by_words=no_results_by_words(session=session, filters=filters),
        no_results_by_area=no_results_by_area(session=session, filters=filters),
        no_results_by_language=no_results_by_language(session=session, filters=filters),
        reach_by_area=reach_by_area(session=session, filters=filters),
        reach_by_language=reach_by_language(session=session, filters=filters),
        listings=listing_gaps(
            session=session, outcode=filters.outcode, need=filters.need, today=today, limit=listing_limit
        ),
    )
