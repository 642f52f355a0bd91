"""A service's BSL video, uploaded by its organisation's staff (or an admin)."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.manage.routes import bp
from referral_app.manage.routes.listings import STAFF, service_or_404
from referral_app.media.forms import VideoForm
from referral_app.media.routes import allow_video_upload, receive_video, remove_video, video_limit_bytes
from referral_app.services import media


@bp.route("/services/<uuid:service_id>/video", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_service_video(service_id: uuid.UUID):
    service = service_or_404(service_id)
    allow_video_upload()
    session = get_session()
    form = VideoForm()
    if receive_video(form, session=session, service_id=service.id):
        flash(_("The video has been uploaded."), "success")
        return redirect(url_for("manage.show_listing", service_id=service.id), code=303)
    video = media.video_for(session=session, service_id=service.id)
    if video is not None and not form.is_submitted():
        form.transcript.data = video.transcript
    return render_template(
        "media/edit_video.html",
        form=form,
        video=video,
        heading=_("BSL video"),
        caption=service.name,
        caption_in_english=True,
        back_url=url_for("manage.show_listing", service_id=service.id),
        back_text=_("Back to the listing"),
        remove_url=url_for("manage.remove_service_video", service_id=service.id),
        max_bytes=video_limit_bytes(),
        makes_posters=media.ffmpeg_available(),
    )


@bp.post("/services/<uuid:service_id>/video/remove")
@roles_required(*STAFF)
def remove_service_video(service_id: uuid.UUID):
    service = service_or_404(service_id)
    session = get_session()
    video = media.video_for(session=session, service_id=service.id)
    if video is None:
        abort(404)
    remove_video(video, session=session)
    flash(_("The video has been removed."), "success")
    return redirect(url_for("manage.show_listing", service_id=service.id), code=303)
