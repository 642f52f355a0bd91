"""Referrals: link workers make them, organisations answer them, residents follow their own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from referral_app.db import get_session
from referral_app.models import OutcomeStage
from referral_app.referrals.forms import OutcomeForm
from referral_app.services import audit, outcomes
from referral_app.services.referral_lifecycle import Actor

bp = Blueprint("referrals", __name__)


def acting_user():
    return current_user._get_current_object()


def actor() -> Actor:
    return Actor(user=acting_user())


def now() -> datetime:
    return datetime.now(UTC)


def page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


def audit_read(action: str, *, resident_id: uuid.UUID | None, referral_id: uuid.UUID | None = None) -> None:
    """Write who looked at which resident's data; the view commits it with the page's unit of work."""
    audit_reads(action, [(resident_id, referral_id)])


def audit_reads(action: str, reads: list[tuple[uuid.UUID | None, uuid.UUID | None]]) -> None:
    """`audit_read` for each (resident_id, referral_id) of a page, in one INSERT statement."""
    user = current_user if current_user.is_authenticated else None
    audit.record_many(
        session=get_session(),
        action=action,
        user_id=user.id if user else None,
        reads=reads,
        remote_address=request.remote_addr or "",
        path=request.path,
    )


def answer_outcome(for_referral, *, measure_code: str, stage: str, recorded_by_id: int | None, back: str, action: str):
    """A measure's questions for a referral (staff's or the resident's page): None once the answers are
    recorded (the caller commits and says so), else the page with the form, and its errors if any."""
    session = get_session()
    found = outcomes.measure_with_items(session=session, code=measure_code)
    if found is None:
        abort(404)
    measure, items = found
    form = OutcomeForm.for_measure(measure, items)()
    if form.validate_on_submit():
        outcomes.record_outcome(
            session=session,
            referral_id=for_referral.id,
            measure=measure,
            items=items,
            stage=OutcomeStage(stage),
            scores=form.scores(),
            recorded_by_id=recorded_by_id,
            by_resident=recorded_by_id is None,
        )
        return None
    return render_template(
        "referrals/record_outcome.html",
        referral=for_referral,
        measure=measure,
        items=items,
        form=form,
        stage=OutcomeStage(stage),
        back=back,
        action=action,
    )


def nudge_days() -> int:
    return current_app.config["NUDGE_WORKING_DAYS"]


from referral_app.referrals.routes import drafts, lists, referral, self_referral  # noqa: E402, F401
