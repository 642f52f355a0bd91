"""Erasing a resident's personal data on request, and anonymising what the retention period has ended for:
nothing personal is left, and the insights count exactly the same before and after (even after a rebuild)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, func, select

from referral_app.config import settings_from_environment
from referral_app.models import (
    AuditLog,
    EventKind,
    InsightReferral,
    InsightTag,
    InsightWellbeing,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Resident,
)
from referral_app.services import erasure, insight_facts, insight_outcomes, insights, retention
from referral_app.services.insights import InsightFilters
from tests.conftest import error_shown, location, make_test_app, post_form
from tests.factories import make_referral, make_resident, make_service
from tests.integration.resident_records import NAME, PERSONAL_VALUES, PHONE, make_record


@pytest.fixture
def record(app, db_session):
    with app.app_context():
        return make_record(db_session)


def holds_text(column) -> bool:
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type  # AutoString is one
    return isinstance(kind, sa.String) and not isinstance(kind, sa.Enum)  # enums hold codes


def personal_values_in(db_session, values) -> set[str]:
    """Which of `values` any text column of any table still holds (one query per column)."""
    found = set()
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if not holds_text(column):
                continue
            rows = db_session.execute(select(column).where(sa.or_(*(column.contains(value) for value in values))))
            found |= {value for (text,) in rows for value in values if text and value in text}
    return found


def facts(db_session, referral_ids) -> list[tuple]:
    """The insight rows of these referrals, without their own ids (a rebuild makes new ones)."""
    referral_rows = db_session.exec(select(InsightReferral).where(InsightReferral.referral_id.in_(referral_ids))).all()
    by_id = {row.id: row.referral_id for row in referral_rows}
    tags = db_session.exec(select(InsightTag).where(InsightTag.insight_id.in_(by_id))).all()
    wellbeing = db_session.exec(select(InsightWellbeing).where(InsightWellbeing.insight_id.in_(by_id))).all()
    rows = [("referral", *sorted(row.model_dump(exclude={"id"}).items())) for row in referral_rows]
    rows += [("tag", by_id[tag.insight_id], tag.kind, tag.code, tag.sent_on) for tag in tags]
    for row in wellbeing:
        rows.append(("wellbeing", by_id[row.insight_id], *sorted(row.model_dump(exclude={"insight_id"}).items())))
    return sorted(rows, key=repr)


def figures(db_session):
    return (
        insights.insights(session=db_session, filters=InsightFilters()),
        insight_outcomes.outcome_insights(session=db_session, filters=InsightFilters()),
    )


def test_erasure_removes_every_personal_value_and_the_counts_stay(record, act_as, db_session, client):
    ids = [record.self_referral.id, record.referral.id]
    # The search finds them (the number without spaces only comes with the reason typed below).
    assert personal_values_in(db_session, PERSONAL_VALUES) == set(PERSONAL_VALUES) - {"01632960417"}
    facts_before, figures_before = facts(db_session, ids), figures(db_session)
    assert len(facts_before) > 5  # two referrals, their needs, groups and communication needs, well-being
    admin = act_as("admin")
    page = f"/admin/residents/{record.resident.id}"

    reason = f"Asked by {NAME} on the phone ({PHONE.replace(' ', '')}) on 2 March"
    response = post_form(admin, f"{page}/erase", {"confirm": "y", "reason": reason}, page=page)

    assert location(response) == page
    shown = unescape(admin.get(page).text)
    assert "This person's personal data has been erased." in shown
    assert "Erased resident" in shown and "personal data was erased on" in shown
    assert "Erase personal data" not in shown  # no second form
    db_session.expire_all()
    assert personal_values_in(db_session, PERSONAL_VALUES) == set()
    resident = db_session.get(Resident, record.resident.id)
    assert resident.erasure_reason == "Asked by [erased] on the phone ([erased]) on 2 March"
    assert (resident.outcode, resident.language, resident.groups, resident.bsl_interpreter) == (
        "S4", "en", record.resident.groups, True)  # fmt: skip
    [entry] = db_session.exec(select(AuditLog).where(AuditLog.action == "erased")).all()
    assert (entry.resident_id, entry.user_id) == (resident.id, resident.erased_by_id)
    statuses = db_session.exec(select(Referral.status).where(Referral.id.in_(ids)).order_by(Referral.created_at)).all()
    assert statuses == [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED]
    kinds = db_session.exec(select(OutboxMessage.kind).where(OutboxMessage.referral_id.in_(ids))).all()
    assert "new_referral" in kinds and "self_referral_received" not in kinds  # staff's messages name no one
    assert client.get(f"/requests/{record.token}").status_code == 404  # the private link no longer works

    assert facts(db_session, ids) == facts_before
    assert figures(db_session) == figures_before
    insight_facts.rebuild(db_session)
    assert facts(db_session, ids) == facts_before
    assert figures(db_session) == figures_before

    again = post_form(admin, f"{page}/erase", {"confirm": "y", "reason": "Asked again"}, page=page)
    assert location(again) == page
    assert "had already been erased" in unescape(admin.get(page).text)
    assert db_session.exec(select(func.count()).where(AuditLog.action == "erased")).one() == 1


def test_erasure_needs_confirming_and_a_reason(record, act_as, db_session):
    admin = act_as("admin")
    page = f"/admin/residents/{record.resident.id}"
    response = post_form(admin, f"{page}/erase", {"reason": ""}, page=page)
    assert response.status_code == 400
    assert error_shown(response.text, "confirm", "Confirm that you understand this cannot be undone")
    assert error_shown(response.text, "reason", "Enter why you are erasing this person's data")
    typed = post_form(admin, f"{page}/erase", {"reason": "Asked in writing"}, page=page)
    assert "Asked in writing</textarea>" in typed.text
    db_session.expire_all()
    assert db_session.get(Resident, record.resident.id).name == NAME


def test_an_erased_resident_is_no_longer_offered_to_the_link_worker(record, db_session):
    from referral_app.services.residents import resident_for, residents_of

    assert record.resident in residents_of(session=db_session, user=record.worker)
    erasure.erase_resident(session=db_session, resident=record.resident, user_id=None, reason="test")
    assert record.resident not in residents_of(session=db_session, user=record.worker)
    assert resident_for(session=db_session, user=record.worker, resident_id=record.resident.id) is None


NOW = datetime.now(UTC)
# The demo data's referrals are all from the last year; these are older.
LONG_AGO = NOW - timedelta(days=40 * 31)  # past the default 24 months
LATELY = NOW - timedelta(days=20 * 31)  # within 24 months, past 18


@pytest.fixture
def ages(db_session):
    """Residents whose referrals closed long ago, recently, or long ago but with a recent note."""
    service = make_service(db_session)

    def old_resident(name: str, *, at=LONG_AGO):
        return make_resident(db_session, name=name, created_at=at, updated_at=at)

    def closed(resident, *, at=LONG_AGO, status=ReferralStatus.COMPLETED):
        return make_referral(db_session, service=service, referrer=None, resident=resident, status=status,
                             created_at=at, closed_at=at, reason=f"Reason of {resident.name}")  # fmt: skip

    names = ("Gone Ferdinand", "Partly Open", "Recent Rhoda", "Noted Nell")
    gone, partly, recent, noted = (old_resident(name) for name in names)
    found = {
        "gone": closed(gone),
        "partly_old": closed(partly, status=ReferralStatus.DECLINED),
        "partly_open": make_referral(
            db_session,
            service=service,
            referrer=None,
            resident=partly,
            created_at=LONG_AGO,
            reason="Reason of Partly Open",
        ),
        "recent": closed(recent, at=LATELY, status=ReferralStatus.WITHDRAWN),
        "noted": closed(noted, status=ReferralStatus.DID_NOT_ATTEND),
    }
    db_session.add(ReferralEvent(referral_id=found["noted"].id, kind=EventKind.NOTE, at=NOW - timedelta(days=20),
                                 note="Called back"))  # fmt: skip
    db_session.flush()
    return found, {"gone": gone, "partly": partly, "recent": recent, "noted": noted}


def snapshot(db_session, referrals: dict, residents: dict):
    db_session.expire_all()
    referral_rows = [db_session.get(Referral, referral.id) for referral in referrals.values()]
    resident_rows = [db_session.get(Resident, resident.id) for resident in residents.values()]
    return (
        [(row.reason, row.anonymised_at) for row in referral_rows],
        [(row.name, row.erased_at) for row in resident_rows],
        facts(db_session, [row.id for row in referral_rows]),
    )


KEPT = ("Partly Open", "Recent Rhoda", "Noted Nell")


@pytest.fixture
def run(migrated_engine, connection):
    def _run(*args: str, **config):
        app = make_test_app(migrated_engine, connection, **config)
        return app.test_cli_runner().invoke(args=["retention", "apply", *args])

    return _run


def test_retention_dry_run_changes_nothing_and_apply_anonymises_only_the_old_and_closed(ages, db_session, run):
    referrals, residents = ages
    before = snapshot(db_session, referrals, residents)

    dry = run("--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run: would anonymise 2 closed referral(s) and 1 resident(s)" in dry.output
    assert "(24 months)" in dry.output and "Nothing was changed." in dry.output
    assert snapshot(db_session, referrals, residents) == before
    assert not db_session.exec(select(AuditLog).where(AuditLog.action.like("retention_%"))).first()
    assert "would anonymise 3 closed referral(s) and 2 resident(s)" in run("--dry-run", "--months", "18").output

    applied = run()
    assert applied.exit_code == 0, applied.output
    assert applied.output.startswith("Anonymised 2 closed referral(s) and 1 resident(s) unchanged since ")
    reasons, names, facts_after = snapshot(db_session, referrals, residents)
    assert [reason for reason, _at in reasons] == ["", "", *(f"Reason of {name}" for name in KEPT)]
    assert [name for name, _at in names] == [erasure.ERASED, *KEPT]
    assert facts_after == before[2]
    actions = db_session.exec(
        select(AuditLog.action, AuditLog.user_id).where(AuditLog.action.like("retention_%"))
    ).all()
    assert sorted(actions) == [("retention_referral", None)] * 2 + [("retention_resident", None)]

    assert run().output.startswith("Anonymised 0 closed referral(s) and 0 resident(s)")  # idempotent
    assert snapshot(db_session, referrals, residents)[:2] == (reasons, names)


def test_the_retention_period_comes_from_the_settings(ages, run, tmp_path: Path):
    assert "would anonymise 3 closed referral(s) and 2 resident(s)" in run("--dry-run", RETENTION_MONTHS=18).output
    assert settings_from_environment({}, instance_path=tmp_path)["RETENTION_MONTHS"] == 24
    environ = {"REFERRAL_APP_RETENTION_MONTHS": "36"}
    assert settings_from_environment(environ, instance_path=tmp_path)["RETENTION_MONTHS"] == 36


def test_months_before_keeps_to_the_calendar():
    assert retention.months_before(datetime(2026, 3, 31, 12, tzinfo=UTC), 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert retention.months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert retention.months_before(datetime(2026, 1, 15, tzinfo=UTC), 1) == datetime(2025, 12, 15, tzinfo=UTC)
