"""Organisation staff (and admins) keeping their services' listings up to date.

Every function takes the acting user, refuses what they may not touch by returning None (the view then
answers 404, so one organisation cannot even learn that another's record exists), records the change
in the change log and refreshes the service's search text.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, delete, func, select

from referral_app.models import (
    Attribute,
    CostOption,
    Language,
    Organization,
    Role,
    Service,
    ServiceStatus,
    ServiceTranslation,
    User,
)
from referral_app.models._types import utcnow
from referral_app.services.change_log import record_change
from referral_app.services.search_index import refresh_search_documents
from referral_app.services.taxonomy import NEEDS, ensure_needs_taxonomy, need_term_id

NEED_CODE_LIST = [code for code, _name, _description in NEEDS]
# Languages offered as checkboxes: those most spoken by the communities the directory serves.
COMMON_LANGUAGES = (
    "en",
    "cy",
    "bfi",
    "ar",
    "prs",
    "fa",
    "ps",
    "ckb",
    "ti",
    "so",
    "am",
    "uk",
    "ru",
    "ro",
    "pl",
    "sk",
    "cs",
    "rom",
    "bg",
    "lt",
    "lv",
    "hu",
    "sq",
    "pt",
    "es",
    "fr",
    "tr",
    "ur",
    "pa",
    "bn",
    "gu",
    "zh",
)


@dataclass
class ServiceDetails:
    """What the main listing form edits."""

    name: str
    description: str
    application_process: str = ""
    eligibility_description: str = ""
    status: ServiceStatus = ServiceStatus.ACTIVE
    minimum_age: int | None = None
    maximum_age: int | None = None
    is_free: bool = True
    cost_description: str = ""
    in_person: bool = True
    online: bool = False
    by_phone: bool = False
    bsl_staff: bool = False
    bsl_interpreter: bool = False
    url: str | None = None
    email: str | None = None
    alert: str | None = None
    languages: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


# The fields the form edits that are columns of the service itself (the rest are child records).
SERVICE_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(ServiceDetails)
    if field.name not in ("cost_description", "languages", "needs")
)


def can_manage(user: User, organization_id: uuid.UUID) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.ORG_STAFF and user.organization_id == organization_id)


def manageable_services(
    *, session: Session, user: User, organization_id: uuid.UUID | None = None
) -> list[tuple[Service, Organization]]:
    """The services this user looks after (admins: all, or one organisation's), by organisation and name."""
    statement = select(Service, Organization).join(Organization, Organization.id == Service.organization_id)
    if user.role == Role.ORG_STAFF:
        statement = statement.where(Service.organization_id == user.organization_id)
    elif user.role != Role.ADMIN:
        return []
    if organization_id is not None:
        statement = statement.where(Service.organization_id == organization_id)
    return list(session.exec(statement.order_by(func.lower(Organization.name), func.lower(Service.name))).all())


def editable_service(*, session: Session, user: User, service_id: uuid.UUID) -> Service | None:
    service = session.get(Service, service_id)
    return service if service is not None and can_manage(user, service.organization_id) else None


def details_of(*, session: Session, service: Service) -> ServiceDetails:
    languages = session.exec(select(Language.code).where(Language.service_id == service.id)).all()
    needs = session.exec(select(Attribute.taxonomy_term_id).where(Attribute.link_id == service.id)).all()
    codes_by_term = {need_term_id(code): code for code in NEED_CODE_LIST}
    cost = session.exec(select(CostOption).where(CostOption.service_id == service.id)).first()
    return ServiceDetails(
        **{field: getattr(service, field) for field in SERVICE_FIELDS},
        cost_description=(cost.amount_description or cost.option or "") if cost else "",
        languages=tuple(sorted(set(languages))),
        needs=tuple(code for term_id in needs if (code := codes_by_term.get(term_id))),
    )


def save_service(
    *,
    session: Session,
    user: User,
    details: ServiceDetails,
    service: Service | None = None,
    organization_id: uuid.UUID | None = None,
) -> Service | None:
    """Create (no `service`) or update a service from the listing form; None if the user may not."""
    creating = service is None
    if creating:
        if organization_id is None or not can_manage(user, organization_id):
            return None
        service = Service(organization_id=organization_id, name=details.name)
    elif not can_manage(user, service.organization_id):
        return None
    for field in SERVICE_FIELDS:
        setattr(service, field, getattr(details, field))
    service.updated_at, service.updated_by_id = utcnow(), user.id
    session.add(service)
    session.flush()
    _replace_children(session=session, service=service, details=details)
    record_change(
        session=session,
        user_id=user.id,
        entity="service",
        entity_id=service.id,
        action="created" if creating else "updated",
        summary=service.name,
    )
    refresh_search_documents(session=session, service_ids=[service.id])
    return service


def _replace_children(*, session: Session, service: Service, details: ServiceDetails) -> None:
    session.exec(delete(Language).where(Language.service_id == service.id))
    for code in dict.fromkeys(details.languages):
        session.add(Language(service_id=service.id, code=code))
    ensure_needs_taxonomy(session=session)
    need_terms = [need_term_id(code) for code in NEED_CODE_LIST]
    session.exec(delete(Attribute).where(Attribute.link_id == service.id, Attribute.taxonomy_term_id.in_(need_terms)))
    for code in dict.fromkeys(details.needs):
        session.add(
            Attribute(
                link_id=service.id, link_type="service", link_entity="service", taxonomy_term_id=need_term_id(code)
            )
        )
    session.exec(delete(CostOption).where(CostOption.service_id == service.id))
    if not details.is_free and details.cost_description:
        session.add(CostOption(service_id=service.id, option="Charge", amount_description=details.cost_description))
    session.flush()


def mark_checked(*, session: Session, user: User, service: Service, today: date) -> None:
    service.last_verified_on = today
    # Published as ORUK's `assurer_email`: the organisation's own public address, never the staff member's (the
    # change log keeps who checked it).
    organization = session.get(Organization, service.organization_id)
    service.assurer_email = organization.email if organization is not None else None
    session.add(service)
    record_change(session=session, user_id=user.id, entity="service", entity_id=service.id, action="checked")


def save_translation(
    *,
    session: Session,
    user: User,
    service: Service,
    locale: str,
    name: str,
    description: str,
    application_process: str,
    eligibility_description: str,
) -> ServiceTranslation:
    translation = session.exec(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id == service.id, ServiceTranslation.locale == locale
        )
    ).first() or ServiceTranslation(service_id=service.id, locale=locale)
    translation.name, translation.description = name.strip(), description.strip()
    translation.application_process, translation.eligibility_description = (
        application_process.strip(),
        eligibility_description.strip(),
    )
    session.add(translation)
    session.flush()
    record_change(
        session=session, user_id=user.id, entity="service", entity_id=service.id, action="translated", summary=locale
    )
    refresh_search_documents(session=session, service_ids=[service.id])
    return translation


def translation_of(*, session: Session, service: Service, locale: str) -> ServiceTranslation | None:
    return session.exec(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id == service.id, ServiceTranslation.locale == locale
        )
    ).first()


def translations_of(*, session: Session, service: Service) -> dict[str, ServiceTranslation]:
    return {
        t.locale: t for t in session.exec(select(ServiceTranslation).where(ServiceTranslation.service_id == service.id))
    }
