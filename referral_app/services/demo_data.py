"""Demonstration data: a few organisations, services and one account per role.

Fictional organisations in real kinds of places. Loading twice changes nothing: every record
has a fixed id and is only added when missing. Demo accounts exist only through this module.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session

from referral_app.models import Organization, Role, Service, ServiceStatus
from referral_app.services import users

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published in the README, demo only
_NAMESPACE = uuid.UUID("6f1c7a52-3d1e-4b8e-9c59-0d5f0e1a2b3c")


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


ORGANIZATIONS = [
    {
        "name": "Riverside Community Hub",
        "description": "A community centre by the river offering food, advice and company to anyone who needs it.",
        "email": "hello@riverside-hub.example.org",
        "website": "https://riverside-hub.example.org",
    },
    {
        "name": "New Roots Refugee Welcome",
        "description": (
            "Volunteers and caseworkers who help refugees and migrants settle, learn English and find advice."
        ),
        "email": "welcome@newroots.example.org",
        "website": "https://newroots.example.org",
    },
    {
        "name": "Deaf Connect",
        "description": "A Deaf-led charity: BSL social clubs, advocacy and information in British Sign Language.",
        "email": "info@deafconnect.example.org",
        "website": "https://deafconnect.example.org",
    },
    {
        "name": "Open Door Youth Wellbeing",
        "description": (
            "Free, confidential support for young people aged 11 to 25 who are struggling with how they feel."
        ),
        "email": "talk@opendoor.example.org",
        "website": "https://opendoor.example.org",
    },
]

SERVICES = [
    (
        "Riverside Community Hub",
        "Community food pantry",
        "Choose fresh and cupboard food each week for a small membership fee. No referral needed; "
        "referrals from link workers are welcome.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Riverside Community Hub",
        "Money and debt advice drop-in",
        "Advisers help with benefits, debts, energy bills and letters you do not understand.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Riverside Community Hub",
        "Tuesday lunch club",
        "A hot meal and good company for anyone who feels lonely or isolated.",
        ServiceStatus.TEMPORARILY_CLOSED,
    ),
    (
        "New Roots Refugee Welcome",
        "Immigration and asylum advice",
        "Regulated advisers explain asylum, family reunion and visa questions. Interpreters can be booked.",
        ServiceStatus.ACTIVE,
    ),
    (
        "New Roots Refugee Welcome",
        "English conversation club",
        "Practise everyday English in a friendly group. All levels welcome, with a creche.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Deaf Connect",
        "BSL social club",
        "Meet other Deaf people and BSL users over tea and games. Everything happens in BSL.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Deaf Connect",
        "Deaf advocacy service",
        "A Deaf advocate supports you at appointments and with letters, in British Sign Language.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Open Door Youth Wellbeing",
        "Young people's peer support group",
        "A weekly group run with trained young volunteers. Talk, or just listen.",
        ServiceStatus.ACTIVE,
    ),
    (
        "Open Door Youth Wellbeing",
        "Evening text support",
        "This service has closed; its work moved to the peer support group.",
        ServiceStatus.INACTIVE,
    ),
]

ACCOUNTS = [
    ("admin@example.org", "Ada Admin", Role.ADMIN, None),
    ("linkworker@example.org", "Lee Linkworker", Role.LINK_WORKER, None),
    ("orgstaff@example.org", "Olu Riverside", Role.ORG_STAFF, "Riverside Community Hub"),
    ("orgstaff2@example.org", "Nadia Newroots", Role.ORG_STAFF, "New Roots Refugee Welcome"),
    ("commissioner@example.org", "Cam Commissioner", Role.COMMISSIONER, None),
]


def load_demo_data(*, session: Session, verified_on: date | None = None) -> str:
    """Add whatever demonstration records are missing; returns a one-line report."""
    verified_on = verified_on or date(2026, 10, 1)
    added = {"organisations": 0, "services": 0, "accounts": 0}
    for org in ORGANIZATIONS:
        if session.get(Organization, demo_id(org["name"])) is None:
            session.add(Organization(id=demo_id(org["name"]), **org))
            added["organisations"] += 1
    session.flush()
    for org_name, name, description, status in SERVICES:
        service_id = demo_id(f"{org_name}/{name}")
        if session.get(Service, service_id) is None:
            session.add(
                Service(
                    id=service_id,
                    organization_id=demo_id(org_name),
                    name=name,
                    description=description,
                    status=status,
                    last_verified_on=verified_on,
                )
            )
            added["services"] += 1
    session.flush()
    for email, name, role, org_name in ACCOUNTS:
        if users.get_user_by_email(session=session, email=email) is None:
            users.create_user(
                session=session,
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                organization_id=demo_id(org_name) if org_name else None,
            )
            added["accounts"] += 1
    return "Demo data: added {organisations} organisations, {services} services, {accounts} accounts.".format(**added)
