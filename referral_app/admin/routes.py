"""Administration: the list of accounts."""

from __future__ import annotations

from flask import Blueprint, render_template

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.models import Role
from referral_app.services import users

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required(Role.ADMIN)
def list_users():
    return render_template("admin/list_users.html", rows=users.list_users(session=get_session()))
