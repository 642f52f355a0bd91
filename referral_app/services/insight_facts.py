"""Keep the insights' facts (models/insight.py) in step with the referrals they are derived from.

`record()` is called wherever a referral is made, changes status, gets well-being answers or its resident's
details change; `rebuild()` derives every row again (`flask --app wsgi insights rebuild`, and the migration that
added the tables). Both use the same INSERT ... SELECT statements, so the incremental rows and a rebuild can
never disagree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Date, and_, case, cast, delete, func, insert, literal, select, true, union_all
from sqlmodel import Session

from referral_app.models import (
    ONS4,
    ONS4_ITEMS,
    InsightReferral,
    InsightTag,
    InsightWellbeing,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    PriorityGroup,
    Referral,
    ReferralNeed,
    Resident,
    TagKind,
)

RESPONSE_BANDS = ("within_1_day", "1_to_3_days", "3_to_7_days", "over_7_days", "not_answered")
COMMUNICATION_NEEDS = ("bsl_interpreter", "interpreter", "easy_read", "large_print")


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _utc(session: Session, moment: ColumnElement) -> ColumnElement:
    # PostgreSQL keeps moments with their zone; SQLite keeps them as UTC text already.
    return func.timezone("UTC", moment) if _postgresql(session) else moment


def _day(session: Session) -> ColumnElement:
    return cast(_utc(session, Referral.created_at), Date) if _postgresql(session) else func.date(Referral.created_at)


def _month(session: Session) -> ColumnElement:
    if _postgresql(session):
        return func.to_char(_utc(session, Referral.created_at), "YYYY-MM")
    return func.strftime("%Y-%m", Referral.created_at)


def _hours_to_answer(session: Session) -> ColumnElement:
    if _postgresql(session):
        return func.extract("epoch", Referral.answered_at - Referral.created_at) / 3600
    return (func.julianday(Referral.answered_at) - func.julianday(Referral.created_at)) * 24


def _response_band(session: Session) -> ColumnElement:
    hours = _hours_to_answer(session)
    return case(
        (Referral.answered_at.is_(None), "not_answered"),
        (hours <= 24, "within_1_day"),
        (hours <= 72, "1_to_3_days"),
        (hours <= 168, "3_to_7_days"),
        else_="over_7_days",
    )


def in_group(group: str) -> ColumnElement[bool]:
    # Groups are stored space-separated; padding both sides makes "carer" not match inside another word.
    return (literal(" ") + Resident.priority_groups + literal(" ")).like(f"% {group} %")


COMMUNICATION_CONDITIONS = {
    "bsl_interpreter": Resident.bsl_interpreter.is_(True),
    "interpreter": Resident.interpreter_language.is_not(None),
    "easy_read": Resident.easy_read.is_(True),
    "large_print": Resident.large_print.is_(True),
}


def _facts(session: Session, which: ColumnElement[bool]):
    return (
        select(
            Referral.id,
            _day(session),
            _month(session),
            Resident.outcode,
            Referral.organization_id,
            Referral.status,
            Referral.decline_reason,
            _response_band(session),
            Resident.language,
        )
        .join(Resident, Resident.id == Referral.resident_id)
        .where(which)
    )


def _tags(which: ColumnElement[bool]):
    """(insight row, kind, code, day) for every need, group and communication need of the chosen referrals."""
    fact = select(InsightReferral.id, InsightReferral.sent_on, InsightReferral.referral_id).subquery()

    def flagged(kind: TagKind, code: str, condition: ColumnElement[bool]):
        return (
            select(fact.c.id, literal(kind.value), literal(code), fact.c.sent_on)
            .join(Referral, Referral.id == fact.c.referral_id)
            .join(Resident, Resident.id == Referral.resident_id)
            .where(which, condition)
        )

    needs = (
        select(fact.c.id, literal(TagKind.NEED.value), ReferralNeed.need, fact.c.sent_on)
        .join(ReferralNeed, ReferralNeed.referral_id == fact.c.referral_id)
        .join(Referral, Referral.id == fact.c.referral_id)
        .where(which)
    )
    groups = [flagged(TagKind.GROUP, group.value, in_group(group.value)) for group in PriorityGroup]
    communication = [
        flagged(TagKind.COMMUNICATION, code, COMMUNICATION_CONDITIONS[code]) for code in COMMUNICATION_NEEDS
    ]
    return union_all(needs, *groups, *communication)


def _wellbeing(which: ColumnElement[bool]):
    """One row per chosen referral with ONS4 at both stages: each item's score before and after, side by side."""

    def score(stage: OutcomeStage, item: str):
        return func.max(case((and_(Outcome.stage == stage, OutcomeScore.item_code == item), OutcomeScore.value)))

    columns = [score(stage, item) for item in ONS4_ITEMS for stage in (OutcomeStage.BASELINE, OutcomeStage.FOLLOW_UP)]
    return (
        select(InsightReferral.id, InsightReferral.sent_on, *columns)
        .join(Referral, Referral.id == InsightReferral.referral_id)
        .join(Outcome, and_(Outcome.referral_id == Referral.id, Outcome.measure_code == ONS4))
        .join(OutcomeScore, OutcomeScore.outcome_id == Outcome.id)
        .where(which)
        .group_by(InsightReferral.id, InsightReferral.sent_on)
        .having(*(column.is_not(None) for column in columns))
    )


def _refresh(session: Session, which: ColumnElement[bool]) -> None:
    chosen = select(InsightReferral.id).join(Referral, Referral.id == InsightReferral.referral_id).where(which)
    session.execute(delete(InsightWellbeing).where(InsightWellbeing.insight_id.in_(chosen)))
    session.execute(delete(InsightTag).where(InsightTag.insight_id.in_(chosen)))
    session.execute(delete(InsightReferral).where(InsightReferral.id.in_(chosen)))
    columns = ["referral_id", "sent_on", "month", "outcode", "organization_id", "status", "decline_reason"]
    columns += ["response_band", "language"]
    session.execute(insert(InsightReferral).from_select(columns, _facts(session, which)))
    session.execute(insert(InsightTag).from_select(["insight_id", "kind", "code", "sent_on"], _tags(which)))
    scores = [f"{item}_{when}" for item in ONS4_ITEMS for when in ("before", "after")]
    session.execute(insert(InsightWellbeing).from_select(["insight_id", "sent_on", *scores], _wellbeing(which)))


def record(session: Session, referral_ids: Iterable[uuid.UUID]) -> None:
    """Derive these referrals' rows again, from the referrals and residents as they are in this transaction."""
    ids = list(dict.fromkeys(referral_ids))
    if ids:
        session.flush()
        _refresh(session, Referral.id.in_(ids))


def record_resident(session: Session, resident_id: uuid.UUID) -> None:
    """A resident's details changed: every one of their referrals counts where and how they now are."""
    session.flush()
    # Lock their referrals (in one order), as a status change locks its referral by updating it: an answer to one of
    # them at the same moment is then waited for, instead of both rewriting its row and one failing (PostgreSQL).
    mine = select(Referral.id).where(Referral.resident_id == resident_id).order_by(Referral.id).with_for_update()
    session.execute(mine).all()
    _refresh(session, Referral.resident_id == resident_id)


def rebuild(session: Session) -> int:
    """Derive every row again; rows whose referral was erased (no referral any more) are kept as they are."""
    session.flush()
    _refresh(session, true())
    return session.execute(select(func.count()).select_from(InsightReferral)).scalar_one()
