"""Writes that overlap, interleaved by hand on real connections (each sees what the others commit), as the load run
(bench/run_load_integrity.py) made them overlap: on SQLite a request that writes holds the write lock from its
first read, a GET whose write loses the race runs again, and on PostgreSQL two saves of the same outcome take turns.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine, delete, func, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from referral_app.db import lost_write_race
from referral_app.models import (
    AuditLog,
    EventKind,
    OutboxMessage,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    Referral,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Service,
    User,
)
from referral_app.models.insight import InsightReferral, InsightTag, InsightWellbeing
from referral_app.services import insight_facts, outcomes, referral_lifecycle, referral_pages
from referral_app.services.demo_data import demo_id
from tests.conftest import csrf_token_from, make_test_app
from tests.factories import make_referral

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
STAFF = "orgstaff@example.org"
LINK_WORKER = "linkworker@example.org"


def user(session: Session, email: str) -> User:
    return session.exec(select(User).where(User.email == email)).one()


@pytest.fixture
def referral_id(migrated_engine: Engine) -> Iterator[uuid.UUID]:
    """A referral waiting for an answer, committed so that every connection sees it; removed afterwards."""
    with Session(migrated_engine) as session:
        referral = make_referral(session, service=session.get(Service, PANTRY), referrer=user(session, LINK_WORKER))
        made, resident = referral.id, referral.resident_id
        session.commit()
    yield made
    with Session(migrated_engine) as session:
        outcome_ids = select(Outcome.id).where(Outcome.referral_id == made)
        insight_ids = select(InsightReferral.id).where(InsightReferral.referral_id == made)
        session.exec(delete(OutcomeScore).where(OutcomeScore.outcome_id.in_(outcome_ids)))
        session.exec(delete(Outcome).where(Outcome.referral_id == made))
        for model in (InsightWellbeing, InsightTag):
            session.exec(delete(model).where(model.insight_id.in_(insight_ids)))
        session.exec(delete(InsightReferral).where(InsightReferral.referral_id == made))
        for model in (OutboxMessage, ReferralEvent, ReferralNeed, AuditLog):
            session.exec(delete(model).where(model.referral_id == made))
        session.exec(delete(Referral).where(Referral.id == made))
        session.exec(delete(Resident).where(Resident.id == resident))
        session.commit()


@pytest.fixture
def live_app(migrated_engine: Engine, tmp_path) -> Flask:
    """An app on the database itself (not a rolled-back test connection), so that other connections see its
    commits and it sees theirs."""
    return make_test_app(migrated_engine, migrated_engine, MEDIA_ROOT=str(tmp_path / "media"))


def signed_in(app: Flask, engine: Engine, email: str):
    """A test client signed in without the form (as conftest's `act_as`), so nothing is written for it."""
    client = app.test_client()
    with Session(engine) as session:
        session_id = user(session, email).get_id()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = session_id, True
        cookie["signed_in_at"] = cookie["seen_at"] = cookie["confirmed_at"] = time.time()
    return client


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)  # SQLite only
def test_a_transaction_that_read_first_loses_a_write_race_on_sqlite(migrated_engine, referral_id):
    """Why requests that write must say so when they begin (the load run's 500s): a plain BEGIN, a read, someone
    else's commit, then this transaction's write is refused at once instead of waiting."""
    with Session(migrated_engine) as first, Session(migrated_engine) as second:
        first.get(Referral, referral_id)
        second.add(AuditLog(action="viewed_referral", referral_id=referral_id, path="/", remote_address=""))
        second.commit()
        first.add(AuditLog(action="viewed_referral", referral_id=referral_id, path="/", remote_address=""))
        with pytest.raises(OperationalError) as refused:
            first.flush()
        assert lost_write_race(refused.value)


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)  # SQLite only
def test_nobody_else_can_write_between_a_posts_read_and_its_write(migrated_engine, live_app, referral_id, monkeypatch):
    """A POST's transaction begins as a write transaction (BEGIN IMMEDIATE): another writer waits for it, so the
    version the POST read is still the newest when it writes."""
    staff = signed_in(live_app, migrated_engine, STAFF)
    page = staff.get(f"/referrals/{referral_id}")
    others: list[str] = []
    transition = referral_lifecycle.transition

    def another_writer_tries_now(**arguments):
        other = migrated_engine.raw_connection()  # the app's own BEGIN is a listener on the engine's connections
        cursor = other.cursor()
        cursor.execute("PRAGMA busy_timeout=50")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
            others.append("wrote")
        except sqlite3.OperationalError as error:
            others.append("waited" if "locked" in str(error) else repr(error))
        finally:
            cursor.execute("PRAGMA busy_timeout=15000")
            other.close()
        return transition(**arguments)

    monkeypatch.setattr(referral_lifecycle, "transition", another_writer_tries_now)
    answer = staff.post(
        f"/referrals/{referral_id}/status/accepted", data={"csrf_token": csrf_token_from(page.text), "version": "1"}
    )
    assert answer.status_code == 303
    assert others == ["waited"]


def test_a_get_whose_audit_write_loses_the_race_runs_again(migrated_engine, live_app, referral_id, monkeypatch):
    """The referral page reads, then writes who read it. Someone's commit in between (the staff's colleague answering
    it, here) made SQLite refuse that write with a 500; now the page is made again and shows the answer."""
    staff = signed_in(live_app, migrated_engine, STAFF)
    built = referral_pages.referral_page
    runs: list[int] = []

    def a_colleague_accepts_meanwhile(**arguments):
        page = built(**arguments)
        runs.append(arguments["referral"].version)
        if len(runs) == 1:
            with Session(migrated_engine) as colleague:
                referral_lifecycle.transition(
                    session=colleague,
                    referral_id=referral_id,
                    actor=referral_lifecycle.Actor(user=user(colleague, STAFF)),
                    to_status=ReferralStatus.ACCEPTED,
                    expected_version=1,
                )
                colleague.commit()
        return page

    monkeypatch.setattr(referral_pages, "referral_page", a_colleague_accepts_meanwhile)
    response = staff.get(f"/referrals/{referral_id}")
    assert response.status_code == 200
    with Session(migrated_engine) as session:
        reads = session.exec(
            select(func.count()).where(AuditLog.referral_id == referral_id, AuditLog.action == "viewed_referral")
        ).one()
    if migrated_engine.dialect.name == "sqlite":
        assert runs == [1, 2]  # made again, from the referral as the colleague left it
    else:
        assert runs == [1]  # PostgreSQL's insert does not conflict with the colleague's commit
    assert reads == 1  # the first run's audit row was rolled back with it


def second_waits_for_first(app: Flask, engine: Engine, first: Callable[[Session], None], second) -> str:
    """`first` writes in a transaction left open; `second` runs in another thread on its own connection until it
    waits for a lock `first` holds; then `first` commits. What became of `second`: "done", or its error."""
    result: list[str] = []

    def run_second() -> None:
        with app.app_context(), Session(engine) as session:
            try:
                second(session)
                session.commit()
                result.append("done")
            except Exception as error:  # reported by the caller's assertion
                session.rollback()
                result.append(repr(error))

    with app.app_context(), Session(engine) as session:
        first(session)
        racer = threading.Thread(target=run_second)
        racer.start()
        wait_until_blocked(engine, racer)
        session.commit()
        racer.join(timeout=30)
    return result[0] if result else "still waiting"


def wait_until_blocked(engine: Engine, racer: threading.Thread) -> None:
    """Until another connection waits for a lock (PostgreSQL), for at most 10 seconds."""
    with engine.connect() as watcher:
        for _attempt in range(1000):
            waiting = watcher.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
            ).scalar_one()
            if waiting or not racer.is_alive():
                return
            watcher.rollback()
            time.sleep(0.01)
    pytest.fail("the second transaction never waited for the first")


@pytest.mark.parametrize("migrated_engine", ["postgresql"], indirect=True)  # PostgreSQL only
def test_two_saves_of_the_same_outcome_at_once_take_turns(migrated_engine, services_app, referral_id):
    """PostgreSQL: both looked for the answers, found none and inserted them; the second failed on the unique
    outcome (and on the insight row). Now each save locks the referral first, and the second updates the first's."""

    def save(value: int) -> Callable[[Session], None]:
        def answers(session: Session) -> None:
            measure, items = outcomes.measure_with_items(session=session, code="ons4")
            outcomes.record_outcome(
                session=session,
                referral_id=referral_id,
                measure=measure,
                items=items,
                stage=OutcomeStage.BASELINE,
                scores={item.code: value for item in items},
                recorded_by_id=user(session, STAFF).id,
            )
            session.flush()

        return answers

    assert second_waits_for_first(services_app, migrated_engine, save(3), save(7)) == "done"
    with Session(migrated_engine) as session:
        [outcome] = session.exec(select(Outcome).where(Outcome.referral_id == referral_id)).all()
        values = session.exec(select(OutcomeScore.value).where(OutcomeScore.outcome_id == outcome.id)).all()
        assert set(values) == {7}
        saves = select(func.count()).where(ReferralEvent.referral_id == referral_id)
        assert session.exec(saves.where(ReferralEvent.kind == EventKind.OUTCOME)).one() == 2
        assert session.exec(select(func.count()).where(InsightReferral.referral_id == referral_id)).one() == 1


@pytest.mark.parametrize("migrated_engine", ["postgresql"], indirect=True)  # PostgreSQL only
def test_new_details_for_someone_referred_before_wait_for_an_answer_to_their_referral(
    migrated_engine, services_app, referral_id
):
    """Sending a new referral for someone referred before rewrites the insight rows of all their referrals; an
    answer to one of them at the same moment rewrites that one's. On PostgreSQL the second failed on the unique
    insight row; now it waits for the first and counts the referral as the first left it."""

    def accept(session: Session) -> None:
        referral_lifecycle.transition(
            session=session,
            referral_id=referral_id,
            actor=referral_lifecycle.Actor(user=user(session, STAFF)),
            to_status=ReferralStatus.ACCEPTED,
            expected_version=1,
        )

    def moved_house(session: Session) -> None:  # what sending a referral with their new details does
        resident = session.get(Resident, session.get(Referral, referral_id).resident_id)
        resident.outcode = "NR30"
        session.add(resident)
        insight_facts.record_resident(session, resident.id)

    assert second_waits_for_first(services_app, migrated_engine, accept, moved_house) == "done"
    with Session(migrated_engine) as session:
        [fact] = session.exec(select(InsightReferral).where(InsightReferral.referral_id == referral_id)).all()
        assert (fact.status, fact.outcode) == (ReferralStatus.ACCEPTED, "NR30")
