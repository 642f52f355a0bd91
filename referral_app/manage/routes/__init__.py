"""Where organisation staff and admins look after listings."""

from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from referral_app.manage.routes import listings, reports, videos  # noqa: E402, F401  (they register views on bp)
