"""Demonstration BSL videos: one small generated clip (not real BSL) with captions for each page and a few services.

Every one is stored with `demonstration=True`, so the player labels it as a sample. Real BSL content must come from
qualified, Deaf-led producers.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from referral_app.models import VideoPage
from referral_app.services import media
from referral_app.services.demo_directory import DEAF_CONNECT

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "demo_media"
CLIP = SAMPLES / "sample-clip.mp4"  # 6 s, 320x240, H.264, made with ffmpeg's testsrc2 (see data/README.md)
POSTER = SAMPLES / "sample-poster.jpg"
CUE_SECONDS = 3

PAGE_CAPTIONS = {
    VideoPage.HOME: ["This is where a BSL welcome to the service goes.", "It explains how to find local support."],
    VideoPage.HOW_TO_SEARCH: ["This is where a BSL guide to searching goes.", "It shows the filters."],
    VideoPage.REFER_YOURSELF: ["This is where a BSL guide to asking for help goes.", "It explains what happens next."],
    VideoPage.PRIVACY_NOTICE: ["This is where the privacy notice in BSL goes.", "It explains what we keep and why."],
}
SERVICE_CAPTIONS = {
    f"{DEAF_CONNECT}/BSL social club": ["This is where the club introduces itself in BSL.", "Everyone is welcome."],
    f"{DEAF_CONNECT}/Deaf advocacy service": ["This is where the advocates explain their help.", "In BSL."],
}


def webvtt_for(cues: list[str]) -> bytes:
    lines = ["WEBVTT", ""]
    for number, text in enumerate(cues):
        start, end = number * CUE_SECONDS, (number + 1) * CUE_SECONDS
        lines += [f"00:00:{start:02d}.000 --> 00:00:{end:02d}.000", f"Sample clip, not real BSL. {text}", ""]
    return "\n".join(lines).encode()


def _upload(cues: list[str]) -> media.VideoUpload:
    return media.VideoUpload(
        video_path=CLIP,
        captions=webvtt_for(cues),
        transcript=" ".join(["This is a sample clip, not real BSL.", *cues]),
        # Without ffmpeg the shipped poster stands in for one made from the clip.
        poster=None if media.ffmpeg_available() else POSTER.read_bytes(),
    )


def load_demo_videos(*, session: Session, store: media.MediaStore, service_ids: dict[str, object]) -> int:
    """Add the demonstration videos that are missing; returns how many were added."""
    added = 0
    limit = 10 * CLIP.stat().st_size
    for page, cues in PAGE_CAPTIONS.items():
        if media.video_for(session=session, page=page) is None:
            media.save_video(
                session=session, store=store, upload=_upload(cues), max_bytes=limit, user=None, page=page,
                demonstration=True,
            )  # fmt: skip
            added += 1
    for key, cues in SERVICE_CAPTIONS.items():
        service_id = service_ids[key]
        if media.video_for(session=session, service_id=service_id) is None:
            media.save_video(
                session=session, store=store, upload=_upload(cues), max_bytes=limit, user=None,
                service_id=service_id, demonstration=True,
            )  # fmt: skip
            added += 1
    return added
