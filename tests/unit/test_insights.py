"""Insights: small numbers suppressed (0, 1, 4, 5), hidden numbers not derivable, and every aggregate checked
against figures worked out by hand on a fixed set of referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from referral_app.models import DeclineReason, ReferralStatus
from referral_app.services import insights
from referral_app.services.insights import InsightFilters, rate, suppress, suppress_with_total
from tests.factories import make_organization, make_referral, make_resident, make_service

S = ReferralStatus


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_counts_from_1_to_4_are_suppressed(count, shown):
    assert suppress(count) == shown


def test_a_single_hidden_cell_hides_the_next_smallest_so_it_cannot_be_subtracted():
    assert suppress_with_total([30, 12, 3]) == [30, None, None]
    assert suppress_with_total([30, 12, 3, 0]) == [30, None, None, 0]  # a zero is no secret
    assert suppress_with_total([30, 2, 3]) == [30, None, None]  # two hidden already: nothing more
    assert suppress_with_total([30, 12, 7]) == [30, 12, 7]


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(0, 10, 0.0), (10, 10, 1.0), (5, 10, 0.5), (3, 10, None), (7, 10, None), (4, 4, None), (0, 0, None)],
)
def test_rates_that_would_reveal_a_small_number_are_not_shown(part, whole, shown):
    assert rate(part, whole) == shown


# A fixed set of referrals to one new organisation (the demo data's referrals are filtered out by it).
SET = [
    # (status, needs, outcode, language, groups, days after 2026-03-01, hours to answer, decline reason, BSL)
    *[(S.COMPLETED, ("food",), "S4", "ro", "roma", 0, 10, None, False)] * 6,
    *[(S.ATTENDED, ("food", "money"), "S4", "en", "", 10, 30, None, False)] * 5,
    *[(S.DID_NOT_ATTEND, ("money",), "S3", "en", "carer", 20, 100, None, False)] * 2,
    *[(S.DECLINED, ("housing",), "S4", "ro", "roma", 40, 200, DeclineReason.NO_CAPACITY, False)] * 5,
    *[(S.DECLINED, ("housing",), "NR30", "en", "", 41, 20, DeclineReason.NOT_ELIGIBLE, False)] * 1,
    *[(S.SENT, ("deaf_community",), "LD1", "bfi", "deaf_bsl", 45, None, None, True)] * 3,
]


@pytest.fixture
def fixed_set(db_session):
    organization = make_organization(db_session)
    service = make_service(db_session, organization=organization)
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for status, needs, outcode, language, groups, days, hours, reason, bsl in SET:
        sent = start + timedelta(days=days)
        resident = make_resident(
            db_session, outcode=outcode, language=language, priority_groups=groups, bsl_interpreter=bsl
        )
        make_referral(
            db_session, service=service, referrer=None, resident=resident, status=status, needs=needs,
            created_at=sent, answered_at=sent + timedelta(hours=hours) if hours is not None else None,
            decline_reason=reason,
        )  # fmt: skip
    return InsightFilters(organization_id=organization.id)


def rows(breakdown) -> dict:
    return {row.key: row.count for row in breakdown.rows}


def test_the_aggregates_match_the_hand_counted_figures(db_session, fixed_set):
    found = insights.insights(session=db_session, filters=fixed_set)
    assert found.total == 22
    assert rows(found.over_time) == {"2026-03": 13, "2026-04": 9}
    assert found.over_time.total == 22
    assert rows(found.by_need) == {"food": 11, "money": 7, "housing": 6, "deaf_community": None}
    assert rows(found.by_area) == {"S4": 16, "S3": None, "NR30": None, "LD1": None}
    # 3 BSL users are hidden, and so is the next smallest (8), or 22 - 11 would give them away.
    assert rows(found.by_language) == {"ro": 11, "en": None, "bfi": None}
    assert rows(found.by_group)["roma"] == 11 and rows(found.by_group)["carer"] is None
    assert rows(found.by_communication) == {"bsl_interpreter": None}  # the others are 0, and not listed
    funnel = found.funnel
    # 3 referrals still wait for an answer: 22 - 13 - 6 would give them away, so the smaller figure (6) is hidden,
    # and with it both rates.
    assert (funnel.sent, funnel.accepted, funnel.declined) == (22, 13, None)
    assert (funnel.acceptance_rate, funnel.decline_rate) == (None, None)
    assert rows(funnel.decline_reasons) == {"no_capacity": None, "not_eligible": None}  # 5 + 1: both hidden
    # 2 did not attend (hidden); 13 accepted - 11 attended would give them away, so 11 is hidden too.
    assert (funnel.attended, funnel.did_not_attend, funnel.attendance_rate) == (None, None, None)
    assert funnel.completed == 6
    assert funnel.completion_rate == pytest.approx(6 / 13)
    assert rows(funnel.response_times) == {
        "within_1_day": 7, "1_to_3_days": 5, "3_to_7_days": None, "over_7_days": 5, "not_answered": None,
    }  # fmt: skip
    assert [row.key for row in funnel.response_times.rows] == [
        "within_1_day", "1_to_3_days", "3_to_7_days", "over_7_days", "not_answered",
    ]  # fmt: skip


def test_the_funnel_shows_every_figure_and_rate_when_none_is_small(db_session):
    organization = make_organization(db_session)
    service = make_service(db_session, organization=organization)
    for status, count in ((S.COMPLETED, 6), (S.ATTENDED, 5), (S.DID_NOT_ATTEND, 5), (S.DECLINED, 7), (S.SENT, 5)):
        for _ in range(count):
            make_referral(db_session, service=service, referrer=None, status=status)
    funnel = insights.insights(session=db_session, filters=InsightFilters(organization_id=organization.id)).funnel
    assert (funnel.sent, funnel.accepted, funnel.declined) == (28, 16, 7)
    assert funnel.acceptance_rate == pytest.approx(16 / 23) and funnel.decline_rate == pytest.approx(7 / 23)
    assert (funnel.attended, funnel.did_not_attend) == (11, 5)
    assert funnel.attendance_rate == pytest.approx(11 / 16)
    assert (funnel.completed, funnel.completion_rate) == (6, pytest.approx(6 / 16))


def test_filters_narrow_every_figure(db_session, fixed_set):
    by_area = insights.insights(session=db_session, filters=InsightFilters(**{**fixed_set.__dict__, "outcode": "S4"}))
    assert by_area.total == 16
    by_need = insights.insights(session=db_session, filters=InsightFilters(**{**fixed_set.__dict__, "need": "money"}))
    assert by_need.total == 7
    by_group = insights.insights(session=db_session, filters=InsightFilters(**{**fixed_set.__dict__, "group": "roma"}))
    assert by_group.total == 11
    in_april = InsightFilters(**{**fixed_set.__dict__, "since": date(2026, 4, 1), "until": date(2026, 4, 30)})
    assert insights.insights(session=db_session, filters=in_april).total == 9
    one_day = InsightFilters(**{**fixed_set.__dict__, "since": date(2026, 3, 21), "until": date(2026, 3, 21)})
    assert insights.insights(session=db_session, filters=one_day).total is None  # 2 referrals: fewer than 5
    nothing = InsightFilters(**{**fixed_set.__dict__, "since": date(2030, 1, 1)})
    empty = insights.insights(session=db_session, filters=nothing)
    assert empty.total == 0 and empty.by_need.rows == []


def test_a_group_name_inside_another_word_does_not_count(db_session):
    organization = make_organization(db_session)
    service = make_service(db_session, organization=organization)
    for groups in ["roma carer"] * 4 + ["carer", "carers_network", "disabled"]:
        resident = make_resident(db_session, priority_groups=groups)
        make_referral(db_session, service=service, referrer=None, resident=resident)
    found = insights.insights(session=db_session, filters=InsightFilters(organization_id=organization.id))
    assert found.total == 7
    filtered = InsightFilters(organization_id=organization.id, group="carer")
    assert insights.insights(session=db_session, filters=filtered).funnel.sent == 5  # not 6
