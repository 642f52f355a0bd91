"""One record of every kind an address can name, for the security tests: the endpoint x role matrix, the attack
cases and the form fuzzing build their URLs from these ids.

Everything belongs to Riverside Community Hub (orgstaff@example.org's organisation) unless its name says
otherwise, so that orgstaff2@example.org (New Roots Refugee Welcome) is "staff of another organisation".
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

from flask import Flask
from sqlmodel import Session, select

from referral_app.models import (
    ContactKind,
    Organization,
    OrganizationStatus,
    ReportReason,
    Role,
    Schedule,
    Service,
    ServiceAtLocation,
    User,
    Video,
    VideoPage,
)
from referral_app.services import listing_parts, listing_reports, password_reset, referral_drafts
from referral_app.services.demo_data import demo_id
from referral_app.services.media import MediaStore
from referral_app.services.taxonomy import NEEDS_TAXONOMY_ID, need_term_id
from tests.conftest import DEMO_EMAILS
from tests.factories import complete_answers, make_account, make_referral, make_resident, make_self_referral

RIVERSIDE = demo_id("Riverside Community Hub")
PANTRY = demo_id("Riverside Community Hub/Community food pantry")
NEW_ROOTS = demo_id("New Roots Refugee Welcome")
NEW_ROOTS_SERVICE = demo_id("New Roots Refugee Welcome/English conversation club")
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n"


class Records:
    """The ids URL templates are formatted with, the demo users by role, and the referral's resident's name."""

    def __init__(self, *, ids: dict[str, str], resident_name: str, users: dict[str, User]) -> None:
        self.ids, self.resident_name, self.users = ids, resident_name, users

    def __repr__(self) -> str:  # short, in hypothesis's reports of a failing example
        return "Records(...)"


RATE_LIMITS = ("SELF_REFERRAL_RATE_LIMIT", "PROBLEM_REPORT_RATE_LIMIT", "API_RATE_LIMIT",
               "SIGN_IN_RATE_LIMIT_PER_ACCOUNT", "SIGN_IN_RATE_LIMIT_PER_ADDRESS")  # fmt: skip


def without_rate_limits(app: Flask) -> None:
    """These tests send many requests from one address on purpose: they test the pages, not the limits (which
    test_rate_limits.py does). The limits are read on each request."""
    for name in RATE_LIMITS:
        app.config[name] = "100000 per minute"


def demo_users(session: Session) -> dict[str, User]:
    found = session.exec(select(User).where(User.email.in_(DEMO_EMAILS.values()))).all()
    by_email = {user.email: user for user in found}
    return {role: by_email[email] for role, email in DEMO_EMAILS.items()}


def add_video(session: Session, media_root: Path, **owner) -> Video:
    """A video record with small files on disk (no ffprobe: the matrix only needs something to serve)."""
    store = MediaStore(media_root)
    video = Video(
        file_name=store.put_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, ".mp4"),
        content_type="video/mp4",
        size=84,
        captions_file_name=store.put_bytes(VTT, ".vtt"),
        transcript="Hello.",
        **owner,
    )
    session.add(video)
    session.flush()
    return video


def build_records(app: Flask, session: Session, media_root: Path) -> Records:
    users = demo_users(session)
    link_worker, staff = users["link_worker"], users["org_staff"]
    pantry = session.get(Service, PANTRY)
    resident = make_resident(session, created_by=link_worker, name="Priya Matrix", phone="07700 900888")
    referral = make_referral(session, service=pantry, referrer=link_worker, resident=resident, reason="Private reason")
    drafts = [
        referral_drafts.start_draft(session=session, user=link_worker, answers=complete_answers(PANTRY)).id
        for _ in range(2)
    ]
    report = listing_reports.create_report(
        session=session, service_id=PANTRY, reason=ReportReason.CLOSED, details="Closed now", locale="en"
    )
    phone = listing_parts.add_contact_method(
        session=session, user=staff, service=pantry, kind=ContactKind.PHONE, value="0114 496 0000"
    )
    schedule = listing_parts.add_opening_period(
        session=session, user=staff, service=pantry, days=["MO"], opens=time(9), closes=time(12)
    )
    link = session.exec(select(ServiceAtLocation).where(ServiceAtLocation.service_id == PANTRY)).first()
    add_video(session, media_root, service_id=PANTRY)
    add_video(session, media_root, page=VideoPage.HOME)
    served = add_video(session, media_root, page=VideoPage.PRIVACY_NOTICE)  # left in place: others get removed
    pending = session.exec(select(Organization).where(Organization.status == OrganizationStatus.PENDING)).first()
    account = make_account(session, role=Role.LINK_WORKER)  # someone for admins to change
    with app.test_request_context():
        tokens = [make_self_referral(session, service=pantry).token for _ in range(2)]
        reset_token = password_reset.request_reset(session=session, email=account.email)
    assert link is not None and pending is not None and session.get(Schedule, schedule.id) is not None
    ids = {
        "pantry": PANTRY,
        "riverside": RIVERSIDE,
        "pending_org": pending.id,
        "referral": referral.id,
        "resident": resident.id,
        "account": account.id,
        "reset_token": reset_token,  # a valid password-reset link
        "draft": drafts[0],
        "draft_to_send": drafts[1],
        "report": report.id,
        "phone": phone.id,
        "schedule": schedule.id,
        "link": link.id,
        "media": served.file_name,
        "taxonomy": NEEDS_TAXONOMY_ID,
        "term": need_term_id("food"),
        "token": tokens[0],
        "token_to_withdraw": tokens[1],
    }
    return Records(
        ids={key: str(value) for key, value in ids.items()},
        resident_name=resident.name,
        users=users,
    )
