"""Organisation staff (and admins) editing their services: details, translations, times, contacts, places."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.languages import LANGUAGES, TRANSLATED
from referral_app.manage.forms import (
    ContactMethodForm,
    LocationForm,
    OpeningPeriodForm,
    ServiceForm,
    TranslationForm,
    parse_clock,
)
from referral_app.manage.routes import bp
from referral_app.models import ContactKind, Organization, Role, ServiceStatus
from referral_app.services import listing_parts, listings, media
from referral_app.services.opening_times import local_today, weekly_table

STAFF = (Role.ORG_STAFF, Role.ADMIN)


def acting_user():
    return current_user._get_current_object()


def service_or_404(service_id: uuid.UUID):
    service = listings.editable_service(session=get_session(), user=acting_user(), service_id=service_id)
    if service is None:
        abort(404)
    return service


def saved(message: str, service_id: uuid.UUID, endpoint: str = "manage.show_listing"):
    get_session().commit()
    flash(message, "success")
    return redirect(url_for(endpoint, service_id=service_id), code=303)


@bp.get("/services")
@roles_required(*STAFF)
def list_services():
    organization_id = request.args.get("organisation", type=uuid.UUID) if current_user.role == Role.ADMIN else None
    rows = listings.manageable_services(session=get_session(), user=acting_user(), organization_id=organization_id)
    return render_template("manage/list_services.html", rows=rows, organization_id=organization_id)


def details_from(form: ServiceForm) -> listings.ServiceDetails:
    return listings.ServiceDetails(
        name=form.name.data.strip(),
        description=form.description.data.strip(),
        application_process=(form.application_process.data or "").strip(),
        eligibility_description=(form.eligibility_description.data or "").strip(),
        status=ServiceStatus(form.status.data),
        minimum_age=form.minimum_age.data,
        maximum_age=form.maximum_age.data,
        is_free=form.is_free.data == "yes",
        cost_description=(form.cost_description.data or "").strip(),
        in_person="in_person" in form.delivery.data,
        online="online" in form.delivery.data,
        by_phone="phone" in form.delivery.data,
        bsl_staff="staff" in (form.bsl.data or []),
        bsl_interpreter="interpreter" in (form.bsl.data or []),
        url=(form.url.data or "").strip() or None,
        email=(form.email.data or "").strip() or None,
        alert=(form.alert.data or "").strip() or None,
        languages=tuple(form.languages.data or ()),
        needs=tuple(form.needs.data or ()),
    )


def form_from(details: listings.ServiceDetails) -> ServiceForm:
    delivery = [
        mode
        for mode, on in (("in_person", details.in_person), ("online", details.online), ("phone", details.by_phone))
        if on
    ]
    bsl = [kind for kind, on in (("staff", details.bsl_staff), ("interpreter", details.bsl_interpreter)) if on]
    return ServiceForm(
        data={
            **{
                field: getattr(details, field)
                for field in (
                    "name",
                    "description",
                    "application_process",
                    "eligibility_description",
                    "minimum_age",
                    "maximum_age",
                    "cost_description",
                    "url",
                    "email",
                    "alert",
                )
            },
            "status": details.status.value,
            "is_free": "yes" if details.is_free else "no",
            "delivery": delivery,
            "bsl": bsl,
            "languages": list(details.languages),
            "needs": list(details.needs),
        }
    )


@bp.route("/services/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def create_service():
    user = acting_user()
    organization_id = user.organization_id
    if user.role == Role.ADMIN:
        organization_id = request.args.get("organisation", type=uuid.UUID)
    organization = get_session().get(Organization, organization_id) if organization_id else None
    if organization is None:
        abort(404)
    form = ServiceForm() if request.method == "POST" else ServiceForm(data={"status": "active", "is_free": "yes"})
    if form.validate_on_submit():
        service = listings.save_service(
            session=get_session(), user=user, details=details_from(form), organization_id=organization.id
        )
        if service is None:
            abort(404)
        return saved(_("The service has been added."), service.id)
    return render_template("manage/edit_service.html", form=form, service=None, organization=organization)


@bp.get("/services/<uuid:service_id>")
@roles_required(*STAFF)
def show_listing(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    translations = listings.translations_of(session=session, service=service)
    return render_template(
        "manage/show_listing.html",
        service=service,
        organization=session.get(Organization, service.organization_id),
        translations=translations,
        other_languages=[LANGUAGES[code] for code in TRANSLATED],
        weekly=weekly_table(listing_parts.opening_periods(session=session, service=service)),
        contacts=listing_parts.contact_methods(session=session, service=service),
        places=listing_parts.locations_of(session=session, service=service),
        video=media.video_for(session=session, service_id=service.id),
    )


@bp.route("/services/<uuid:service_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_service(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    form = (
        ServiceForm() if request.method == "POST" else form_from(listings.details_of(session=session, service=service))
    )
    if form.validate_on_submit():
        listings.save_service(session=session, user=acting_user(), details=details_from(form), service=service)
        return saved(_("The service details have been saved."), service.id)
    organization = session.get(Organization, service.organization_id)
    return render_template("manage/edit_service.html", form=form, service=service, organization=organization)


@bp.post("/services/<uuid:service_id>/checked")
@roles_required(*STAFF)
def mark_checked(service_id: uuid.UUID):
    service = service_or_404(service_id)
    listings.mark_checked(
        session=get_session(), user=acting_user(), service=service, today=local_today(datetime.now(UTC))
    )
    return saved(_("The listing is marked as checked today."), service.id)


@bp.route("/services/<uuid:service_id>/translations/<locale>", methods=["GET", "POST"])
@roles_required(*STAFF)
def translate_service(service_id: uuid.UUID, locale: str):
    service = service_or_404(service_id)
    if locale not in TRANSLATED:
        abort(404)
    session = get_session()
    existing = listings.translation_of(session=session, service=service, locale=locale)
    form = TranslationForm(obj=existing) if request.method == "GET" else TranslationForm()
    if form.validate_on_submit():
        listings.save_translation(
            session=session,
            user=acting_user(),
            service=service,
            locale=locale,
            name=form.name.data,
            description=form.description.data or "",
            application_process=form.application_process.data or "",
            eligibility_description=form.eligibility_description.data or "",
        )
        return saved(_("The translation has been saved."), service.id)
    return render_template("manage/translate_service.html", form=form, service=service, language=LANGUAGES[locale])


@bp.route("/services/<uuid:service_id>/opening-times", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_opening_times(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    form = OpeningPeriodForm()
    if form.validate_on_submit():
        listing_parts.add_opening_period(
            session=session,
            user=acting_user(),
            service=service,
            days=form.days.data,
            opens=parse_clock(form.opens.data),
            closes=parse_clock(form.closes.data),
            notes=form.notes.data or "",
        )
        return saved(_("The opening times have been added."), service.id, "manage.edit_opening_times")
    periods = listing_parts.opening_periods(session=session, service=service)
    return render_template("manage/edit_opening_times.html", form=form, service=service, periods=periods)


@bp.post("/services/<uuid:service_id>/opening-times/<uuid:schedule_id>/remove")
@roles_required(*STAFF)
def remove_opening_period(service_id: uuid.UUID, schedule_id: uuid.UUID):
    service = service_or_404(service_id)
    if not listing_parts.remove_opening_period(
        session=get_session(), user=acting_user(), service=service, schedule_id=schedule_id
    ):
        abort(404)
    return saved(_("The opening times have been removed."), service.id, "manage.edit_opening_times")


@bp.route("/services/<uuid:service_id>/contacts", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_contacts(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    form = ContactMethodForm()
    if form.validate_on_submit():
        listing_parts.add_contact_method(
            session=session,
            user=acting_user(),
            service=service,
            kind=ContactKind(form.kind.data),
            value=form.value.data,
            description=form.description.data or "",
        )
        return saved(_("The contact has been added."), service.id, "manage.edit_contacts")
    contacts = listing_parts.contact_methods(session=session, service=service)
    return render_template("manage/edit_contacts.html", form=form, service=service, contacts=contacts)


@bp.post("/services/<uuid:service_id>/contacts/<uuid:phone_id>/remove")
@roles_required(*STAFF)
def remove_contact(service_id: uuid.UUID, phone_id: uuid.UUID):
    service = service_or_404(service_id)
    if not listing_parts.remove_contact_method(
        session=get_session(), user=acting_user(), service=service, phone_id=phone_id
    ):
        abort(404)
    return saved(_("The contact has been removed."), service.id, "manage.edit_contacts")


@bp.route("/services/<uuid:service_id>/locations", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_locations(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    form = LocationForm()
    if form.validate_on_submit():
        listing_parts.add_location(
            session=session,
            user=acting_user(),
            service=service,
            details=listing_parts.PlaceDetails(
                name=form.name.data or "",
                address_1=form.address_1.data,
                address_2=form.address_2.data or "",
                city=form.city.data,
                postcode=form.postcode.data,
                place=form.place,
                features=tuple(form.features.data or ()),
            ),
        )
        return saved(_("The place has been added."), service.id, "manage.edit_locations")
    places = listing_parts.locations_of(session=session, service=service)
    return render_template("manage/edit_locations.html", form=form, service=service, places=places)


@bp.post("/services/<uuid:service_id>/locations/<uuid:link_id>/remove")
@roles_required(*STAFF)
def remove_location(service_id: uuid.UUID, link_id: uuid.UUID):
    service = service_or_404(service_id)
    if not listing_parts.remove_location(
        session=get_session(), user=acting_user(), service=service, service_at_location_id=link_id
    ):
        abort(404)
    return saved(_("The place has been removed from this service."), service.id, "manage.edit_locations")
