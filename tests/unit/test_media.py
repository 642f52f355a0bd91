"""BSL video uploads: checked by content (never by name), captions validated, stored under random names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from referral_app.models import VideoPage
from referral_app.services import change_log, media
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_media import CLIP, POSTER, webvtt_for
from tests.conftest import unavailable

WEBM = Path(__file__).resolve().parents[1] / "data" / "media" / "sample.webm"
CAPTIONS = b"WEBVTT\n\n00:00.000 --> 00:02.500\nHello and welcome.\n\n00:02.500 --> 00:05.000\nThis is a test.\n"


@pytest.fixture
def with_ffmpeg():
    if not media.ffmpeg_available():
        unavailable("ffmpeg is not installed (apt-get install ffmpeg)")


@pytest.fixture
def without_ffmpeg(monkeypatch):
    monkeypatch.setattr(media, "ffmpeg_available", lambda: False)


def copy_to(tmp_path: Path, source: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(source, target)
    return target


def reason(call) -> str:
    with pytest.raises(media.UploadRejected) as rejected:
        call()
    return rejected.value.reason


# The video itself


def test_an_mp4_is_recognised_with_its_size_and_shape(with_ffmpeg):
    facts = media.inspect_video(CLIP, max_bytes=10_000_000)
    assert facts.content_type == "video/mp4"
    assert facts.size == CLIP.stat().st_size
    assert (facts.width, facts.height) == (320, 240)
    assert facts.duration_seconds == pytest.approx(6, abs=0.2)


def test_a_webm_is_recognised(with_ffmpeg):
    assert media.inspect_video(WEBM, max_bytes=10_000_000).content_type == "video/webm"


def test_the_content_decides_not_the_name(tmp_path, with_ffmpeg):
    webm_named_mp4 = copy_to(tmp_path, WEBM, "clip.mp4")
    assert media.inspect_video(webm_named_mp4, max_bytes=10_000_000).content_type == "video/webm"
    mp4_named_txt = copy_to(tmp_path, CLIP, "notes.txt")
    assert media.inspect_video(mp4_named_txt, max_bytes=10_000_000).content_type == "video/mp4"


@pytest.mark.parametrize(
    "content",
    [
        b"This is a text file pretending to be a video." * 100,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,  # a picture
        b"%PDF-1.7\n" + b"x" * 300,
        b"\x00\x00\x00\x18ftypqt  " + b"\x00" * 300,  # QuickTime, not MP4
    ],
)
def test_a_file_named_mp4_that_is_not_mp4_or_webm_is_refused(tmp_path, content):
    fake = tmp_path / "video.mp4"
    fake.write_bytes(content)
    assert reason(lambda: media.inspect_video(fake, max_bytes=10_000_000)) == "not_video"


def test_mp4_bytes_that_hold_no_video_are_refused_where_ffprobe_can_tell(tmp_path, with_ffmpeg):
    truncated = tmp_path / "broken.mp4"
    truncated.write_bytes(CLIP.read_bytes()[:64])  # the header says MP4; there is nothing playable behind it
    assert reason(lambda: media.inspect_video(truncated, max_bytes=10_000_000)) == "not_video"


def test_without_ffmpeg_the_header_check_still_refuses_a_fake(tmp_path, without_ffmpeg):
    fake = tmp_path / "video.mp4"
    fake.write_text("not a video " * 50)
    assert reason(lambda: media.inspect_video(fake, max_bytes=10_000_000)) == "not_video"
    assert media.inspect_video(CLIP, max_bytes=10_000_000).width is None  # nothing probed


def test_empty_and_oversized_files_are_refused(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert reason(lambda: media.inspect_video(empty, max_bytes=1000)) == "empty"
    size = CLIP.stat().st_size
    assert reason(lambda: media.inspect_video(CLIP, max_bytes=size - 1)) == "too_big"
    assert media.inspect_video(CLIP, max_bytes=size).size == size  # the limit itself is allowed


# Captions


def test_valid_webvtt_is_counted():
    assert media.check_captions(CAPTIONS) == 2
    assert media.check_captions(b"\xef\xbb\xbf" + CAPTIONS) == 2  # a byte-order mark is fine
    assert media.check_captions(webvtt_for(["One.", "Two.", "Three."])) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"1\n00:00:00,000 --> 00:00:02,000\nAn SRT file\n", "captions_not_webvtt"),
        (b"WEBVTT\n\n00:00.000 --> soon\nHello\n", "captions_malformed"),
        (b"WEBVTT\n", "captions_empty"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n", "captions_timing"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:01.000\nNo time at all\n", "captions_timing"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nCaf\u00e9\n".encode("latin-1"), "captions_encoding"),
        (b"WEBVTT\n\n" + b"00:00.000 --> 00:01.000\nx\n\n" * 30_000, "captions_too_big"),
    ],
)
def test_broken_captions_are_refused_with_the_reason(content, expected):
    assert reason(lambda: media.check_captions(content)) == expected


def test_the_backwards_cue_is_named():
    captions = b"WEBVTT\n\n00:00.000 --> 00:01.000\nFine\n\n00:03.000 --> 00:02.000\nBackwards\n"
    with pytest.raises(media.UploadRejected) as rejected:
        media.check_captions(captions)
    assert rejected.value.details == {"cue": 2}


# Posters


def test_posters_must_be_jpeg_or_png_by_content():
    assert media.check_poster(POSTER.read_bytes()) == ".jpg"
    assert media.check_poster(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100) == ".png"
    assert reason(lambda: media.check_poster(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")) == "poster_type"
    assert reason(lambda: media.check_poster(b"\xff\xd8\xff" + b"\x00" * media.POSTER_MAX_BYTES)) == "poster_too_big"


def test_ffmpeg_makes_a_poster_frame(tmp_path, with_ffmpeg):
    store = media.MediaStore(tmp_path)
    name = media.make_poster(CLIP, store, duration_seconds=6)
    assert name and name.endswith(".jpg")
    assert media.check_poster((tmp_path / name).read_bytes()) == ".jpg"


def test_no_poster_is_made_without_ffmpeg(tmp_path, without_ffmpeg):
    assert media.make_poster(CLIP, media.MediaStore(tmp_path), duration_seconds=6) is None


# Storage


@pytest.mark.parametrize(
    "name", ["../secret_key", "..%2Fsecret", "/etc/passwd", "short.mp4", "AAAAAAAAAAAAAAAAAAAAAA.exe", ".upload-x"]
)
def test_only_names_the_store_makes_can_be_asked_for(tmp_path, name):
    assert media.MediaStore(tmp_path).path(name) is None


def test_stored_names_are_random_and_keep_the_type(tmp_path):
    store = media.MediaStore(tmp_path)
    names = {store.put_bytes(b"x", ".vtt") for _ in range(20)}
    assert len(names) == 20
    assert all(store.path(name) is not None and name.endswith(".vtt") for name in names)


def upload(**changes) -> media.VideoUpload:
    return media.VideoUpload(**{"video_path": CLIP, "captions": CAPTIONS, "transcript": " Hello. ", **changes})


def test_saving_stores_the_files_and_replacing_hands_back_the_old_ones(db_session, tmp_path, with_ffmpeg):
    store = media.MediaStore(tmp_path)
    first, replaced = media.save_video(
        session=db_session, store=store, upload=upload(), max_bytes=10_000_000, user=None, page=VideoPage.HOME
    )
    assert replaced == []
    assert first.transcript == "Hello."
    assert first.poster_file_name and (tmp_path / first.poster_file_name).exists()  # made by ffmpeg
    old_files = media.files_of(first)
    second, replaced = media.save_video(
        session=db_session, store=store, upload=upload(video_path=WEBM), max_bytes=10_000_000, user=None,
        page=VideoPage.HOME,
    )  # fmt: skip
    assert second.id == first.id and second.content_type == "video/webm"
    assert sorted(replaced) == sorted(old_files)
    store.delete(replaced)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(media.files_of(second))
    assert media.stored_file(session=db_session, name=second.captions_file_name) == (second, "captions")
    assert media.stored_file(session=db_session, name=old_files[0]) is None


def test_an_uploaded_poster_is_used_when_given(db_session, tmp_path):
    video, _ = media.save_video(
        session=db_session, store=media.MediaStore(tmp_path), upload=upload(poster=POSTER.read_bytes()),
        max_bytes=10_000_000, user=None, service_id=demo_id("Deaf Connect/Deaf youth club"),
    )  # fmt: skip
    assert (tmp_path / video.poster_file_name).read_bytes() == POSTER.read_bytes()


def test_nothing_is_stored_when_any_part_is_refused(db_session, tmp_path):
    store = media.MediaStore(tmp_path)
    with pytest.raises(media.UploadRejected):
        media.save_video(
            session=db_session, store=store, upload=upload(captions=b"WEBVTT\n"), max_bytes=10_000_000, user=None,
            page=VideoPage.PRIVACY_NOTICE,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []
    assert media.video_for(session=db_session, page=VideoPage.PRIVACY_NOTICE) is None


def test_a_video_belongs_to_one_page_or_one_service(db_session, tmp_path):
    with pytest.raises(ValueError):
        media.save_video(
            session=db_session, store=media.MediaStore(tmp_path), upload=upload(), max_bytes=10_000_000, user=None
        )


def test_removing_returns_the_files_to_delete(db_session, tmp_path):
    store = media.MediaStore(tmp_path)
    video, _ = media.save_video(
        session=db_session, store=store, upload=upload(), max_bytes=10_000_000, user=None, page=VideoPage.HOME
    )
    names = media.remove_video(session=db_session, video=video, user=None)
    assert sorted(names) == sorted(media.files_of(video))
    assert media.video_for(session=db_session, page=VideoPage.HOME) is None
    actions = [row.change.action for row in change_log.history(session=db_session, entity="video", entity_id=video.id)]
    assert actions == ["deleted", "created"]
