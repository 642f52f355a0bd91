"""The messages a referral's life sends, written to the outbox in the reader's language.

Messages to staff carry a reference and a link, never a resident's details: those stay behind sign-in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlmodel import Session, select

from referral_app.languages import DEFAULT_LOCALE, LANGUAGES
from referral_app.models import ContactMethod, Organization, Referral, ReferralStatus, Resident, Role, Service, User
from referral_app.services import outbox


def _locale_of(code: str | None) -> str:
    return code if code in LANGUAGES else DEFAULT_LOCALE


def external_url(endpoint: str, **values) -> str:
    """A full link for a message, built from BASE_URL so it works outside a request (the CLI)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _resident_locale(resident: Resident, referral: Referral) -> str:
    """The language the resident chose, if the interface has it; else the one they used to make the referral."""
    return _locale_of(resident.language if resident.language in LANGUAGES else referral.locale)


def _organisation_recipients(session: Session, organization_id) -> list[tuple[str, str]]:
    """(email, language) for an organisation: its own address, else each active member of staff."""
    organization = session.get(Organization, organization_id)
    if organization is not None and organization.email:
        return [(organization.email, DEFAULT_LOCALE)]
    staff = session.exec(
        select(User).where(User.organization_id == organization_id, User.role == Role.ORG_STAFF, User.active)
    ).all()
    return [(user.email, _locale_of(user.preferred_locale)) for user in staff]


def _service_name(session: Session, referral: Referral) -> str:
    service = session.get(Service, referral.service_id)
    return service.name if service else ""


def _email_organisation(session: Session, referral: Referral, *, kind: str, compose) -> None:
    """One email to each of the organisation's recipients, written by `compose(service, link)` in their language
    as (subject, paragraphs)."""
    link = external_url("referrals.show_referral", referral_id=referral.id)
    service = _service_name(session, referral)
    for email, locale in _organisation_recipients(session, referral.organization_id):
        with force_locale(LANGUAGES[locale].locale):
            subject, paragraphs = compose(service, link)
        outbox.enqueue_email(
            session=session,
            recipient=email,
            subject=subject,
            body="\n\n".join(paragraphs),
            locale=locale,
            kind=kind,
            referral_id=referral.id,
        )


def new_referral(*, session: Session, referral: Referral) -> None:
    def compose(service: str, link: str):
        return _("New referral %(reference)s for %(service)s", reference=referral.reference, service=service), [
            _(
                "You have a new referral (reference %(reference)s) for %(service)s.",
                reference=referral.reference,
                service=service,
            ),
            _("Sign in to read it and to accept or decline it: %(link)s", link=link),
            _("For privacy, this email does not contain the person's details."),
        ]

    _email_organisation(session, referral, kind="new_referral", compose=compose)


def nudge(*, session: Session, referral: Referral, working_days: int) -> None:
    def compose(service: str, link: str):
        return _("Reminder: referral %(reference)s is waiting for an answer", reference=referral.reference), [
            ngettext(
                "Referral %(reference)s for %(service)s has had no answer for %(num)d working day.",
                "Referral %(reference)s for %(service)s has had no answer for %(num)d working days.",
                working_days,
                reference=referral.reference,
                service=service,
            ),
            _("Please accept or decline it, so the person is not left waiting: %(link)s", link=link),
        ]

    _email_organisation(session, referral, kind="nudge", compose=compose)


def referral_answered(*, session: Session, referral: Referral) -> None:
    """Tell the referrer (or a self-referring resident) that the organisation accepted or declined."""
    service = _service_name(session, referral)
    accepted = referral.status == ReferralStatus.ACCEPTED
    if referral.referrer_id is not None:
        referrer = session.get(User, referral.referrer_id)
        if referrer is None or not referrer.active:
            return
        locale = _locale_of(referrer.preferred_locale)
        link = external_url("referrals.show_referral", referral_id=referral.id)
        with force_locale(LANGUAGES[locale].locale):
            if accepted:
                subject = _("Referral %(reference)s was accepted", reference=referral.reference)
                first = _("%(service)s accepted referral %(reference)s.", service=service, reference=referral.reference)
            else:
                subject = _("Referral %(reference)s was declined", reference=referral.reference)
                first = _(
                    "%(service)s declined referral %(reference)s. You can refer the person elsewhere with "
                    "their answers filled in.",
                    service=service,
                    reference=referral.reference,
                )
            body = "\n\n".join([first, _("See the referral: %(link)s", link=link)])
        outbox.enqueue_email(
            session=session,
            recipient=referrer.email,
            subject=subject,
            body=body,
            locale=locale,
            kind="referral_answered",
            referral_id=referral.id,
        )
        return
    resident = session.get(Resident, referral.resident_id)
    if resident is None or referral.consent_withdrawn_at is not None:
        return
    locale = _resident_locale(resident, referral)
    with force_locale(LANGUAGES[locale].locale):
        if accepted:
            text = _(
                "%(service)s has accepted your request (reference %(reference)s). They will contact you.",
                service=service,
                reference=referral.reference,
            )
        else:
            text = _(
                "%(service)s cannot help with your request (reference %(reference)s). "
                "Search again to find other services near you.",
                service=service,
                reference=referral.reference,
            )
        subject = _("Your request %(reference)s", reference=referral.reference)
    _to_resident(session, referral, resident, subject=subject, text=text, locale=locale, kind="referral_answered")


def self_referral_received(*, session: Session, referral: Referral, status_link: str) -> None:
    """Confirm a self-referral to the resident, in their language, with their private link."""
    resident = session.get(Resident, referral.resident_id)
    if resident is None:
        return
    locale = _resident_locale(resident, referral)
    with force_locale(LANGUAGES[locale].locale):
        subject = _("We have sent your request %(reference)s", reference=referral.reference)
        text = "\n\n".join(
            [
                _(
                    "Your request to %(service)s has been sent. Your reference is %(reference)s.",
                    service=_service_name(session, referral),
                    reference=referral.reference,
                ),
                _("See what happens next: %(link)s", link=status_link),
            ]
        )
    _to_resident(session, referral, resident, subject=subject, text=text, locale=locale, kind="self_referral_received")


def _to_resident(
    session: Session, referral: Referral, resident: Resident, *, subject: str, text: str, locale: str, kind: str
) -> None:
    if resident.contact_method == ContactMethod.EMAIL and resident.email:
        outbox.enqueue_email(
            session=session,
            recipient=resident.email,
            subject=subject,
            body=text,
            locale=locale,
            kind=kind,
            referral_id=referral.id,
        )
    elif resident.contact_method == ContactMethod.SMS and resident.phone:
        outbox.enqueue_sms(
            session=session, recipient=resident.phone, body=text, locale=locale, kind=kind, referral_id=referral.id
        )
