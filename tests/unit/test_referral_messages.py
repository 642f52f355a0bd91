"""What a referral's life sends, and when: working days, nudges once a period, new-referral emails without the
person's details, answers to the referrer in their language, a self-referral's confirmation with its private link;
and the audit trail of who read what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import select

from referral_app.models import (
    Channel,
    ContactMethod,
    EventKind,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Role,
)
from referral_app.services import audit, notifications, nudges
from referral_app.services.referral_lifecycle import Actor, transition, withdraw_consent
from referral_app.services.working_days import subtract_working_days, working_days_between
from tests.factories import (
    STATUS_LINK,
    make_account,
    make_organization,
    make_referral,
    make_resident,
    make_self_referral,
    make_service,
)

S = ReferralStatus
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 3, day) for day in range(2, 9))  # 2 March 2026 is a Monday


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# --- Working days --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (MON, MON, 0),
        (MON, TUE, 1),
        (MON, FRI, 4),
        (FRI, SAT, 0),
        (FRI, SUN, 0),
        (FRI, MON + timedelta(days=7), 1),
        (SAT, SUN, 0),
        (SAT, MON + timedelta(days=7), 1),
        (MON, MON + timedelta(days=7), 5),
        (WED, WED + timedelta(days=14), 10),
        (THU, TUE + timedelta(days=7), 3),
        (TUE, MON, 0),  # the end before the start
    ],
)
def test_working_days_between_counts_weekdays_after_the_start(start, end, expected):
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        (at(WED), 0, at(WED)),
        (at(WED), 1, at(TUE)),
        (at(WED), 3, at(FRI - timedelta(days=7))),
        (at(MON), 1, at(FRI - timedelta(days=7))),
        (at(FRI), 5, at(FRI - timedelta(days=7))),
        (at(MON), 5, at(MON - timedelta(days=7))),
        (at(WED), 10, at(WED - timedelta(days=14))),
        # At a weekend no working time has passed since Friday ended.
        (at(SAT), 1, datetime(2026, 3, 6, tzinfo=UTC)),
        (at(SUN, 23), 5, datetime(2026, 3, 2, tzinfo=UTC)),
    ],
)
def test_subtract_working_days_skips_weekends(moment, days, expected):
    assert subtract_working_days(moment, days) == expected


@pytest.mark.parametrize("day", [MON, TUE, WED, THU, FRI, SAT, SUN])
@pytest.mark.parametrize("days", [1, 2, 5, 7])
def test_the_two_agree_whatever_the_day(day, days):
    """A referral made just before the cutoff has waited the working days its reminder says, one after it no more."""
    cutoff = subtract_working_days(at(day, 15), days)
    assert working_days_between((cutoff - timedelta(seconds=1)).date(), day) == days
    assert working_days_between((cutoff + timedelta(hours=1)).date(), day) <= days


# --- Nudges --------------------------------------------------------------------------------------------------------


@pytest.fixture
def place(db_session, services_app):
    organization = make_organization(db_session, email="hello@wombat.example.org")
    with services_app.app_context():
        yield {
            "session": db_session,
            "service": make_service(db_session, organization=organization, name="Wombat pantry"),
            "link_worker": make_account(db_session, role=Role.LINK_WORKER, preferred_locale="cy"),
            "organization": organization,
        }


def sent_at(place, moment: datetime, status=S.SENT, **fields) -> Referral:
    return make_referral(
        place["session"],
        service=place["service"],
        referrer=place["link_worker"],
        status=status,
        created_at=moment,
        **fields,
    )


def nudge(place, now: datetime) -> set:
    mine = {r.id for r in place["session"].exec(select(Referral).where(Referral.service_id == place["service"].id))}
    return {referral.id for referral in nudges.send_nudges(session=place["session"], now=now, working_days=5)} & mine


def messages(session, referral, kind=None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).where(OutboxMessage.referral_id == referral.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(session.exec(statement.order_by(OutboxMessage.id)).all())


def test_only_referrals_unanswered_for_the_working_days_are_nudged(place):
    now = at(WED + timedelta(days=7))
    due = sent_at(place, at(WED))  # exactly five working days
    just_not = sent_at(place, at(WED, 11))
    over_a_weekend = sent_at(place, at(FRI + timedelta(days=7)))
    answered = sent_at(place, at(MON), status=S.ACCEPTED)
    closed = sent_at(place, at(MON), status=S.WITHDRAWN)

    assert nudge(place, now) == {due.id}

    session = place["session"]
    for referral in (just_not, over_a_weekend, answered, closed):
        assert messages(session, referral) == []
    [message] = messages(session, due)
    assert (message.kind, message.channel, message.recipient) == ("nudge", Channel.EMAIL, "hello@wombat.example.org")
    assert due.reference in message.subject and "5 working days" in message.body
    assert f"/referrals/{due.id}" in message.body
    [event] = session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == due.id)).all()
    assert (event.kind, event.actor_id) == (EventKind.NUDGED, None)
    assert due.nudged_at.replace(tzinfo=UTC) == now


def test_a_referral_is_nudged_once_a_period(place):
    referral = sent_at(place, at(MON))
    first = at(MON + timedelta(days=7))
    assert nudge(place, first) == {referral.id}
    assert nudge(place, first + timedelta(hours=3)) == set()
    assert nudge(place, at(FRI + timedelta(days=7))) == set()  # four working days after the reminder
    assert nudge(place, at(MON + timedelta(days=14))) == {referral.id}
    assert len(messages(place["session"], referral, "nudge")) == 2


def test_no_nudges_at_the_weekend_for_what_was_not_due_on_friday(place):
    monday = sent_at(place, at(MON))
    assert nudge(place, at(SAT)) == set()
    assert nudge(place, at(SUN, 23)) == set()
    assert nudge(place, at(MON + timedelta(days=7))) == {monday.id}


# --- Messages ------------------------------------------------------------------------------------------------------


def test_a_new_referral_email_has_a_link_but_none_of_the_persons_details(place):
    session = place["session"]
    resident = make_resident(session, name="Zofia Nowak", phone="07700 900321", email="zofia@example.com")
    referral = sent_at(place, at(MON), resident=resident, reason="Rent arrears")
    notifications.new_referral(session=session, referral=referral)
    [message] = messages(session, referral)
    assert (message.recipient, message.kind, message.locale) == ("hello@wombat.example.org", "new_referral", "en")
    assert referral.reference in message.subject and "Wombat pantry" in message.subject
    assert f"{current_app.config['BASE_URL']}/referrals/{referral.id}" in message.body
    for private in ("Zofia", "Nowak", "07700", "zofia@example.com", "Rent arrears"):
        assert private not in message.subject + message.body


def test_without_an_organisation_address_each_active_member_of_staff_is_told_in_their_language(place):
    session, organization = place["session"], place["organization"]
    organization.email = None
    welsh = make_account(session, role=Role.ORG_STAFF, organization=organization, preferred_locale="cy")
    plain = make_account(session, role=Role.ORG_STAFF, organization=organization)
    make_account(session, role=Role.ORG_STAFF, organization=organization, active=False)
    make_account(session, role=Role.ORG_STAFF)  # another organisation's
    referral = sent_at(place, at(MON))
    notifications.new_referral(session=session, referral=referral)
    sent = {(message.recipient, message.locale) for message in messages(session, referral)}
    assert sent == {(welsh.email, "cy"), (plain.email, "en")}
    with force_locale("cy"):
        welsh_subject = _(
            "New referral %(reference)s for %(service)s", reference=referral.reference, service="Wombat pantry"
        )
    assert {m.subject for m in messages(session, referral) if m.locale == "cy"} == {welsh_subject}


@pytest.mark.parametrize("to", [S.ACCEPTED, S.DECLINED])
def test_the_referrer_is_told_of_the_answer_in_their_language(place, to):
    session = place["session"]
    staff = make_account(session, role=Role.ORG_STAFF, organization=place["organization"])
    referral = sent_at(place, at(MON))
    transition(
        session=session,
        referral_id=referral.id,
        actor=Actor(user=staff),
        to_status=to,
        expected_version=1,
        decline_reason="no_capacity" if to == S.DECLINED else None,
    )
    [message] = messages(session, referral, "referral_answered")
    assert (message.recipient, message.locale, message.channel) == (place["link_worker"].email, "cy", Channel.EMAIL)
    with force_locale("cy"):
        if to == S.ACCEPTED:
            subject = _("Referral %(reference)s was accepted", reference=referral.reference)
        else:
            subject = _("Referral %(reference)s was declined", reference=referral.reference)
    assert message.subject == subject
    assert f"/referrals/{referral.id}" in message.body


def test_other_changes_send_nothing(place):
    session = place["session"]
    staff = make_account(session, role=Role.ORG_STAFF, organization=place["organization"])
    referral = sent_at(place, at(MON), status=S.ACCEPTED)
    transition(
        session=session, referral_id=referral.id, actor=Actor(user=staff), to_status=S.CONTACTED, expected_version=1
    )
    assert messages(session, referral) == []


def self_refer(place, **details):
    return make_self_referral(place["session"], service=place["service"], **details)


@pytest.mark.parametrize(
    ("details", "channel", "recipient", "locale"),
    [
        ({"contact_method": "sms"}, Channel.SMS, "07700 900777", "en"),
        ({"contact_method": "email", "email": "ion@example.com"}, Channel.EMAIL, "ion@example.com", "en"),
        ({"contact_method": "sms", "language": "cy"}, Channel.SMS, "07700 900777", "cy"),
        ({"contact_method": "sms", "language": "ar", "locale": "cy"}, Channel.SMS, "07700 900777", "ar"),
        ({"contact_method": "sms", "language": "hu", "locale": "cy"}, Channel.SMS, "07700 900777", "cy"),
    ],
)
def test_a_self_referral_is_confirmed_in_the_residents_language_with_the_private_link(
    place, details, channel, recipient, locale
):
    session = place["session"]
    made = self_refer(place, **details)
    confirmations = messages(session, made.referral, "self_referral_received")
    [message] = confirmations
    assert (message.channel, message.recipient, message.locale) == (channel, recipient, locale)
    assert STATUS_LINK.format(made.token) in message.body
    assert made.referral.reference in message.body
    with force_locale(locale):
        assert _("See what happens next: %(link)s", link="") in message.body
    [new] = messages(session, made.referral, "new_referral")
    assert made.token not in new.body and "Ion" not in new.body


@pytest.mark.parametrize("method", [ContactMethod.PHONE, ContactMethod.VIDEO_RELAY])
def test_residents_who_asked_for_a_call_get_no_message(place, method):
    made = self_refer(place, contact_method=method.value)
    assert messages(place["session"], made.referral, "self_referral_received") == []


def test_a_self_referring_resident_hears_the_answer_unless_they_withdrew(place):
    session = place["session"]
    staff = make_account(session, role=Role.ORG_STAFF, organization=place["organization"])
    made = self_refer(place, language="cy")
    transition(
        session=session, referral_id=made.referral.id, actor=Actor(user=staff), to_status=S.ACCEPTED, expected_version=1
    )
    [answer] = messages(session, made.referral, "referral_answered")
    assert (answer.channel, answer.recipient, answer.locale) == (Channel.SMS, "07700 900777", "cy")

    withdrawn = self_refer(place)
    withdraw_consent(session=session, referral_id=withdrawn.referral.id, actor=Actor(resident=True))
    assert messages(session, withdrawn.referral, "referral_answered") == []


# --- Audit trail ---------------------------------------------------------------------------------------------------


def test_the_audit_trail_is_filtered_by_resident_and_user_newest_first(place):
    session = place["session"]
    reader = make_account(session, role=Role.ORG_STAFF, organization=place["organization"])
    first, second = make_resident(session), make_resident(session)
    old = audit.record(session=session, action="viewed_referral", user_id=reader.id, resident_id=first.id, path="/a")
    new = audit.record(session=session, action="changed_referral", user_id=reader.id, resident_id=first.id)
    audit.record(session=session, action="viewed_referral", user_id=None, resident_id=second.id)
    old.at = datetime.now(UTC) - timedelta(days=1)
    session.flush()
    rows = audit.trail(session=session, resident_id=first.id)
    assert [(row.entry.id, row.resident_name) for row in rows] == [(new.id, first.name), (old.id, first.name)]
    assert [row.user.id for row in audit.trail(session=session, user_id=reader.id)] == [reader.id, reader.id]
    since = audit.trail(session=session, resident_id=first.id, since=datetime.now(UTC) - timedelta(hours=1))
    assert [row.entry.id for row in since] == [new.id]
    long = audit.record(
        session=session, action="viewed_referral", user_id=None, path="/x" * 400, remote_address="1" * 99
    )
    assert (len(long.path), len(long.remote_address)) == (300, 64)
