"""Well-being before and after (ONS4) for decision-makers: the mean change and how many people were better, the
same or worse, each with its number of people; by question, and by need and group. Aggregate SQL over the
well-being facts (models/insight.py: one row per referral answered at both stages).

Only people with both a baseline and a follow-up count. A row with fewer than 5 people shows nothing but "fewer
than 5"; better / same / worse split the row's people, so a small one hides its neighbour too (the suppression
rules of services/insights.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, case, func, select, type_coerce
from sqlmodel import Session

from referral_app.models import ONS4, ONS4_ITEMS, InsightTag, InsightWellbeing, MeasureItem, TagKind
from referral_app.services.insights import InsightFilters, linked_conditions, suppress, suppress_with_total


@dataclass(frozen=True)
class QuestionChange:
    item: str  # the ONS4 item's code
    lower_is_better: bool  # anxiety: a fall is an improvement
    people: int | None  # with both answers; None: fewer than 5, and then every figure is None
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    better: int | None
    same: int | None
    worse: int | None


@dataclass(frozen=True)
class ChangeRow:
    key: str  # a need or a group
    people: int | None
    mean_changes: dict[str, float | None]  # by item code


@dataclass(frozen=True)
class OutcomeInsights:
    items: list[str]  # the measure's item codes, in order
    questions: list[QuestionChange]
    by_need: list[ChangeRow]
    by_group: list[ChangeRow]


W = InsightWellbeing


def _chosen(filters: InsightFilters) -> list[ColumnElement[bool]]:
    return linked_conditions(filters, W.sent_on, W.insight_id)


def _scores(item: str) -> tuple[ColumnElement, ColumnElement]:
    return getattr(W, f"{item}_before"), getattr(W, f"{item}_after")


def _mean(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _questions(session: Session, filters: InsightFilters, items: list[MeasureItem]) -> list[QuestionChange]:
    """Every question's figures in one pass over the well-being rows."""
    columns = []
    for item in items:
        before, after = _scores(item.code)
        change = after - before
        better = change < 0 if item.lower_is_better else change > 0
        columns += [
            func.avg(before),
            func.avg(after),
            func.avg(change),
            func.sum(case((better, 1), else_=0)),
            func.sum(case((change == 0, 1), else_=0)),
        ]
    people, *figures = session.execute(select(func.count(), *columns).where(*_chosen(filters))).one()
    questions = []
    for position, item in enumerate(items):
        before, after, change, better, same = figures[position * 5 : position * 5 + 5]
        if suppress(people) is None:
            questions.append(QuestionChange(item.code, item.lower_is_better, None, *[None] * 6))
            continue
        better, same = int(better or 0), int(same or 0)
        shown = suppress_with_total([better, same, people - better - same])
        questions.append(
            QuestionChange(item.code, item.lower_is_better, people, _mean(before), _mean(after), _mean(change), *shown)
        )
    return questions


def _by_tag(session: Session, filters: InsightFilters, items: list[MeasureItem]) -> dict[TagKind, list[ChangeRow]]:
    """People and mean changes for each need and group, in one GROUP BY."""
    changes = [func.avg(after - before) for before, after in (_scores(item.code) for item in items)]
    statement = (
        select(InsightTag.kind, InsightTag.code, func.count(), *changes)
        # Neither `insight_id + 0` nor `kind || ''` can use an index, so the well-being rows (a fraction of the
        # referrals) lead the join and each finds its tags; otherwise SQLite reads every need and group tag first
        # and looks up well-being answers for each, several times slower.
        .join(InsightTag, InsightTag.insight_id == W.insight_id + 0)
        .where(type_coerce(InsightTag.kind, String).concat("").in_([TagKind.NEED.value, TagKind.GROUP.value]))
        .where(*_chosen(filters))
        .group_by(InsightTag.kind, InsightTag.code)
    )
    found: dict[TagKind, list[ChangeRow]] = {TagKind.NEED: [], TagKind.GROUP: []}
    # Most people first by what is shown, so the order says nothing about the rows of fewer than 5.
    rows = sorted(session.execute(statement), key=lambda row: (-(suppress(row[2]) or 0), row[1]))
    for kind, code, people, *means in rows:
        shown = suppress(people)
        mean_changes = {item.code: _mean(mean) if shown else None for item, mean in zip(items, means, strict=True)}
        found[TagKind(kind)].append(ChangeRow(key=code, people=shown, mean_changes=mean_changes))
    return found


def outcome_insights(*, session: Session, filters: InsightFilters) -> OutcomeInsights:
    items = [
        item
        for item in session.scalars(
            select(MeasureItem).where(MeasureItem.measure_code == ONS4).order_by(MeasureItem.position)
        )
        if item.code in ONS4_ITEMS  # the items InsightWellbeing holds
    ]
    tags = _by_tag(session, filters, items)
    return OutcomeInsights(
        items=[item.code for item in items],
        questions=_questions(session, filters, items),
        by_need=tags[TagKind.NEED],
        by_group=tags[TagKind.GROUP],
    )
