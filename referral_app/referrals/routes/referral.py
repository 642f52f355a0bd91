"""One referral: its page, and every change people make to it."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.models import DeclineReason, Referral, ReferralStatus, Role
from referral_app.referral_labels import REFERRAL_STATUS_NAMES
from referral_app.referrals.forms import (
    ChangeStatusForm,
    DeclineForm,
    NoteForm,
    SendReferralForm,
    WithdrawConsentForm,
)
from referral_app.referrals.routes import acting_user, actor, answer_outcome, audit_read, bp, now
from referral_app.services import referral_drafts, referral_lifecycle, referral_pages, referrals
from referral_app.services.referral_lifecycle import (
    ImpossibleTransition,
    NotAllowed,
    ReferralError,
    ReferralNotFound,
    StaleVersion,
)

PARTIES = (Role.LINK_WORKER, Role.ORG_STAFF, Role.ADMIN)
# The changes made with one button (a decline has its own page for the reason).
BUTTON_STATUSES = {
    "accepted": ReferralStatus.ACCEPTED,
    "contacted": ReferralStatus.CONTACTED,
    "attended": ReferralStatus.ATTENDED,
    "did_not_attend": ReferralStatus.DID_NOT_ATTEND,
    "completed": ReferralStatus.COMPLETED,
    "withdrawn": ReferralStatus.WITHDRAWN,
}


def _referral_or_404(referral_id: uuid.UUID):
    try:
        return referral_lifecycle.load_for(session=get_session(), referral_id=referral_id, actor=actor())
    except ReferralNotFound:
        abort(404)


def _render_page(referral, *, problem: str | None = None, status: int = 200, note_form=None):
    session = get_session()
    page = referral_pages.referral_page(session=session, referral=referral, actor=actor())
    audit_read("viewed_referral", resident_id=referral.resident_id, referral_id=referral.id)
    session.commit()
    body = render_template(
        "referrals/show_referral.html",
        page=page,
        problem=problem,
        status_form=ChangeStatusForm(formdata=None, version=referral.version),
        note_form=note_form or NoteForm(formdata=None),
        plain_form=SendReferralForm(formdata=None),
        button_statuses={status: name for name, status in BUTTON_STATUSES.items()},
    )
    return body, status


def _refused(error: ReferralError):
    """The answer to a change that cannot be made: the page as it is now, with a clear message."""
    get_session().rollback()
    if isinstance(error, ReferralNotFound):
        abort(404)
    if isinstance(error, NotAllowed):
        abort(403)
    if isinstance(error, StaleVersion):
        message = _("Someone else changed this referral while you were looking at it. This is how it is now.")
    elif isinstance(error, ImpossibleTransition):
        message = _("That change cannot be made to the referral as it is now. This is how it is now.")
    else:
        message = _("Select why you are declining the referral")
    current = get_session().get(Referral, error.referral.id, populate_existing=True)
    return _render_page(current, problem=message, status=409)


@bp.get("/referrals/<uuid:referral_id>")
@roles_required(*PARTIES)
def show_referral(referral_id: uuid.UUID):
    return _render_page(_referral_or_404(referral_id))


@bp.post(
    "/referrals/<uuid:referral_id>/status/<any(accepted,contacted,attended,did_not_attend,completed,withdrawn):to>"
)
@roles_required(*PARTIES)
def change_status(referral_id: uuid.UUID, to: str):
    referral = _referral_or_404(referral_id)
    form = ChangeStatusForm()
    if not form.validate_on_submit() or form.seen_version() is None:
        return _render_page(referral, problem=_("Something went wrong with the form. Try again."), status=400)
    session = get_session()
    try:
        referral = referral_lifecycle.transition(
            session=session,
            referral_id=referral.id,
            actor=actor(),
            to_status=BUTTON_STATUSES[to],
            expected_version=form.seen_version(),
            note=form.note.data or "",
            now=now(),
        )
    except ReferralError as error:
        return _refused(error)
    audit_read("changed_referral", resident_id=referral.resident_id, referral_id=referral.id)
    session.commit()
    flash(_("Referral updated: %(status)s", status=_status_name(referral.status)), "success")
    return redirect(url_for("referrals.show_referral", referral_id=referral.id), code=303)


def _status_name(status: ReferralStatus) -> str:
    return str(REFERRAL_STATUS_NAMES[status])


@bp.route("/referrals/<uuid:referral_id>/decline", methods=["GET", "POST"])
@roles_required(Role.ORG_STAFF, Role.ADMIN)
def decline_referral(referral_id: uuid.UUID):
    referral = _referral_or_404(referral_id)
    if not referral_lifecycle.may(actor(), referral, ReferralStatus.DECLINED):
        if not referral_lifecycle.parties(actor(), referral) & {
            referral_lifecycle.Party.ORGANISATION,
            referral_lifecycle.Party.ADMIN,
        }:
            abort(403)
        return _refused(ImpossibleTransition(referral))
    form = DeclineForm(version=referral.version)
    if form.validate_on_submit() and form.seen_version() is not None:
        session = get_session()
        try:
            referral = referral_lifecycle.transition(
                session=session,
                referral_id=referral.id,
                actor=actor(),
                to_status=ReferralStatus.DECLINED,
                expected_version=form.seen_version(),
                decline_reason=DeclineReason(form.reason.data),
                note=form.note.data or "",
                now=now(),
            )
        except ReferralError as error:
            return _refused(error)
        audit_read("changed_referral", resident_id=referral.resident_id, referral_id=referral.id)
        session.commit()
        flash(_("Referral declined. The referrer has been told."), "success")
        return redirect(url_for("referrals.show_referral", referral_id=referral.id), code=303)
    return render_template("referrals/decline_referral.html", referral=referral, form=form)


@bp.post("/referrals/<uuid:referral_id>/notes")
@roles_required(*PARTIES)
def add_note(referral_id: uuid.UUID):
    referral = _referral_or_404(referral_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_page(referral, note_form=form, status=400)
    session = get_session()
    referral_lifecycle.add_note(session=session, referral_id=referral.id, actor=actor(), note=form.note.data)
    session.commit()
    flash(_("Note added."), "success")
    return redirect(url_for("referrals.show_referral", referral_id=referral.id, _anchor="timeline"), code=303)


@bp.route("/referrals/<uuid:referral_id>/withdraw-consent", methods=["GET", "POST"])
@roles_required(*PARTIES)
def withdraw_consent(referral_id: uuid.UUID):
    referral = _referral_or_404(referral_id)
    if referral.consent_withdrawn:
        return redirect(url_for("referrals.show_referral", referral_id=referral.id), code=303)
    form = WithdrawConsentForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            referral_lifecycle.withdraw_consent(
                session=session, referral_id=referral.id, actor=actor(), note=form.note.data or "", now=now()
            )
        except ReferralError as error:
            return _refused(error)
        audit_read("withdrew_consent", resident_id=referral.resident_id, referral_id=referral.id)
        session.commit()
        flash(_("Consent withdrawn. The person's details are no longer shared."), "success")
        return redirect(url_for("referrals.show_referral", referral_id=referral.id), code=303)
    return render_template("referrals/withdraw_consent.html", referral=referral, form=form)


@bp.post("/referrals/<uuid:referral_id>/refer-elsewhere")
@roles_required(Role.LINK_WORKER)
def refer_elsewhere(referral_id: uuid.UUID):
    referral = _referral_or_404(referral_id)
    if not SendReferralForm().validate_on_submit():
        abort(400)
    if referral.referrer_id != acting_user().id or referral.consent_withdrawn:
        abort(403)
    session = get_session()
    answers = referrals.refer_elsewhere_answers(session=session, referral=referral)
    draft = referral_drafts.start_draft(session=session, user=acting_user(), answers=answers)
    session.commit()
    return redirect(url_for("referrals.draft_service", draft_id=draft.id), code=303)


@bp.route(
    "/referrals/<uuid:referral_id>/outcomes/<measure_code>/<any(baseline,follow_up):stage>", methods=["GET", "POST"]
)
@roles_required(*PARTIES)
def record_outcome(referral_id: uuid.UUID, measure_code: str, stage: str):
    referral = _referral_or_404(referral_id)
    if referral.consent_withdrawn:
        abort(403)
    page = answer_outcome(
        referral,
        measure_code=measure_code,
        stage=stage,
        recorded_by_id=acting_user().id,
        back=url_for("referrals.show_referral", referral_id=referral.id),
        action=url_for("referrals.record_outcome", referral_id=referral.id, measure_code=measure_code, stage=stage),
    )
    if page is not None:
        return page
    audit_read("recorded_outcome", resident_id=referral.resident_id, referral_id=referral.id)
    get_session().commit()
    flash(_("Well-being answers saved."), "success")
    return redirect(url_for("referrals.show_referral", referral_id=referral.id, _anchor="outcomes"), code=303)
