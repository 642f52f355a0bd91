"""The audit trail of residents' data, for admins: filter by resident, user and period."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import render_template, request

from referral_app.access import roles_required
from referral_app.admin.forms import AuditFilterForm
from referral_app.admin.routes import bp
from referral_app.db import get_session
from referral_app.models import Role
from referral_app.services import audit, users
from referral_app.services.opening_times import UK_TIME


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK_TIME).astimezone(UTC)


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_trail():
    form = AuditFilterForm(request.args, meta={"csrf": False})
    rows = []
    if form.validate():
        session = get_session()
        user = users.get_user_by_email(session=session, email=form.user.data) if form.user.data else None
        if form.user.data and user is None:
            form.user.errors = [*form.user.errors, form.unknown_user_message]
        else:
            rows = audit.trail(
                session=session,
                resident_id=form.resident_id(),
                user_id=user.id if user else None,
                since=_start_of(form.since.data) if form.since.data else None,
                until=_start_of(form.until.data + timedelta(days=1)) if form.until.data else None,
            )
    return render_template("admin/audit_trail.html", form=form, rows=rows, limit=audit.TRAIL_LIMIT)
