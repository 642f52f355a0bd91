"""A link worker makes a referral, one question page at a time, then checks the answers and sends it."""

from __future__ import annotations

import functools
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.i18n import current_language
from referral_app.models import ContactMethod, Role
from referral_app.referrals.forms import (
    ChooseResidentForm,
    CommunicationForm,
    ConsentForm,
    NeedsForm,
    ResidentDetailsForm,
    SendReferralForm,
)
from referral_app.referrals.routes import acting_user, audit_read, bp, now
from referral_app.services import referral_drafts, referrals, residents, search
from referral_app.services.referral_drafts import STEPS, DraftAnswers

NEW = "new"
STEP_ENDPOINTS = {step: f"referrals.draft_{step}" for step in STEPS}


def _draft_or_redirect(draft_id: uuid.UUID):
    """The user's draft, or a redirect: to the referral it already became, or a 404."""
    session = get_session()
    draft = referral_drafts.get_draft(session=session, user=acting_user(), draft_id=draft_id)
    if draft is not None:
        return draft, None
    sent = referral_drafts.sent_from(session=session, user=acting_user(), draft_id=draft_id)
    if sent is not None:
        return None, redirect(url_for("referrals.show_referral", referral_id=sent.id), code=303)
    abort(404)


def _next(draft, answers: DraftAnswers):
    """After a page is answered: the next page still to answer, else the check page (also after a "Change")."""
    missing = answers.missing_step()
    if missing is None:
        return redirect(url_for("referrals.check_referral", draft_id=draft.id), code=303)
    return redirect(url_for(STEP_ENDPOINTS[missing], draft_id=draft.id), code=303)


def _guard(draft, answers: DraftAnswers, step: str):
    """Pages are answered in order: an earlier unanswered page comes first."""
    missing = answers.missing_step()
    if missing is not None and STEPS.index(missing) < STEPS.index(step):
        return redirect(url_for(STEP_ENDPOINTS[missing], draft_id=draft.id), code=303)
    return None


def draft_step(step: str | None):
    """Load the user's draft and its answers for a view; send the person to an earlier unanswered page first."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(draft_id: uuid.UUID):
            draft, elsewhere = _draft_or_redirect(draft_id)
            if elsewhere:
                return elsewhere
            answers = referral_drafts.answers_of(draft)
            if step is not None and (guard := _guard(draft, answers, step)):
                return guard
            return view(draft, answers)

        return wrapper

    return decorate


def _back(draft, step: str) -> str:
    if request.args.get("change"):
        return url_for("referrals.check_referral", draft_id=draft.id)
    index = STEPS.index(step)
    if index == 0:
        return url_for("referrals.my_referrals")
    return url_for(STEP_ENDPOINTS[STEPS[index - 1]], draft_id=draft.id)


def _save(draft, answers: DraftAnswers):
    session = get_session()
    referral_drafts.save_answers(session=session, draft=draft, answers=answers)
    session.commit()
    return _next(draft, answers)


@bp.post("/referrals/new")
@roles_required(Role.LINK_WORKER)
def start_referral():
    """Start a referral, from a service page ("Refer someone") or from "My referrals" ("New referral")."""
    session = get_session()
    answers = DraftAnswers()
    service_id = request.form.get("service_id", "")
    if service_id and referrals.referable_service(session=session, service_id=service_id):
        answers.service_id = service_id
    draft = referral_drafts.start_draft(session=session, user=acting_user(), answers=answers)
    session.commit()
    return _next(draft, answers)


@bp.route("/referrals/drafts/<uuid:draft_id>/service", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step(None)
def draft_service(draft, answers: DraftAnswers):
    session = get_session()
    error = None
    if request.method == "POST":
        found = referrals.referable_service(session=session, service_id=request.form.get("service_id", ""))
        if found is not None:
            answers.service_id = str(found[0].id)
            return _save(draft, answers)
        error = _("Choose a service from the list")
    words = (request.args.get("q") or "")[:200].strip()
    results = None
    if words:
        results = search.search_services(
            session=session, query=search.SearchQuery(text=words), locale=current_language().html_lang, now=now()
        )
    chosen = referrals.referable_service(session=session, service_id=answers.service_id) if answers.service_id else None
    return render_template(
        "referrals/draft_service.html",
        draft=draft,
        words=words,
        results=results,
        chosen=chosen,
        error=error,
        back=_back(draft, "service"),
    )


@bp.route("/referrals/drafts/<uuid:draft_id>/resident", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step("resident")
def draft_resident(draft, answers: DraftAnswers):
    session = get_session()
    known = residents.residents_of(session=session, user=acting_user())
    if not known and request.method == "GET" and not answers.resident_chosen:
        answers.resident_chosen = True  # nobody referred before: the question has one answer
        return _save(draft, answers)
    form = ChooseResidentForm()
    form.resident.choices = [(str(r.id), r.name) for r in known] + [(NEW, _("Someone new"))]
    if request.method == "GET" and answers.resident_chosen:
        form.resident.data = answers.resident_id or NEW
    if form.validate_on_submit():
        if form.resident.data == NEW:
            if answers.resident_id:  # they changed their mind: start the details afresh
                answers.resident, answers.details_done, answers.communication_done = {}, False, False
            answers.resident_id = ""
        else:
            resident = residents.resident_for(
                session=session, user=acting_user(), resident_id=uuid.UUID(form.resident.data)
            )
            if resident is None:
                abort(404)
            if answers.resident_id != str(resident.id):
                answers.resident = residents.ResidentDetails.of(resident).to_dict()
            answers.resident_id = str(resident.id)
            answers.details_done = answers.communication_done = True  # pre-filled; shown on the check page
            audit_read("chose_resident", resident_id=resident.id)
        answers.resident_chosen = True
        return _save(draft, answers)
    return render_template(
        "referrals/draft_resident.html", draft=draft, form=form, known=known, back=_back(draft, "resident")
    )


@bp.route("/referrals/drafts/<uuid:draft_id>/details", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step("details")
def draft_details(draft, answers: DraftAnswers):
    details = answers.details
    form = ResidentDetailsForm(data=details.to_dict() if request.method == "GET" else None)
    if request.method == "GET" and not details.name and details.language == "en":
        form.language.data = "en"
    if form.validate_on_submit():
        details.name = form.name.data.strip()
        details.language = form.language.data
        details.outcode = form.outcode.data or ""
        details.age_band = form.age_band.data or ""
        details.priority_groups = form.priority_groups.data or []
        answers.resident = details.to_dict()
        answers.details_done = True
        return _save(draft, answers)
    return render_template("referrals/draft_details.html", draft=draft, form=form, back=_back(draft, "details"))


@bp.route("/referrals/drafts/<uuid:draft_id>/communication", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step("communication")
def draft_communication(draft, answers: DraftAnswers):
    details = answers.details
    form = CommunicationForm()
    if request.method == "GET":
        form.needs.data = [
            name
            for name, on in (
                ("bsl_interpreter", details.bsl_interpreter),
                ("interpreter", bool(details.interpreter_language)),
                ("easy_read", details.easy_read),
                ("large_print", details.large_print),
            )
            if on
        ]
        form.interpreter_language.data = details.interpreter_language
        form.other_communication.data = details.other_communication
        form.contact_method.data = details.contact_method if answers.communication_done else None
        form.phone.data, form.email.data = details.phone, details.email
        form.times_to_avoid.data = details.times_to_avoid
    if form.validate_on_submit():
        chosen = set(form.needs.data or [])
        details.bsl_interpreter = "bsl_interpreter" in chosen
        details.interpreter_language = form.interpreter_language.data if "interpreter" in chosen else ""
        details.easy_read, details.large_print = "easy_read" in chosen, "large_print" in chosen
        details.other_communication = (form.other_communication.data or "").strip()
        details.contact_method = ContactMethod(form.contact_method.data).value
        details.phone = (form.phone.data or "").strip()
        details.email = (form.email.data or "").strip()
        details.times_to_avoid = (form.times_to_avoid.data or "").strip()
        answers.resident = details.to_dict()
        answers.communication_done = True
        return _save(draft, answers)
    return render_template(
        "referrals/draft_communication.html", draft=draft, form=form, back=_back(draft, "communication")
    )


@bp.route("/referrals/drafts/<uuid:draft_id>/needs", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step("needs")
def draft_needs(draft, answers: DraftAnswers):
    form = NeedsForm(
        data={"needs": answers.needs, "reason": answers.reason, "urgency": answers.urgency or None}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        answers.needs = list(form.needs.data)
        answers.reason = form.reason.data.strip()
        answers.urgency = form.urgency.data
        return _save(draft, answers)
    return render_template("referrals/draft_needs.html", draft=draft, form=form, back=_back(draft, "needs"))


@bp.route("/referrals/drafts/<uuid:draft_id>/consent", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step("consent")
def draft_consent(draft, answers: DraftAnswers):
    found = referrals.referable_service(session=get_session(), service_id=answers.service_id)
    if found is None:
        answers.service_id = ""
        return _save(draft, answers)
    form = ConsentForm()
    if request.method == "GET":
        form.consent_by.data = answers.consent_by or answers.details.name
        form.consent_method.data = answers.consent_method or None
        form.consent_interpreter_language.data = answers.consent_interpreter_language
        form.agreed.data = answers.consent_given
    if form.validate_on_submit():
        answers.consent_by = form.consent_by.data.strip()
        answers.consent_method = form.consent_method.data
        answers.consent_interpreter_language = form.consent_interpreter_language.data or ""
        answers.consent_given = True
        return _save(draft, answers)
    service, organization = found
    return render_template(
        "referrals/draft_consent.html",
        draft=draft,
        form=form,
        answers=answers,
        service=service,
        organization=organization,
        back=_back(draft, "consent"),
    )


@bp.route("/referrals/drafts/<uuid:draft_id>/check", methods=["GET", "POST"])
@roles_required(Role.LINK_WORKER)
@draft_step(None)
def check_referral(draft, answers: DraftAnswers):
    session = get_session()
    missing = answers.missing_step()
    if missing:
        return redirect(url_for(STEP_ENDPOINTS[missing], draft_id=draft.id), code=303)
    found = referrals.referable_service(session=session, service_id=answers.service_id)
    if found is None:
        answers.service_id = ""
        return _save(draft, answers)
    if request.method == "POST":
        if not SendReferralForm().validate_on_submit():
            abort(400)
        try:
            referral = referrals.send_draft(
                session=session, user=acting_user(), draft=draft, locale=current_language().code, now=now()
            )
        except referrals.DraftIncomplete as incomplete:
            return redirect(url_for(STEP_ENDPOINTS[incomplete.step], draft_id=draft.id), code=303)
        except referrals.SendConflict:
            again = url_for("referrals.check_referral", draft_id=draft.id)
            session.rollback()
            return redirect(again, code=307)  # the same POST once more, now seeing what the other request did
        audit_read("created_referral", resident_id=referral.resident_id, referral_id=referral.id)
        session.commit()
        flash(_("Referral sent. Reference: %(reference)s", reference=referral.reference), "success")
        return redirect(url_for("referrals.show_referral", referral_id=referral.id), code=303)
    service, organization = found
    return render_template(
        "referrals/check_referral.html",
        draft=draft,
        answers=answers,
        details=answers.details,
        service=service,
        organization=organization,
        form=SendReferralForm(),
        back=url_for("referrals.draft_consent", draft_id=draft.id),
    )
