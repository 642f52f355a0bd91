"""A resident with something of every kind held about them, for the subject access and erasure tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from referral_app.models import DeclineReason, OutcomeStage, Referral, ReferralStatus, Resident, Role, User
from referral_app.services import audit, outcomes, referral_drafts, referral_lifecycle
from referral_app.services.referral_drafts import DraftAnswers
from referral_app.services.referral_lifecycle import Actor
from referral_app.services.residents import ResidentDetails
from tests.factories import make_account, make_organization, make_referral, make_self_referral, make_service

NAME = "Zelda Quorn-Xyzzy"
PHONE = "01632 960417"
EMAIL = "zelda.quorn@example.net"
TIMES = "Not before 10 on weekdays"
OTHER = "Writes notes rather than calling back"
SELF_REASON = "I need a food parcel"  # what tests.factories.make_self_referral writes
REASON = "Behind on rent since losing her cleaning job"
NOTE = "Spoke to her sister about the appointment"
ACCEPT_NOTE = "Will call her on Thursday afternoon"
DECLINE_NOTE = "Our waiting list is closed until the spring"
SCORES = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 2, "anxiety": 9}
# Every value that identifies her or was written about her: none may be left after erasure.
PERSONAL_VALUES = (NAME, "Quorn-Xyzzy", PHONE, "01632960417", EMAIL, TIMES, OTHER, SELF_REASON, REASON, NOTE,
                   ACCEPT_NOTE, DECLINE_NOTE)  # fmt: skip


@dataclass
class Record:
    resident: Resident
    self_referral: Referral
    referral: Referral  # made by a link worker, and declined
    token: str  # the self-referral's private link
    staff: User
    worker: User


def make_record(session: Session, *, name: str = NAME) -> Record:
    """Call inside an app context (messages are written in the reader's language)."""
    organization = make_organization(session)
    service = make_service(session, organization=organization)
    staff = make_account(session, role=Role.ORG_STAFF, organization=organization, name="Olu Staffmember")
    worker = make_account(session, role=Role.LINK_WORKER, name="Lin Worker")
    made = make_self_referral(
        session,
        service=service,
        name=name,
        phone=PHONE,
        email=EMAIL,
        contact_method="sms",
        outcode="S4",
        age_band="25_34",
        priority_groups=["roma", "carer"],
        bsl_interpreter=True,
        times_to_avoid=TIMES,
        other_communication=OTHER,
    )
    mine = made.referral
    resident = session.get(Resident, mine.resident_id)
    as_staff = Actor(user=staff)
    referral_lifecycle.add_note(session=session, referral_id=mine.id, actor=as_staff, note=NOTE)
    referral_lifecycle.transition(
        session=session,
        referral_id=mine.id,
        actor=as_staff,
        to_status=ReferralStatus.ACCEPTED,
        expected_version=1,
        note=ACCEPT_NOTE,
    )  # tells her by text message
    measure, items = outcomes.measure_with_items(session=session, code="ons4")
    outcomes.record_outcome(
        session=session,
        referral_id=mine.id,
        measure=measure,
        items=items,
        stage=OutcomeStage.BASELINE,
        scores=SCORES,
        recorded_by_id=staff.id,
    )
    theirs = make_referral(session, service=service, referrer=worker, resident=resident, reason=REASON, needs=("food",))
    referral_lifecycle.transition(
        session=session,
        referral_id=theirs.id,
        actor=as_staff,
        to_status=ReferralStatus.DECLINED,
        expected_version=1,
        decline_reason=DeclineReason.OTHER,
        note=DECLINE_NOTE,
    )
    audit.record(session=session, action="viewed_referral", user_id=staff.id, resident_id=resident.id,
                 referral_id=mine.id, remote_address="192.0.2.7", path=f"/referrals/{mine.id}")  # fmt: skip
    answers = DraftAnswers(resident_id=str(resident.id), resident=ResidentDetails.of(resident).to_dict())
    referral_drafts.start_draft(session=session, user=worker, answers=answers)
    session.flush()
    return Record(resident, mine, theirs, made.token, staff, worker)
