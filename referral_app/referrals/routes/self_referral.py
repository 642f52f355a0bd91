"""A resident refers themselves, without an account, and follows their request through a private link."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from referral_app.access import public
from referral_app.db import get_session
from referral_app.extensions import limiter
from referral_app.i18n import current_language
from referral_app.media.routes import page_video
from referral_app.models import Resident, Service, VideoPage
from referral_app.referrals.forms import SelfReferralForm, SendReferralForm
from referral_app.referrals.routes import answer_outcome, audit_read, bp, now
from referral_app.security_headers import private
from referral_app.services import notifications, outcomes, referral_lifecycle, referrals
from referral_app.services.outcomes import ONS4
from referral_app.services.referral_lifecycle import Actor
from referral_app.services.residents import ResidentDetails

RESIDENT = Actor(resident=True)


def _link_sent_by(resident) -> str | None:
    """How the private link was sent to the resident: by email, or by text message if a provider really sends them."""
    if resident is None:
        return None
    if resident.contact_method.value == "email" and resident.email:
        return "email"
    if resident.contact_method.value == "sms" and resident.phone and current_app.config["SMS_PROVIDER"] != "record":
        return "sms"
    return None


def _self_referral_limit() -> str:
    return current_app.config["SELF_REFERRAL_RATE_LIMIT"]


@bp.route("/services/<uuid:service_id>/refer-yourself", methods=["GET", "POST"])
@public
@limiter.limit(_self_referral_limit, methods=["POST"])
def refer_yourself(service_id: uuid.UUID):
    session = get_session()
    found = referrals.referable_service(session=session, service_id=service_id)
    if found is None:
        abort(404)
    service, organization = found
    form = SelfReferralForm()
    if not form.is_submitted():
        form.language.data = current_language().code
    elif form.validate_on_submit():
        if form.website.data:  # the field people never see: a bot filled it in; pretend all is well
            return redirect(url_for("directory.show_service", service_id=service.id), code=303)
        chosen = set(form.communication.data or [])
        details = ResidentDetails(
            name=form.name.data.strip(),
            phone=(form.phone.data or "").strip(),
            email=(form.email.data or "").strip(),
            language=form.language.data,
            interpreter_language=form.language.data if "interpreter" in chosen else "",
            bsl_interpreter="bsl_interpreter" in chosen,
            easy_read="easy_read" in chosen,
            large_print="large_print" in chosen,
            contact_method=form.contact_method.data,
        )
        created = referrals.create_self_referral(
            session=session,
            service=service,
            details=details,
            reason=form.reason.data,
            needs=[],
            locale=current_language().code,
            status_link_for=lambda token: notifications.external_url("referrals.request_status", token=token),
        )
        audit_read("created_referral", resident_id=created.referral.resident_id, referral_id=created.referral.id)
        session.commit()
        flash(_("Your request has been sent."), "success")
        return redirect(url_for("referrals.request_status", token=created.token), code=303)
    return render_template(
        "referrals/refer_yourself.html",
        form=form,
        service=service,
        organization=organization,
        bsl_video=page_video(VideoPage.REFER_YOURSELF),
    )


def _by_token_or_404(token: str):
    referral = referrals.by_status_token(session=get_session(), token=token)
    if referral is None:
        abort(404)
    return referral


@bp.get("/requests/<token>")
@public
def request_status(token: str):
    """The status of a self-referral, and only the status."""
    session = get_session()
    referral = _by_token_or_404(token)
    service = session.get(Service, referral.service_id)
    resident = session.get(Resident, referral.resident_id)
    audit_read("viewed_status", resident_id=referral.resident_id, referral_id=referral.id)
    session.commit()
    results = outcomes.results_for(session=session, referral_id=referral.id)
    recorded = {result.measure.code: result.stages for result in results}
    return private(
        make_response(
            render_template(
                "referrals/request_status.html",
                referral=referral,
                service=service,
                link_sent_by=_link_sent_by(resident),
                token=token,
                ons4_stages=recorded.get(ONS4, set()),
            )
        )
    )


@bp.route("/requests/<token>/withdraw", methods=["GET", "POST"])
@public
def withdraw_request(token: str):
    """Withdrawing cannot be undone, so it is asked for on a page of its own and confirmed."""
    referral = _by_token_or_404(token)
    form = SendReferralForm()
    if referral.consent_withdrawn or referral.is_closed:
        return private(redirect(url_for("referrals.request_status", token=token), code=303))
    if form.validate_on_submit():
        session = get_session()
        try:
            referral_lifecycle.withdraw_consent(session=session, referral_id=referral.id, actor=RESIDENT, now=now())
        except referral_lifecycle.ReferralError:  # the service changed it at that very moment: look again
            session.rollback()
            return private(redirect(url_for("referrals.withdraw_request", token=token), code=303))
        audit_read("withdrew_consent", resident_id=referral.resident_id, referral_id=referral.id)
        session.commit()
        flash(_("Your request has been withdrawn and your details are no longer shared."), "success")
        return private(redirect(url_for("referrals.request_status", token=token), code=303))
    return private(
        make_response(render_template("referrals/withdraw_request.html", referral=referral, token=token, form=form))
    )


@bp.route("/requests/<token>/well-being/<any(baseline,follow_up):stage>", methods=["GET", "POST"])
@public
def resident_outcome(token: str, stage: str):
    referral = _by_token_or_404(token)
    if referral.consent_withdrawn:
        abort(404)
    page = answer_outcome(
        referral,
        measure_code=ONS4,
        stage=stage,
        recorded_by_id=None,
        back=url_for("referrals.request_status", token=token),
        action=url_for("referrals.resident_outcome", token=token, stage=stage),
    )
    if page is not None:
        return private(make_response(page))
    get_session().commit()
    flash(_("Thank you. Your answers have been saved."), "success")
    return private(redirect(url_for("referrals.request_status", token=token), code=303))
