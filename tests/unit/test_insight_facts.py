"""The insights' facts follow every referral the services make or change, and always equal a full rebuild."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import delete, select

from referral_app.models import (
    ONS4,
    ONS4_ITEMS,
    AuditLog,
    DeclineReason,
    InsightReferral,
    InsightTag,
    InsightWellbeing,
    OutboxMessage,
    OutcomeStage,
    Referral,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Role,
)
from referral_app.services import insight_facts, outcomes, referral_drafts, referral_lifecycle, referrals
from referral_app.services.referral_lifecycle import Actor
from referral_app.services.residents import ResidentDetails
from tests.factories import complete_answers, make_account, make_organization, make_self_referral, make_service

S = ReferralStatus
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


@pytest.fixture
def setting(db_session, services_app):
    organization = make_organization(db_session)
    with services_app.app_context():
        yield {
            "session": db_session,
            "organization": organization,
            "service": make_service(db_session, organization=organization),
            "staff": make_account(db_session, role=Role.ORG_STAFF, organization=organization),
            "link_worker": make_account(db_session, role=Role.LINK_WORKER),
        }


def facts(session, organization) -> list[tuple]:
    """Every fact and tag of the organisation's referrals, without the row ids a rebuild renumbers."""
    rows = session.exec(
        select(InsightReferral).where(InsightReferral.organization_id == organization.id)
    ).all()  # fmt: skip
    found = []
    for row in sorted(rows, key=lambda row: str(row.referral_id)):
        tags = session.exec(select(InsightTag.kind, InsightTag.code).where(InsightTag.insight_id == row.id)).all()
        values = row.model_dump(exclude={"id"})
        found.append((tuple(sorted(values.items())), tuple(sorted(tags))))
    return found


def send(setting, *, now=NOW, **changes) -> Referral:
    answers = complete_answers(setting["service"].id, **changes)
    draft = referral_drafts.start_draft(session=setting["session"], user=setting["link_worker"], answers=answers)
    return referrals.send_draft(
        session=setting["session"], user=setting["link_worker"], draft=draft, locale="en", now=now
    )


def move(setting, referral, to, *, reason=None, when) -> Referral:
    return referral_lifecycle.transition(
        session=setting["session"], referral_id=referral.id, actor=Actor(user=setting["staff"]), to_status=to,
        expected_version=referral.version, decline_reason=reason, now=when,
    )  # fmt: skip


def test_a_new_referral_is_counted_with_its_needs_groups_and_communication(setting):
    session = setting["session"]
    details = ResidentDetails(
        name="Ana Lakatos", phone="07700 900123", outcode="s4", language="ro", priority_groups=["roma", "carer"],
        interpreter_language="ro", bsl_interpreter=True, easy_read=True,
    )  # fmt: skip
    referral = send(setting, resident=details.to_dict(), needs=["food", "money"])

    (row,) = session.exec(select(InsightReferral).where(InsightReferral.referral_id == referral.id)).all()
    assert (row.sent_on, row.month, row.outcode, row.language) == (date(2026, 3, 11), "2026-03", "S4", "ro")
    assert (row.organization_id, row.status, row.decline_reason) == (setting["organization"].id, S.SENT, None)
    assert row.response_band == "not_answered"
    tags = set(session.exec(select(InsightTag.kind, InsightTag.code).where(InsightTag.insight_id == row.id)).all())
    assert tags == {
        ("need", "food"), ("need", "money"), ("group", "roma"), ("group", "carer"),
        ("communication", "interpreter"), ("communication", "bsl_interpreter"), ("communication", "easy_read"),
    }  # fmt: skip
    assert {tag.sent_on for tag in session.exec(select(InsightTag).where(InsightTag.insight_id == row.id))} == {
        date(2026, 3, 11)
    }


def test_every_status_change_is_counted_and_the_rows_equal_a_rebuild(setting):
    session, organization = setting["session"], setting["organization"]
    answered = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)  # 47 hours later
    declined = move(setting, send(setting), S.DECLINED, reason=DeclineReason.NO_CAPACITY, when=answered)
    accepted = move(setting, send(setting), S.ACCEPTED, when=answered)
    accepted = move(setting, accepted, S.CONTACTED, when=answered)
    withdrawn = send(setting)
    referral_lifecycle.withdraw_consent(
        session=session, referral_id=withdrawn.id, actor=Actor(user=setting["link_worker"]), now=answered
    )
    self_referral = make_self_referral(session, service=setting["service"])

    def row(referral):
        return session.exec(select(InsightReferral).where(InsightReferral.referral_id == referral.id)).one()

    assert (row(declined).status, row(declined).decline_reason) == (S.DECLINED, DeclineReason.NO_CAPACITY)
    assert row(declined).response_band == "1_to_3_days"
    assert (row(accepted).status, row(accepted).response_band) == (S.CONTACTED, "1_to_3_days")
    assert (row(withdrawn).status, row(withdrawn).response_band) == (S.WITHDRAWN, "not_answered")
    assert row(self_referral.referral).status == S.SENT

    before = facts(session, organization)
    assert len(before) == 4
    insight_facts.rebuild(session)
    assert facts(session, organization) == before


def test_a_residents_new_details_move_their_earlier_referrals_too(setting):
    session = setting["session"]
    first = send(setting)
    details = ResidentDetails.of(session.get(Resident, first.resident_id))
    details.outcode = "NR30"
    details.priority_groups = ["rural_coastal"]
    second = send(setting, resident_id=str(first.resident_id), resident=details.to_dict())

    rows = session.exec(
        select(InsightReferral.outcode).where(InsightReferral.referral_id.in_([first.id, second.id]))
    ).all()
    assert rows == ["NR30", "NR30"]
    before = facts(session, setting["organization"])
    insight_facts.rebuild(session)
    assert facts(session, setting["organization"]) == before


def test_an_erased_referral_still_counts_and_a_rebuild_keeps_it(setting):
    session, organization = setting["session"], setting["organization"]
    referral = send(setting, needs=["housing"])
    for model in (ReferralNeed, ReferralEvent, OutboxMessage, AuditLog):  # as an erasure would
        session.exec(delete(model).where(model.referral_id == referral.id))
    session.exec(delete(Referral).where(Referral.id == referral.id))
    session.expire_all()

    insight_facts.rebuild(session)

    (row,) = session.exec(select(InsightReferral).where(InsightReferral.organization_id == organization.id)).all()
    assert row.referral_id is None
    assert session.exec(select(InsightTag.code).where(InsightTag.insight_id == row.id)).all() == ["housing"]


def test_well_being_answered_at_both_stages_is_counted_and_equals_a_rebuild(setting):
    session = setting["session"]
    referral = send(setting)
    measure, items = outcomes.measure_with_items(session=session, code=ONS4)

    def answer(stage, scores):
        outcomes.record_outcome(
            session=session, referral_id=referral.id, measure=measure, items=items, stage=stage,
            scores=dict(zip(ONS4_ITEMS, scores, strict=True)), recorded_by_id=setting["staff"].id,
        )  # fmt: skip

    def rows():
        fact = select(InsightReferral.id).where(InsightReferral.referral_id == referral.id)
        return session.exec(select(InsightWellbeing).where(InsightWellbeing.insight_id.in_(fact))).all()

    answer(OutcomeStage.BASELINE, (3, 4, 5, 8))
    assert rows() == []  # not until the end
    answer(OutcomeStage.FOLLOW_UP, (6, 6, 5, 4))
    answer(OutcomeStage.FOLLOW_UP, (7, 6, 5, 4))  # corrected
    (row,) = rows()
    assert (row.life_satisfaction_before, row.life_satisfaction_after, row.anxiety_before, row.anxiety_after) == (
        3, 7, 8, 4,
    )  # fmt: skip
    assert row.sent_on == date(2026, 3, 11)
    before = row.model_dump(exclude={"insight_id"})
    insight_facts.rebuild(session)
    (again,) = rows()
    assert again.model_dump(exclude={"insight_id"}) == before
