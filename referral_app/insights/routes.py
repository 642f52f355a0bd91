"""Insights for commissioners and admins: counts of referrals, never a person. Each table also as CSV."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.insights.forms import InsightFilterForm
from referral_app.labels import NEED_NAMES, language_name
from referral_app.models import Organization, OrganizationStatus, Role
from referral_app.referral_labels import DECLINE_REASON_NAMES, PRIORITY_GROUP_NAMES
from referral_app.services import insights

bp = Blueprint("insights", __name__, url_prefix="/insights")
READERS = (Role.COMMISSIONER, Role.ADMIN)

COMMUNICATION_NAMES = {
    "bsl_interpreter": _l("BSL interpreter"),
    "interpreter": _l("Spoken-language interpreter"),
    "easy_read": _l("Easy Read"),
    "large_print": _l("Large print"),
}
RESPONSE_NAMES = {
    "within_1_day": _l("Within a day"),
    "1_to_3_days": _l("1 to 3 days"),
    "3_to_7_days": _l("3 to 7 days"),
    "over_7_days": _l("More than 7 days"),
    "not_answered": _l("Not answered yet"),
}
TITLES = {
    "over_time": (_l("Referrals by month"), _l("Month")),
    "by_need": (_l("Referrals by need"), _l("Need")),
    "by_area": (_l("Referrals by area"), _l("Postcode district")),
    "by_group": (_l("Referrals by group"), _l("Group")),
    "by_language": (_l("Referrals by preferred language"), _l("Language")),
    "by_communication": (_l("Referrals by communication need"), _l("Communication need")),
    "by_organisation": (_l("Referrals by organisation"), _l("Organisation")),
    "decline_reasons": (_l("Why referrals were declined"), _l("Reason")),
    "response_times": (_l("Time to the first answer"), _l("Time")),
}
NOTES = {
    "by_need": _l("A referral can be for more than one need, so these add up to more than the total."),
    "by_group": _l("People choose whether to record groups, and can be in more than one."),
    "by_communication": _l("A person can have more than one communication need."),
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    label_heading: str
    rows: list[tuple[str, int | None]]  # (label, count; None is fewer than 5)
    total: int | None
    shows_total: bool
    note: str = ""

    @property
    def largest(self) -> int:
        return max((count or 0 for _label, count in self.rows), default=0)


def _month_name(key: str) -> str:
    year, month = (int(part) for part in key.split("-"))
    return format_date(date(year, month, 1), "MMM y", locale=get_locale())


# What each breakdown's keys mean to a reader (months, languages, areas and organisations are named in _label).
LABELS = {
    "by_need": NEED_NAMES,
    "by_group": {group.value: name for group, name in PRIORITY_GROUP_NAMES.items()},
    "by_communication": COMMUNICATION_NAMES,
    "decline_reasons": {reason.value: name for reason, name in DECLINE_REASON_NAMES.items()},
    "response_times": RESPONSE_NAMES,
}


def _label(breakdown: str, key: str, names: dict[str, str]) -> str:
    if breakdown == "over_time":
        return _month_name(key)
    if breakdown == "by_language":
        return language_name(key)
    if breakdown == "by_area":
        return key or str(_l("Not recorded"))
    labels = names if breakdown == "by_organisation" else LABELS.get(breakdown)
    return str(labels.get(key, key)) if labels is not None else key


def table_of(breakdown: insights.Breakdown, names: dict[str, str]) -> Table:
    title, label_heading = TITLES[breakdown.name]
    return Table(
        key=breakdown.name,
        title=str(title),
        label_heading=str(label_heading),
        rows=[(_label(breakdown.name, row.key, names), row.count) for row in breakdown.rows],
        total=breakdown.total,
        shows_total=breakdown.shows_total,
        note=str(NOTES.get(breakdown.name, "")),
    )


def tables_of(found: insights.Insights) -> list[Table]:
    names = found.organisation_names
    breakdowns = (
        found.over_time, found.by_need, found.by_area, found.by_group, found.by_language, found.by_communication,
        found.by_organisation, found.funnel.decline_reasons, found.funnel.response_times,
    )  # fmt: skip
    return [table_of(breakdown, names) for breakdown in breakdowns]


def _organisations() -> list[tuple[str, str]]:
    rows = (
        get_session()
        .exec(
            select(Organization.id, Organization.name)
            .where(Organization.status == OrganizationStatus.APPROVED)
            .order_by(Organization.name)
        )
        .all()
    )
    return [(str(organization_id), name) for organization_id, name in rows]


def _filters(form: InsightFilterForm) -> insights.InsightFilters:
    """The filters the form asks for; a field with an error is left out (its message is shown)."""

    def ok(field):
        return field.data if not field.errors and field.data else None

    organisation = ok(form.organisation)
    return insights.InsightFilters(
        since=ok(form.since),
        until=ok(form.until),
        outcode=ok(form.area),
        organization_id=uuid.UUID(organisation) if organisation else None,
        need=ok(form.need),
        group=ok(form.group),
    )


def _read() -> tuple[InsightFilterForm, insights.Insights]:
    form = InsightFilterForm(request.args, organisations=_organisations())
    form.validate()
    return form, insights.insights(session=get_session(), filters=_filters(form))


@bp.get("")
@roles_required(*READERS)
def dashboard():
    form, found = _read()
    return render_template("insights/dashboard.html", form=form, found=found, tables=tables_of(found))


@bp.get("/<name>.csv")
@roles_required(*READERS)
def download(name: str):
    _form, found = _read()
    table = next((table for table in tables_of(found) if table.key == name), None)
    if table is None:
        abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([table.label_heading, str(_l("Referrals"))])
    fewer = str(_l("fewer than 5"))
    for label, count in table.rows:
        writer.writerow([label, fewer if count is None else count])
    if table.shows_total:
        writer.writerow([str(_l("Total")), fewer if table.total is None else table.total])
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")  # the BOM lets spreadsheets read UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="insights-{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
