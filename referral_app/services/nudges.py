"""Reminders to organisations about referrals left unanswered for too many working days."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from referral_app.models import EventKind, Referral, ReferralEvent, ReferralStatus
from referral_app.services import notifications
from referral_app.services.working_days import subtract_working_days, working_days_between


def send_nudges(*, session: Session, now: datetime, working_days: int) -> list[Referral]:
    """Queue a reminder for every referral still unanswered after `working_days`, at most once per period."""
    cutoff = subtract_working_days(now, working_days)
    due = session.exec(
        select(Referral)
        .where(
            Referral.status == ReferralStatus.SENT,
            Referral.created_at <= cutoff,
            or_(Referral.nudged_at.is_(None), Referral.nudged_at <= cutoff),
        )
        .order_by(Referral.created_at)
    ).all()
    for referral in due:
        waited = working_days_between(referral.created_at.date(), now.date())
        notifications.nudge(session=session, referral=referral, working_days=waited)
        referral.nudged_at = now
        session.add(referral)
        session.add(ReferralEvent(referral_id=referral.id, at=now, kind=EventKind.NUDGED))
    session.flush()
    return list(due)
