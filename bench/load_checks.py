"""After a load run: is everything the server acknowledged in the database, exactly once, and does every referral's
trail still follow the lifecycle? Used by bench/run_load_integrity.py once the app servers have stopped."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, select

from referral_app.db import make_engine
from referral_app.models import (
    EventKind,
    Outcome,
    OutcomeScore,
    Referral,
    ReferralEvent,
    ReferralStatus,
    User,
)
from referral_app.services.referral_lifecycle import TRANSITIONS

MARKER = re.compile(r"\[(load-[\w-]+-\d+)\]")
SHOWN = 10  # problems listed in full per check; the rest are counted


def baseline(database_url: str) -> dict:
    """What is there before the run, so that the checks can tell the run's events from older ones."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        last_event = session.exec(select(func.max(ReferralEvent.id))).one() or 0
    engine.dispose()
    return {"last_event_id": last_event}


class Check:
    def __init__(self, name: str):
        self.name, self.checked, self.problems = name, 0, []

    def fail(self, problem: str) -> None:
        self.problems.append(problem)

    def result(self) -> dict:
        return {
            "name": self.name,
            "checked": self.checked,
            "passed": not self.problems,
            "problems": len(self.problems),
            "examples": self.problems[:SHOWN],
        }


def _trail_problems(referral: Referral, events: list[ReferralEvent]) -> list[str]:
    """The trail read in order must be one path through the lifecycle that ends where the referral is."""
    problems = []
    created = [e for e in events if e.kind == EventKind.CREATED]
    if len(created) != 1:
        problems.append(f"{len(created)} 'created' events")
    current, bumps = ReferralStatus.SENT, 0
    for event in events:
        if event.kind == EventKind.STATUS:
            if event.from_status != current:
                problems.append(f"event {event.id} {event.from_status}->{event.to_status} after {current} (a fork)")
            elif (current, event.to_status) not in TRANSITIONS:
                problems.append(f"event {event.id} {current}->{event.to_status} is not a lifecycle step")
            current, bumps = event.to_status, bumps + 1
        elif event.kind == EventKind.CONSENT_WITHDRAWN:
            current, bumps = event.to_status or current, bumps + 1
    if referral.status != current:
        problems.append(f"status {referral.status} but the trail ends at {current}")
    if referral.version != 1 + bumps:
        problems.append(f"version {referral.version} but the trail has {bumps} changes")
    return problems


def check(database_url: str, recorded: dict, before: dict) -> list[dict]:
    """Every check's result; `recorded` holds the acknowledgements and answers the client saw."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        results = _checks(session, recorded, before)
    engine.dispose()
    return results


def _checks(session: Session, recorded: dict, before: dict) -> list[dict]:
    emails = {a["email"] for kind in ("referral_acks", "status_acks", "outcome_acks") for a in recorded[kind]}
    user_ids = dict(session.exec(select(User.email, User.id).where(User.email.in_(emails))).all()) if emails else {}
    results = []

    # 1. No server error and no connection error in the whole run.
    answers = Check("no 5xx and no connection errors")
    answers.checked = sum(recorded["status_codes"].values())
    for code, count in recorded["status_codes"].items():
        if code == "0" or code.startswith("5"):
            answers.fail(f"{count} answers with status {code}")
    answers.problems += [str(error) for error in recorded["errors"][:SHOWN]]
    results.append(answers.result())

    # 2. Every acknowledged referral exists exactly once (found by the marker in its reason), as acknowledged.
    referrals = Check("every acknowledged referral exists exactly once")
    rows = session.exec(
        select(Referral.id, Referral.reason, Referral.referrer_id).where(Referral.reason.like("%[load-%"))
    ).all()
    stored: dict[str, list] = defaultdict(list)
    for referral_id, reason, referrer_id in rows:
        if found := MARKER.search(reason):
            stored[found.group(1)].append((referral_id, referrer_id))
    acks: dict[str, list[dict]] = defaultdict(list)
    for ack in recorded["referral_acks"]:
        acks[ack["marker"]].append(ack)
    created_events = dict(
        session.exec(
            select(ReferralEvent.referral_id, func.count())
            .where(ReferralEvent.kind == EventKind.CREATED, ReferralEvent.id > before["last_event_id"])
            .group_by(ReferralEvent.referral_id)
        ).all()
    )
    for marker, marker_acks in acks.items():
        referrals.checked += 1
        in_db = stored.get(marker, [])
        ids = {uuid.UUID(a["referral_id"]) for a in marker_acks}
        if len(in_db) != 1:
            referrals.fail(f"{marker}: acknowledged {len(marker_acks)} times, {len(in_db)} referrals stored")
        elif len(ids) != 1 or in_db[0][0] not in ids:
            referrals.fail(f"{marker}: acknowledged as {sorted(map(str, ids))}, stored as {in_db[0][0]}")
        elif in_db[0][1] != user_ids.get(marker_acks[0]["email"]):
            referrals.fail(f"{marker}: stored with referrer {in_db[0][1]}, sent by {marker_acks[0]['email']}")
        elif created_events.get(in_db[0][0], 0) != 1:
            referrals.fail(f"{marker}: {created_events.get(in_db[0][0], 0)} 'created' events")
    unacknowledged = [m for m in recorded["referral_attempts"] if m not in acks]
    for marker in unacknowledged:
        if len(stored.get(marker, [])) > 1:
            referrals.fail(f"{marker}: not acknowledged, yet stored {len(stored[marker])} times")
    results.append(
        referrals.result()
        | {
            "attempted": len(recorded["referral_attempts"]),
            "acknowledged": len(acks),
            "acknowledged_twice_same_referral": sum(1 for a in acks.values() if len(a) > 1),
            "stored_without_acknowledgement": sum(1 for m in unacknowledged if m in stored),
        }
    )

    # The trails of every referral the run touched.
    touched = {uuid.UUID(a["referral_id"]) for kind in ("status_acks", "outcome_acks") for a in recorded[kind]}
    touched |= set(
        session.exec(select(ReferralEvent.referral_id).where(ReferralEvent.id > before["last_event_id"])).all()
    )
    trails: dict[uuid.UUID, list[ReferralEvent]] = defaultdict(list)
    touched_list = sorted(touched)
    referral_rows: dict[uuid.UUID, Referral] = {}
    for start in range(0, len(touched_list), 500):
        chunk = touched_list[start : start + 500]
        for event in session.exec(
            select(ReferralEvent).where(ReferralEvent.referral_id.in_(chunk)).order_by(ReferralEvent.id)
        ).all():
            trails[event.referral_id].append(event)
        referral_rows.update({r.id: r for r in session.exec(select(Referral).where(Referral.id.in_(chunk))).all()})

    # 3. Every acknowledged status change is in its referral's trail, once, as acknowledged.
    changes = Check("every acknowledged status change is in the trail exactly as acknowledged")
    seen: dict[tuple, int] = defaultdict(int)
    for ack in recorded["status_acks"]:
        changes.checked += 1
        referral_id, to_status = uuid.UUID(ack["referral_id"]), ReferralStatus(ack["to_status"])
        seen[(referral_id, to_status)] += 1
        if seen[(referral_id, to_status)] == 2:
            changes.fail(f"{referral_id} -> {to_status}: acknowledged more than once")
        events = trails.get(referral_id, [])
        matching = [e for e in events if e.kind == EventKind.STATUS and e.to_status == to_status]
        if len(matching) != 1:
            changes.fail(f"{referral_id} -> {to_status}: {len(matching)} events in the trail")
            continue
        event = matching[0]
        bumps_before = sum(
            1 for e in events if e.id < event.id and e.kind in (EventKind.STATUS, EventKind.CONSENT_WITHDRAWN)
        )
        if event.actor_id != user_ids.get(ack["email"]):
            changes.fail(f"{referral_id} -> {to_status}: by user {event.actor_id}, acknowledged to {ack['email']}")
        elif bumps_before + 1 != ack["seen_version"]:
            changes.fail(f"{referral_id} -> {to_status}: from version {bumps_before + 1}, seen {ack['seen_version']}")
        elif ack["decline_reason"] and getattr(event.decline_reason, "value", None) != ack["decline_reason"]:
            changes.fail(f"{referral_id}: declined for {event.decline_reason}, acknowledged {ack['decline_reason']}")
    results.append(changes.result() | {"raced": sum(1 for a in recorded["status_acks"] if a["raced"])})

    # 4. Every acknowledged outcome is stored, and each save is one event in the trail.
    outcomes = Check("every acknowledged outcome is stored, one trail event per save")
    by_stage: dict[tuple, list[dict]] = defaultdict(list)
    for ack in recorded["outcome_acks"]:
        by_stage[(uuid.UUID(ack["referral_id"]), ack["measure"], ack["stage"])].append(ack)
    for (referral_id, measure, stage), stage_acks in by_stage.items():
        outcomes.checked += len(stage_acks)
        outcome = session.exec(
            select(Outcome).where(
                Outcome.referral_id == referral_id, Outcome.measure_code == measure, Outcome.stage == stage
            )
        ).first()
        if outcome is None:
            outcomes.fail(f"{referral_id} {measure}:{stage}: acknowledged, not stored")
            continue
        scores = dict(
            session.exec(
                select(OutcomeScore.item_code, OutcomeScore.value).where(OutcomeScore.outcome_id == outcome.id)
            ).all()
        )
        if scores not in [a["scores"] for a in stage_acks]:
            outcomes.fail(f"{referral_id} {measure}:{stage}: stored {scores}, none of the acknowledged answers")
        events = [
            e
            for e in trails.get(referral_id, [])
            if e.kind == EventKind.OUTCOME and e.note == f"{measure}:{stage}" and e.id > before["last_event_id"]
        ]
        if len(events) != len(stage_acks):
            outcomes.fail(f"{referral_id} {measure}:{stage}: {len(stage_acks)} acknowledged, {len(events)} events")
    results.append(outcomes.result())

    # 5. No trail breaks the lifecycle (for example accepted and declined both from "sent").
    lifecycle = Check("every touched referral's trail follows the lifecycle")
    for referral_id in touched_list:
        lifecycle.checked += 1
        referral = referral_rows.get(referral_id)
        if referral is None:
            lifecycle.fail(f"{referral_id}: events without a referral")
            continue
        for problem in _trail_problems(referral, trails.get(referral_id, [])):
            lifecycle.fail(f"{referral_id}: {problem}")
    results.append(lifecycle.result())

    # 6. A change refused because of someone else's got a clear message, not an error page.
    refused = Check("every refused change (409) said why")
    for conflict in recorded["conflicts"]:
        refused.checked += 1
        if not conflict["message"]:
            refused.fail(f"{conflict['action']} on {conflict['referral_id']}: 409 without the message")
    results.append(refused.result())
    return results
