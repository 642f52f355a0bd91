"""Translated names for values stored in the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from referral_app.models import Role

ROLE_NAMES = {
    Role.ADMIN: _l("Administrator"),
    Role.LINK_WORKER: _l("Link worker"),
    Role.ORG_STAFF: _l("Organisation staff"),
    Role.COMMISSIONER: _l("Commissioner"),
}


def role_name(role: Role) -> str:
    return str(ROLE_NAMES[role])
