"""BSL videos: checking uploads by their content, storing them under random names, poster frames, replacing.

A video is accepted only if its bytes are MP4 or WebM (the file name is never trusted) and, where ffprobe is
installed, it really holds a video stream phones can play. Captions must be valid WebVTT with at least one cue.
A poster frame is made with ffmpeg where it is installed; otherwise an uploaded JPEG or PNG, or none.
Files go in the media folder (outside `static/`), named by `secrets`, and are served by `media.serve`.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
import webvtt
from sqlalchemy import or_, select
from sqlmodel import Session
from webvtt.errors import MalformedCaptionError, MalformedFileError

from referral_app.models import User, Video, VideoPage
from referral_app.models._types import utcnow
from referral_app.services.change_log import record_change

VIDEO_TYPES = {"video/mp4": ".mp4", "video/webm": ".webm"}
POSTER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
# What browsers on phones play in each container; anything else is refused with a clear message.
PLAYABLE_CODECS = {"video/mp4": {"h264", "av1"}, "video/webm": {"vp8", "vp9", "av1"}}
CAPTIONS_MAX_BYTES = 512 * 1024
POSTER_MAX_BYTES = 2 * 1024 * 1024
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{22}\.(mp4|webm|vtt|jpg|png)")
PROBE_TIMEOUT_SECONDS = 30


class UploadRejected(ValueError):
    """An upload we will not store; `reason` is a key the form turns into a translated message."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class VideoFacts:
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def _content_type(head: bytes, allowed: dict[str, str]) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in allowed else None


def inspect_video(path: Path, *, max_bytes: int) -> VideoFacts:
    """What the file at `path` is, or UploadRejected: too big, empty, not MP4/WebM, no playable video stream."""
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected("empty")
    if size > max_bytes:
        raise UploadRejected("too_big")
    with path.open("rb") as handle:
        content_type = _content_type(handle.read(8192), VIDEO_TYPES)
    if content_type is None:
        raise UploadRejected("not_video")
    if not ffmpeg_available():
        return VideoFacts(content_type=content_type, size=size)
    probe = _probe(path)
    if probe is None:
        raise UploadRejected("not_video")
    streams = [stream for stream in probe.get("streams", []) if stream.get("codec_type") == "video"]
    if not streams:
        raise UploadRejected("not_video")
    codec = streams[0].get("codec_name", "")
    if codec not in PLAYABLE_CODECS[content_type]:
        raise UploadRejected("codec", codec=codec)
    duration = probe.get("format", {}).get("duration")
    return VideoFacts(
        content_type=content_type,
        size=size,
        width=streams[0].get("width"),
        height=streams[0].get("height"),
        duration_seconds=float(duration) if duration else None,
    )


def _run_tool(command: list[str]) -> bytes | None:
    """What ffprobe or ffmpeg printed, or None if it failed or took longer than PROBE_TIMEOUT_SECONDS."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return None
    return done.stdout if done.returncode == 0 else None


def _probe(path: Path) -> dict | None:
    printed = _run_tool([
        "ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,width,height",
        "-of", "json", str(path),
    ])  # fmt: skip
    if printed is None:
        return None
    try:
        return json.loads(printed)
    except ValueError:
        return None


def check_captions(data: bytes) -> int:
    """The number of cues in valid WebVTT `data`, or UploadRejected saying what is wrong."""
    if len(data) > CAPTIONS_MAX_BYTES:
        raise UploadRejected("captions_too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRejected("captions_encoding") from error
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise UploadRejected("captions_not_webvtt")
    try:
        captions = webvtt.from_buffer(io.StringIO(text), strict=True).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise UploadRejected("captions_malformed") from error
    if not captions:
        raise UploadRejected("captions_empty")
    for number, caption in enumerate(captions, start=1):
        if caption.start_time.in_milliseconds() >= caption.end_time.in_milliseconds():
            raise UploadRejected("captions_timing", cue=number)
    return len(captions)


def check_poster(data: bytes) -> str:
    """The file extension for an uploaded poster image (JPEG or PNG by content), or UploadRejected."""
    if len(data) > POSTER_MAX_BYTES:
        raise UploadRejected("poster_too_big")
    content_type = _content_type(data[:8192], POSTER_TYPES)
    if content_type is None:
        raise UploadRejected("poster_type")
    return POSTER_TYPES[content_type]


class MediaStore:
    """Files under one folder, each named by 16 random bytes; nothing outside it can be named."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path | None:
        if not STORED_NAME.fullmatch(name):
            return None
        return self.root / name

    def new_name(self, extension: str) -> str:
        return secrets.token_urlsafe(16) + extension

    def put_file(self, source: Path, extension: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = self.new_name(extension)
        shutil.copyfile(source, self.root / name)
        return name

    def put_bytes(self, data: bytes, extension: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = self.new_name(extension)
        (self.root / name).write_bytes(data)
        return name

    def delete(self, names: Iterable[str | None]) -> None:
        for name in names:
            path = self.path(name) if name else None
            if path is not None:
                path.unlink(missing_ok=True)


def make_poster(video: Path, store: MediaStore, *, duration_seconds: float | None) -> str | None:
    """A JPEG frame from a second in (or the middle of a shorter clip), or None without ffmpeg or on failure."""
    if not ffmpeg_available():
        return None
    at = 1.0 if duration_seconds is None or duration_seconds > 2 else max(duration_seconds / 2, 0)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "poster.jpg"
        made = _run_tool([
            "ffmpeg", "-v", "error", "-y", "-ss", f"{at:.2f}", "-i", str(video), "-frames:v", "1",
            "-vf", "scale=640:-2", str(target),
        ])  # fmt: skip
        if made is None or not target.exists() or target.stat().st_size == 0:
            return None
        return store.put_file(target, ".jpg")


@dataclass(frozen=True)
class VideoUpload:
    """What a person uploaded: the video already on disk (a temporary file), captions and poster as bytes."""

    video_path: Path
    captions: bytes
    transcript: str
    poster: bytes | None = None


def save_video(
    *,
    session: Session,
    store: MediaStore,
    upload: VideoUpload,
    max_bytes: int,
    user: User | None,
    page: VideoPage | None = None,
    service_id: uuid.UUID | None = None,
    demonstration: bool = False,
) -> tuple[Video, list[str]]:
    """Check and store an upload as the video of `page` or of the service, replacing any before it.

    Returns the video and the names of the files it replaced: delete them (`store.delete`) once the change is
    committed, so a failed commit never leaves a video without its file. Raises UploadRejected before storing
    anything if any part is unacceptable.
    """
    if (page is None) == (service_id is None):
        raise ValueError("A video belongs to exactly one page or one service.")
    facts = inspect_video(upload.video_path, max_bytes=max_bytes)
    check_captions(upload.captions)
    poster_extension = check_poster(upload.poster) if upload.poster else None
    stored: list[str] = []
    try:
        file_name = store.put_file(upload.video_path, VIDEO_TYPES[facts.content_type])
        stored.append(file_name)
        captions_file_name = store.put_bytes(upload.captions, ".vtt")
        stored.append(captions_file_name)
        if upload.poster and poster_extension:
            poster_file_name = store.put_bytes(upload.poster, poster_extension)
        else:
            poster_file_name = make_poster(store.root / file_name, store, duration_seconds=facts.duration_seconds)
        if poster_file_name:
            stored.append(poster_file_name)
    except OSError:
        store.delete(stored)
        raise
    video = video_for(session=session, page=page, service_id=service_id)
    replaced = files_of(video) if video is not None else []
    if video is None:
        video = Video(page=page, service_id=service_id, file_name="", content_type="", size=0, captions_file_name="")
    video.file_name = file_name
    video.content_type = facts.content_type
    video.size = facts.size
    video.width = facts.width
    video.height = facts.height
    video.duration_seconds = facts.duration_seconds
    video.captions_file_name = captions_file_name
    video.poster_file_name = poster_file_name
    video.transcript = upload.transcript.strip()
    video.demonstration = demonstration
    video.uploaded_by_id = user.id if user is not None else None
    video.uploaded_at = utcnow()
    session.add(video)
    session.flush()
    record_change(
        session=session, user_id=video.uploaded_by_id, entity="video", entity_id=video.id,
        action="replaced" if replaced else "created", summary=f"BSL video for {_owner(video)}",
    )  # fmt: skip
    return video, replaced


def _owner(video: Video) -> str:
    return f"the {video.page.value} page" if video.page is not None else f"service {video.service_id}"


def files_of(video: Video) -> list[str]:
    return [name for name in (video.file_name, video.captions_file_name, video.poster_file_name) if name]


def video_for(*, session: Session, page: VideoPage | None = None, service_id: uuid.UUID | None = None) -> Video | None:
    if page is not None:
        return session.scalars(select(Video).where(Video.page == page)).first()
    return session.scalars(select(Video).where(Video.service_id == service_id)).first()


def remove_video(*, session: Session, video: Video, user: User | None) -> list[str]:
    """Delete the record; returns its files, to delete from the store once committed."""
    names = files_of(video)
    record_change(
        session=session, user_id=user.id if user is not None else None, entity="video", entity_id=video.id,
        action="deleted", summary=f"BSL video for {_owner(video)}",
    )  # fmt: skip
    session.delete(video)
    session.flush()
    return names


def page_videos(*, session: Session) -> dict[VideoPage, Video]:
    return {video.page: video for video in session.scalars(select(Video).where(Video.page.is_not(None)))}


def stored_file(*, session: Session, name: str) -> tuple[Video, str] | None:
    """The video a stored file belongs to and what the file is (`video`, `captions` or `poster`), if any."""
    video = session.scalars(
        select(Video).where(
            or_(Video.file_name == name, Video.captions_file_name == name, Video.poster_file_name == name)
        )
    ).first()
    if video is None:
        return None
    if name == video.file_name:
        return video, "video"
    return video, "captions" if name == video.captions_file_name else "poster"


def copy_upload_to_temporary_file(stream: BinaryIO, folder: Path) -> Path:
    """Spool an uploaded file to disk in the media folder's file system, so checks and the final copy are cheap."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(descriptor, "wb") as handle:
        shutil.copyfileobj(stream, handle, length=1024 * 1024)
    return Path(name)
