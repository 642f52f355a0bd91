"""Residents as a link worker knows them: the people they referred before, never typed in twice."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from referral_app.models import AgeBand, ContactMethod, Referral, Resident, Role, User
from referral_app.models._types import utcnow
from referral_app.models.referral import PRIORITY_GROUP_VALUES

_AGE_BANDS = frozenset(band.value for band in AgeBand)


@dataclass
class ResidentDetails:
    """Everything a referral records about the person, as typed on the forms."""

    name: str = ""
    phone: str = ""
    email: str = ""
    outcode: str = ""
    age_band: str = ""
    language: str = "en"
    priority_groups: list[str] = field(default_factory=list)
    interpreter_language: str = ""
    bsl_interpreter: bool = False
    easy_read: bool = False
    large_print: bool = False
    other_communication: str = ""
    contact_method: str = ContactMethod.PHONE.value
    times_to_avoid: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> ResidentDetails:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    @classmethod
    def of(cls, resident: Resident) -> ResidentDetails:
        return cls(
            name=resident.name,
            phone=resident.phone or "",
            email=resident.email or "",
            outcode=resident.outcode or "",
            age_band=resident.age_band.value if resident.age_band else "",
            language=resident.language,
            priority_groups=[group.value for group in resident.groups],
            interpreter_language=resident.interpreter_language or "",
            bsl_interpreter=resident.bsl_interpreter,
            easy_read=resident.easy_read,
            large_print=resident.large_print,
            other_communication=resident.other_communication,
            contact_method=resident.contact_method.value,
            times_to_avoid=resident.times_to_avoid,
        )

    def to_dict(self) -> dict:
        return asdict(self)

    def apply_to(self, resident: Resident) -> None:
        resident.name = self.name.strip()
        resident.phone = self.phone.strip() or None
        resident.email = self.email.strip() or None
        resident.outcode = self.outcode.strip().upper() or None
        resident.age_band = AgeBand(self.age_band) if self.age_band in _AGE_BANDS else None
        resident.language = self.language or "en"
        resident.priority_groups = " ".join(g for g in self.priority_groups if g in PRIORITY_GROUP_VALUES)
        resident.interpreter_language = self.interpreter_language or None
        resident.bsl_interpreter = self.bsl_interpreter
        resident.easy_read = self.easy_read
        resident.large_print = self.large_print
        resident.other_communication = self.other_communication.strip()
        resident.contact_method = ContactMethod(self.contact_method)
        resident.times_to_avoid = self.times_to_avoid.strip()
        resident.updated_at = utcnow()


def _known_to(user: User):
    referred = select(Referral.resident_id).where(Referral.referrer_id == user.id)
    return and_(Resident.erased_at.is_(None), or_(Resident.created_by_id == user.id, Resident.id.in_(referred)))


def residents_of(*, session: Session, user: User, limit: int = 200) -> list[Resident]:
    """The residents this link worker has referred, most recently updated first."""
    if user.role != Role.LINK_WORKER:
        return []
    statement = select(Resident).where(_known_to(user)).order_by(Resident.updated_at.desc()).limit(limit)
    return list(session.exec(statement).all())


def resident_for(*, session: Session, user: User, resident_id: uuid.UUID) -> Resident | None:
    """The resident, if this link worker referred them before; None otherwise."""
    if user.role != Role.LINK_WORKER:
        return None
    return session.exec(select(Resident).where(Resident.id == resident_id, _known_to(user))).first()
