"""transition(): every change in the table for the right party, refused for everyone else; impossible changes,
stale versions and missing reasons refused; the trail each change leaves; consent withdrawn; notes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from referral_app.models import (
    CLOSED_STATUSES,
    DeclineReason,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Role,
    Service,
    User,
)
from referral_app.services import referral_lifecycle
from referral_app.services.referral_lifecycle import (
    TRANSITIONS,
    Actor,
    ImpossibleTransition,
    MissingDeclineReason,
    NotAllowed,
    Party,
    ReferralNotFound,
    StaleVersion,
    transition,
)
from tests.factories import make_account, make_organization, make_referral, make_service

S = ReferralStatus
NOW = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
OPEN = (S.SENT, S.ACCEPTED, S.CONTACTED, S.ATTENDED)
IMPOSSIBLE = [pair for pair in itertools.product(S, S) if pair not in TRANSITIONS]
STRANGERS = (
    "other_staff",
    "other_link_worker",
    "commissioner",
    "staff_without_organisation",
    "inactive_staff",
    "nobody",
)


def pair_id(pair) -> str:
    return f"{pair[0].value}->{pair[1].value}"


# Each change with each party allowed to make it; admins may make any change that exists.
ALLOWED = [(pair, party) for pair, allowed in TRANSITIONS.items() for party in sorted({*allowed, Party.ADMIN})]
# Each change with each party to the referral who may not make it.
REFUSED = [
    (pair, party)
    for pair, allowed in TRANSITIONS.items()
    for party in (Party.ORGANISATION, Party.REFERRER, Party.RESIDENT)
    if party not in allowed
]


@dataclass
class Cast:
    """A referral's parties, and people who have no business with it."""

    session: Session
    service: Service
    staff: User
    referrer: User
    admin: User
    other_staff: User
    other_link_worker: User
    commissioner: User
    staff_without_organisation: User
    inactive_staff: User

    def actor(self, who: Party | str) -> Actor:
        if who == Party.RESIDENT:
            return Actor(resident=True)
        if who == "nobody":
            return Actor()
        user = {Party.ORGANISATION: self.staff, Party.REFERRER: self.referrer, Party.ADMIN: self.admin}.get(who)
        return Actor(user=user or getattr(self, who))

    def referral(self, status: ReferralStatus = S.SENT) -> Referral:
        return make_referral(self.session, service=self.service, referrer=self.referrer, status=status)

    def events(self, referral: Referral) -> list[ReferralEvent]:
        return list(self.session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)).all())


@pytest.fixture
def cast(db_session, services_app) -> Iterator[Cast]:
    organization = make_organization(db_session)
    with services_app.app_context():  # notifications of answers are written in the reader's language
        yield Cast(
            session=db_session,
            service=make_service(db_session, organization=organization),
            staff=make_account(db_session, role=Role.ORG_STAFF, organization=organization),
            referrer=make_account(db_session, role=Role.LINK_WORKER),
            admin=make_account(db_session, role=Role.ADMIN),
            other_staff=make_account(db_session, role=Role.ORG_STAFF),
            other_link_worker=make_account(db_session, role=Role.LINK_WORKER),
            commissioner=make_account(db_session, role=Role.COMMISSIONER),
            staff_without_organisation=make_account(db_session, role=Role.ORG_STAFF, organization_id=None),
            inactive_staff=make_account(db_session, role=Role.ORG_STAFF, organization=organization, active=False),
        )


def move(cast: Cast, referral: Referral, to: ReferralStatus, who, **options) -> Referral:
    options.setdefault("expected_version", referral.version)
    if to == S.DECLINED:
        options.setdefault("decline_reason", DeclineReason.NOT_ELIGIBLE)
    return transition(
        session=cast.session, referral_id=referral.id, actor=cast.actor(who), to_status=to, now=NOW, **options
    )


def assert_unchanged(cast: Cast, referral: Referral, status: ReferralStatus) -> None:
    cast.session.expire_all()
    fresh = cast.session.get(Referral, referral.id)
    assert (fresh.status, fresh.version, fresh.answered_at, fresh.closed_at) == (status, 1, None, None)
    assert cast.events(referral) == []


@pytest.mark.parametrize(
    ("pair", "party"), ALLOWED, ids=[f"{pair_id(pair)}-by-{party.value}" for pair, party in ALLOWED]
)
def test_each_change_is_made_by_a_party_allowed_to_make_it(cast, pair, party):
    from_status, to_status = pair
    referral = cast.referral(from_status)

    moved = move(cast, referral, to_status, party, note="  Spoke to them on Tuesday.  ")

    assert (moved.status, moved.version) == (to_status, 2)
    as_utc = lambda moment: moment and moment.replace(tzinfo=moment.tzinfo or UTC)  # noqa: E731 - SQLite is naive
    assert as_utc(moved.updated_at) == NOW
    assert as_utc(moved.answered_at) == (NOW if to_status in (S.ACCEPTED, S.DECLINED) else None)
    assert as_utc(moved.closed_at) == (NOW if to_status in CLOSED_STATUSES else None)
    assert moved.decline_reason == (DeclineReason.NOT_ELIGIBLE if to_status == S.DECLINED else None)
    [event] = cast.events(referral)
    assert (event.kind, event.from_status, event.to_status) == (EventKind.STATUS, from_status, to_status)
    assert event.actor_id == cast.actor(party).user_id
    assert event.by_resident is (party == Party.RESIDENT)
    assert event.decline_reason == (DeclineReason.NOT_ELIGIBLE if to_status == S.DECLINED else None)
    assert event.note == "Spoke to them on Tuesday."
    assert as_utc(event.at) == NOW


@pytest.mark.parametrize(
    ("pair", "party"), REFUSED, ids=[f"{pair_id(pair)}-by-{party.value}" for pair, party in REFUSED]
)
def test_each_change_is_refused_to_a_party_not_allowed_to_make_it(cast, pair, party):
    from_status, to_status = pair
    referral = cast.referral(from_status)
    with pytest.raises(NotAllowed) as refused:
        move(cast, referral, to_status, party)
    assert refused.value.referral.id == referral.id
    assert_unchanged(cast, referral, from_status)


@pytest.mark.parametrize("pair", list(TRANSITIONS), ids=pair_id)
def test_people_with_no_business_with_the_referral_are_told_it_does_not_exist(cast, pair):
    from_status, to_status = pair
    referral = cast.referral(from_status)
    for stranger in STRANGERS:
        with pytest.raises(ReferralNotFound) as missing:
            move(cast, referral, to_status, stranger)
        assert missing.value.referral is None, stranger  # nothing about the referral leaks out
    assert_unchanged(cast, referral, from_status)


@pytest.mark.parametrize("pair", IMPOSSIBLE, ids=pair_id)
def test_a_change_the_status_does_not_allow_is_impossible_even_for_an_admin(cast, pair):
    from_status, to_status = pair
    referral = cast.referral(from_status)
    for who in (Party.ADMIN, Party.ORGANISATION):
        with pytest.raises(ImpossibleTransition):
            move(cast, referral, to_status, who)
    assert_unchanged(cast, referral, from_status)


def test_the_table_covers_the_whole_lifecycle():
    assert set(TRANSITIONS) == {
        (S.SENT, S.ACCEPTED),
        (S.SENT, S.DECLINED),
        (S.ACCEPTED, S.DECLINED),
        (S.ACCEPTED, S.CONTACTED),
        (S.CONTACTED, S.ATTENDED),
        (S.CONTACTED, S.DID_NOT_ATTEND),
        (S.ATTENDED, S.COMPLETED),
        (S.SENT, S.WITHDRAWN),
        (S.ACCEPTED, S.WITHDRAWN),
        (S.CONTACTED, S.WITHDRAWN),
    }
    assert not any(frm in CLOSED_STATUSES for frm, _to in TRANSITIONS)  # nothing reopens
    assert all(Party.RESIDENT not in who or to == S.WITHDRAWN for (_frm, to), who in TRANSITIONS.items())


@pytest.mark.parametrize("seen", [0, 2, 99])
def test_a_version_other_than_the_current_one_is_stale(cast, seen):
    referral = cast.referral()
    with pytest.raises(StaleVersion) as stale:
        move(cast, referral, S.ACCEPTED, Party.ORGANISATION, expected_version=seen)
    assert stale.value.referral.version == 1
    assert_unchanged(cast, referral, S.SENT)


def test_a_change_made_since_the_referral_was_loaded_makes_the_update_stale(cast):
    referral = cast.referral()
    assert referral.version == 1  # loaded, as a page would have
    # Someone else's change, behind this session's back.
    cast.session.execute(
        update(Referral)
        .where(Referral.id == referral.id)
        .values(status=S.ACCEPTED, version=2)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleVersion) as stale:
        move(cast, referral, S.DECLINED, Party.ORGANISATION, expected_version=1)
    assert (stale.value.referral.status, stale.value.referral.version) == (S.ACCEPTED, 2)  # as it is now
    assert cast.events(referral) == []


@pytest.mark.parametrize("from_status", [S.SENT, S.ACCEPTED])
def test_a_decline_needs_a_reason(cast, from_status):
    referral = cast.referral(from_status)
    with pytest.raises(MissingDeclineReason):
        move(cast, referral, S.DECLINED, Party.ORGANISATION, decline_reason=None)
    assert_unchanged(cast, referral, from_status)


def test_versions_count_every_change_and_the_first_answer_keeps_its_time(cast):
    referral = cast.referral()
    later = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    accepted = move(cast, referral, S.ACCEPTED, Party.ORGANISATION)
    declined = transition(
        session=cast.session,
        referral_id=referral.id,
        actor=cast.actor(Party.ORGANISATION),
        to_status=S.DECLINED,
        expected_version=2,
        decline_reason=DeclineReason.COULD_NOT_CONTACT,
        now=later,
    )
    assert declined is accepted and declined.version == 3
    assert declined.answered_at.replace(tzinfo=UTC) == NOW  # answered when first accepted
    assert declined.closed_at.replace(tzinfo=UTC) == later
    assert [(e.from_status, e.to_status) for e in cast.events(referral)] == [
        (S.SENT, S.ACCEPTED),
        (S.ACCEPTED, S.DECLINED),
    ]


def test_the_whole_happy_path_then_nothing_more(cast):
    referral = cast.referral()
    for to in (S.ACCEPTED, S.CONTACTED, S.ATTENDED, S.COMPLETED):
        referral = move(cast, referral, to, Party.ORGANISATION)
    assert (referral.status, referral.version) == (S.COMPLETED, 5)
    assert referral_lifecycle.next_statuses(cast.actor(Party.ADMIN), referral) == []
    with pytest.raises(ImpossibleTransition):
        move(cast, referral, S.WITHDRAWN, Party.REFERRER)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (Party.ORGANISATION, [S.ACCEPTED, S.DECLINED]),
        (Party.REFERRER, [S.WITHDRAWN]),
        (Party.RESIDENT, [S.WITHDRAWN]),
        (Party.ADMIN, [S.ACCEPTED, S.DECLINED, S.WITHDRAWN]),
        ("other_staff", []),
        ("commissioner", []),
    ],
)
def test_each_party_is_offered_only_the_changes_it_may_make(cast, who, expected):
    referral = cast.referral()
    assert referral_lifecycle.next_statuses(cast.actor(who), referral) == expected


@pytest.mark.parametrize(
    ("who", "parties"),
    [
        (Party.ORGANISATION, {Party.ORGANISATION}),
        (Party.REFERRER, {Party.REFERRER}),
        (Party.RESIDENT, {Party.RESIDENT}),
        (Party.ADMIN, {Party.ADMIN}),
        *((stranger, set()) for stranger in STRANGERS),
    ],
)
def test_parties_and_who_can_see(cast, who, parties):
    referral = cast.referral()
    assert referral_lifecycle.parties(cast.actor(who), referral) == parties
    assert referral_lifecycle.can_see(cast.actor(who), referral) is bool(parties)


def test_load_for_refuses_an_unknown_referral(cast):
    import uuid

    with pytest.raises(ReferralNotFound):
        referral_lifecycle.load_for(session=cast.session, referral_id=uuid.uuid4(), actor=cast.actor(Party.ADMIN))


# --- Consent withdrawn ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", OPEN)
@pytest.mark.parametrize("who", [Party.RESIDENT, Party.REFERRER, Party.ORGANISATION, Party.ADMIN])
def test_withdrawing_consent_closes_an_open_referral(cast, status, who):
    referral = cast.referral(status)
    withdrawn = referral_lifecycle.withdraw_consent(
        session=cast.session, referral_id=referral.id, actor=cast.actor(who), note=" Phoned to say no. ", now=NOW
    )
    assert (withdrawn.status, withdrawn.version) == (S.WITHDRAWN, 2)
    assert withdrawn.consent_withdrawn and withdrawn.is_closed
    assert withdrawn.consent_withdrawn_at.replace(tzinfo=UTC) == withdrawn.closed_at.replace(tzinfo=UTC) == NOW
    [event] = cast.events(referral)
    assert (event.kind, event.from_status, event.to_status) == (EventKind.CONSENT_WITHDRAWN, status, S.WITHDRAWN)
    assert (event.actor_id, event.by_resident, event.note) == (
        cast.actor(who).user_id,
        who == Party.RESIDENT,
        "Phoned to say no.",
    )


@pytest.mark.parametrize("status", CLOSED_STATUSES)
def test_withdrawing_consent_from_a_closed_referral_keeps_its_status(cast, status):
    referral = cast.referral(status)
    withdrawn = referral_lifecycle.withdraw_consent(
        session=cast.session, referral_id=referral.id, actor=cast.actor(Party.REFERRER), now=NOW
    )
    assert (withdrawn.status, withdrawn.version, withdrawn.closed_at) == (status, 2, None)
    assert withdrawn.consent_withdrawn
    [event] = cast.events(referral)
    assert (event.kind, event.from_status, event.to_status) == (EventKind.CONSENT_WITHDRAWN, status, None)


def test_withdrawing_consent_twice_changes_nothing_the_second_time(cast):
    referral = cast.referral()
    first = referral_lifecycle.withdraw_consent(
        session=cast.session, referral_id=referral.id, actor=cast.actor(Party.RESIDENT), now=NOW
    )
    again = referral_lifecycle.withdraw_consent(
        session=cast.session,
        referral_id=referral.id,
        actor=cast.actor(Party.REFERRER),
        now=datetime(2026, 4, 1, tzinfo=UTC),
    )
    assert again is first and again.version == 2
    assert again.consent_withdrawn_at.replace(tzinfo=UTC) == NOW
    assert len(cast.events(referral)) == 1


def test_strangers_cannot_withdraw_consent(cast):
    referral = cast.referral()
    for stranger in STRANGERS:
        with pytest.raises(ReferralNotFound):
            referral_lifecycle.withdraw_consent(
                session=cast.session, referral_id=referral.id, actor=cast.actor(stranger), now=NOW
            )
    assert_unchanged(cast, referral, S.SENT)


# --- Notes ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [Party.ORGANISATION, Party.REFERRER, Party.ADMIN])
def test_parties_add_notes_without_changing_the_status(cast, who):
    referral = cast.referral(S.ACCEPTED)
    event = referral_lifecycle.add_note(
        session=cast.session, referral_id=referral.id, actor=cast.actor(who), note="  Left a voicemail.\n"
    )
    assert (event.kind, event.note, event.actor_id) == (EventKind.NOTE, "Left a voicemail.", cast.actor(who).user_id)
    assert (event.from_status, event.to_status) == (None, None)
    cast.session.refresh(referral)
    assert (referral.status, referral.version) == (S.ACCEPTED, 1)


def test_a_resident_cannot_add_a_note(cast):
    referral = cast.referral()
    with pytest.raises(NotAllowed):
        referral_lifecycle.add_note(
            session=cast.session, referral_id=referral.id, actor=cast.actor(Party.RESIDENT), note="Hello"
        )
    assert cast.events(referral) == []


def test_strangers_cannot_add_notes(cast):
    referral = cast.referral()
    for stranger in STRANGERS:
        with pytest.raises(ReferralNotFound):
            referral_lifecycle.add_note(
                session=cast.session, referral_id=referral.id, actor=cast.actor(stranger), note="Hello"
            )
    assert cast.events(referral) == []


def test_the_timeline_is_in_order_with_who_did_what(cast):
    referral = cast.referral()
    move(cast, referral, S.ACCEPTED, Party.ORGANISATION)
    referral_lifecycle.add_note(
        session=cast.session, referral_id=referral.id, actor=cast.actor(Party.REFERRER), note="Thanks"
    )
    rows = referral_lifecycle.timeline(session=cast.session, referral_id=referral.id)
    assert [(event.kind, user.id if user else None) for event, user in rows] == [
        (EventKind.STATUS, cast.staff.id),
        (EventKind.NOTE, cast.referrer.id),
    ]
