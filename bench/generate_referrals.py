"""Add referrals at scale to a benchmark directory: one organisation's inbox, one link worker's list, and the rest.

    .venv/bin/python bench/generate_referrals.py --database-url URL [--total 50000] [--inbox 5000]
        [--link-worker 2000] [--users 1000] [--audit-rows 100000] [--seed 2026] [--today 2026-11-24]

The database must already hold a directory (bench/generate_directory.py, any size); it is migrated to the
newest revision first. Adds accounts (the three that the latency scripts sign in as, see BENCH_USERS, a staff
account for every organisation that gets referrals and 150 other link workers), residents,
referrals with their needs and events, ONS4 answers at the start and end of most completed referrals, and older
audit-log rows, bulk-inserted in batches with a commit per batch; then the insights' facts are derived as the
app's migration does, and, on PostgreSQL, VACUUM ANALYZE. Referrals are dated over the two years up to
`--today` (default: the current UTC day): unanswered ones are recent, open ones months old, closed ones from any
time. The same seed and day always give the same rows.

By default every organisation with a running service takes referrals (about 1,900 at 10,000 services, so about
2,050 accounts). `--users N` makes N accounts in all instead: the 3 benchmark accounts, the other link workers
and one staff account for each of N - 2 - 150 organisations, which are then the only ones that get referrals (the
rest are listed in the directory but do not take referrals through the service). They are drawn weighted by
their number of services, as larger organisations are likelier to take referrals; the benchmark inbox's
organisation is always one of them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

from generate_directory import NEED_WEIGHTS, analyze
from sqlalchemy import Engine, func, insert, text
from sqlmodel import Session, SQLModel, select
from werkzeug.security import generate_password_hash

from referral_app import migrations
from referral_app.db import make_engine
from referral_app.models import (
    CLOSED_STATUSES,
    ONS4_ITEMS,
    AgeBand,
    AuditLog,
    ConsentMethod,
    ContactMethod,
    DeclineReason,
    EventKind,
    Organization,
    OrganizationStatus,
    Outcome,
    OutcomeScore,
    OutcomeStage,
    PriorityGroup,
    Referral,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Role,
    Service,
    ServiceStatus,
    Urgency,
    User,
)
from referral_app.services import insight_facts

S = ReferralStatus
# Who the latency script signs in as: (email, role). The password is BENCH_PASSWORD.
BENCH_USERS = {
    "inbox": ("inbox@bench.example.org", Role.ORG_STAFF),
    "link_worker": ("linkworker@bench.example.org", Role.LINK_WORKER),
    "commissioner": ("commissioner@bench.example.org", Role.COMMISSIONER),
}
# Residents' postcode districts: Sheffield, Norfolk and mid Wales, so the insights break down by area.
OUTCODES = [f"S{n}" for n in range(1, 15)] + [f"NR{n}" for n in range(1, 35)] + ["LD1", "LD2", "LD6", "SY16", "SY18"]
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway benchmark database
OTHER_LINK_WORKERS = 150
SELF_REFERRAL_RATE = 0.08
REPEAT_RESIDENT_RATE = 0.25  # a link worker refers someone they referred before

# The path after "sent" that ends in each status (as the lifecycle allows), and how common each status is:
# about 10% waiting for an answer, 25% in progress, 65% closed.
PATHS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    S.SENT: (),
    S.ACCEPTED: (S.ACCEPTED,),
    S.CONTACTED: (S.ACCEPTED, S.CONTACTED),
    S.ATTENDED: (S.ACCEPTED, S.CONTACTED, S.ATTENDED),
    S.DECLINED: (S.DECLINED,),
    S.WITHDRAWN: (S.WITHDRAWN,),
    S.DID_NOT_ATTEND: (S.ACCEPTED, S.CONTACTED, S.DID_NOT_ATTEND),
    S.COMPLETED: (S.ACCEPTED, S.CONTACTED, S.ATTENDED, S.COMPLETED),
}
STATUS_WEIGHTS = {
    S.SENT: 10, S.ACCEPTED: 9, S.CONTACTED: 9, S.ATTENDED: 7,
    S.DECLINED: 14, S.WITHDRAWN: 6, S.DID_NOT_ATTEND: 10, S.COMPLETED: 35,
}  # fmt: skip
URGENCY_WEIGHTS = {Urgency.ROUTINE: 70, Urgency.SOON: 20, Urgency.URGENT: 10}
DECLINE_WEIGHTS = {
    DeclineReason.NO_CAPACITY: 35, DeclineReason.NOT_ELIGIBLE: 25, DeclineReason.NOT_SUITABLE: 15,
    DeclineReason.COULD_NOT_CONTACT: 20, DeclineReason.OTHER: 5,
}  # fmt: skip
# Preferred languages of residents (most English), and how often an interpreter is needed for the others.
RESIDENT_LANGUAGES = {
    "en": 70, "pl": 3, "ar": 4, "ur": 3, "ro": 3, "uk": 3, "fa": 2, "prs": 1, "ps": 1, "ckb": 1, "ti": 1,
    "so": 2, "sk": 1, "cs": 1, "bn": 2, "pa": 1, "pt": 1, "bfi": 1,
}  # fmt: skip
FIRST_NAMES = [
    "Ana", "Samir", "Grace", "Tom", "Mia", "Olena", "Dan", "Leyla", "Amir", "Beata", "Chloe", "Darius", "Ewa",
    "Fatima", "George", "Hana", "Ibrahim", "Jade", "Kasia", "Liam", "Maryam", "Nadia", "Oliver", "Priya", "Rhys",
    "Sofia", "Tariq", "Usha", "Viktor", "Wei", "Yusuf", "Zainab", "Aled", "Bethan", "Ceri", "Dafydd", "Elin",
    "Gareth", "Mohammed", "Aisha", "Jakub", "Marta", "Ionut", "Elena", "Abdi", "Hodan", "Senait", "Dawit",
]  # fmt: skip
LAST_NAMES = [
    "Lakatos", "Haidari", "Okafor", "Hale", "Clarke", "Kovalenko", "Moss", "Ahmed", "Khan", "Nowak", "Smith",
    "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Hughes", "Hussain", "Begum", "Ali", "Popescu",
    "Ionescu", "Shevchenko", "Bondar", "Mohamed", "Yusuf", "Tesfaye", "Haile", "Kaur", "Singh", "Patel", "Rahman",
    "Wilson", "Thomas", "Roberts", "Lewis", "Walker", "Wright", "Green", "Hall", "Wood", "Kowalski", "Horvath",
]  # fmt: skip
REASONS = [
    "Struggling to pay for food since the last benefit change.",
    "Feels very isolated since moving here; would like to meet people.",
    "Behind with rent and worried about a letter from the landlord.",
    "Low mood for months; on a waiting list for talking therapy.",
    "Wants to improve their English to find work.",
    "Needs help filling in a Universal Credit claim online.",
    "Cares for a parent and has no time for themselves.",
    "Would like to be more active but does not know where to start.",
    "Asylum claim refused; needs advice on what happens next.",
    "Energy bills doubled; using the heating only at night.",
]
NOTES = ["Left a voicemail.", "Sent a text in their language.", "Spoke to the link worker.", "Booked for Tuesday."]
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NEED_CODES = list(NEED_WEIGHTS)


class Generator:
    """Builds every row as a plain dict (for bulk inserts), drawing from one seeded random source."""

    def __init__(self, *, seed: int, now: datetime, link_workers: list[int], bench_link_worker: int):
        self.rng = random.Random(seed)  # noqa: S311 - test data, not security
        self.now = now
        self.link_workers = link_workers  # every link worker's id, the bench one first
        self.bench_link_worker = bench_link_worker
        self.rows: dict[type[SQLModel], list[dict]] = {model: [] for model in INSERT_ORDER}
        self.references: set[str] = set()
        self.residents_of: dict[int, list[uuid.UUID]] = defaultdict(list)  # a link worker's residents
        self.link_worker_weights = [self.rng.paretovariate(2.0) for _ in link_workers]
        self.referral_ids: list[tuple[uuid.UUID, uuid.UUID]] = []  # (referral, resident), for the audit rows
        # Its own random source, so that adding well-being answers left every other row as it was.
        self.outcome_rng = random.Random(seed + 1)  # noqa: S311

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def reference(self) -> str:
        while True:
            chars = "".join(self.rng.choices(REFERENCE_ALPHABET, k=8))
            reference = f"{chars[:4]}-{chars[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def resident(self, referrer: int | None, created_at: datetime) -> uuid.UUID:
        rng = self.rng
        known = self.residents_of[referrer] if referrer is not None else []
        if known and rng.random() < REPEAT_RESIDENT_RATE:
            return rng.choice(known)
        language = self.pick(RESIDENT_LANGUAGES)
        interpreter = language if language not in ("en", "bfi") and rng.random() < 0.6 else None
        deaf = language == "bfi"
        weights = {
            ContactMethod.SMS: 35, ContactMethod.EMAIL: 15, ContactMethod.PHONE: 35,
            ContactMethod.VIDEO_RELAY: 3 if deaf else 0, ContactMethod.RELAY_UK: 2 if deaf else 0,
            ContactMethod.LINK_WORKER: 12,
        }  # fmt: skip
        method = rng.choices(list(weights), weights=list(weights.values()))[0]
        resident_id = self.uid()
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        self.rows[Resident].append(
            dict(
                id=resident_id,
                name=f"{first} {last}",
                phone=f"07700 9{rng.randint(0, 99999):05d}",
                email=f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com" if rng.random() < 0.4 else None,
                contact_method=method,
                times_to_avoid="Not before 10am." if rng.random() < 0.1 else "",
                language=language,
                interpreter_language=interpreter,
                bsl_interpreter=language == "bfi" or rng.random() < 0.01,
                easy_read=rng.random() < 0.05,
                large_print=rng.random() < 0.04,
                other_communication="Please speak slowly." if rng.random() < 0.02 else "",
                outcode=rng.choice(OUTCODES),
                age_band=rng.choice(list(AgeBand)),
                priority_groups=" ".join(rng.sample(list(PriorityGroup), rng.choice((0, 0, 1, 1, 2)))),
                created_by_id=referrer,
                created_at=created_at,
                updated_at=created_at,
            )
        )
        if referrer is not None:
            known.append(resident_id)
        return resident_id

    def created_at(self, status: ReferralStatus) -> datetime:
        """Unanswered referrals are recent, open ones months old, closed ones from any time in two years."""
        rng = self.rng
        if status == S.SENT:
            days = min(rng.expovariate(1 / 6), 60)
        elif status in CLOSED_STATUSES:
            days = rng.uniform(2, 730)
        else:
            days = rng.uniform(1, 180)
        return self.now - timedelta(days=days, seconds=rng.randint(0, 3600))

    def referral(self, service: tuple[uuid.UUID, uuid.UUID], staff: int | None, referrer: int | None) -> None:
        rng = self.rng
        status = self.pick(STATUS_WEIGHTS)
        if referrer is None and status == S.WITHDRAWN:
            status = S.DECLINED  # a self-referral has no link worker to withdraw it
        created = self.created_at(status)
        resident_id = self.resident(referrer, created)
        referral_id = self.uid()
        self.referral_ids.append((referral_id, resident_id))
        path = PATHS[status]
        decline_reason = self.pick(DECLINE_WEIGHTS) if status == S.DECLINED else None
        created_event = dict(at=created, kind=EventKind.CREATED, to_status=S.SENT, actor_id=referrer)
        events = [created_event | {"by_resident": referrer is None}]
        at, previous, answered, closed = created, S.SENT, None, None
        room = (self.now - created) / 6  # at most 5 steps after the first event: all before today
        for to_status in path:
            at = at + min(timedelta(days=rng.uniform(0.2, 12)), room)
            by_referrer = to_status == S.WITHDRAWN
            events.append(
                dict(
                    at=at,
                    kind=EventKind.STATUS,
                    from_status=previous,
                    to_status=to_status,
                    actor_id=referrer if by_referrer else staff,
                    decline_reason=decline_reason if to_status == S.DECLINED else None,
                )
            )
            if to_status in (S.ACCEPTED, S.DECLINED) and answered is None:
                answered = at
            if to_status in CLOSED_STATUSES:
                closed = at
            previous = to_status
        for _ in range(rng.randint(1, 6) - len(events)):  # notes, up to 1-6 events in all
            at = at + min(timedelta(hours=rng.uniform(1, 72)), room)
            events.append(dict(at=at, kind=EventKind.NOTE, actor_id=staff, note=rng.choice(NOTES)))
        self.rows[Referral].append(
            dict(
                id=referral_id,
                reference=self.reference(),
                resident_id=resident_id,
                service_id=service[0],
                organization_id=service[1],
                referrer_id=referrer,
                reason=rng.choice(REASONS),
                urgency=self.pick(URGENCY_WEIGHTS),
                status=status,
                decline_reason=decline_reason,
                version=1 + len(path),
                consent_by="the resident",
                consent_method=ConsentMethod.ONLINE if referrer is None else rng.choice(list(ConsentMethod)[:5]),
                consent_recorded_by_id=referrer,
                consent_at=created,
                locale="en",
                created_at=created,
                updated_at=at,
                answered_at=answered,
                closed_at=closed,
            )
        )
        for need in rng.sample(NEED_CODES, rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
            self.rows[ReferralNeed].append(dict(referral_id=referral_id, need=need))
        if status == S.COMPLETED and self.outcome_rng.random() < 0.7:
            self.wellbeing(referral_id, created, closed)
        for event in events:
            self.rows[ReferralEvent].append(
                {"from_status": None, "to_status": None, "decline_reason": None, "note": "", "by_resident": False}
                | event
                | {"referral_id": referral_id}
            )

    def wellbeing(self, referral_id: uuid.UUID, started: datetime, finished: datetime) -> None:
        """ONS4 answered at the start and at the end (0 to 10; most people a little better)."""
        rng = self.outcome_rng
        for stage, at in ((OutcomeStage.BASELINE, started), (OutcomeStage.FOLLOW_UP, finished)):
            outcome_id = len(self.rows[Outcome]) + 1
            self.rows[Outcome].append(
                dict(id=outcome_id, referral_id=referral_id, measure_code="ons4", stage=stage, recorded_at=at,
                     recorded_by_id=None, by_resident=True)
            )  # fmt: skip
            lift = 0 if stage == OutcomeStage.BASELINE else rng.choice((-1, 0, 1, 1, 2))
            for item in ONS4_ITEMS:
                value = min(10, max(0, rng.randint(3, 7) + (-lift if item == "anxiety" else lift)))
                self.rows[OutcomeScore].append(dict(outcome_id=outcome_id, item_code=item, value=value))

    def other_link_worker(self) -> int:
        return self.rng.choices(self.link_workers[1:], weights=self.link_worker_weights[1:])[0]

    def audit_rows(self, count: int, users: list[int]) -> None:
        """Older reads of residents' data: what the audit log holds by the time the app has been used a while."""
        rng = self.rng
        for _ in range(count):
            referral_id, resident_id = rng.choice(self.referral_ids)
            self.rows[AuditLog].append(
                dict(
                    at=self.now - timedelta(days=rng.uniform(0, 730)),
                    user_id=rng.choice(users),
                    action=rng.choice(("listed_referral", "listed_referral", "listed_referral", "viewed_referral")),
                    resident_id=resident_id,
                    referral_id=referral_id,
                    remote_address="127.0.0.1",
                    path=f"/referrals/{referral_id}",
                )
            )


# Parents before children, so every batch satisfies the foreign keys.
INSERT_ORDER: list[type[SQLModel]] = [Resident, Referral, ReferralNeed, ReferralEvent, Outcome, OutcomeScore, AuditLog]


def referable_services(session: Session) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each approved organisation's running services, as a link worker can refer to them."""
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for service_id, organization_id in session.exec(
        select(Service.id, Service.organization_id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(
            Organization.status == OrganizationStatus.APPROVED,
            Service.status.in_((ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)),
        )
        .order_by(Service.organization_id, Service.id)
    ).all():
        found[organization_id].append(service_id)
    return found


def receiving_organisations(
    services: dict[uuid.UUID, list[uuid.UUID]], inbox_org: uuid.UUID, *, count: int, seed: int
) -> list[uuid.UUID]:
    """`count` organisations that take referrals, the inbox's among them, drawn weighted by their services."""
    organisations = sorted(services)
    if count >= len(organisations):
        return organisations
    rng = random.Random(seed + 2)  # noqa: S311 - its own source: the default data stays as it was
    # Weighted sampling without replacement (Efraimidis and Spirakis): the `count` largest u ** (1 / weight).
    keys = {org: rng.random() ** (1 / len(services[org])) for org in organisations if org != inbox_org}
    chosen = sorted(keys, key=keys.__getitem__, reverse=True)[: count - 1]
    return sorted([inbox_org, *chosen])


def add_users(session: Session, organisations: list[uuid.UUID], inbox_org: uuid.UUID) -> dict[str, int]:
    """The three bench accounts, a staff account for each organisation, other link workers; returns email -> id."""
    password_hash = generate_password_hash(BENCH_PASSWORD)
    rows = [
        dict(email=BENCH_USERS["inbox"][0], name="Inbox Bench", role=Role.ORG_STAFF, organization_id=inbox_org),
        dict(email=BENCH_USERS["link_worker"][0], name="Link Worker Bench", role=Role.LINK_WORKER),
        dict(email=BENCH_USERS["commissioner"][0], name="Commissioner Bench", role=Role.COMMISSIONER),
    ]
    rows += [
        dict(email=f"staff{number}@bench.example.org", name=f"Staff {number}", role=Role.ORG_STAFF, organization_id=org)
        for number, org in enumerate(organisations)
        if org != inbox_org
    ]
    rows += [
        dict(email=f"linkworker{number}@bench.example.org", name=f"Link worker {number}", role=Role.LINK_WORKER)
        for number in range(OTHER_LINK_WORKERS)
    ]
    for row in rows:
        row.update(password_hash=password_hash, active=True)
        row.setdefault("organization_id", None)
    session.bulk_insert_mappings(User, rows)
    session.commit()
    return dict(session.exec(select(User.email, User.id).where(User.email.like("%@bench.example.org"))).all())


def build(session: Session, args) -> tuple[Generator, uuid.UUID, dict]:
    rng = random.Random(args.seed + 1)  # noqa: S311 - which organisations, not a secret
    services = referable_services(session)
    if not services:
        sys.exit("no referable services: generate the directory first (bench/generate_directory.py)")
    # The inbox belongs to the organisation with the most services (a large charity); ties by id.
    inbox_org = max(services, key=lambda org: (len(services[org]), str(org)))
    if args.users is None:
        organisations = sorted(services)
    else:
        organisations = receiving_organisations(
            services, inbox_org, count=args.users - len(BENCH_USERS) + 1 - OTHER_LINK_WORKERS, seed=args.seed
        )
    users = add_users(session, organisations, inbox_org)
    staff_of = {
        org: users[BENCH_USERS["inbox"][0] if org == inbox_org else f"staff{number}@bench.example.org"]
        for number, org in enumerate(organisations)
    }
    bench_worker = users[BENCH_USERS["link_worker"][0]]
    others = [users[f"linkworker{number}@bench.example.org"] for number in range(OTHER_LINK_WORKERS)]
    now = datetime.combine(args.today, datetime.min.time(), tzinfo=UTC)  # midnight: nothing in the future
    generator = Generator(seed=args.seed, now=now, link_workers=[bench_worker, *others], bench_link_worker=bench_worker)

    def to(org: uuid.UUID, referrer: int | None) -> None:
        generator.referral((rng.choice(services[org]), org), staff_of[org], referrer)

    background = [org for org in organisations if org != inbox_org]
    org_weights = [len(services[org]) * rng.paretovariate(1.5) for org in background]
    # The bench link worker: most referrals to many other organisations, a few to the inbox organisation.
    to_inbox_from_bench = min(args.inbox, max(1, args.link_worker // 50))
    for org in rng.choices(background, weights=org_weights, k=args.link_worker - to_inbox_from_bench):
        to(org, bench_worker)
    for _ in range(to_inbox_from_bench):
        to(inbox_org, bench_worker)
    # The rest of the inbox: other link workers, and residents referring themselves.
    for _ in range(args.inbox - to_inbox_from_bench):
        to(inbox_org, None if rng.random() < SELF_REFERRAL_RATE else generator.other_link_worker())
    # Everyone else's referrals to every other organisation.
    rest = max(0, args.total - args.inbox - args.link_worker + to_inbox_from_bench)
    for org in rng.choices(background, weights=org_weights, k=rest):
        to(org, None if rng.random() < SELF_REFERRAL_RATE else generator.other_link_worker())
    generator.audit_rows(args.audit_rows, [*staff_of.values(), bench_worker, *others])
    facts = {
        "inbox organisation": f"{session.get(Organization, inbox_org).name} ({inbox_org})",
        "inbox referrals": sum(1 for r in generator.rows[Referral] if r["organization_id"] == inbox_org),
        "link worker referrals": sum(1 for r in generator.rows[Referral] if r["referrer_id"] == bench_worker),
        "link worker organisations": len(
            {r["organization_id"] for r in generator.rows[Referral] if r["referrer_id"] == bench_worker}
        ),
        "users": len(users),
        "organisations taking referrals": f"{len(organisations)} of {len(services)} with a running service",
    }
    return generator, inbox_org, facts


def insert_all(engine: Engine, generator: Generator, *, batch: int) -> Counter:
    """Core INSERTs (executemany), a commit per batch: several times faster than the ORM's bulk methods here."""
    counts: Counter = Counter()
    for model in INSERT_ORDER:
        rows = generator.rows[model]
        for start in range(0, len(rows), batch):
            with engine.begin() as connection:
                connection.execute(insert(model.__table__), rows[start : start + batch])
        counts[model.__tablename__] = len(rows)
    return counts


def status_mix(rows: list[dict], key: str, value) -> str:
    counts = Counter(row["status"] for row in rows if row[key] == value)
    total = sum(counts.values())
    tabs = {
        "new": counts[S.SENT],
        "in progress": counts[S.ACCEPTED] + counts[S.CONTACTED] + counts[S.ATTENDED],
        "closed": sum(counts[status] for status in CLOSED_STATUSES),
    }
    return ", ".join(f"{tab} {n} ({n / total:.0%})" for tab, n in tabs.items())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--total", type=int, default=50_000, help="referrals in all")
    parser.add_argument("--inbox", type=int, default=5_000, help="referrals to the benchmark organisation")
    parser.add_argument("--link-worker", type=int, default=2_000, help="referrals by the benchmark link worker")
    parser.add_argument(
        "--users",
        type=int,
        help="accounts in all (only organisations with a staff account get referrals);"
        " default: a staff account for every organisation with a running service",
    )
    parser.add_argument("--audit-rows", type=int, default=100_000, help="older audit-log rows")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=date.fromisoformat, default=datetime.now(UTC).date())
    parser.add_argument("--batch", type=int, default=2000, help="rows per insert batch (one commit each)")
    args = parser.parse_args(argv)
    smallest = len(BENCH_USERS) + OTHER_LINK_WORKERS + 1
    if args.users is not None and args.users < smallest:
        parser.error(f"--users must be at least {smallest}: the benchmark accounts, the link workers, one more staff")
    started = time.perf_counter()

    engine = make_engine(args.database_url)
    migrations.upgrade(engine)
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(Referral)).one():
            sys.exit(f"{args.database_url} already holds referrals: use a database with a directory only")
        migrated = time.perf_counter()
        generator, inbox_org, facts = build(session, args)
    built = time.perf_counter()
    counts = insert_all(engine, generator, batch=args.batch)
    inserted = time.perf_counter()
    with Session(engine) as session:  # rows inserted in bulk: derive the insights' facts as the app's migration does
        insight_facts.rebuild(session)
        if engine.dialect.name == "postgresql":  # outcome ids were given, not drawn: move the sequence past them
            session.execute(text("SELECT setval(pg_get_serial_sequence('outcome', 'id'), max(id)) FROM outcome"))
        session.commit()
    derived = time.perf_counter()
    if engine.dialect.name == "postgresql":
        analyze(engine)
    engine.dispose()
    done = time.perf_counter()

    referrals = generator.rows[Referral]
    print("rows:", ", ".join(f"{table} {count}" for table, count in counts.items()), file=sys.stderr)
    for name, value in facts.items():
        print(f"{name}: {value}", file=sys.stderr)
    print("inbox tabs:", status_mix(referrals, "organization_id", inbox_org), file=sys.stderr)
    print("link worker tabs:", status_mix(referrals, "referrer_id", generator.bench_link_worker), file=sys.stderr)
    print(
        f"timings: migrate {migrated - started:.1f}s, generate {built - migrated:.1f}s,"
        f" insert {inserted - built:.1f}s, insight facts {derived - inserted:.1f}s, analyze {done - derived:.1f}s,"
        f" total {done - started:.1f}s",
        file=sys.stderr,
    )
    print(args.database_url)


if __name__ == "__main__":
    main()
