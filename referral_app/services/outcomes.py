"""Outcome measures: ONS4 built in, others added as data; scores at baseline and follow-up, and the change."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from referral_app.models import (
    EventKind,
    Measure,
    MeasureItem,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    Referral,
    ReferralEvent,
)
from referral_app.models._types import utcnow
from referral_app.models.outcome import ONS4
from referral_app.services import insight_facts


class MeasureError(ValueError):
    """A measure definition that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class ItemChange:
    item: MeasureItem
    baseline: int | None
    follow_up: int | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline

    @property
    def improved(self) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        return (self.change < 0) if self.item.lower_is_better else (self.change > 0)


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    items: list[ItemChange]
    stages: set[OutcomeStage]


def active_measures(*, session: Session) -> list[tuple[Measure, list[MeasureItem]]]:
    measures = session.exec(select(Measure).where(Measure.active).order_by(Measure.code != ONS4, Measure.name)).all()
    items = session.exec(select(MeasureItem).order_by(MeasureItem.measure_code, MeasureItem.position)).all()
    by_measure: dict[str, list[MeasureItem]] = {}
    for item in items:
        by_measure.setdefault(item.measure_code, []).append(item)
    return [(measure, by_measure.get(measure.code, [])) for measure in measures]


def measure_with_items(*, session: Session, code: str) -> tuple[Measure, list[MeasureItem]] | None:
    if "\x00" in code:  # no measure's code has one, and PostgreSQL refuses even to compare it
        return None
    measure = session.get(Measure, code)
    if measure is None or not measure.active:
        return None
    items = session.exec(
        select(MeasureItem).where(MeasureItem.measure_code == code).order_by(MeasureItem.position)
    ).all()
    return measure, list(items)


def record_outcome(
    *,
    session: Session,
    referral_id: uuid.UUID,
    measure: Measure,
    items: list[MeasureItem],
    stage: OutcomeStage,
    scores: dict[str, int],
    recorded_by_id: int | None,
    by_resident: bool = False,
) -> Outcome:
    """Record (or correct) one questionnaire; every item must have a whole number on the measure's scale."""
    for item in items:
        value = scores.get(item.code)
        if value is None or not (measure.scale_min <= value <= measure.scale_max):
            raise MeasureError(f"{item.code} must be between {measure.scale_min} and {measure.scale_max}")
    # Lock the referral first, as a status change does by updating it: two saves of the same answers at once (or a
    # save and a status change) then take turns on PostgreSQL, and the second finds the first's answers and insight
    # row, instead of inserting its own and failing on the unique keys. (SQLite: the request's write lock does it.)
    session.exec(select(Referral.id).where(Referral.id == referral_id).with_for_update()).first()
    outcome = session.exec(
        select(Outcome).where(
            Outcome.referral_id == referral_id, Outcome.measure_code == measure.code, Outcome.stage == stage
        )
    ).first()
    if outcome is None:
        outcome = Outcome(referral_id=referral_id, measure_code=measure.code, stage=stage)
    outcome.recorded_at = utcnow()
    outcome.recorded_by_id = recorded_by_id
    outcome.by_resident = by_resident
    session.add(outcome)
    session.flush()
    existing = {
        score.item_code: score
        for score in session.exec(select(OutcomeScore).where(OutcomeScore.outcome_id == outcome.id)).all()
    }
    for item in items:
        score = existing.get(item.code) or OutcomeScore(outcome_id=outcome.id, item_code=item.code, value=0)
        score.value = scores[item.code]
        session.add(score)
    session.add(
        ReferralEvent(
            referral_id=referral_id,
            kind=EventKind.OUTCOME,
            actor_id=recorded_by_id,
            by_resident=by_resident,
            note=f"{measure.code}:{stage.value}",
        )
    )
    insight_facts.record(session, [referral_id])  # the well-being change the insights count
    return outcome


def results_for(
    *, session: Session, referral_id: uuid.UUID, measures: list[tuple[Measure, list[MeasureItem]]] | None = None
) -> list[MeasureResult]:
    """Each measure recorded for the referral, item by item, with the change from baseline to follow-up."""
    outcomes = session.exec(select(Outcome).where(Outcome.referral_id == referral_id)).all()
    if not outcomes:
        return []
    scores = session.exec(
        select(OutcomeScore).where(OutcomeScore.outcome_id.in_([outcome.id for outcome in outcomes]))
    ).all()
    value_of = {(score.outcome_id, score.item_code): score.value for score in scores}
    results = []
    for measure, items in measures if measures is not None else active_measures(session=session):
        mine = {outcome.stage: outcome for outcome in outcomes if outcome.measure_code == measure.code}
        if not mine:
            continue

        def value(stage, item, mine=mine):
            outcome = mine.get(stage)
            return value_of.get((outcome.id, item.code)) if outcome else None

        results.append(
            MeasureResult(
                measure=measure,
                items=[
                    ItemChange(item, value(OutcomeStage.BASELINE, item), value(OutcomeStage.FOLLOW_UP, item))
                    for item in items
                ],
                stages=set(mine),
            )
        )
    return results


def import_measure(*, session: Session, path: Path) -> Measure:
    """Add or update a measure from a JSON file: {code, name, scale_min, scale_max, licence_note, items: [...]}.

    Each item is {code, text, low_label?, high_label?, lower_is_better?}. This is how measures other than ONS4
    (which may need a licence) are added without code.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MeasureError(f"Cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise MeasureError("The file must hold one JSON object.")
    code = str(data.get("code", "")).strip()
    name = str(data.get("name", "")).strip()
    items = data.get("items")
    if not code or not name or not isinstance(items, list) or not items:
        raise MeasureError("A measure needs a code, a name and at least one item.")
    if len(code) > 40 or len(name) > 200:
        raise MeasureError("A measure's code must be 40 characters or fewer, and its name 200.")
    try:
        scale_min, scale_max = int(data.get("scale_min", 0)), int(data.get("scale_max", 10))
    except (TypeError, ValueError) as error:
        raise MeasureError("scale_min and scale_max must be whole numbers.") from error
    if not -1000 <= scale_min < scale_max <= 1000:
        raise MeasureError("scale_min must be less than scale_max, both from -1000 to 1000.")
    _check_items(items)  # all of them before anything is written
    measure = session.get(Measure, code) or Measure(code=code, name=name)
    measure.name, measure.scale_min, measure.scale_max = name, scale_min, scale_max
    measure.licence_note = str(data.get("licence_note", ""))
    measure.active = True
    session.add(measure)
    session.flush()
    existing = {item.code: item for item in session.exec(select(MeasureItem).where(MeasureItem.measure_code == code))}
    for position, raw in enumerate(items, start=1):
        item = existing.get(raw["code"]) or MeasureItem(measure_code=code, code=raw["code"], text=raw["text"])
        item.position, item.text = position, str(raw["text"])
        item.low_label, item.high_label = str(raw.get("low_label", "")), str(raw.get("high_label", ""))
        item.lower_is_better = bool(raw.get("lower_is_better", False))
        session.add(item)
    session.flush()
    return measure


def _check_items(items: list) -> None:
    codes: set[str] = set()
    for position, raw in enumerate(items, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"] or not raw.get("text"):
            raise MeasureError(f"Item {position} needs a code and a text.")
        if len(raw["code"]) > 40 or any(len(str(raw.get(label, ""))) > 100 for label in ("low_label", "high_label")):
            raise MeasureError(f"Item {position}: a code must be 40 characters or fewer, and a label 100.")
        if raw["code"] in codes:
            raise MeasureError(f"Item {position} has the same code as an earlier item ({raw['code']}).")
        codes.add(raw["code"])
