"""Everything a referral's page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from referral_app.models import Organization, Referral, ReferralEvent, ReferralNeed, Resident, Service, User
from referral_app.services import outcomes, referral_lifecycle
from referral_app.services.referral_lifecycle import Actor, Party


@dataclass
class ReferralPage:
    referral: Referral
    resident: Resident
    service: Service
    organization: Organization
    referrer: User | None
    needs: list[str]
    timeline: list[tuple[ReferralEvent, User | None]]
    outcomes: list[outcomes.MeasureResult]
    measures: list  # the measures that can be recorded, each with its items
    next_statuses: list
    parties: frozenset[Party]

    @property
    def details_shared(self) -> bool:
        """The resident's details show unless they withdrew consent (admins and the referrer still see them)."""
        return not self.referral.consent_withdrawn or bool(self.parties & {Party.ADMIN, Party.REFERRER})

    def recorded_stages(self, measure_code: str) -> set:
        return next((result.stages for result in self.outcomes if result.measure.code == measure_code), set())

    @property
    def may_record_outcomes(self) -> bool:
        return bool(self.parties) and not self.referral.consent_withdrawn


def referral_page(*, session: Session, referral: Referral, actor: Actor) -> ReferralPage:
    resident = session.get(Resident, referral.resident_id)
    service = session.get(Service, referral.service_id)
    organization = session.get(Organization, referral.organization_id)
    referrer = session.get(User, referral.referrer_id) if referral.referrer_id else None
    needs = session.exec(
        select(ReferralNeed.need).where(ReferralNeed.referral_id == referral.id).order_by(ReferralNeed.id)
    ).all()
    measures = outcomes.active_measures(session=session)
    return ReferralPage(
        referral=referral,
        resident=resident,
        service=service,
        organization=organization,
        referrer=referrer,
        needs=list(needs),
        timeline=referral_lifecycle.timeline(session=session, referral_id=referral.id),
        outcomes=outcomes.results_for(session=session, referral_id=referral.id, measures=measures),
        measures=measures,
        next_statuses=referral_lifecycle.next_statuses(actor, referral),
        parties=referral_lifecycle.parties(actor, referral),
    )
