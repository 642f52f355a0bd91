"""Well-being change (ONS4) for decision-makers, checked against figures worked out by hand, with suppression."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from referral_app.models import OutcomeStage, ReferralStatus
from referral_app.services import insight_outcomes, outcomes
from referral_app.services.insights import InsightFilters
from referral_app.services.outcomes import ONS4
from tests.factories import make_organization, make_referral, make_resident, make_service

ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
# (needs, groups, baseline scores, follow-up scores or None, how many people)
SET = [
    (("food",), "roma", (4, 4, 4, 6), (6, 5, 4, 4), 5),  # better, better, same, better (anxiety fell)
    (("money",), "", (5, 5, 5, 5), (4, 5, 7, 6), 2),  # worse, same, better, worse
    (("food",), "", (3, 3, 3, 3), None, 1),  # no follow-up yet: not counted
]


@pytest.fixture
def fixed_set(db_session):
    organization = make_organization(db_session)
    service = make_service(db_session, organization=organization)
    measure, items = outcomes.measure_with_items(session=db_session, code=ONS4)
    for needs, groups, before, after, people in SET:
        for _person in range(people):
            referral = make_referral(
                db_session, service=service, referrer=None, status=ReferralStatus.COMPLETED, needs=needs,
                resident=make_resident(db_session, priority_groups=groups),
                created_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
            )  # fmt: skip
            for stage, scores in ((OutcomeStage.BASELINE, before), (OutcomeStage.FOLLOW_UP, after)):
                if scores is not None:
                    outcomes.record_outcome(
                        session=db_session, referral_id=referral.id, measure=measure, items=items, stage=stage,
                        scores=dict(zip(ITEMS, scores, strict=True)), recorded_by_id=None, by_resident=True,
                    )  # fmt: skip
    return InsightFilters(organization_id=organization.id)


def test_each_question_shows_its_people_means_and_how_many_were_better_the_same_or_worse(db_session, fixed_set):
    found = insight_outcomes.outcome_insights(session=db_session, filters=fixed_set)
    assert found.items == list(ITEMS)
    life, worthwhile, happiness, anxiety = found.questions
    # Life satisfaction: 5 people 4 -> 6, 2 people 5 -> 4.
    assert (life.people, life.mean_before, life.mean_after, life.mean_change) == (7, 4.29, 5.43, 1.14)
    # 5 better, 0 the same, 2 worse: the 2 is hidden, and so is the 5 (7 - 0 - 5 would give it away).
    assert (life.better, life.same, life.worse) == (None, 0, None)
    # Worthwhile: 5 better, 2 the same, none worse.
    assert (worthwhile.mean_change, worthwhile.better, worthwhile.same, worthwhile.worse) == (0.71, None, None, 0)
    assert (happiness.mean_before, happiness.mean_after, happiness.mean_change) == (4.29, 4.86, 0.57)
    # Anxiety: lower is better, so the 5 whose score fell are the better ones.
    assert anxiety.lower_is_better and not life.lower_is_better
    assert (anxiety.mean_change, anxiety.better, anxiety.worse) == (-1.14, None, None)


def test_by_need_and_group_rows_of_fewer_than_5_people_show_nothing(db_session, fixed_set):
    found = insight_outcomes.outcome_insights(session=db_session, filters=fixed_set)
    by_need = {row.key: row for row in found.by_need}
    assert by_need["food"].people == 5  # the sixth has no follow-up yet
    assert by_need["food"].mean_changes == {"life_satisfaction": 2.0, "worthwhile": 1.0, "happiness": 0.0,
                                            "anxiety": -2.0}  # fmt: skip
    assert by_need["money"].people is None
    assert set(by_need["money"].mean_changes.values()) == {None}
    assert [(row.key, row.people) for row in found.by_group] == [("roma", 5)]


@pytest.mark.parametrize(
    ("filters", "people"),
    [
        ({"need": "money"}, None),  # 2 people: every figure hidden
        ({"group": "roma"}, 5),
        ({"since": date(2026, 3, 3)}, 0),  # after everyone's referral
    ],
)
def test_the_filters_pick_the_referrals_and_small_groups_stay_hidden(db_session, fixed_set, filters, people):
    filters = InsightFilters(organization_id=fixed_set.organization_id, **filters)
    found = insight_outcomes.outcome_insights(session=db_session, filters=filters)
    assert {question.people for question in found.questions} == {people}
    if people is None:
        assert {question.mean_change for question in found.questions} == {None}
