"""A link worker's referral while it is being written: one page at a time, kept on the server."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from referral_app.models import Referral, ReferralDraft, User
from referral_app.models._types import aware, utcnow
from referral_app.services.residents import ResidentDetails

DRAFT_LIFETIME = timedelta(days=7)
# The pages of a new referral, in order; `missing_step` names the first one without an answer.
STEPS = ("service", "resident", "details", "communication", "needs", "consent")


@dataclass
class DraftAnswers:
    service_id: str = ""
    resident_id: str = ""  # a resident referred before; empty for a new one
    resident_chosen: bool = False  # the person answered the "who" question (new or existing)
    resident: dict = field(default_factory=dict)  # ResidentDetails as a dict
    details_done: bool = False
    communication_done: bool = False
    needs: list[str] = field(default_factory=list)
    reason: str = ""
    urgency: str = ""
    consent_by: str = ""
    consent_method: str = ""
    consent_interpreter_language: str = ""
    consent_given: bool = False
    previous_referral_id: str = ""  # "refer elsewhere" after a decline

    @classmethod
    def from_json(cls, text: str) -> DraftAnswers:
        data = json.loads(text or "{}")
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @property
    def details(self) -> ResidentDetails:
        return ResidentDetails.from_dict(self.resident)

    def missing_step(self) -> str | None:
        done = {
            "service": bool(self.service_id),
            "resident": self.resident_chosen,
            "details": self.details_done and bool(self.details.name),
            "communication": self.communication_done,
            "needs": bool(self.needs) and bool(self.urgency),
            "consent": self.consent_given and bool(self.consent_by) and bool(self.consent_method),
        }
        return next((step for step in STEPS if not done[step]), None)


def start_draft(*, session: Session, user: User, answers: DraftAnswers | None = None) -> ReferralDraft:
    draft = ReferralDraft(user_id=user.id, data=(answers or DraftAnswers()).to_json())
    session.add(draft)
    session.flush()
    return draft


def get_draft(*, session: Session, user: User, draft_id: uuid.UUID) -> ReferralDraft | None:
    """The user's own draft; anyone else's is as good as missing."""
    draft = session.get(ReferralDraft, draft_id)
    if draft is None or draft.user_id != user.id or aware(draft.created_at) < utcnow() - DRAFT_LIFETIME:
        return None
    return draft


def answers_of(draft: ReferralDraft) -> DraftAnswers:
    return DraftAnswers.from_json(draft.data)


def save_answers(*, session: Session, draft: ReferralDraft, answers: DraftAnswers) -> None:
    draft.data = answers.to_json()
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()


def sent_from(*, session: Session, user: User, draft_id: uuid.UUID) -> Referral | None:
    """The referral a draft already became (a second "Send" lands here)."""
    return session.exec(
        select(Referral).where(Referral.idempotency_key == str(draft_id), Referral.referrer_id == user.id)
    ).first()


def remove_expired(*, session: Session) -> int:
    result = session.execute(delete(ReferralDraft).where(ReferralDraft.created_at < utcnow() - DRAFT_LIFETIME))
    return result.rowcount or 0
