"""An organisation's inbox and a link worker's "My referrals": a page at a time, three queries a page."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, true
from sqlmodel import Session, select

from referral_app.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Organization,
    Referral,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Service,
    Urgency,
)
from referral_app.services.working_days import working_days_between

TABS: dict[str, tuple[ReferralStatus, ...]] = {
    "new": (ReferralStatus.SENT,),
    "in_progress": OPEN_STATUSES,
    "closed": CLOSED_STATUSES,
}
_TAB_OF = {status: tab for tab, statuses in TABS.items() for status in statuses}
_URGENCY_ORDER = case({Urgency.URGENT: 0, Urgency.SOON: 1}, value=Referral.urgency, else_=2)


@dataclass
class ReferralRow:
    referral: Referral
    resident: Resident
    service_name: str
    organization_name: str
    needs: list[str]
    waiting_days: int  # working days without an answer (0 once answered)
    overdue: bool  # unanswered for longer than the organisation should take


@dataclass
class ReferralPage:
    tab: str
    rows: list[ReferralRow]
    counts: dict[str, int]
    page: int
    page_size: int

    @property
    def total(self) -> int:
        return self.counts.get(self.tab, 0)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def inbox(
    *, session: Session, organization_id, tab: str, page: int, page_size: int, now: datetime, nudge_days: int
) -> ReferralPage:
    """Referrals sent to one organisation (every organisation's, for an admin: `organization_id=None`);
    new ones urgent first, then the longest waiting."""
    condition = Referral.organization_id == organization_id if organization_id is not None else true()
    return _page(session, condition, tab, page, page_size, now, nudge_days)


def sent_by(
    *, session: Session, user_id: int, tab: str, page: int, page_size: int, now: datetime, nudge_days: int
) -> ReferralPage:
    """Referrals one link worker made."""
    return _page(session, Referral.referrer_id == user_id, tab, page, page_size, now, nudge_days)


def _page(session, condition, tab, page, page_size, now, nudge_days) -> ReferralPage:
    tab = tab if tab in TABS else "new"
    counts = dict.fromkeys(TABS, 0)
    for status, count in session.exec(
        select(Referral.status, func.count()).where(condition).group_by(Referral.status)
    ).all():
        counts[_TAB_OF[ReferralStatus(status)]] += count
    pages = max(1, math.ceil(counts[tab] / page_size))
    page = min(max(page, 1), pages)
    order = (
        (_URGENCY_ORDER, Referral.created_at, Referral.id)
        if tab == "new"
        else (Referral.updated_at.desc(), Referral.created_at.desc(), Referral.id)
    )
    # The page's ids first, from the referral table alone (an index covers it), then the joins for those rows
    # only: joining first would join and sort every referral of the tab before skipping to the page.
    page_ids = (
        select(Referral.id)
        .where(condition, Referral.status.in_(TABS[tab]))
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .subquery()
    )
    rows = session.exec(
        select(Referral, Resident, Service.name, Organization.name)
        .join(page_ids, page_ids.c.id == Referral.id)
        .join(Resident, Resident.id == Referral.resident_id)
        .join(Service, Service.id == Referral.service_id)
        .join(Organization, Organization.id == Referral.organization_id)
        .order_by(*order)
    ).all()
    needs = needs_of(session=session, referral_ids=[row[0].id for row in rows])
    today = now.date()
    result = []
    for referral, resident, service_name, organization_name in rows:
        waiting = 0
        if referral.status == ReferralStatus.SENT:
            waiting = working_days_between(referral.created_at.date(), today)
        result.append(
            ReferralRow(
                referral=referral,
                resident=resident,
                service_name=service_name,
                organization_name=organization_name,
                needs=needs.get(referral.id, []),
                waiting_days=waiting,
                overdue=waiting >= nudge_days,
            )
        )
    return ReferralPage(tab=tab, rows=result, counts=counts, page=page, page_size=page_size)


def needs_of(*, session: Session, referral_ids: list) -> dict:
    if not referral_ids:
        return {}
    found: dict = defaultdict(list)
    for referral_id, need in session.exec(
        select(ReferralNeed.referral_id, ReferralNeed.need)
        .where(ReferralNeed.referral_id.in_(referral_ids))
        .order_by(ReferralNeed.id)
    ).all():
        found[referral_id].append(need)
    return found
