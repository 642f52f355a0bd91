"""Serving stored media (BSL videos, captions, posters) with byte ranges, and receiving uploads."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_file
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
    transcript typed. Call `allow_video_upload()` before the form reads the request.
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


def remove_video(video: Video, *, session: Session) -> None:
    """Delete a video's record, then its files once that is committed."""
    names = media.remove_video(session=session, video=video, user=current_user._get_current_object())
    session.commit()
    media_store().delete(names)
