"""Making referrals from drafts (once), self-referrals and their private link, referring elsewhere, the people a
link worker knows, and the inbox and "My referrals" lists."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from referral_app.models import (
    ConsentMethod,
    ContactMethod,
    DeclineReason,
    EventKind,
    OrganizationStatus,
    OutboxMessage,
    Referral,
    ReferralDraft,
    ReferralEvent,
    ReferralNeed,
    ReferralStatus,
    Resident,
    Role,
    ServiceStatus,
    Urgency,
)
from referral_app.services import referral_drafts, referral_lists, referrals, residents
from referral_app.services.referral_drafts import STEPS, DraftAnswers
from referral_app.services.residents import ResidentDetails
from tests.conftest import count_queries
from tests.factories import (
    make_account,
    make_organization,
    make_referral,
    make_resident,
    make_self_referral,
    make_service,
)

S = ReferralStatus
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def setting(db_session, services_app):
    """An organisation with one service, one of its staff, and a link worker, all new to the database."""
    organization = make_organization(db_session, email="referrals@wombat.example.org")
    with services_app.app_context():
        yield {
            "session": db_session,
            "organization": organization,
            "service": make_service(db_session, organization=organization, name="Wombat pantry"),
            "staff": make_account(db_session, role=Role.ORG_STAFF, organization=organization),
            "link_worker": make_account(db_session, role=Role.LINK_WORKER),
        }


def answers_for(service, **changes) -> DraftAnswers:
    answers = DraftAnswers(
        service_id=str(service.id),
        resident_chosen=True,
        resident=ResidentDetails(
            name="  Zofia Nowak ",
            phone="07700 900321",
            outcode="s4",
            age_band="25_34",
            language="pl",
            priority_groups=["roma", "not-a-group"],
            interpreter_language="pl",
            contact_method="sms",
        ).to_dict(),
        details_done=True,
        communication_done=True,
        needs=["food", "money", "food", "not-a-need"],
        reason="  Needs food this week.  ",
        urgency="urgent",
        consent_by="Zofia Nowak",
        consent_method="spoken_interpreter",
        consent_interpreter_language="pl",
        consent_given=True,
    )
    for name, value in changes.items():
        setattr(answers, name, value)
    return answers


def draft_for(setting, **changes) -> ReferralDraft:
    answers = answers_for(setting["service"], **changes)
    return referral_drafts.start_draft(session=setting["session"], user=setting["link_worker"], answers=answers)


def send(setting, draft, **options) -> Referral:
    return referrals.send_draft(
        session=setting["session"], user=setting["link_worker"], draft=draft, locale="en", now=NOW, **options
    )


# --- Sending a draft -----------------------------------------------------------------------------------------------


def test_a_complete_draft_becomes_a_referral_for_a_new_resident(setting):
    session, link_worker = setting["session"], setting["link_worker"]
    draft = draft_for(setting)
    draft_id = draft.id

    referral = send(setting, draft)

    assert referral.service_id == setting["service"].id
    assert referral.organization_id == setting["organization"].id
    assert (referral.referrer_id, referral.consent_recorded_by_id) == (link_worker.id, link_worker.id)
    assert (referral.status, referral.version, referral.urgency) == (S.SENT, 1, Urgency.URGENT)
    assert referral.reason == "Needs food this week."
    assert (referral.consent_by, referral.consent_method) == ("Zofia Nowak", ConsentMethod.SPOKEN_INTERPRETER)
    assert referral.consent_interpreter_language == "pl"
    assert referral.idempotency_key == str(draft_id)
    assert referral.status_token_hash is None
    assert len(referral.reference) == 9 and referral.reference[4] == "-"
    resident = session.get(Resident, referral.resident_id)
    assert (resident.name, resident.phone, resident.outcode, resident.language) == (
        "Zofia Nowak",
        "07700 900321",
        "S4",
        "pl",
    )
    assert (resident.contact_method, resident.priority_groups, resident.created_by_id) == (
        ContactMethod.SMS,
        "roma",
        link_worker.id,
    )
    needs = session.exec(select(ReferralNeed.need).where(ReferralNeed.referral_id == referral.id)).all()
    assert sorted(needs) == ["food", "money"]  # known codes, once each
    [created] = session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)).all()
    assert (created.kind, created.to_status, created.actor_id) == (EventKind.CREATED, S.SENT, link_worker.id)
    assert session.get(ReferralDraft, draft_id) is None  # the draft is used up
    [message] = session.exec(select(OutboxMessage).where(OutboxMessage.referral_id == referral.id)).all()
    assert (message.kind, message.recipient) == ("new_referral", "referrals@wombat.example.org")


def test_sending_twice_returns_the_first_referral(setting):
    session = setting["session"]
    draft = draft_for(setting)
    first = send(setting, draft)
    again = send(setting, draft)
    assert again.id == first.id
    count = session.exec(select(func.count()).where(Referral.idempotency_key == str(draft.id))).one()
    assert count == 1
    assert referral_drafts.sent_from(session=session, user=setting["link_worker"], draft_id=draft.id).id == first.id


def test_a_resident_referred_before_is_updated_not_typed_again(setting):
    session, link_worker = setting["session"], setting["link_worker"]
    known = make_resident(session, created_by=link_worker, name="Zofia Nowak", phone="07700 900000")
    details = ResidentDetails.of(known)
    details.phone = "07700 900999"
    draft = draft_for(setting, resident_id=str(known.id), resident=details.to_dict())
    residents_before = session.exec(select(func.count()).select_from(Resident)).one()

    referral = send(setting, draft)

    assert referral.resident_id == known.id
    session.refresh(known)
    assert known.phone == "07700 900999"
    assert session.exec(select(func.count()).select_from(Resident)).one() == residents_before


def test_another_link_workers_resident_cannot_be_used(setting):
    session = setting["session"]
    someone_elses = make_resident(session, created_by=make_account(session, role=Role.LINK_WORKER), name="Not yours")
    draft = draft_for(setting, resident_id=str(someone_elses.id))
    with pytest.raises(referrals.DraftIncomplete) as incomplete:
        send(setting, draft)
    assert incomplete.value.step == "resident"
    assert session.exec(select(func.count()).where(Referral.idempotency_key == str(draft.id))).one() == 0
    session.refresh(someone_elses)
    assert someone_elses.name == "Not yours"


@pytest.mark.parametrize(
    ("changes", "step"),
    [
        ({"service_id": ""}, "service"),
        ({"resident_chosen": False}, "resident"),
        ({"details_done": False}, "details"),
        ({"resident": {"name": ""}}, "details"),
        ({"communication_done": False}, "communication"),
        ({"needs": []}, "needs"),
        ({"urgency": ""}, "needs"),
        ({"consent_given": False}, "consent"),
        ({"consent_by": ""}, "consent"),
        ({"consent_method": ""}, "consent"),
        ({"service_id": "", "consent_given": False}, "service"),  # the first page without an answer
    ],
)
def test_an_incomplete_draft_names_the_first_page_to_answer(setting, changes, step):
    draft = draft_for(setting, **changes)
    with pytest.raises(referrals.DraftIncomplete) as incomplete:
        send(setting, draft)
    assert incomplete.value.step == step
    assert setting["session"].get(ReferralDraft, draft.id) is not None  # kept, to be finished


def test_steps_are_in_the_order_of_the_pages():
    assert STEPS == ("service", "resident", "details", "communication", "needs", "consent")
    assert DraftAnswers().missing_step() == "service"


@pytest.mark.parametrize("why", ["service_closed", "organisation_pending", "not_a_service"])
def test_a_service_people_cannot_be_referred_to_sends_the_person_back_to_choose(setting, why):
    session, service = setting["session"], setting["service"]
    changes = {}
    if why == "service_closed":
        service.status = ServiceStatus.TEMPORARILY_CLOSED
    elif why == "organisation_pending":
        setting["organization"].status = OrganizationStatus.PENDING
    else:
        changes["service_id"] = str(uuid.uuid4())
    session.flush()
    with pytest.raises(referrals.DraftIncomplete) as incomplete:
        send(setting, draft_for(setting, **changes))
    assert incomplete.value.step == "service"


@pytest.mark.parametrize("service_id", ["", "not-a-uuid", "'; DROP TABLE referral;--", str(uuid.uuid4())])
def test_referable_service_is_none_for_anything_but_a_running_service(db_session, service_id):
    assert referrals.referable_service(session=db_session, service_id=service_id) is None


# --- Self-referral and the private link ----------------------------------------------------------------------------


def self_refer(setting):
    return make_self_referral(setting["session"], service=setting["service"], language="ro", now=NOW)


def test_a_self_referral_keeps_only_a_hash_of_its_private_link(setting):
    session = setting["session"]
    made = self_refer(setting)
    referral = made.referral
    assert len(made.token) >= 40  # unguessable
    assert referral.status_token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    assert made.token not in repr(referral.model_dump())
    assert (referral.referrer_id, referral.consent_recorded_by_id) == (None, None)
    assert (referral.consent_by, referral.consent_method) == ("Ion Popescu", ConsentMethod.ONLINE)
    assert referral.is_self_referral
    [created] = session.exec(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)).all()
    assert (created.kind, created.by_resident, created.actor_id) == (EventKind.CREATED, True, None)
    resident = session.get(Resident, referral.resident_id)
    assert (resident.name, resident.created_by_id, resident.language) == ("Ion Popescu", None, "ro")


def test_the_private_link_finds_its_referral_and_nothing_else_does(setting):
    session = setting["session"]
    made = self_refer(setting)
    assert referrals.by_status_token(session=session, token=made.token).id == made.referral.id
    for wrong in (
        "",
        made.token[:-1],
        made.token + "x",
        made.referral.status_token_hash,
        "x" * 101,
        str(made.referral.id),
    ):
        assert referrals.by_status_token(session=session, token=wrong) is None, wrong


def test_self_referrals_get_different_links_and_references(setting):
    first, second = self_refer(setting), self_refer(setting)
    assert first.token != second.token
    assert first.referral.reference != second.referral.reference


# --- Referring elsewhere after a decline ---------------------------------------------------------------------------


def test_refer_elsewhere_copies_everything_but_the_service_and_the_consent(setting):
    session = setting["session"]
    referral = send(setting, draft_for(setting))
    referral.status, referral.decline_reason = S.DECLINED, DeclineReason.NO_CAPACITY
    session.flush()

    answers = referrals.refer_elsewhere_answers(session=session, referral=referral)

    original = answers_for(setting["service"])
    assert answers.service_id == "" and answers.consent_given is False
    assert answers.resident_id == str(referral.resident_id) and answers.resident_chosen
    assert answers.details.name == "Zofia Nowak" and answers.details.outcode == "S4"
    assert answers.details.priority_groups == ["roma"]
    assert (answers.details.phone, answers.details.contact_method) == ("07700 900321", "sms")
    assert answers.details_done and answers.communication_done
    assert sorted(answers.needs) == ["food", "money"]
    assert (answers.reason, answers.urgency) == ("Needs food this week.", "urgent")
    assert (answers.consent_by, answers.consent_method, answers.consent_interpreter_language) == (
        original.consent_by,
        original.consent_method,
        original.consent_interpreter_language,
    )
    assert answers.previous_referral_id == str(referral.id)
    assert answers.missing_step() == "service"  # then, after choosing a service, only consent is asked again
    answers.service_id = str(setting["service"].id)
    assert answers.missing_step() == "consent"


# --- Residents a link worker knows, and drafts ---------------------------------------------------------------------


def test_a_link_worker_sees_only_the_residents_they_made_or_referred(setting):
    session, link_worker = setting["session"], setting["link_worker"]
    mine = make_resident(session, created_by=link_worker, name="Mine")
    referred = make_referral(session, service=setting["service"], referrer=link_worker).resident_id
    other = make_resident(session, created_by=make_account(session, role=Role.LINK_WORKER), name="Theirs")
    known = {resident.id for resident in residents.residents_of(session=session, user=link_worker)}
    assert known == {mine.id, referred}
    assert residents.resident_for(session=session, user=link_worker, resident_id=other.id) is None
    assert residents.resident_for(session=session, user=link_worker, resident_id=mine.id).id == mine.id
    assert residents.residents_of(session=session, user=setting["staff"]) == []
    assert residents.resident_for(session=session, user=setting["staff"], resident_id=mine.id) is None


def test_resident_details_are_tidied_when_applied():
    resident = Resident(name="")
    ResidentDetails(
        name=" A ", phone=" ", email=" ", outcode=" nr30 ", age_band="999", priority_groups=["carer", "x"]
    ).apply_to(resident)
    assert (resident.name, resident.phone, resident.email, resident.outcode) == ("A", None, None, "NR30")
    assert (resident.age_band, resident.priority_groups, resident.language) == (None, "carer", "en")


def test_drafts_are_private_and_expire(setting):
    session, link_worker = setting["session"], setting["link_worker"]
    draft = referral_drafts.start_draft(session=session, user=link_worker)
    assert referral_drafts.get_draft(session=session, user=link_worker, draft_id=draft.id) is draft
    other = make_account(session, role=Role.LINK_WORKER)
    assert referral_drafts.get_draft(session=session, user=other, draft_id=draft.id) is None
    assert referral_drafts.get_draft(session=session, user=link_worker, draft_id=uuid.uuid4()) is None
    draft.created_at = datetime.now(UTC) - timedelta(days=8)
    session.flush()
    assert referral_drafts.get_draft(session=session, user=link_worker, draft_id=draft.id) is None
    assert referral_drafts.remove_expired(session=session) >= 1
    assert session.exec(select(ReferralDraft).where(ReferralDraft.id == draft.id)).first() is None


def test_draft_answers_ignore_what_they_do_not_know():
    answers = DraftAnswers.from_json('{"service_id": "x", "injected": true, "resident": {"name": "A", "bad": 1}}')
    assert answers.service_id == "x" and answers.details.name == "A"
    assert DraftAnswers.from_json(answers.to_json()) == answers


# --- Inbox and "My referrals" --------------------------------------------------------------------------------------


def made_at(setting, days_ago: float, *, status=S.SENT, urgency=Urgency.ROUTINE, **fields) -> Referral:
    moment = NOW - timedelta(days=days_ago)
    return make_referral(
        setting["session"],
        service=setting["service"],
        referrer=setting["link_worker"],
        status=status,
        urgency=urgency,
        created_at=moment,
        updated_at=fields.pop("updated_at", moment),
        needs=("food",),
        **fields,
    )


def listing(setting, which="inbox", tab="new", page=1, page_size=20):
    """A page of the organisation's inbox, or of the link worker's "My referrals"."""
    owner = (
        {"organization_id": setting["organization"].id} if which == "inbox" else {"user_id": setting["link_worker"].id}
    )
    make_page = referral_lists.inbox if which == "inbox" else referral_lists.sent_by
    return make_page(
        session=setting["session"], tab=tab, page=page, page_size=page_size, now=NOW, nudge_days=5, **owner
    )


def inbox(setting, **options):
    return listing(setting, "inbox", **options)


def test_tabs_count_new_in_progress_and_closed(setting):
    for status in (S.SENT, S.SENT, S.ACCEPTED, S.CONTACTED, S.ATTENDED, S.DECLINED, S.WITHDRAWN, S.COMPLETED):
        made_at(setting, 1, status=status)
    made_at(setting, 1, status=S.DID_NOT_ATTEND)
    expected = {"new": 2, "in_progress": 3, "closed": 4}
    for which in ("inbox", "sent_by"):
        for tab, count in expected.items():
            page = listing(setting, which, tab)
            assert page.counts == expected
            assert (page.tab, page.total, len(page.rows)) == (tab, count, count)
    assert {row.referral.status for row in inbox(setting, tab="closed").rows} == {
        S.DECLINED,
        S.WITHDRAWN,
        S.COMPLETED,
        S.DID_NOT_ATTEND,
    }


def test_new_referrals_are_urgent_first_then_longest_waiting(setting):
    routine_old = made_at(setting, 9)
    urgent_new = made_at(setting, 1, urgency=Urgency.URGENT)
    soon = made_at(setting, 2, urgency=Urgency.SOON)
    urgent_old = made_at(setting, 3, urgency=Urgency.URGENT)
    routine_new = made_at(setting, 0.5)
    rows = inbox(setting).rows
    assert [row.referral.id for row in rows] == [urgent_old.id, urgent_new.id, soon.id, routine_old.id, routine_new.id]
    first = rows[0]
    assert (first.service_name, first.organization_name, first.needs) == (
        "Wombat pantry",
        setting["organization"].name,
        ["food"],
    )


def test_other_tabs_show_the_latest_change_first(setting):
    older = made_at(setting, 5, status=S.ACCEPTED, updated_at=NOW - timedelta(days=3))
    newer = made_at(setting, 9, status=S.CONTACTED, updated_at=NOW - timedelta(days=1))
    assert [row.referral.id for row in inbox(setting, tab="in_progress").rows] == [newer.id, older.id]


def test_waiting_counts_working_days_and_flags_overdue(setting):
    waiting = made_at(setting, 9)  # Monday 2 March: 7 working days before Wednesday 11 March
    fresh = made_at(setting, 1)
    answered = made_at(setting, 9, status=S.ACCEPTED)
    rows = {row.referral.id: row for tab in ("new", "in_progress") for row in inbox(setting, tab=tab).rows}
    assert (rows[waiting.id].waiting_days, rows[waiting.id].overdue) == (7, True)
    assert (rows[fresh.id].waiting_days, rows[fresh.id].overdue) == (1, False)
    assert (rows[answered.id].waiting_days, rows[answered.id].overdue) == (0, False)


def test_pages_hold_page_size_rows_and_out_of_range_pages_are_clamped(setting):
    made = [made_at(setting, days) for days in range(1, 6)]
    oldest_first = [referral.id for referral in reversed(made)]
    pages = [inbox(setting, page=number, page_size=2) for number in (1, 2, 3)]
    assert [[row.referral.id for row in page.rows] for page in pages] == [
        oldest_first[:2],
        oldest_first[2:4],
        oldest_first[4:],
    ]
    assert pages[0].pages == 3
    assert inbox(setting, page=99, page_size=2).page == 3
    assert inbox(setting, page=-5, page_size=2).page == 1
    assert inbox(setting, tab="nonsense").tab == "new"


def test_each_list_holds_only_its_own_referrals(setting):
    session = setting["session"]
    mine = made_at(setting, 1)
    elsewhere = make_referral(session, service=make_service(session), referrer=make_account(session))
    assert [row.referral.id for row in inbox(setting).rows] == [mine.id]
    assert [row.referral.id for row in listing(setting, "sent_by").rows] == [mine.id]
    everyone = referral_lists.inbox(
        session=session, organization_id=None, tab="new", page=1, page_size=1000, now=NOW, nudge_days=5
    )
    assert {mine.id, elsewhere.id} <= {row.referral.id for row in everyone.rows}  # an admin's inbox


def test_a_page_of_1_or_25_referrals_takes_the_same_number_of_queries(setting, connection):
    made_at(setting, 1)
    setting["session"].flush()
    one = count_queries(connection, lambda: inbox(setting, page_size=25))
    for days in range(2, 26):
        made_at(setting, days)
    setting["session"].flush()
    many = count_queries(connection, lambda: inbox(setting, page_size=25))
    assert len(inbox(setting, page_size=25).rows) == 25
    assert one == many == 3
    assert count_queries(connection, lambda: listing(setting, "sent_by", page_size=25)) == 3
