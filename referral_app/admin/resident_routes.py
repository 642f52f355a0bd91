"""Residents' data protection, for admins: find a resident, show (and export) everything held about them for a
subject access request, and erase their personal data on request. Every read is audited."""

from __future__ import annotations

import json
import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral_app.access import roles_required
from referral_app.admin.forms import EraseResidentForm, ResidentSearchForm
from referral_app.admin.routes import bp
from referral_app.db import get_session
from referral_app.models import Resident, Role
from referral_app.services import audit, erasure, subject_access

FOUND_ACTION = "found_resident"
SUBJECT_ACCESS_ACTION = "subject_access"
EXPORT_ACTION = "subject_access_export"


def _audit(action: str, resident_ids: list[uuid.UUID]) -> None:
    """Write who saw which residents' data; the view commits it with the page."""
    audit.record_many(
        session=get_session(),
        action=action,
        user_id=current_user.id,
        reads=[(resident_id, None) for resident_id in resident_ids],
        remote_address=request.remote_addr or "",
        path=request.path,
    )


@bp.route("/residents", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def find_residents():
    form = ResidentSearchForm()
    results, more = None, False
    if form.validate_on_submit():
        session = get_session()
        results, more = subject_access.find_residents(session=session, text=form.query.data)
        _audit(FOUND_ACTION, [row.resident.id for row in results])
        session.commit()
    status = 400 if form.errors else 200
    return render_template(
        "admin/find_residents.html", form=form, results=results, more=more, limit=subject_access.SEARCH_LIMIT
    ), status


def _gathered(resident_id: uuid.UUID, action: str) -> subject_access.SubjectAccess:
    session = get_session()
    if session.get(Resident, resident_id) is None:
        abort(404)
    _audit(action, [resident_id])  # first, so the record shown includes this read
    found = subject_access.gather(session=session, resident_id=resident_id)
    session.commit()
    return found


def _resident_page(resident_id: uuid.UUID, form: EraseResidentForm, status: int = 200):
    found = _gathered(resident_id, SUBJECT_ACCESS_ACTION)
    return render_template(
        "admin/show_resident.html", found=found, form=form, audit_limit=subject_access.AUDIT_LIMIT
    ), status


@bp.get("/residents/<uuid:resident_id>")
@roles_required(Role.ADMIN)
def show_resident(resident_id: uuid.UUID):
    return _resident_page(resident_id, EraseResidentForm(formdata=None))


@bp.get("/residents/<uuid:resident_id>/export.json")
@roles_required(Role.ADMIN)
def export_resident(resident_id: uuid.UUID):
    found = _gathered(resident_id, EXPORT_ACTION)
    body = json.dumps(subject_access.as_json(found), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="resident-{resident_id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/residents/<uuid:resident_id>/erase")
@roles_required(Role.ADMIN)
def erase_resident(resident_id: uuid.UUID):
    session = get_session()
    resident = session.get(Resident, resident_id)
    if resident is None:
        abort(404)
    if resident.is_erased:
        flash(_("This person's personal data had already been erased. Nothing more was changed."), "info")
        return redirect(url_for("admin.show_resident", resident_id=resident.id), code=303)
    form = EraseResidentForm()
    if not form.validate_on_submit():
        return _resident_page(resident.id, form, status=400)
    erasure.erase_resident(
        session=session,
        resident=resident,
        user_id=current_user.id,
        reason=form.reason.data,
        remote_address=request.remote_addr or "",
        path=request.path,
    )
    session.commit()
    flash(_("This person's personal data has been erased."), "success")
    return redirect(url_for("admin.show_resident", resident_id=resident.id), code=303)
