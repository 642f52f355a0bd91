"""The retention period: closed referrals left alone for longer are anonymised, and so are residents once none of
their referrals is open or recent (`flask --app wsgi retention apply`). Uses services/erasure.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, not_
from sqlmodel import Session, select

from referral_app.models import CLOSED_STATUSES, Outcome, Referral, ReferralEvent, Resident
from referral_app.models._types import utcnow
from referral_app.services import audit, erasure

REFERRAL_ACTION = "retention_referral"  # audit actions: who did it is "the retention period", not a person
RESIDENT_ACTION = "retention_resident"
AUDIT_PATH = "flask retention apply"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day if it is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def expired(cutoff: datetime) -> ColumnElement[bool]:
    """Closed referrals with nothing done to them since `cutoff`: no change of status, note or well-being answer."""
    return and_(
        Referral.status.in_(CLOSED_STATUSES),
        Referral.updated_at < cutoff,
        func.coalesce(Referral.closed_at, Referral.updated_at) < cutoff,
        not_(exists().where(ReferralEvent.referral_id == Referral.id, ReferralEvent.at >= cutoff)),
        not_(exists().where(Outcome.referral_id == Referral.id, Outcome.recorded_at >= cutoff)),
    )


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    referral_ids: list[uuid.UUID]
    resident_ids: list[uuid.UUID]
    dry_run: bool

    @property
    def referrals(self) -> int:
        return len(self.referral_ids)

    @property
    def residents(self) -> int:
        return len(self.resident_ids)


def apply_retention(
    *, session: Session, months: int, now: datetime | None = None, dry_run: bool = False
) -> RetentionReport:
    """Anonymise what the retention period has ended for (or only find it, with `dry_run`). Running it again at
    once finds nothing: anonymised referrals and erased residents are left alone."""
    cutoff = months_before(now or utcnow(), months)
    referrals = session.exec(
        select(Referral.id, Referral.resident_id)
        .where(Referral.anonymised_at.is_(None), expired(cutoff))
        .order_by(Referral.created_at, Referral.id)
    ).all()
    referral_ids = [referral_id for referral_id, _resident_id in referrals]
    # Residents all of whose referrals are anonymised already or will be now (and who have at least one).
    still_needed = exists().where(
        Referral.resident_id == Resident.id, Referral.anonymised_at.is_(None), not_(expired(cutoff))
    )
    resident_ids = list(
        session.exec(
            select(Resident.id)
            .where(
                Resident.erased_at.is_(None),
                exists().where(Referral.resident_id == Resident.id),
                not_(still_needed),
            )
            .order_by(Resident.created_at, Resident.id)
        ).all()
    )
    if not dry_run:
        moment = now or utcnow()
        erasure.anonymise_referrals(session=session, referral_ids=referral_ids, now=moment)
        audit.record_many(
            session=session,
            action=REFERRAL_ACTION,
            user_id=None,
            reads=[(resident_id, referral_id) for referral_id, resident_id in referrals],
            path=AUDIT_PATH,
        )
        erasure.erase_residents(
            session=session, resident_ids=resident_ids, action=RESIDENT_ACTION, now=moment, path=AUDIT_PATH
        )
    return RetentionReport(cutoff=cutoff, referral_ids=referral_ids, resident_ids=resident_ids, dry_run=dry_run)
