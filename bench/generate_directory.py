"""Generate a realistic directory at scale (default 10,000 services, 2,000 organisations) for benchmarks.

    .venv/bin/python bench/generate_directory.py --services 10000 [--database-url URL] [--seed 2026] [--replace]
        [--analyze]

The database is migrated from empty, gets the needs taxonomy, then organisations, venues around real UK postcode
districts (some dense), services, schedules, languages, needs, translations (cy, ar) and accessibility features,
bulk-inserted in batches of `--batch` rows with a commit per batch; then the full-text index is built and, on
PostgreSQL, VACUUM ANALYZE is run (SQLite: ANALYZE only with --analyze). The same `--seed` always gives the
same directory. Prints the database URL.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from sqlalchemy import Engine, func, inspect
from sqlmodel import Session, SQLModel, select
from wordlists import (
    ACCESSIBILITY_RATES,
    APPLICATION_PROCESSES,
    ARABIC_NAMES,
    ARABIC_SENTENCES,
    AREA_WORDS,
    AUDIENCES,
    DAY_PATTERNS,
    DENSE_DISTRICTS,
    ELIGIBILITY,
    GENERIC_SENTENCES,
    LANGUAGE_NAMES,
    LANGUAGE_RATES,
    NEED_NAMES,
    NEED_SENTENCES,
    ORG_SENTENCES,
    ORG_TYPES,
    PERIODS,
    SCHEDULE_NOTES,
    STREETS,
    VENUE_KINDS,
    WALES_PREFIXES,
    WELSH_NAMES,
    WELSH_SENTENCES,
)

from referral_app import migrations
from referral_app.db import make_engine
from referral_app.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationTranslation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTranslation,
)
from referral_app.services.postcodes import OUTCODES_CSV
from referral_app.services.search_index import refresh_search_documents
from referral_app.services.taxonomy import NEEDS, ensure_needs_taxonomy, need_term_id

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)  # fixed, so that a seed always gives the same rows
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code can use
NEED_CODES = [code for code, _name, _description in NEEDS]
# Some needs are far more common than others among community services.
NEED_WEIGHTS = {
    "food": 10, "money": 10, "mental_health": 10, "loneliness": 8, "family": 8, "housing": 7, "physical_activity": 6,
    "employment": 6, "english_language": 5, "immigration": 4, "digital": 4, "physical_health": 4, "arts_culture": 4,
    "carers": 3, "legal_advice": 3, "substance_use": 3, "domestic_abuse": 2, "deaf_community": 2,
}  # fmt: skip
STATUSES = [(ServiceStatus.ACTIVE, 90), (ServiceStatus.TEMPORARILY_CLOSED, 4), (ServiceStatus.INACTIVE, 4),
            (ServiceStatus.DEFUNCT, 2)]  # fmt: skip


def default_url(services: int, seed: int) -> str:
    return f"sqlite:///{DATA_DIR / f'directory-{services}-seed{seed}.sqlite'}"


def load_districts() -> list[tuple[str, float, float, int]]:
    with OUTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            (row["outcode"], float(row["latitude"]), float(row["longitude"]), int(row["postcode_count"]))
            for row in csv.DictReader(handle)
        ]


class Generator:
    """Builds every row as a plain dict (for bulk inserts), drawing from one seeded random source."""

    def __init__(self, *, services: int, organisations: int, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - test data, not security
        self.n_services = services
        self.n_orgs = organisations
        self.districts = load_districts()
        self.by_outcode = {d[0]: d for d in self.districts}
        self.rows: dict[type[SQLModel], list[dict]] = {model: [] for model in INSERT_ORDER}
        self.service_ids: list[uuid.UUID] = []

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, model: type[SQLModel], **values) -> dict:
        self.rows[model].append(values)
        return values

    def home_district(self) -> tuple[str, float, float, int]:
        """45% of organisations sit in a few dense districts, the rest anywhere (weighted by postcodes)."""
        if self.rng.random() < 0.45:
            return self.by_outcode[self.rng.choice(DENSE_DISTRICTS)]
        return self.rng.choices(self.districts, weights=[d[3] for d in self.districts])[0]

    def services_per_org(self) -> list[int]:
        """At least one each; the rest spread unevenly (a few large charities, many small groups)."""
        counts = [1] * self.n_orgs
        weights = [self.rng.paretovariate(1.6) for _ in range(self.n_orgs)]
        for index in self.rng.choices(range(self.n_orgs), weights=weights, k=self.n_services - self.n_orgs):
            counts[index] += 1
        return counts

    def build(self) -> None:
        for n_services in self.services_per_org():
            self.organisation(n_services)

    def organisation(self, n_services: int) -> None:
        rng = self.rng
        outcode, lat, lon, _count = self.home_district()
        welsh = outcode.startswith(WALES_PREFIXES)
        area = rng.choice(AREA_WORDS)
        name = f"{area} {rng.choice(ORG_TYPES)}"
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:40]
        org_id = self.uid()
        self.add(
            Organization,
            id=org_id,
            name=name,
            description=" ".join(rng.sample(ORG_SENTENCES, 2)).format(year=rng.randint(1975, 2022)),
            email=f"hello@{slug}.example.org",
            website=f"https://{slug}.example.org",
            status=OrganizationStatus.PENDING if rng.random() < 0.03 else OrganizationStatus.APPROVED,
            created_at=NOW - timedelta(days=rng.randint(30, 900)),
            updated_at=NOW - timedelta(days=rng.randint(0, 29)),
        )
        if welsh and rng.random() < 0.6:
            self.add(
                OrganizationTranslation,
                organization_id=org_id,
                locale="cy",
                name=f"{area} (Cymraeg)",
                description=" ".join(rng.sample(WELSH_SENTENCES, 2)),
            )
        venues = [self.venue(org_id, outcode, lat, lon, area) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
        for _ in range(n_services):
            self.service(org_id, outcode, area, welsh, venues)

    def venue(self, org_id: uuid.UUID, outcode: str, lat: float, lon: float, area: str) -> uuid.UUID:
        rng = self.rng
        location_id = self.uid()
        self.add(
            Location,
            id=location_id,
            organization_id=org_id,
            location_type="physical",
            name=f"{area} {rng.choice(VENUE_KINDS)}",
            latitude=round(lat + rng.gauss(0, 0.012), 6),
            longitude=round(lon + rng.gauss(0, 0.02), 6),
        )
        self.add(
            Address,
            id=self.uid(),
            location_id=location_id,
            address_1=f"{rng.randint(1, 220)} {rng.choice(STREETS)}",
            city=area,
            state_province="",
            postal_code=f"{outcode} {rng.randint(1, 9)}{''.join(rng.choices(INWARD_LETTERS, k=2))}",
            country="GB",
            address_type="physical",
        )
        for feature, rate in ACCESSIBILITY_RATES.items():
            if rng.random() < rate:
                self.add(Accessibility, id=self.uid(), location_id=location_id, feature=feature)
        return location_id

    def service(self, org_id, outcode: str, area: str, welsh: bool, venues: list[uuid.UUID]) -> None:
        rng = self.rng
        needs = self.needs()
        primary = needs[0]
        name = rng.choice(NEED_NAMES[primary])
        if rng.random() < 0.35:
            name = f"{rng.choice(AUDIENCES)} {name}"
        if rng.random() < 0.5:
            name = f"{area} {name}"
        languages = self.languages(welsh, primary)
        sentences = rng.sample(NEED_SENTENCES[primary], 2) + [rng.choice(NEED_SENTENCES[n]) for n in needs[1:]]
        sentences += rng.sample(GENERIC_SENTENCES, rng.randint(1, 2))
        spoken = [LANGUAGE_NAMES[c] for c in languages if c not in ("en", "bfi")]
        if spoken:
            sentences.append(f"Staff and volunteers speak {', '.join(spoken)}.")
        minimum_age, maximum_age = self.ages(primary)
        free = rng.random() < 0.85
        in_person = rng.random() < 0.85
        online, by_phone = rng.random() < 0.3, rng.random() < 0.35
        service_id = self.uid()
        self.service_ids.append(service_id)
        self.add(
            Service,
            id=service_id,
            organization_id=org_id,
            name=name,
            description=" ".join(sentences),
            url=f"https://services.example.org/{service_id.hex[:12]}",
            email=None,
            status=rng.choices([s for s, _w in STATUSES], weights=[w for _s, w in STATUSES])[0],
            application_process=rng.choice(APPLICATION_PROCESSES),
            eligibility_description=rng.choice(ELIGIBILITY).format(outcode=outcode),
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            is_free=free,
            bsl_staff=primary == "deaf_community" or rng.random() < 0.02,
            bsl_interpreter=rng.random() < 0.08,
            in_person=in_person,
            online=online,
            by_phone=by_phone or not (in_person or online),
            last_verified_on=(NOW - timedelta(days=rng.randint(0, 540))).date(),
            created_at=NOW - timedelta(days=rng.randint(30, 900)),
            updated_at=NOW - timedelta(days=rng.randint(0, 29)),
        )
        at_ids = []
        if in_person:
            for location_id in rng.sample(venues, min(len(venues), rng.choice((1, 1, 1, 1, 2)))):
                at_ids.append(self.uid())
                self.add(ServiceAtLocation, id=at_ids[-1], service_id=service_id, location_id=location_id)
        self.schedules(service_id, at_ids)
        for code in languages:
            self.add(Language, id=self.uid(), service_id=service_id, code=code, name=LANGUAGE_NAMES[code])
        for code in needs:
            self.add(
                Attribute,
                id=self.uid(),
                link_id=service_id,
                link_type="service",
                link_entity="service",
                taxonomy_term_id=need_term_id(code),
            )
        if not free:
            amount = rng.choice((1.0, 2.0, 2.5, 3.0, 5.0))
            self.add(
                CostOption,
                id=self.uid(),
                service_id=service_id,
                option="Per session",
                amount=amount,
                amount_description=f"£{amount:.2f} a session",
            )
        self.add(ServiceArea, id=self.uid(), service_id=service_id, name=f"{area} ({outcode})", outcode=outcode)
        if (welsh and rng.random() < 0.6) or rng.random() < 0.02:
            self.translation(service_id, "cy", WELSH_NAMES[primary], WELSH_SENTENCES)
        if "ar" in languages or rng.random() < 0.03:
            self.translation(service_id, "ar", ARABIC_NAMES[primary], ARABIC_SENTENCES)

    def needs(self) -> list[str]:
        count = self.rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        chosen: list[str] = []
        while len(chosen) < count:
            code = self.rng.choices(NEED_CODES, weights=[NEED_WEIGHTS[c] for c in NEED_CODES])[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def languages(self, welsh: bool, primary: str) -> list[str]:
        rng = self.rng
        codes = ["en"] if rng.random() < 0.97 else []
        for code, rate in LANGUAGE_RATES.items():
            if code == "cy" and welsh:
                rate = 0.55
            if code == "bfi" and primary == "deaf_community":
                rate = 1.0
            if rng.random() < rate:
                codes.append(code)
        return codes or ["en"]

    def ages(self, primary: str) -> tuple[int | None, int | None]:
        roll = self.rng.random()
        if primary == "family" or roll < 0.12:
            return self.rng.choice(((11, 25), (13, 19), (16, 25), (0, 11), (None, 18)))
        if roll < 0.25:
            return 18, None
        if roll < 0.32:
            return self.rng.choice((50, 60, 65)), None
        return None, None

    def schedules(self, service_id: uuid.UUID, at_ids: list[uuid.UUID]) -> None:
        rng = self.rng
        for _ in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
            opens, closes = rng.choice(PERIODS)
            at_location = at_ids and rng.random() < 0.3
            self.add(
                Schedule,
                id=self.uid(),
                service_id=None if at_location else service_id,
                service_at_location_id=rng.choice(at_ids) if at_location else None,
                freq="WEEKLY",
                byday=rng.choice(DAY_PATTERNS),
                opens_at=clock.fromisoformat(opens),
                closes_at=clock.fromisoformat(closes),
                notes=rng.choice(SCHEDULE_NOTES) if rng.random() < 0.15 else None,
            )

    def translation(self, service_id: uuid.UUID, locale: str, name: str, sentences: list[str]) -> None:
        self.add(
            ServiceTranslation,
            service_id=service_id,
            locale=locale,
            name=name,
            description=" ".join(self.rng.sample(sentences, 3)),
            application_process=sentences[1],
            eligibility_description="",
        )


# Parents before children, so every batch satisfies the foreign keys.
INSERT_ORDER: list[type[SQLModel]] = [
    Organization, OrganizationTranslation, Location, Address, Accessibility, Service, ServiceTranslation,
    ServiceAtLocation, Schedule, Language, Attribute, CostOption, ServiceArea,
]  # fmt: skip


def prepare_database(url: str, *, replace: bool) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if path.exists() and not replace:
            sys.exit(f"{path} exists: pass --replace to overwrite it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    if "service" in inspect(engine).get_table_names():
        with Session(engine) as session:
            if session.exec(select(func.count()).select_from(Service)).one():
                sys.exit(f"{url} already holds services: use an empty database")
    migrations.upgrade(engine)
    with Session(engine) as session:
        ensure_needs_taxonomy(session=session)
        session.commit()
    return engine


def insert_all(engine: Engine, generator: Generator, *, batch: int) -> Counter:
    counts: Counter = Counter()
    with Session(engine) as session:
        for model in INSERT_ORDER:
            rows = generator.rows[model]
            for start in range(0, len(rows), batch):
                session.bulk_insert_mappings(model, rows[start : start + batch])
                session.commit()
            counts[model.__tablename__] = len(rows)
    return counts


def build_search_index(engine: Engine, service_ids: list[uuid.UUID], *, batch: int) -> None:
    with Session(engine) as session:
        for start in range(0, len(service_ids), batch):
            refresh_search_documents(session=session, service_ids=service_ids[start : start + batch])
            session.commit()


def analyze(engine: Engine) -> None:
    """Planner statistics; on PostgreSQL also what autovacuum does within a minute or so of a bulk load.

    ANALYZE is what matters: with no column statistics the plans are poor whatever the indexes. The GIN index no
    longer needs the VACUUM (migration 0004 makes it with fastupdate = off, so loaded rows wait in no pending
    list; see bench/RESULTS.md, problem 3). SQLite gets ANALYZE only with --analyze: the app never runs it.
    """
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(statement)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, help="default: services / 5")
    parser.add_argument("--database-url", help="default: a new SQLite file under bench/.data/")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=1000, help="rows per insert batch (one commit each)")
    parser.add_argument("--replace", action="store_true", help="overwrite the SQLite file if it exists")
    parser.add_argument("--analyze", action="store_true", help="also ANALYZE a SQLite database (PostgreSQL always)")
    args = parser.parse_args(argv)
    url = args.database_url or default_url(args.services, args.seed)
    started = time.perf_counter()

    engine = prepare_database(url, replace=args.replace)
    migrated = time.perf_counter()
    generator = Generator(
        services=args.services, organisations=args.organisations or args.services // 5, seed=args.seed
    )
    generator.build()
    built = time.perf_counter()
    counts = insert_all(engine, generator, batch=args.batch)
    inserted = time.perf_counter()
    build_search_index(engine, generator.service_ids, batch=args.batch)
    indexed = time.perf_counter()
    if engine.dialect.name == "postgresql" or args.analyze:
        analyze(engine)
    engine.dispose()
    done = time.perf_counter()

    print("rows:", ", ".join(f"{table} {count}" for table, count in counts.items()), file=sys.stderr)
    print(
        f"timings: migrate {migrated - started:.1f}s, generate {built - migrated:.1f}s, insert {inserted - built:.1f}s,"
        f" search index {indexed - inserted:.1f}s, analyze {done - indexed:.1f}s, total {done - started:.1f}s",
        file=sys.stderr,
    )
    print(url)


if __name__ == "__main__":
    main()
