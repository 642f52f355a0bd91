"""Demonstration searches for the gap views (services/insight_gaps.py), added with the insights' demo history.

Fictional and anonymous, like the searches in `demo_insights`, with patterns to find on purpose:
- people choosing a need near districts where no service offers it: domestic abuse on the coast and in Powys,
  immigration advice in Powys, the Deaf community outside Sheffield;
- searches that find nothing, in Polish near Great Yarmouth, in Arabic in Page Hall and in Welsh in Powys, each
  repeated enough to be shown (some with other capitals or spaces), and a few one-off words that never are;
- more searches from rural Powys, in BSL and in Tigrinya than their referrals would suggest.
Listings checked more than a year ago and listings without translations are in the demo directory already.
Seeded, so every load adds the same searches; `demo_data` adds them only with the history, so once.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from sqlmodel import Session

from referral_app.models import SearchLog
from referral_app.models._types import utcnow

# (need chosen, districts, interface language, how many searches); services near there are found elsewhere.
NEED_GAPS = [
    ("domestic_abuse", ("NR30", "NR31", "LD1", "SY16"), "en", 48),
    ("immigration", ("SY16", "LD1"), "en", 20),
    ("immigration", ("SY16",), "ar", 6),
    ("deaf_community", ("LD1", "LD6", "NR30"), "bfi", 24),
    ("mental_health", ("NR30", "NR31"), "en", 30),
]
# Needs people choose everywhere, and how often.
NEEDS_EVERYWHERE = {"food": 30, "money": 20, "housing": 20, "loneliness": 15, "employment": 10, "family": 10}
DISTRICTS = ("S3", "S4", "S5", "NR30", "NR31", "LD1", "LD6", "SY16", "SY18")
# (words as typed, district, interface language, how many times): each finds nothing.
NOTHING_FOUND = [
    ("tłumacz", "NR30", "pl", 5),
    ("Tłumacz", "NR30", "pl", 2),
    (" TŁUMACZ ", "NR31", "pl", 1),
    ("مساعدة قانونية", "S4", "ar", 7),
    ("cymorth iechyd meddwl", "LD1", "cy", 4),
    ("Cymorth iechyd meddwl", "SY18", "cy", 3),
    ("bsl interpreter", "LD6", "bfi", 6),
    ("sewing group", "S5", "en", 2),
    ("allotment", "SY16", "en", 1),
    ("chess club", "NR31", "en", 3),
]
# More searches than referrals: rural Powys, and people reading the directory in BSL or Tigrinya.
BUSY_SEARCHERS = [
    (("LD6", "SY18", "SY16"), "en", ("food bank", "warm space", "transport", "carers"), 60),
    (("S3", "S4"), "bfi", ("deaf club", "bsl", "counselling"), 40),
    (("S4", "S5"), "ti", ("english classes", "immigration advice", "housing"), 60),
]


def load_demo_gaps(*, session: Session, now: datetime | None = None) -> int:
    """Add the demonstration searches; returns how many."""
    now = now or utcnow()
    rng = random.Random(6)  # noqa: S311 - a repeatable demo, nothing secret
    searches: list[SearchLog] = []

    def add(*, outcode: str, locale: str, terms: str = "", need: str | None = None, results: int) -> None:
        searches.append(
            SearchLog(
                created_at=now - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 23)),
                terms=terms,
                filters=json.dumps({"need": need} if need else {}, sort_keys=True),
                outcode=outcode,
                locale=locale,
                result_count=results,
            )
        )

    for need, districts, locale, count in NEED_GAPS:
        for _ in range(count):
            add(outcode=rng.choice(districts), locale=locale, need=need, results=rng.randint(1, 6))
    for need, count in NEEDS_EVERYWHERE.items():
        for _ in range(count):
            add(outcode=rng.choice(DISTRICTS), locale="en", need=need, results=rng.randint(2, 15))
    for terms, outcode, locale, count in NOTHING_FOUND:
        for _ in range(count):
            add(outcode=outcode, locale=locale, terms=terms, results=0)
    for districts, locale, words, count in BUSY_SEARCHERS:
        for _ in range(count):
            add(outcode=rng.choice(districts), locale=locale, terms=rng.choice(words), results=rng.randint(1, 12))
    session.add_all(searches)
    session.flush()
    return len(searches)
