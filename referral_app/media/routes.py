"""Serving stored media (BSL videos, captions, posters) with byte ranges, and receiving uploads."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from referral_app.access import public
from referral_app.db import get_session
from referral_app.formatting import file_size
from referral_app.media.forms import REJECTIONS, VideoForm
from referral_app.models import Video, VideoPage
from referral_app.services import media

bp = Blueprint("media", __name__)

CONTENT_TYPES = {"captions": "text/vtt; charset=utf-8", "poster": None}
ONE_YEAR = 365 * 24 * 3600  # stored names are random and never reused: a file never changes


def media_store() -> media.MediaStore:
    return media.MediaStore(Path(current_app.config["MEDIA_ROOT"]))


def video_limit_bytes() -> int:
    return current_app.config["VIDEO_MAX_MB"] * 1024 * 1024


def allow_video_upload() -> None:
    """Let this request carry a video: twice the limit, so an oversized file still gets its message on the form."""
    request.max_content_length = 2 * video_limit_bytes() + 4 * 1024 * 1024


VIDEO_UPLOAD = "video_upload"


def takes_video_upload(view):
    """Mark a view whose form carries a BSL video (put it right under the route decorator)."""
    setattr(view, VIDEO_UPLOAD, True)
    return view


def raise_limit_for_video_uploads() -> None:
    """Before any other hook reads the body (the CSRF check reads the form), a video upload may be large."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, VIDEO_UPLOAD, False):
        allow_video_upload()


def page_video(page: VideoPage) -> Video | None:
    """The BSL video of one of the app's own pages, for its template's `bsl_video`."""
    return media.video_for(session=get_session(), page=page)


@bp.get("/media/<name>")
@public
def serve(name: str):
    store = media_store()
    path = store.path(name)
    found = media.stored_file(session=get_session(), name=name) if path is not None else None
    if found is None or not path.is_file():
        abort(404)
    video, kind = found
    mimetype = video.content_type if kind == "video" else CONTENT_TYPES[kind]
    download = kind == "video" and request.args.get("download") == "1"
    response = send_file(
        path,
        mimetype=mimetype,
        conditional=True,  # byte ranges (206), so phones can seek, and If-Modified-Since
        max_age=ONE_YEAR,
        as_attachment=download,
        download_name=f"bsl-video{Path(name).suffix}" if download else None,
        etag=True,
    )
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def receive_video(
    form: VideoForm, *, session: Session, page: VideoPage | None = None, service_id: uuid.UUID | None = None
) -> Video | None:
    """Store a valid upload as the video of `page` or the service (replacing any), committed.

    On a refused upload the message goes on the field it is about and None is returned; the form keeps the
    transcript typed. The view must be marked `@takes_video_upload`, so the request may be that large.
    """
    if not form.validate_on_submit():
        return None
    store = media_store()
    incoming = media.copy_upload_to_temporary_file(form.video.data.stream, store.root)
    try:
        upload = media.VideoUpload(
            video_path=incoming,
            captions=form.captions.data.read(media.CAPTIONS_MAX_BYTES + 1),
            transcript=form.transcript.data,
            poster=(form.poster.data.read(media.POSTER_MAX_BYTES + 1) or None) if form.poster.data else None,
        )
        video, replaced = media.save_video(
            session=session,
            store=store,
            upload=upload,
            max_bytes=video_limit_bytes(),
            user=current_user._get_current_object(),
            page=page,
            service_id=service_id,
        )
    except media.UploadRejected as rejected:
        field_name, message = REJECTIONS[rejected.reason]
        details = {"size": file_size(video_limit_bytes()), **rejected.details}
        getattr(form, field_name).errors.append(str(message) % details)
        return None
    finally:
        incoming.unlink(missing_ok=True)
    stored = media.files_of(video)
    try:
        session.commit()
    except Exception:
        store.delete(stored)  # the record was not saved: its new files would never be served
        raise
    store.delete(replaced)
    return video


def edit_video(*, owner: dict, done_url: str, **shown):
    """The upload page of one video (`owner`: `page=` or `service_id=`): a valid upload is stored and the browser
    goes on to `done_url`; otherwise the form shows again, with the current video and its transcript.
    `shown`: heading, caption, back_url, back_text and remove_url for the template."""
    session = get_session()
    form = VideoForm()
    if receive_video(form, session=session, **owner):
        flash(_("The video has been uploaded."), "success")
        return redirect(done_url, code=303)
    video = media.video_for(session=session, **owner)
    if video is not None and not form.is_submitted():
        form.transcript.data = video.transcript
    return render_template(
        "media/edit_video.html",
        form=form,
        video=video,
        max_bytes=video_limit_bytes(),
        makes_posters=media.ffmpeg_available(),
        **shown,
    )


def remove_video(*, owner: dict, done_url: str):
    """Delete a video's record, then its files once that is committed; 404 when there is none."""
    session = get_session()
    video = media.video_for(session=session, **owner)
    if video is None:
        abort(404)
    names = media.remove_video(session=session, video=video, user=current_user._get_current_object())
    session.commit()
    media_store().delete(names)
    flash(_("The video has been removed."), "success")
    return redirect(done_url, code=303)
