"""The built-in needs taxonomy for social prescribing, and accessibility features.

Terms have fixed ids so every deployment (and the demo data, imports and the API) agrees on them.
Their names shown to people come from `referral_app.labels`, translated; these English names are what
the ORUK API and exports carry.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from referral_app.models import Taxonomy, TaxonomyTerm

_NAMESPACE = uuid.UUID("0b7d2f3e-5a41-4c8a-9f0e-3c2b1d4e5f60")
NEEDS_TAXONOMY_ID = uuid.uuid5(_NAMESPACE, "needs")

# (code, English name, description)
NEEDS: list[tuple[str, str, str]] = [
    ("mental_health", "Mental health", "Support with how you feel, stress, anxiety or low mood"),
    ("loneliness", "Loneliness and isolation", "Company, groups and ways to meet people"),
    ("food", "Food", "Food banks, pantries, community meals and cooking"),
    ("housing", "Housing and homelessness", "Somewhere to live, staying in your home, and help if you are homeless"),
    ("money", "Money and debt", "Benefits, debt, bills and budgeting"),
    ("immigration", "Immigration and asylum advice", "Asylum, visas, refugee status and family reunion"),
    ("physical_activity", "Physical activity", "Walking, sport, exercise and getting active"),
    ("arts_culture", "Arts and culture", "Creative groups, music, crafts, heritage and libraries"),
    ("employment", "Employment and skills", "Finding work, volunteering, training and qualifications"),
    ("english_language", "Learning English", "English classes (ESOL) and conversation groups"),
    ("digital", "Digital skills and access", "Help to get online, devices and data"),
    ("family", "Family and young people", "Parents, children, young people and families"),
    ("deaf_community", "Deaf community", "Services by and for Deaf people and British Sign Language users"),
    ("physical_health", "Physical health", "Health checks, long-term conditions and healthy living"),
    ("carers", "Carers", "Support for people who look after someone"),
    ("domestic_abuse", "Domestic abuse", "Safety and support for anyone affected by domestic abuse"),
    ("substance_use", "Alcohol and drugs", "Support to cut down or stop, and for families"),
    ("legal_advice", "Legal advice and rights", "Free advice on rights, discrimination and the law"),
]
NEED_CODES = frozenset(code for code, _name, _description in NEEDS)

ACCESSIBILITY_FEATURES: list[tuple[str, str]] = [
    ("step_free", "Step-free access"),
    ("accessible_toilet", "Accessible toilet"),
    ("hearing_loop", "Hearing loop"),
    ("quiet_space", "Quiet space"),
    ("blue_badge_parking", "Blue Badge parking"),
    ("easy_read", "Easy Read information"),
    ("large_print", "Large print information"),
    ("baby_changing", "Baby changing"),
]
ACCESSIBILITY_CODES = frozenset(code for code, _name in ACCESSIBILITY_FEATURES)


def need_term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"needs/{code}")


def ensure_needs_taxonomy(*, session: Session) -> int:
    """Add the needs taxonomy and any of its terms that are missing; returns how many were added."""
    added = 0
    if session.get(Taxonomy, NEEDS_TAXONOMY_ID) is None:
        session.add(
            Taxonomy(
                id=NEEDS_TAXONOMY_ID,
                name="Needs",
                description="What a person needs help with: the categories residents and link workers search by.",
                version="1",
            )
        )
        session.flush()
        added += 1
    existing = set(session.exec(select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_id == NEEDS_TAXONOMY_ID)).all())
    for code, name, description in NEEDS:
        if need_term_id(code) not in existing:
            session.add(
                TaxonomyTerm(
                    id=need_term_id(code), taxonomy_id=NEEDS_TAXONOMY_ID, code=code, name=name, description=description
                )
            )
            added += 1
    session.flush()
    return added
