"""What decision-makers see: referrals counted with aggregate SQL, small numbers suppressed, no personal data.

Every figure is a COUNT grouped in the database over the insight facts (models/insight.py: one narrow row per
referral, an index for each breakdown), never rows loaded to be counted in Python. Before anything
leaves this module, counts from 1 to 4 become `SUPPRESSED`, and where a table shows its total, one more cell is
hidden whenever exactly one was, so a hidden number can never be worked out by subtraction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlmodel import Session

from referral_app.models import InsightReferral, InsightTag, Organization, ReferralStatus, TagKind
from referral_app.services.insight_facts import RESPONSE_BANDS

SMALLEST_SHOWN = 5
SUPPRESSED = None  # a count from 1 to SMALLEST_SHOWN - 1, never shown


def suppress(count: int) -> int | None:
    """0 and 5 or more are shown; 1 to 4 are not."""
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count


def suppress_with_total(counts: Sequence[int]) -> list[int | None]:
    """Suppress small counts in a breakdown shown with its total: if exactly one is hidden, the next smallest
    non-zero count is hidden too, so the hidden one cannot be found by subtracting the others from the total."""
    shown: list[int | None] = [suppress(count) for count in counts]
    hidden = [index for index, value in enumerate(shown) if value is SUPPRESSED]
    if len(hidden) == 1:
        candidates = [(count, index) for index, count in enumerate(counts) if shown[index] and count > 0]
        if candidates:
            shown[min(candidates)[1]] = SUPPRESSED
    return shown


def rate(part: int, whole: int) -> float | None:
    """part / whole, unless either part or the rest is a small number (either would reveal the other)."""
    if whole <= 0 or suppress(part) is SUPPRESSED or suppress(whole - part) is SUPPRESSED:
        return None
    return part / whole


@dataclass(frozen=True)
class InsightFilters:
    since: date | None = None  # referrals sent on or after this day
    until: date | None = None  # ... and on or before this one
    outcode: str | None = None  # the resident's postcode district
    organization_id: uuid.UUID | None = None
    need: str | None = None  # a needs-taxonomy code
    group: str | None = None  # a PriorityGroup value


@dataclass(frozen=True)
class Row:
    key: str  # a code the page turns into words (a need, an outcode, a month...)
    count: int | None  # None: fewer than 5


@dataclass(frozen=True)
class Breakdown:
    """Counts by one dimension, largest first (time in order), suppressed."""

    name: str
    rows: list[Row]
    total: int | None
    shows_total: bool = True

    @property
    def largest(self) -> int:
        return max((row.count or 0 for row in self.rows), default=0)


@dataclass(frozen=True)
class Funnel:
    """What happened to the referrals: answered, accepted, declined (why), attended, completed."""

    sent: int | None
    accepted: int | None
    declined: int | None
    acceptance_rate: float | None
    decline_rate: float | None
    decline_reasons: Breakdown
    response_times: Breakdown  # time from sending to the first answer, in bands
    attended: int | None
    did_not_attend: int | None
    attendance_rate: float | None
    completed: int | None
    completion_rate: float | None


@dataclass(frozen=True)
class Insights:
    filters: InsightFilters
    total: int | None
    over_time: Breakdown
    by_need: Breakdown
    by_area: Breakdown
    by_group: Breakdown
    by_language: Breakdown
    by_communication: Breakdown
    by_organisation: Breakdown
    funnel: Funnel
    organisation_names: dict[str, str] = field(default_factory=dict)


def fact_conditions(filters: InsightFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions on InsightReferral for these filters."""
    found: list[ColumnElement[bool]] = []
    if filters.since:
        found.append(InsightReferral.sent_on >= filters.since)
    if filters.until:
        found.append(InsightReferral.sent_on <= filters.until)
    if filters.outcode:
        found.append(InsightReferral.outcode == filters.outcode)
    if filters.organization_id:
        found.append(InsightReferral.organization_id == filters.organization_id)
    if filters.need:
        found.append(InsightReferral.id.in_(_tagged(TagKind.NEED, filters.need)))
    if filters.group:
        found.append(InsightReferral.id.in_(_tagged(TagKind.GROUP, filters.group)))
    return found


def _tagged(kind: TagKind, code: str):
    return select(InsightTag.insight_id).where(InsightTag.kind == kind, InsightTag.code == code)


F = InsightReferral
# Each breakdown the page shows: its name and the columns it groups by (the first: status with decline reason).
DIMENSIONS: dict[str, tuple[ColumnElement, ...]] = {
    "status": (F.status, F.decline_reason),
    "response_band": (F.response_band,),
    "month": (F.month,),
    "outcode": (F.outcode,),
    "organization_id": (F.organization_id,),
    "language": (F.language,),
}


def _key(value) -> str:
    return str(value) if value is not None else ""


def _grouped(session: Session, filters: InsightFilters) -> dict[str, list[tuple]]:
    """For each of DIMENSIONS, (value..., number of referrals) for each value.

    PostgreSQL counts them all in one pass (GROUPING SETS); SQLite, which has no grouping sets, with one GROUP BY
    each, each over the index that holds its columns and the day."""
    found: dict[str, list[tuple]] = {name: [] for name in DIMENSIONS}
    if session.get_bind().dialect.name != "postgresql":
        for name, columns in DIMENSIONS.items():
            statement = select(*columns, func.count()).where(*fact_conditions(filters)).group_by(*columns)
            found[name] = [(*(_key(value) for value in row[:-1]), row[-1]) for row in session.execute(statement)]
        return found
    columns = list(dict.fromkeys(column for group in DIMENSIONS.values() for column in group))
    # GROUPING(columns...) has a bit set for each column a row is not grouped by: it names the row's grouping set.
    bit = {column: 1 << (len(columns) - 1 - position) for position, column in enumerate(columns)}
    sets = {sum(bit[column] for column in columns if column not in group): name for name, group in DIMENSIONS.items()}
    statement = (
        select(*columns, func.grouping(*columns), func.count())
        .where(*fact_conditions(filters))
        .group_by(func.grouping_sets(*(tuple_(*group) for group in DIMENSIONS.values())))
    )
    for row in session.execute(statement):
        values, grouping, count = dict(zip(columns, row, strict=False)), row[-2], row[-1]
        name = sets[grouping]
        found[name].append((*(_key(values[column]) for column in DIMENSIONS[name]), count))
    return found


def linked_conditions(filters: InsightFilters, sent_on: ColumnElement, insight_id: ColumnElement) -> list:
    """The filters on rows that carry their referral's day and fact row id (tags, well-being answers): the period
    on their own day, so that it needs no join; any other filter picks the referrals through their facts."""
    found: list[ColumnElement[bool]] = []
    if filters.since:
        found.append(sent_on >= filters.since)
    if filters.until:
        found.append(sent_on <= filters.until)
    narrower = replace(filters, since=None, until=None)
    if narrower != InsightFilters():
        found.append(insight_id.in_(select(InsightReferral.id).where(*fact_conditions(narrower))))
    return found


def _tag_counts(session: Session, filters: InsightFilters) -> dict[TagKind, list[tuple[str, int]]]:
    """Referrals for each need, group and communication need, in one GROUP BY over the tags."""
    statement = (
        select(InsightTag.kind, InsightTag.code, func.count())
        .where(*linked_conditions(filters, InsightTag.sent_on, InsightTag.insight_id))
        .group_by(InsightTag.kind, InsightTag.code)
    )
    found: dict[TagKind, list[tuple[str, int]]] = {kind: [] for kind in TagKind}
    for kind, code, count in session.execute(statement):
        found[TagKind(kind)].append((code, count))
    return found


def _breakdown(name: str, pairs: Iterable[tuple[str, int]], *, ordered: bool = False, with_total=True) -> Breakdown:
    pairs = [(key, count) for key, count in pairs if count]
    counts = [count for _key, count in pairs]
    shown = suppress_with_total(counts) if with_total else [suppress(count) for count in counts]
    rows = [Row(key=key, count=value) for (key, _count), value in zip(pairs, shown, strict=True)]
    if not ordered:  # largest first by what is shown, so the order says nothing about hidden numbers
        rows.sort(key=lambda row: (-(row.count or 0), row.key))
    return Breakdown(name=name, rows=rows, total=suppress(sum(counts)) if with_total else None, shows_total=with_total)


# Accepted at some point and still on that path (not declined or withdrawn afterwards).
ACCEPTED_PATH = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.CONTACTED,
    ReferralStatus.ATTENDED,
    ReferralStatus.DID_NOT_ATTEND,
    ReferralStatus.COMPLETED,
)


def _funnel(grouped: dict[str, list[tuple]]) -> Funnel:
    by_status: dict[str, int] = {}
    by_reason: dict[str, int] = {}
    for status, reason, count in grouped["status"]:
        by_status[status] = by_status.get(status, 0) + count
        if status == ReferralStatus.DECLINED.value and reason:
            by_reason[reason] = count
    statuses = by_status
    sent = sum(statuses.values())
    declined = statuses.get(ReferralStatus.DECLINED.value, 0)
    accepted = sum(statuses.get(status.value, 0) for status in ACCEPTED_PATH)
    attended = statuses.get(ReferralStatus.ATTENDED.value, 0) + statuses.get(ReferralStatus.COMPLETED.value, 0)
    did_not_attend = statuses.get(ReferralStatus.DID_NOT_ATTEND.value, 0)
    completed = statuses.get(ReferralStatus.COMPLETED.value, 0)
    answered = accepted + declined
    # Each pair of figures shown splits a whole with a part that is not shown (waiting or withdrawn; accepted but
    # not yet at an appointment; attended but not finished). A small remainder could be found by subtraction, so
    # it hides the smaller figure beside it too, and a rate is shown only where both of its figures are.
    shown_accepted, shown_declined, _rest = suppress_with_total([accepted, declined, sent - answered])
    rest_of_accepted = accepted - attended - did_not_attend
    shown_attended, shown_missed, _rest = suppress_with_total([attended, did_not_attend, rest_of_accepted])
    shown_completed, _rest = suppress_with_total([completed, attended - completed])

    def shown_rate(part: int, whole: int, *figures: int | None) -> float | None:
        return rate(part, whole) if all(figure is not SUPPRESSED for figure in figures) else None

    return Funnel(
        sent=suppress(sent),
        accepted=shown_accepted,
        declined=shown_declined,
        acceptance_rate=shown_rate(accepted, answered, shown_accepted, shown_declined),
        decline_rate=shown_rate(declined, answered, shown_accepted, shown_declined),
        decline_reasons=_breakdown("decline_reasons", by_reason.items()),
        response_times=_ordered_bands(grouped["response_band"]),
        attended=shown_attended,
        did_not_attend=shown_missed,
        attendance_rate=shown_rate(attended, attended + did_not_attend, shown_attended, shown_missed),
        completed=shown_completed,
        completion_rate=shown_rate(completed, accepted, shown_completed, shown_accepted),
    )


def _ordered_bands(pairs: list[tuple[str, int]]) -> Breakdown:
    counts = dict(pairs)
    return _breakdown("response_times", [(band, counts.get(band, 0)) for band in RESPONSE_BANDS], ordered=True)


def insights(*, session: Session, filters: InsightFilters) -> Insights:
    """Every figure on the insights page for these filters."""
    tags = _tag_counts(session, filters)
    grouped = _grouped(session, filters)
    organisations = grouped["organization_id"]
    names = dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_([uuid.UUID(key) for key, _count in organisations if key])
            )
        ).all()
    )
    funnel = _funnel(grouped)
    return Insights(
        filters=filters,
        total=funnel.sent,  # every referral has one status: the funnel's count of them is the total
        over_time=_breakdown("over_time", sorted(grouped["month"]), ordered=True),
        # A referral can name several needs or groups: those tables show no total.
        by_need=_breakdown("by_need", tags[TagKind.NEED], with_total=False),
        by_area=_breakdown("by_area", grouped["outcode"]),
        by_group=_breakdown("by_group", tags[TagKind.GROUP], with_total=False),
        by_language=_breakdown("by_language", grouped["language"]),
        by_communication=_breakdown("by_communication", tags[TagKind.COMMUNICATION], with_total=False),
        by_organisation=_breakdown("by_organisation", organisations),
        funnel=funnel,
        organisation_names={str(key): name for key, name in names.items()},
    )
