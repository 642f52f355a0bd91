"""BSL videos end to end: admins' page videos, organisations' service videos, the player, serving with ranges."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from referral_app.models import VideoPage
from referral_app.services import media
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_media import CLIP, POSTER
from tests.conftest import csrf_token_from, error_shown, location

WEBM = Path(__file__).resolve().parents[1] / "data" / "media" / "sample.webm"
CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:03.000\nWelcome.\n\n00:03.000 --> 00:06.000\nFind local support.\n"
OWN_SERVICE = demo_id("Riverside Community Hub/Community food pantry")  # orgstaff@example.org's organisation
OTHER_SERVICE = demo_id("Deaf Connect/BSL social club")
MEDIA_LINK = re.compile(r"/media/([A-Za-z0-9_-]{22}\.(?:mp4|webm|vtt|jpg|png))")


def upload(client, path, *, video=CLIP, video_name="clip.mp4", captions=CAPTIONS, transcript="Welcome.", poster=None):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    data = {
        "csrf_token": csrf_token_from(page.text),
        "video": (io.BytesIO(video.read_bytes() if isinstance(video, Path) else video), video_name),
        "captions": (io.BytesIO(captions), "captions.vtt"),
        "transcript": transcript,
    }
    if poster is not None:
        data["poster"] = (io.BytesIO(poster), "poster.jpg")
    return client.post(path, data=data, content_type="multipart/form-data")


def media_files(app) -> list[str]:
    folder = Path(app.config["MEDIA_ROOT"])
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


# Admins and page videos


def test_an_admin_adds_a_home_page_video_that_bsl_users_see_first(app, act_as):
    client = act_as("admin")
    response = upload(client, "/admin/videos/home", transcript="Welcome to the service.")
    assert location(response) == "/admin/videos"
    listing = client.get("/admin/videos").text
    assert "Video uploaded on" in listing
    english = client.get("/?lang=en").text
    bsl = client.get("/?lang=bfi").text
    assert '<html lang="en" dir="ltr"' in bsl
    # BSL mode: the video before the page's heading; otherwise after the page.
    assert bsl.index("Watch in BSL") < bsl.index("<h1")
    assert english.index("Watch in BSL") > english.index("<h1")
    assert 'preload="none"' in bsl and "autoplay" not in bsl
    assert '<track kind="captions"' in bsl and 'srclang="en"' in bsl
    assert "Download the video (MP4, 87 KB)" in bsl
    assert "Welcome to the service." in bsl  # the transcript


def test_every_page_that_can_have_a_video_shows_it(app, act_as):
    client = act_as("admin")
    for page in VideoPage:
        assert location(upload(client, f"/admin/videos/{page.value}")) == "/admin/videos"
    client.post("/sign-out", data={"csrf_token": csrf_token_from(client.get("/account").text)})
    pages = {
        "/": VideoPage.HOME,
        "/services": VideoPage.HOW_TO_SEARCH,
        f"/services/{OTHER_SERVICE}/refer-yourself": VideoPage.REFER_YOURSELF,
        "/privacy": VideoPage.PRIVACY_NOTICE,
    }
    for path in pages:
        html = client.get(f"{path}?lang=bfi").text
        assert "Watch in BSL" in html, path
        assert "app-bsl-video--first" in html, path
    assert "Watch in BSL" not in client.get("/help?lang=bfi").text


def test_a_wrong_file_is_refused_with_a_message_and_the_transcript_kept(app, act_as):
    client = act_as("admin")
    response = upload(
        client, "/admin/videos/home", video=b"I am a text file, not a video. " * 40, transcript="Kept words."
    )
    assert response.status_code == 200
    assert error_shown(response.text, "video", "The video must be an MP4 or WebM video file")
    assert "Kept words." in response.text
    assert media_files(app) == []


def test_a_text_file_named_mp4_is_not_a_video(app, act_as):
    response = upload(act_as("admin"), "/admin/videos/home", video=b"%PDF-1.4 " * 100, video_name="real.mp4")
    assert error_shown(response.text, "video", "The video must be an MP4 or WebM video file")


def test_broken_captions_are_refused(app, act_as):
    response = upload(act_as("admin"), "/admin/videos/home", captions=b"WEBVTT\n\n00:00.000 --> later\nHi\n")
    message = "The captions file has a mistake in its timings or layout. Check it in a captions editor"
    assert error_shown(response.text, "captions", message)
    response = upload(act_as("admin"), "/admin/videos/home", captions=b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n")
    assert error_shown(response.text, "captions", "The captions file must be a WebVTT file that starts with WEBVTT")
    assert media_files(app) == []


def test_a_missing_file_or_transcript_is_asked_for(app, act_as):
    client = act_as("admin")
    page = client.get("/admin/videos/home")
    response = client.post("/admin/videos/home", data={"csrf_token": csrf_token_from(page.text), "transcript": ""})
    assert error_shown(response.text, "video", "Choose the video file")
    assert error_shown(response.text, "captions", "Choose the captions file")
    assert error_shown(response.text, "transcript", "Enter the transcript: what the video says, in English")


def test_an_oversized_video_gets_a_clear_message(app, act_as):
    app.config["VIDEO_MAX_MB"] = 1
    big = CLIP.read_bytes() + b"\x00" * (1024 * 1024)
    response = upload(act_as("admin"), "/admin/videos/home", video=big, transcript="Still here.")
    assert response.status_code == 200
    assert error_shown(response.text, "video", "The video must be 1 MB or smaller")
    assert "Still here." in response.text
    far_too_big = b"\x00" * (7 * 1024 * 1024)  # beyond twice the limit and 4 MB: refused before the form is read
    response = upload(act_as("admin"), "/admin/videos/home", video=far_too_big)
    assert response.status_code == 413
    assert "What you sent is too large" in response.text


def test_the_limit_and_messages_are_in_the_readers_language(app, act_as):
    response = upload(act_as("admin"), "/admin/videos/home?lang=cy", video=b"nope" * 100)
    assert response.status_code == 200
    assert '<html lang="cy"' in response.text
    assert "The video must be an MP4 or WebM video file" not in response.text


def test_a_webm_with_an_uploaded_poster_is_accepted(app, act_as):
    response = upload(act_as("admin"), "/admin/videos/privacy_notice", video=WEBM, poster=POSTER.read_bytes())
    assert location(response) == "/admin/videos"
    html = act_as("admin").get("/privacy?lang=bfi").text
    assert 'type="video/webm"' in html and "WebM" in html and 'poster="/media/' in html


def test_a_wrong_poster_is_refused(app, act_as):
    response = upload(act_as("admin"), "/admin/videos/home", poster=b"GIF89a" + b"\x00" * 50)
    assert error_shown(response.text, "poster", "The poster image must be a JPEG or PNG")


def test_replacing_and_removing_delete_the_old_files(app, act_as):
    client = act_as("admin")
    upload(client, "/admin/videos/home")
    first = media_files(app)
    upload(client, "/admin/videos/home", video=WEBM)
    second = media_files(app)
    assert len(second) == len(first) and not set(first) & set(second)
    page = client.get("/admin/videos/home")
    response = client.post("/admin/videos/home/remove", data={"csrf_token": csrf_token_from(page.text)})
    assert location(response) == "/admin/videos"
    assert media_files(app) == []
    assert "Watch in BSL" not in client.get("/?lang=bfi").text
    assert client.post("/admin/videos/home/remove", data={"csrf_token": csrf_token_from(page.text)}).status_code == 404


def test_unknown_pages_are_not_found(act_as):
    assert act_as("admin").get("/admin/videos/somewhere").status_code == 404


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff", "commissioner"])
def test_only_admins_manage_page_videos(act_as, role_key):
    client = act_as(role_key)
    assert client.get("/admin/videos").status_code == 403
    assert client.get("/admin/videos/home").status_code == 403


# Organisations and service videos


def test_staff_add_a_video_to_their_own_service(app, act_as):
    client = act_as("org_staff")
    listing = client.get(f"/manage/services/{OWN_SERVICE}").text
    assert "Add a BSL video" in listing
    response = upload(client, f"/manage/services/{OWN_SERVICE}/video")
    assert location(response) == f"/manage/services/{OWN_SERVICE}"
    assert "Change or remove the BSL video" in client.get(f"/manage/services/{OWN_SERVICE}").text
    public = client.get(f"/services/{OWN_SERVICE}?lang=bfi").text
    assert "Watch in BSL" in public and "app-bsl-video--first" in public


def test_staff_cannot_touch_another_organisations_video(app, act_as):
    client = act_as("org_staff")
    assert client.get(f"/manage/services/{OTHER_SERVICE}/video").status_code == 404
    own_form = f"/manage/services/{OWN_SERVICE}/video"
    assert upload_status(client, f"/manage/services/{OTHER_SERVICE}/video", page=own_form) == 404
    page = client.get(f"/manage/services/{OWN_SERVICE}/video")
    response = client.post(
        f"/manage/services/{OTHER_SERVICE}/video/remove", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert response.status_code == 404


def upload_status(client, path, *, page):
    form = client.get(page)
    data = {
        "csrf_token": csrf_token_from(form.text),
        "video": (io.BytesIO(CLIP.read_bytes()), "clip.mp4"),
        "captions": (io.BytesIO(CAPTIONS), "c.vtt"),
        "transcript": "x",
    }
    return client.post(path, data=data, content_type="multipart/form-data").status_code


def test_link_workers_cannot_upload_service_videos(act_as):
    assert act_as("link_worker").get(f"/manage/services/{OWN_SERVICE}/video").status_code == 403


# Serving


@pytest.fixture
def stored_video(app, act_as, client):
    upload(act_as("admin"), "/admin/videos/home")
    html = client.get("/?lang=bfi").text
    names = MEDIA_LINK.findall(html)
    video = next(n for n in names if n.endswith(".mp4"))
    captions = next(n for n in names if n.endswith(".vtt"))
    poster = next(n for n in names if n.endswith(".jpg"))
    return video, captions, poster


def test_videos_are_served_with_byte_ranges_so_phones_can_seek(client, stored_video):
    video, _captions, _poster = stored_video
    whole = client.get(f"/media/{video}")
    assert whole.status_code == 200
    assert whole.headers["Content-Type"] == "video/mp4"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in whole.headers["Cache-Control"]
    assert whole.data == CLIP.read_bytes()
    part = client.get(f"/media/{video}", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{CLIP.stat().st_size}"
    assert part.data == CLIP.read_bytes()[1000:2000]
    tail = client.get(f"/media/{video}", headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.data == CLIP.read_bytes()[-100:]
    assert client.get(f"/media/{video}", headers={"Range": "bytes=99999999-"}).status_code == 416


def test_the_download_link_saves_the_file(client, stored_video):
    response = client.get(f"/media/{stored_video[0]}?download=1")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "bsl-video.mp4" in response.headers["Content-Disposition"]


def test_captions_and_posters_are_served_with_their_types(client, stored_video):
    _video, captions, poster = stored_video
    response = client.get(f"/media/{captions}")
    assert response.headers["Content-Type"].startswith("text/vtt")
    assert response.data == CAPTIONS
    assert client.get(f"/media/{poster}").headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "name", ["../instance/secret_key", "AAAAAAAAAAAAAAAAAAAAAA.mp4", "..%2F..%2Fwsgi.py", "x" * 300]
)
def test_nothing_else_is_served(client, stored_video, name):
    assert client.get(f"/media/{name}").status_code == 404


def test_a_stray_file_in_the_folder_is_not_served(app, client):
    folder = Path(app.config["MEDIA_ROOT"])
    folder.mkdir(parents=True, exist_ok=True)
    stray = media.MediaStore(folder).put_bytes(b"left behind", ".mp4")
    assert client.get(f"/media/{stray}").status_code == 404


def test_demonstration_videos_are_labelled(app, db_session, client):
    store = media.MediaStore(Path(app.config["MEDIA_ROOT"]))
    media.save_video(
        session=db_session, store=store, max_bytes=10_000_000, user=None, page=VideoPage.HOME, demonstration=True,
        upload=media.VideoUpload(video_path=CLIP, captions=CAPTIONS, transcript="Sample."),
    )  # fmt: skip
    db_session.flush()
    html = client.get("/?lang=bfi").text
    assert "This sample clip shows where a BSL video goes. It is not real BSL." in html
    assert media.video_for(session=db_session, page=VideoPage.HOME).demonstration


def test_a_video_larger_than_the_site_wide_request_limit_reaches_the_form(app, act_as):
    """MAX_CONTENT_LENGTH (2 MB) guards every other form; a video upload may be up to twice its own limit, and that
    must hold before the CSRF check reads the form."""
    app.config["VIDEO_MAX_MB"] = 3
    big = CLIP.read_bytes() + b"\x00" * (4 * 1024 * 1024)
    response = upload(act_as("admin"), "/admin/videos/home", video=big, transcript="Still here.")
    assert response.status_code == 200
    assert error_shown(response.text, "video", "The video must be 3 MB or smaller")
    assert "Still here." in response.text
