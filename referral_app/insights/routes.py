"""Insights for commissioners and admins: counts of referrals, never a person. Each table also as CSV."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from referral_app import page_cache
from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.insights.forms import InsightFilterForm, accepted
from referral_app.labels import NEED_NAMES, language_name
from referral_app.models import Organization, OrganizationStatus, Role
from referral_app.referral_labels import DECLINE_REASON_NAMES, PRIORITY_GROUP_NAMES
from referral_app.services import insight_outcomes, insights

bp = Blueprint("insights", __name__, url_prefix="/insights")
READERS = (Role.COMMISSIONER, Role.ADMIN)
ROWS_SHOWN = 25  # of a table and its chart on the page, largest first; its CSV file has every row

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


QUESTION_NAMES = {
    "life_satisfaction": _l("Life satisfaction"),
    "worthwhile": _l("Worthwhile"),
    "happiness": _l("Happiness"),
    "anxiety": _l("Anxiety (lower is better)"),
}

WELLBEING_NOTE = _l(
    "Mean scores from 0 to 10 before and after, and how many people were better, the same or worse at the end."
)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    label_heading: str
    rows: list[tuple[str, int | None]]  # (label, count; None is fewer than 5)
    total: int | None
    shows_total: bool
    note: str = ""
    count: int | None = None  # rows in the whole table, where `rows` holds only the first (largest) of them

    @property
    def largest(self) -> int:
        return max((count or 0 for _label, count in self.rows), default=0)

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.count is None else self.count

    def first_rows(self) -> Table:
        """As the page shows it: a chart of 2,000 organisations helps no one (the CSV file has them all)."""
        return replace(self, rows=self.rows[:ROWS_SHOWN], count=self.row_count)


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


@dataclass(frozen=True)
class Grid:
    """A table with several figures per row: counts (None is fewer than 5), means and changes (None: not shown)."""

    key: str
    title: str
    headings: list[str]  # the first names the rows
    kinds: list[str]  # for each figure column: "count", "mean" or "change"
    rows: list[tuple[str, list[int | float | None]]]  # the first figure is the number of people
    note: str = ""

    @property
    def empty(self) -> bool:
        return all(values[0] == 0 for _label, values in self.rows)


@bp.app_template_global("insight_figure")
def shown(kind: str, value: int | float | None) -> str:
    """A figure as the page and the CSV show it, in the reader's language."""
    if value is None:
        return str(_l("fewer than 5") if kind == "count" else _l("not shown"))
    if kind == "count":
        return format_decimal(value, locale=get_locale())
    pattern = "+#,##0.0;-#,##0.0" if kind == "change" else "#,##0.0"
    return format_decimal(value, format=pattern, locale=get_locale())


def _question(code: str) -> str:
    return str(QUESTION_NAMES.get(code, code))


def grids_of(found: insight_outcomes.OutcomeInsights) -> list[Grid]:
    people = str(_l("People"))
    by_question = Grid(
        key="wellbeing",
        title=str(_l("Well-being before and after (ONS4)")),
        headings=[
            str(_l("Question")), people, str(_l("Before")), str(_l("After")), str(_l("Mean change")),
            str(_l("Better")), str(_l("Same")), str(_l("Worse")),
        ],
        kinds=["count", "mean", "mean", "change", "count", "count", "count"],
        note=str(WELLBEING_NOTE),
        rows=[
            (_question(q.item), [q.people, q.mean_before, q.mean_after, q.mean_change, q.better, q.same, q.worse])
            for q in found.questions
        ],
    )  # fmt: skip
    changes = [_question(item) for item in found.items]

    def by(key: str, title, heading, rows: list[insight_outcomes.ChangeRow], names) -> Grid:
        return Grid(
            key=key,
            title=str(title),
            headings=[str(heading), people, *changes],
            kinds=["count", *["change"] * len(found.items)],
            rows=[
                (str(names.get(row.key, row.key)), [row.people, *(row.mean_changes[item] for item in found.items)])
                for row in rows
            ],
            note=" ".join((str(_l("The mean change in each score.")), str(NOTES[key.removeprefix("wellbeing_")]))),
        )

    return [
        by_question,
        by("wellbeing_by_need", _l("Change in well-being by need"), _l("Need"), found.by_need, NEED_NAMES),
        by("wellbeing_by_group", _l("Change in well-being by group"), _l("Group"), found.by_group, LABELS["by_group"]),
    ]


def _organisations() -> list[tuple[str, str]]:
    def approved() -> list[tuple[str, str]]:
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

    return page_cache.remembered("approved-organisations", approved)


def _filters(form: InsightFilterForm) -> insights.InsightFilters:
    """The filters the form asks for; a field with an error is left out (its message is shown)."""
    organisation = accepted(form.organisation)
    return insights.InsightFilters(
        since=accepted(form.since),
        until=accepted(form.until),
        outcode=accepted(form.area),
        organization_id=uuid.UUID(organisation) if organisation else None,
        need=accepted(form.need),
        group=accepted(form.group),
    )


def _read() -> tuple[InsightFilterForm, insights.InsightFilters]:
    form = InsightFilterForm(request.args, organisations=_organisations())
    form.validate()
    return form, _filters(form)


@bp.get("")
@roles_required(*READERS)
def dashboard():
    form, filters = _read()
    # The same figures for every reader (counts only, small ones suppressed): built once a minute per worker.
    found = page_cache.remembered(
        f"insights:{filters!r}", lambda: insights.insights(session=get_session(), filters=filters)
    )
    tables = [table.first_rows() for table in tables_of(found)]
    return render_template("insights/dashboard.html", form=form, found=found, tables=tables)


@bp.get("/wellbeing")
@roles_required(*READERS)
def wellbeing():
    form, filters = _read()
    found = insight_outcomes.outcome_insights(session=get_session(), filters=filters)
    return render_template("insights/wellbeing.html", form=form, grids=grids_of(found))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
SIGNED_NUMBER = re.compile(r"[+-][\d.,\u00a0\u202f]+")  # a mean change such as "+1.4" stays a number


def _csv_cell(cell):
    """Words from organisations or searchers kept as words: a leading ' stops a spreadsheet running a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not SIGNED_NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def csv_response(name: str, rows: list[list]) -> Response:
    """A table as a CSV download: UTF-8 with a BOM (so spreadsheets read it), never cached."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([_csv_cell(cell) for cell in row] for row in rows)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="insights-{name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<name>.csv")
@roles_required(*READERS)
def download(name: str):
    _form, filters = _read()
    fewer = str(_l("fewer than 5"))
    if name.startswith("wellbeing"):
        wellbeing = insight_outcomes.outcome_insights(session=get_session(), filters=filters)
        grid = next((grid for grid in grids_of(wellbeing) if grid.key == name), None)
        if grid is None:
            abort(404)
        return csv_response(name, [
            grid.headings,
            *([label, *(shown(kind, value) for kind, value in zip(grid.kinds, values, strict=True))]
              for label, values in grid.rows),
        ])  # fmt: skip
    found = insights.insights(session=get_session(), filters=filters)
    table = next((table for table in tables_of(found) if table.key == name), None)
    if table is None:
        abort(404)
    rows = [[table.label_heading, str(_l("Referrals"))]]
    rows += [[label, fewer if count is None else count] for label, count in table.rows]
    if table.shows_total:
        rows.append([str(_l("Total")), fewer if table.total is None else table.total])
    return csv_response(name, rows)


from referral_app.insights import asset_map  # noqa: E402, F401, I001  (registers the asset map on bp)
from referral_app.insights import gaps  # noqa: E402, F401  (registers the gap views on bp)
