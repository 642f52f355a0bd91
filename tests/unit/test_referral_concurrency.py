"""Two people at once, for real: separate connections to a database where each sees what the other committed.

On PostgreSQL the loser's conditional update finds the version moved on; on SQLite (WAL) the loser's transaction
began before the winner's commit, so SQLite refuses its write. Either way: exactly one wins, the other is told.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func
from sqlmodel import Session, select

from referral_app.models import (
    AuditLog,
    DeclineReason,
    EventKind,
    OutboxMessage,
    Referral,
    ReferralDraft,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Service,
    User,
)
from referral_app.services import referral_drafts, referrals
from referral_app.services.demo_data import demo_id
from referral_app.services.referral_lifecycle import Actor, StaleVersion, transition
from tests.factories import complete_answers, make_referral

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
STAFF = "orgstaff@example.org"
LINK_WORKER = "linkworker@example.org"


def user(session: Session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


@pytest.fixture
def committed(migrated_engine, services_app) -> Iterator[dict]:
    """Records committed for the test (the racers need to see them), removed afterwards."""
    made: dict = {"referrals": [], "residents": [], "drafts": []}
    with services_app.app_context():
        yield made
    with Session(migrated_engine) as session:
        referral_ids = made["referrals"] + list(
            session.exec(
                select(Referral.id).where(Referral.idempotency_key.in_([str(d) for d in made["drafts"]]))
            ).all()
        )
        resident_ids = made["residents"] + list(
            session.exec(select(Referral.resident_id).where(Referral.id.in_(referral_ids))).all()
        )
        for model in (OutboxMessage, ReferralEvent, ReferralNeed, AuditLog):
            session.exec(delete(model).where(model.referral_id.in_(referral_ids)))
        session.exec(delete(Referral).where(Referral.id.in_(referral_ids)))
        session.exec(delete(Resident).where(Resident.id.in_(resident_ids)))
        session.exec(delete(ReferralDraft).where(ReferralDraft.id.in_(made["drafts"])))
        session.commit()


def committed_referral(engine, committed: dict) -> uuid.UUID:
    """A referral waiting for an answer, committed, so that every connection sees it at version 1."""
    with Session(engine) as session:
        referral = make_referral(session, service=session.get(Service, PANTRY), referrer=user(session, LINK_WORKER))
        committed["referrals"].append(referral.id)
        committed["residents"].append(referral.resident_id)
        session.commit()
        return referral.id


def committed_draft(engine, committed: dict) -> uuid.UUID:
    """A draft ready to send, committed."""
    with Session(engine) as session:
        answers = complete_answers(PANTRY, name="Race Tester")
        draft = referral_drafts.start_draft(session=session, user=user(session, LINK_WORKER), answers=answers)
        committed["drafts"].append(draft.id)
        session.commit()
        return draft.id


def test_two_staff_answering_at_once_exactly_one_wins(migrated_engine, services_app, committed):
    referral_id = committed_referral(migrated_engine, committed)
    both_loaded = threading.Barrier(2, timeout=30)
    results: dict[ReferralStatus, str] = {}

    def answer(to_status: ReferralStatus) -> None:
        with services_app.app_context(), Session(migrated_engine) as session:
            staff = user(session, STAFF)
            seen = session.get(Referral, referral_id)  # each person's page showed version 1
            assert seen.version == 1
            both_loaded.wait()
            try:
                transition(
                    session=session,
                    referral_id=referral_id,
                    actor=Actor(user=staff),
                    to_status=to_status,
                    expected_version=1,
                    decline_reason=DeclineReason.NO_CAPACITY if to_status == ReferralStatus.DECLINED else None,
                )
                session.commit()
                results[to_status] = "won"
            except StaleVersion:
                session.rollback()
                results[to_status] = "stale"
            except Exception as error:  # reported below, so a failure names what went wrong
                session.rollback()
                results[to_status] = repr(error)

    threads = [threading.Thread(target=answer, args=(to,)) for to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results.values()) == ["stale", "won"], results
    [winner] = [status for status, result in results.items() if result == "won"]
    with Session(migrated_engine) as session:
        referral = session.get(Referral, referral_id)
        assert (referral.status, referral.version) == (winner, 2)
        answers = session.exec(
            select(ReferralEvent).where(
                ReferralEvent.referral_id == referral_id, ReferralEvent.kind == EventKind.STATUS
            )
        ).all()
        assert [(event.from_status, event.to_status) for event in answers] == [(ReferralStatus.SENT, winner)]
        messages = session.exec(select(func.count()).where(OutboxMessage.referral_id == referral_id)).one()
        assert messages == 1  # the referrer is told once, of the answer that stands


def test_the_loser_of_an_answer_race_sees_it_after_the_winner_committed(migrated_engine, committed):
    """Interleaved step by step: both load version 1, the first commits, then the second tries."""
    referral_id = committed_referral(migrated_engine, committed)
    with Session(migrated_engine) as first, Session(migrated_engine) as second:
        first_staff, second_staff = user(first, STAFF), user(second, STAFF)
        assert first.get(Referral, referral_id).version == second.get(Referral, referral_id).version == 1
        transition(
            session=first,
            referral_id=referral_id,
            actor=Actor(user=first_staff),
            to_status=ReferralStatus.ACCEPTED,
            expected_version=1,
        )
        first.commit()
        with pytest.raises(StaleVersion):
            transition(
                session=second,
                referral_id=referral_id,
                actor=Actor(user=second_staff),
                to_status=ReferralStatus.DECLINED,
                expected_version=1,
                decline_reason=DeclineReason.NOT_SUITABLE,
            )
        second.rollback()
        current = second.get(Referral, referral_id, populate_existing=True)  # what the loser is shown
        assert (current.status, current.version) == (ReferralStatus.ACCEPTED, 2)


def test_a_double_clicked_send_makes_one_referral(migrated_engine, committed):
    draft_id = committed_draft(migrated_engine, committed)
    with Session(migrated_engine) as first, Session(migrated_engine) as second:
        first_user, second_user = user(first, LINK_WORKER), user(second, LINK_WORKER)
        first_draft, second_draft = first.get(ReferralDraft, draft_id), second.get(ReferralDraft, draft_id)
        sent = referrals.send_draft(session=first, user=first_user, draft=first_draft, locale="en")
        first.commit()
        try:
            again = referrals.send_draft(session=second, user=second_user, draft=second_draft, locale="en")
        except referrals.SendConflict:  # SQLite: the second began before the first committed; it looks again
            second.rollback()
            again = referral_drafts.sent_from(session=second, user=second_user, draft_id=draft_id)
        second.commit()
        assert again.id == sent.id
    with Session(migrated_engine) as session:
        made = session.exec(select(Referral).where(Referral.idempotency_key == str(draft_id))).all()
        assert [referral.id for referral in made] == [sent.id]
        assert session.get(ReferralDraft, draft_id) is None
        assert session.exec(select(func.count()).where(Resident.name == "Race Tester")).one() == 1


def look_again(session: Session, link_worker: User, draft_id: uuid.UUID) -> Referral | None:
    """What the check page does after a SendConflict (by sending the same POST again): find the referral."""
    for _attempt in range(200):
        session.rollback()
        if found := referral_drafts.sent_from(session=session, user=link_worker, draft_id=draft_id):
            return found
        time.sleep(0.01)
    return None


def test_two_sends_racing_make_one_referral(migrated_engine, services_app, committed):
    draft_id = committed_draft(migrated_engine, committed)
    both_loaded = threading.Barrier(2, timeout=30)
    sent: list[uuid.UUID | str] = []

    def send() -> None:
        with services_app.app_context(), Session(migrated_engine) as session:
            link_worker = user(session, LINK_WORKER)
            draft = session.get(ReferralDraft, draft_id)
            both_loaded.wait()
            try:
                referral = referrals.send_draft(session=session, user=link_worker, draft=draft, locale="en")
                session.commit()
            except referrals.SendConflict:  # SQLite: the other is writing; once it has committed, it is there
                referral = look_again(session, link_worker, draft_id)
            except Exception as error:
                sent.append(repr(error))
                return
            sent.append(referral.id)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(sent) == 2 and sent[0] == sent[1], sent
    with Session(migrated_engine) as session:
        made = session.exec(select(Referral.id).where(Referral.idempotency_key == str(draft_id))).all()
        assert made == [sent[0]]
        assert session.exec(select(func.count()).where(Resident.name == "Race Tester")).one() == 1
