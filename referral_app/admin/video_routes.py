"""BSL videos for the app's own pages (home, how to search, refer yourself, privacy notice), for admins."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from referral_app.access import roles_required
from referral_app.admin.routes import bp
from referral_app.db import get_session
from referral_app.labels import VIDEO_PAGE_NAMES
from referral_app.media.routes import edit_video, remove_video, takes_video_upload
from referral_app.models import Role, VideoPage
from referral_app.services import media


def _page_or_404(page: str) -> VideoPage:
    try:
        return VideoPage(page)
    except ValueError:
        abort(404)


@bp.get("/videos")
@roles_required(Role.ADMIN)
def list_videos():
    videos = media.page_videos(session=get_session())
    return render_template("admin/list_videos.html", pages=list(VideoPage), videos=videos)


@bp.route("/videos/<page>", methods=["GET", "POST"])
@takes_video_upload
@roles_required(Role.ADMIN)
def edit_page_video(page: str):
    video_page = _page_or_404(page)
    return edit_video(
        owner={"page": video_page},
        done_url=url_for("admin.list_videos"),
        heading=_("BSL video for %(page)s", page=VIDEO_PAGE_NAMES[video_page]),
        caption=_("Administration"),
        back_url=url_for("admin.list_videos"),
        back_text=_("BSL videos"),
        remove_url=url_for("admin.remove_page_video", page=video_page.value),
    )


@bp.post("/videos/<page>/remove")
@roles_required(Role.ADMIN)
def remove_page_video(page: str):
    return remove_video(owner={"page": _page_or_404(page)}, done_url=url_for("admin.list_videos"))
