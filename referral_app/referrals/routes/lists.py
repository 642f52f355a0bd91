"""A link worker's "My referrals" and an organisation's inbox."""

from __future__ import annotations

from flask import abort, current_app, render_template, request

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.models import Role
from referral_app.referrals.forms import SendReferralForm
from referral_app.referrals.routes import acting_user, audit_reads, bp, now, nudge_days, page_number
from referral_app.services import referral_lists


def _audit_listed(page: referral_lists.ReferralPage) -> None:
    audit_reads("listed_referral", [(row.resident.id, row.referral.id) for row in page.rows])
    get_session().commit()


@bp.get("/referrals")
@roles_required(Role.LINK_WORKER)
def my_referrals():
    page = referral_lists.sent_by(
        session=get_session(),
        user_id=acting_user().id,
        tab=request.args.get("tab", "new"),
        page=page_number(),
        page_size=current_app.config["PAGE_SIZE"],
        now=now(),
        nudge_days=nudge_days(),
    )
    _audit_listed(page)
    return render_template("referrals/my_referrals.html", page=page, form=SendReferralForm())


@bp.get("/inbox")
@roles_required(Role.ORG_STAFF, Role.ADMIN)
def inbox():
    user = acting_user()
    if user.role == Role.ORG_STAFF and user.organization_id is None:
        abort(403)  # staff without an organisation have no inbox (never everyone's)
    page = referral_lists.inbox(
        session=get_session(),
        organization_id=user.organization_id if user.role == Role.ORG_STAFF else None,
        tab=request.args.get("tab", "new"),
        page=page_number(),
        page_size=current_app.config["PAGE_SIZE"],
        now=now(),
        nudge_days=nudge_days(),
    )
    _audit_listed(page)
    return render_template("referrals/inbox.html", page=page)
