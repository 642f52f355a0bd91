"""A service's BSL video, uploaded by its organisation's staff (or an admin)."""

from __future__ import annotations

import uuid

from flask import url_for
from flask_babel import gettext as _

from referral_app.access import roles_required
from referral_app.manage.routes import bp
from referral_app.manage.routes.listings import STAFF, service_or_404
from referral_app.media.routes import edit_video, remove_video, takes_video_upload


@bp.route("/services/<uuid:service_id>/video", methods=["GET", "POST"])
@takes_video_upload
@roles_required(*STAFF)
def edit_service_video(service_id: uuid.UUID):
    service = service_or_404(service_id)
    listing = url_for("manage.show_listing", service_id=service.id)
    return edit_video(
        owner={"service_id": service.id},
        done_url=listing,
        heading=_("BSL video"),
        caption=service.name,
        caption_in_english=True,
        back_url=listing,
        back_text=_("Back to the listing"),
        remove_url=url_for("manage.remove_service_video", service_id=service.id),
    )


@bp.post("/services/<uuid:service_id>/video/remove")
@roles_required(*STAFF)
def remove_service_video(service_id: uuid.UUID):
    service = service_or_404(service_id)
    listing = url_for("manage.show_listing", service_id=service.id)
    return remove_video(owner={"service_id": service.id}, done_url=listing)
