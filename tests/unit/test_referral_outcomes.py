"""Outcome measures: ONS4 recorded at baseline and follow-up, corrected, validated, the change worked out (lower is
better for anxiety), and other measures added from a JSON file."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from referral_app.models import EventKind, Measure, MeasureItem, Outcome, OutcomeScore, OutcomeStage, ReferralEvent
from referral_app.services import outcomes
from referral_app.services.outcomes import ONS4, MeasureError
from tests.factories import make_account, make_referral, make_service

BASELINE, FOLLOW_UP = OutcomeStage.BASELINE, OutcomeStage.FOLLOW_UP
ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")


@pytest.fixture
def referral(db_session):
    return make_referral(db_session, service=make_service(db_session), referrer=make_account(db_session))


@pytest.fixture
def ons4(db_session):
    return outcomes.measure_with_items(session=db_session, code=ONS4)


def record(session, referral, ons4, stage, values, **options):
    measure, items = ons4
    options.setdefault("recorded_by_id", referral.referrer_id)
    return outcomes.record_outcome(
        session=session,
        referral_id=referral.id,
        measure=measure,
        items=items,
        stage=stage,
        scores=dict(zip(ITEMS, values, strict=True)),
        **options,
    )


def test_ons4_is_built_in_with_four_questions_and_anxiety_lower_is_better(ons4):
    measure, items = ons4
    assert (measure.scale_min, measure.scale_max, measure.active) == (0, 10, True)
    assert [item.code for item in items] == list(ITEMS)
    assert [item.lower_is_better for item in items] == [False, False, False, True]
    assert "Crown copyright" in measure.licence_note or "Open Government Licence" in measure.licence_note


def test_a_baseline_alone_shows_no_change_yet(db_session, referral, ons4):
    record(db_session, referral, ons4, BASELINE, (4, 5, 6, 7))
    [result] = outcomes.results_for(session=db_session, referral_id=referral.id)
    assert result.measure.code == ONS4 and result.stages == {BASELINE}
    assert [(row.baseline, row.follow_up, row.change, row.improved) for row in result.items] == [
        (4, None, None, None),
        (5, None, None, None),
        (6, None, None, None),
        (7, None, None, None),
    ]


def test_follow_up_shows_the_change_and_whether_it_is_better(db_session, referral, ons4):
    record(db_session, referral, ons4, BASELINE, (4, 5, 6, 8))
    record(db_session, referral, ons4, FOLLOW_UP, (7, 5, 3, 2), recorded_by_id=None, by_resident=True)
    [result] = outcomes.results_for(session=db_session, referral_id=referral.id)
    assert result.stages == {BASELINE, FOLLOW_UP}
    assert [(row.change, row.improved) for row in result.items] == [
        (3, True),  # more satisfied
        (0, None),  # the same
        (-3, False),  # less happy
        (-6, True),  # less anxious: lower is better
    ]
    follow_up = db_session.exec(select(Outcome).where(Outcome.referral_id == referral.id, Outcome.stage == FOLLOW_UP))
    assert follow_up.one().by_resident is True


def test_higher_anxiety_is_worse(db_session, referral, ons4):
    record(db_session, referral, ons4, BASELINE, (5, 5, 5, 2))
    record(db_session, referral, ons4, FOLLOW_UP, (5, 5, 5, 9))
    [result] = outcomes.results_for(session=db_session, referral_id=referral.id)
    assert (result.items[3].change, result.items[3].improved) == (7, False)


def test_recording_a_stage_again_corrects_it_and_both_are_in_the_timeline(db_session, referral, ons4):
    first = record(db_session, referral, ons4, BASELINE, (1, 1, 1, 1))
    corrected = record(db_session, referral, ons4, BASELINE, (2, 3, 4, 5))
    assert corrected.id == first.id
    assert db_session.exec(select(Outcome).where(Outcome.referral_id == referral.id)).all() == [first]
    scores = db_session.exec(select(OutcomeScore).where(OutcomeScore.outcome_id == first.id)).all()
    assert sorted((score.item_code, score.value) for score in scores) == sorted(zip(ITEMS, (2, 3, 4, 5), strict=True))
    events = db_session.exec(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral.id, ReferralEvent.kind == EventKind.OUTCOME)
    ).all()
    assert [event.note for event in events] == ["ons4:baseline", "ons4:baseline"]


@pytest.mark.parametrize("values", [(11, 5, 5, 5), (5, 5, 5, -1), (5, 5, 5, None), (0, 10, 100, 0)])
def test_values_off_the_scale_or_missing_are_refused_and_nothing_is_saved(db_session, referral, ons4, values):
    with pytest.raises(MeasureError):
        record(db_session, referral, ons4, BASELINE, values)
    assert db_session.exec(select(Outcome).where(Outcome.referral_id == referral.id)).all() == []
    assert outcomes.results_for(session=db_session, referral_id=referral.id) == []


def test_the_ends_of_the_scale_are_allowed(db_session, referral, ons4):
    record(db_session, referral, ons4, BASELINE, (0, 10, 0, 10))
    [result] = outcomes.results_for(session=db_session, referral_id=referral.id)
    assert [row.baseline for row in result.items] == [0, 10, 0, 10]


# --- Measures added as data ----------------------------------------------------------------------------------------

GOOD = {
    "code": "wombat_scale",
    "name": "Wombat well-being scale",
    "scale_min": 1,
    "scale_max": 5,
    "licence_note": "Used under licence W-1.",
    "items": [
        {"code": "calm", "text": "I have felt calm", "low_label": "None of the time", "high_label": "All of the time"},
        {"code": "worry", "text": "I have worried", "lower_is_better": True},
    ],
}


def write(tmp_path, content, name="measure.json"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_a_measure_is_added_from_a_file_and_can_be_recorded(db_session, tmp_path, referral):
    measure = outcomes.import_measure(session=db_session, path=write(tmp_path, GOOD))
    assert (measure.code, measure.name, measure.scale_min, measure.scale_max) == ("wombat_scale", GOOD["name"], 1, 5)
    assert measure.licence_note == "Used under licence W-1."
    found = outcomes.measure_with_items(session=db_session, code="wombat_scale")
    assert [(i.code, i.position, i.lower_is_better, i.low_label) for i in found[1]] == [
        ("calm", 1, False, "None of the time"),
        ("worry", 2, True, ""),
    ]
    assert next(m.code for m, _items in outcomes.active_measures(session=db_session)) == ONS4  # ONS4 first
    attempts = ((BASELINE, {"calm": 1, "worry": 5}, True), (FOLLOW_UP, {"calm": 0, "worry": 5}, False))
    for stage, scores, valid in attempts:
        options = {"referral_id": referral.id, "measure": found[0], "items": found[1], "recorded_by_id": None}
        if valid:
            outcomes.record_outcome(session=db_session, stage=stage, scores=scores, **options)
        else:
            with pytest.raises(MeasureError):  # 0 is off this measure's scale
                outcomes.record_outcome(session=db_session, stage=stage, scores=scores, **options)


def test_importing_again_updates_the_measure_without_duplicates(db_session, tmp_path):
    outcomes.import_measure(session=db_session, path=write(tmp_path, GOOD))
    changed = {
        **GOOD,
        "name": "Wombat scale v2",
        "items": [{**GOOD["items"][1], "text": "I worried"}, GOOD["items"][0]],
    }
    outcomes.import_measure(session=db_session, path=write(tmp_path, changed))
    db_session.expire_all()
    assert db_session.get(Measure, "wombat_scale").name == "Wombat scale v2"
    items = db_session.exec(
        select(MeasureItem).where(MeasureItem.measure_code == "wombat_scale").order_by(MeasureItem.position)
    ).all()
    assert [(item.code, item.text) for item in items] == [("worry", "I worried"), ("calm", "I have felt calm")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Cannot read"),
        (b"\xff\xfe{}", "Cannot read"),
        ([GOOD], "one JSON object"),
        ({**GOOD, "code": ""}, "needs a code, a name and at least one item"),
        ({**GOOD, "name": "  "}, "needs a code, a name and at least one item"),
        ({**GOOD, "items": []}, "needs a code, a name and at least one item"),
        ({**GOOD, "items": "calm"}, "needs a code, a name and at least one item"),
        ({**GOOD, "scale_min": "low"}, "must be whole numbers"),
        ({**GOOD, "scale_max": None}, "must be whole numbers"),
        ({**GOOD, "scale_min": 5, "scale_max": 5}, "scale_min must be less than scale_max"),
        ({**GOOD, "scale_max": 10**12}, "from -1000 to 1000"),
        ({**GOOD, "items": [{"code": "calm"}]}, "Item 1 needs a code and a text"),
        ({**GOOD, "items": [GOOD["items"][0], "worry"]}, "Item 2 needs a code and a text"),
        ({**GOOD, "items": [{"code": 7, "text": "Seven"}]}, "Item 1"),
        ({**GOOD, "code": "x" * 41}, "40 characters"),
        ({**GOOD, "items": [{"code": "y" * 41, "text": "Long"}]}, "40 characters"),
        ({**GOOD, "items": [{"code": "y", "text": "Long", "high_label": "z" * 101}]}, "a label 100"),
        ({**GOOD, "items": [GOOD["items"][0], GOOD["items"][0]]}, "Item 2 has the same code"),
    ],
)
def test_a_bad_measure_file_is_refused_with_a_reason(db_session, tmp_path, content, message):
    with pytest.raises(MeasureError, match=message):
        outcomes.import_measure(session=db_session, path=write(tmp_path, content))
    assert db_session.get(Measure, "wombat_scale") is None  # nothing written


def test_a_missing_file_is_refused(db_session, tmp_path):
    with pytest.raises(MeasureError, match="Cannot read"):
        outcomes.import_measure(session=db_session, path=tmp_path / "nowhere.json")
