"""The form for a BSL video: the video, its WebVTT captions, a transcript and an optional poster image."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextArea
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

# What each reason services.media gives for refusing an upload means to the person, and which field it is about.
REJECTIONS = {
    "empty": ("video", _l("The video file is empty. Choose the video again")),
    "too_big": ("video", _l("The video must be %(size)s or smaller")),
    "not_video": ("video", _l("The video must be an MP4 or WebM video file")),
    "codec": ("video", _l("This video is in a format many phones cannot play. Save it as MP4 (H.264) and try again")),
    "captions_too_big": ("captions", _l("The captions file must be 500 KB or smaller")),
    "captions_encoding": ("captions", _l("The captions file must be saved as UTF-8 text")),
    "captions_not_webvtt": ("captions", _l("The captions file must be a WebVTT file that starts with WEBVTT")),
    "captions_malformed": (
        "captions",
        _l("The captions file has a mistake in its timings or layout. Check it in a captions editor"),
    ),
    "captions_empty": ("captions", _l("The captions file has no captions in it")),
    "captions_timing": ("captions", _l("Caption %(cue)s ends before it starts. Check its timings")),
    "poster_too_big": ("poster", _l("The poster image must be 2 MB or smaller")),
    "poster_type": ("poster", _l("The poster image must be a JPEG or PNG")),
}


class VideoForm(FlaskForm):
    video = FileField(
        _l("Video file"),
        widget=GovFileInput(),
        validators=[FileRequired(_l("Choose the video file"))],
        render_kw={"accept": "video/mp4,video/webm"},
    )
    captions = FileField(
        _l("Captions file (WebVTT)"),
        widget=GovFileInput(),
        validators=[FileRequired(_l("Choose the captions file"))],
        render_kw={"accept": ".vtt,text/vtt"},
    )
    transcript = TextAreaField(
        _l("Transcript"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Enter the transcript: what the video says, in English")),
            Length(max=20000, message=_l("Enter 20,000 characters or fewer")),
        ],
    )
    poster = FileField(
        _l("Poster image (optional)"), widget=GovFileInput(), render_kw={"accept": "image/jpeg,image/png"}
    )
