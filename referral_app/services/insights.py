"""What decision-makers see: referrals counted with aggregate SQL, small numbers suppressed, no personal data.

Every figure is a COUNT grouped in the database (no rows are loaded to be counted in Python). Before anything
leaves this module, counts from 1 to 4 become `SUPPRESSED`, and where a table shows its total, one more cell is
hidden whenever exactly one was, so a hidden number can never be worked out by subtraction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlmodel import Session

from referral_app.models import (
    Organization,
    PriorityGroup,
    Referral,
    ReferralNeed,
    ReferralStatus,
    Resident,
)

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


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def conditions(filters: InsightFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.since:
        found.append(Referral.created_at >= _start(filters.since))
    if filters.until:
        found.append(Referral.created_at < _start(filters.until + timedelta(days=1)))
    if filters.outcode:
        found.append(Resident.outcode == filters.outcode)
    if filters.organization_id:
        found.append(Referral.organization_id == filters.organization_id)
    if filters.need:
        found.append(Referral.id.in_(select(ReferralNeed.referral_id).where(ReferralNeed.need == filters.need)))
    if filters.group:
        found.append(_in_group(filters.group))
    return found


def _in_group(group: str) -> ColumnElement[bool]:
    # Groups are stored space-separated; padding both sides makes "carer" not match inside another word.
    return (literal(" ") + Resident.priority_groups + literal(" ")).like(f"% {group} %")


def _counted(
    session: Session, key: ColumnElement, filters: InsightFilters, *extra: ColumnElement[bool], join_needs=False
) -> list[tuple[str, int]]:
    """(value, number of referrals) for each value of `key`: one GROUP BY query."""
    statement = select(key, func.count(func.distinct(Referral.id))).select_from(Referral)
    statement = statement.join(Resident, Resident.id == Referral.resident_id)
    if join_needs:
        statement = statement.join(ReferralNeed, ReferralNeed.referral_id == Referral.id)
    statement = statement.where(*conditions(filters), *extra).group_by(key)
    return [(str(value) if value is not None else "", count) for value, count in session.execute(statement)]


def _breakdown(name: str, pairs: Iterable[tuple[str, int]], *, ordered: bool = False, with_total=True) -> Breakdown:
    pairs = [(key, count) for key, count in pairs if count]
    if not ordered:
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    counts = [count for _key, count in pairs]
    shown = suppress_with_total(counts) if with_total else [suppress(count) for count in counts]
    total = sum(counts)
    return Breakdown(
        name=name,
        rows=[Row(key=key, count=value) for (key, _count), value in zip(pairs, shown, strict=True)],
        total=suppress(total) if with_total else None,
        shows_total=with_total,
    )


def _month(session: Session) -> ColumnElement:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Referral.created_at), "YYYY-MM")
    return func.strftime("%Y-%m", Referral.created_at)


def _hours_to_answer(session: Session) -> ColumnElement:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Referral.answered_at - Referral.created_at) / 3600
    return (func.julianday(Referral.answered_at) - func.julianday(Referral.created_at)) * 24


RESPONSE_BANDS = ("within_1_day", "1_to_3_days", "3_to_7_days", "over_7_days", "not_answered")


def _response_band(session: Session) -> ColumnElement:
    hours = _hours_to_answer(session)
    return case(
        (Referral.answered_at.is_(None), "not_answered"),
        (hours <= 24, "within_1_day"),
        (hours <= 72, "1_to_3_days"),
        (hours <= 168, "3_to_7_days"),
        else_="over_7_days",
    )


COMMUNICATION_NEEDS = ("bsl_interpreter", "interpreter", "easy_read", "large_print")


def _communication(session: Session, filters: InsightFilters) -> list[tuple[str, int]]:
    flags = {
        "bsl_interpreter": Resident.bsl_interpreter,
        "interpreter": Resident.interpreter_language.is_not(None),
        "easy_read": Resident.easy_read,
        "large_print": Resident.large_print,
    }
    return _sums(session, filters, flags)


def _groups(session: Session, filters: InsightFilters) -> list[tuple[str, int]]:
    return _sums(session, filters, {group.value: _in_group(group.value) for group in PriorityGroup})


def _sums(session: Session, filters: InsightFilters, named: dict[str, ColumnElement[bool]]) -> list[tuple[str, int]]:
    """How many referrals meet each condition, in one query (a person can meet several)."""
    columns = [func.sum(case((condition, 1), else_=0)).label(key) for key, condition in named.items()]
    statement = (
        select(*columns)
        .select_from(Referral)
        .join(Resident, Resident.id == Referral.resident_id)
        .where(*conditions(filters))
    )
    row = session.execute(statement).one()
    return [(key, int(value or 0)) for key, value in zip(named, row, strict=True)]


# Accepted at some point and still on that path (not declined or withdrawn afterwards).
ACCEPTED_PATH = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.CONTACTED,
    ReferralStatus.ATTENDED,
    ReferralStatus.DID_NOT_ATTEND,
    ReferralStatus.COMPLETED,
)


def _funnel(session: Session, filters: InsightFilters) -> Funnel:
    statuses = dict(_counted(session, Referral.status, filters))
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
        decline_reasons=_breakdown(
            "decline_reasons",
            _counted(session, Referral.decline_reason, filters, Referral.status == ReferralStatus.DECLINED),
        ),
        response_times=_ordered_bands(_counted(session, _response_band(session), filters)),
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
    by_need = _counted(session, ReferralNeed.need, filters, join_needs=True)
    organisations = _counted(session, Referral.organization_id, filters)
    names = dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_([uuid.UUID(key) for key, _count in organisations if key])
            )
        ).all()
    )
    funnel = _funnel(session, filters)
    return Insights(
        filters=filters,
        total=funnel.sent,  # every referral has one status: the funnel's count of them is the total
        over_time=_breakdown("over_time", sorted(_counted(session, _month(session), filters)), ordered=True),
        # A referral can name several needs or groups: those tables show no total.
        by_need=_breakdown("by_need", by_need, with_total=False),
        by_area=_breakdown("by_area", _counted(session, func.coalesce(Resident.outcode, ""), filters)),
        by_group=_breakdown("by_group", _groups(session, filters), with_total=False),
        by_language=_breakdown("by_language", _counted(session, Resident.language, filters)),
        by_communication=_breakdown("by_communication", _communication(session, filters), with_total=False),
        by_organisation=_breakdown("by_organisation", organisations),
        funnel=funnel,
        organisation_names={str(key): name for key, name in names.items()},
    )
