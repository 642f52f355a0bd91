"""Problem reports about listings, for the organisation that runs the service and for admins."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.manage.routes import bp
from referral_app.models import Role
from referral_app.services import listing_reports

STAFF = (Role.ORG_STAFF, Role.ADMIN)


@bp.get("/reports")
@roles_required(*STAFF)
def list_reports():
    resolved = request.args.get("show") == "resolved"
    rows = listing_reports.reports_for(session=get_session(), user=current_user, resolved=resolved)
    return render_template("manage/list_reports.html", rows=rows, resolved=resolved)


@bp.post("/reports/<int:report_id>/resolve")
@roles_required(*STAFF)
def resolve_report(report_id: int):
    session = get_session()
    note = request.form.get("note", "")
    report = listing_reports.resolve_report(
        session=session, user=current_user._get_current_object(), report_id=report_id, note=note
    )
    if report is None:
        abort(404)
    session.commit()
    flash(_("The report has been marked as resolved."), "success")
    return redirect(url_for("manage.list_reports"), code=303)
