"""The gaps page: where needs are not met, for commissioners and admins. Each table also as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.insights.forms import InsightFilterForm, accepted
from referral_app.insights.routes import READERS, bp, csv_response
from referral_app.labels import NEED_NAMES, language_name
from referral_app.models._types import utcnow
from referral_app.services import insight_gaps
from referral_app.services.insight_gaps import NO_WORDS, OTHER_WORDS

ROWS_SHOWN = 100  # of each table on the page, in its order (fewest services first...); its CSV file has them all

APPLY_ALL = _l("Filters that apply: period, area and need.")
APPLIES = {
    "supply": _l("Filters that apply: period, area and need. Services are counted as they are listed now."),
    "listings": _l(
        "Filters that apply: area and need. The period does not apply: these are the listings as they are now."
    ),
}
REACH_NOTE = _l(
    "“Well below” is under three quarters of the average in the total row. Referrals for every 100 searches are "
    "shown only where both numbers are."
)


@dataclass(frozen=True)
class GapTable:
    """A table as the page and its CSV file show it: a label for each row, then its cells."""

    key: str
    title: str
    headings: list[str]
    kinds: list[str]  # for each cell after the label: "text", "count", "ratio" or "date"
    rows: list[tuple[str, list]]
    total: list | None = None  # the cells of a last "Total" row
    note: str = ""
    applies: str = field(default_factory=lambda: str(APPLY_ALL))
    own_words: tuple[int, ...] = ()  # columns (0: the label) in organisations' own words, which are in English
    count: int | None = None  # rows in the whole table, where `rows` holds only the first of them

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.count is None else self.count

    def first_rows(self) -> GapTable:
        return replace(self, rows=self.rows[:ROWS_SHOWN], count=self.row_count)


def _count_table(key: str, title, heading, counted: insight_gaps.Counted, names) -> GapTable:
    return GapTable(
        key=key,
        title=str(title),
        headings=[str(heading), str(_l("Searches"))],
        kinds=["count"],
        rows=[(names(name), [count]) for name, count in counted.rows],
        total=[counted.total],
    )


def _area(outcode: str) -> str:
    return outcode or str(_l("No area given"))


def _words(key: str) -> str:
    if key == OTHER_WORDS:
        return str(_l("Other words, each used by fewer than 5 of these searches"))
    return str(_l("No words (filters only)")) if key == NO_WORDS else key


def _need(code: str) -> str:
    return str(NEED_NAMES.get(code, code))


def _declines(key: str, title, heading, rows: list[insight_gaps.DeclineRow], names, own_words=()) -> GapTable:
    return GapTable(
        key=key,
        title=str(title),
        headings=[
            str(heading), str(_l("Referrals")), str(_l("Declined: no capacity")), str(_l("Declined: not suitable")),
        ],
        kinds=["count"] * 3,
        rows=[(names(row.key), [row.referrals, row.no_capacity, row.not_suitable]) for row in rows],
        note=str(_l("Only rows with at least one referral declined for either reason are listed.")),
        own_words=own_words,
    )  # fmt: skip


def _reach(key: str, title, heading, reach: insight_gaps.Reach, names, about) -> GapTable:
    def verdict(row: insight_gaps.ReachRow) -> str:
        if row.per_100_searches is None:
            return str(_l("Not known"))
        return _yes_no(row.well_below_average)

    return GapTable(
        key=key,
        title=str(title),
        headings=[
            str(heading), str(_l("Searches")), str(_l("Referrals")), str(_l("Referrals for every 100 searches")),
            str(_l("Well below the average")),
        ],
        kinds=["count", "count", "ratio", "text"],
        rows=[
            (names(row.key), [row.searches, row.referrals, row.per_100_searches, verdict(row)]) for row in reach.rows
        ],
        total=[reach.searches, reach.referrals, reach.per_100_searches, ""],
        note=" ".join((str(about), str(REACH_NOTE))),
    )  # fmt: skip


def _yes_no(value: bool) -> str:
    return str(_l("Yes") if value else _l("No"))


def tables_of(found: insight_gaps.Gaps) -> list[GapTable]:
    organisations = found.organisation_names
    supply = GapTable(
        key="supply",
        title=str(_l("Services against referrals and searches")),
        headings=[
            str(_l("Need")), str(_l("Postcode district")), str(_l("Services")), str(_l("Referrals")),
            str(_l("Searches")),
        ],
        kinds=["text", "count", "count", "count"],
        rows=[(_need(row.need), [row.outcode, row.services, row.referrals, row.searches]) for row in found.supply],
        note=str(
            _l(
                "Each need and postcode district that someone was referred or searched for, those with fewest "
                "services first. Services are those listed for the need with a place in the district or working in "
                "it; searches are those that chose the need near a postcode in the district."
            )
        ),
        applies=str(APPLIES["supply"]),
    )  # fmt: skip
    listings = GapTable(
        key="listings",
        title=str(_l("Listings missing a translation, a BSL video or a recent check")),
        headings=[
            str(_l("Service")), str(_l("Organisation")), str(_l("Last checked")),
            str(_l("Checked in the last 12 months")), str(_l("Translated")), str(_l("BSL video")),
        ],
        kinds=["text", "date", "text", "text", "text"],
        rows=[
            (gap.name, [gap.organisation, gap.last_checked, _yes_no(not gap.out_of_date), _yes_no(gap.translated),
                        _yes_no(gap.has_video)])
            for gap in found.listings.rows
        ],
        note=str(_l("Listings are public, so they are named. Those checked longest ago come first.")),
        applies=str(APPLIES["listings"]),
        own_words=(0, 1),
        count=found.listings.count,
    )  # fmt: skip
    return [
        supply,
        _declines("declines_by_need", _l("Declined for capacity or as not suitable, by need"), _l("Need"),
                  found.declines_by_need, _need),
        _declines("declines_by_organisation", _l("Declined for capacity or as not suitable, by organisation"),
                  _l("Organisation"), found.declines_by_organisation, lambda key: organisations.get(key, key), (0,)),
        _count_table("no_results_by_words", _l("Searches with no results, by the words used"), _l("Words"),
                     found.no_results_by_words, _words),
        _count_table("no_results_by_area", _l("Searches with no results, by area"), _l("Postcode district"),
                     found.no_results_by_area, _area),
        _count_table("no_results_by_language", _l("Searches with no results, by language"), _l("Language"),
                     found.no_results_by_language, language_name),
        listings,
        _reach("reach_by_area", _l("Referrals for the searches made, by area"), _l("Postcode district"),
               found.reach_by_area, _area,
               _l("Searches near a postcode in the district, against referrals of people who live there. Searches "
                  "and referrals with no district are left out.")),
        _reach("reach_by_language", _l("Referrals for the searches made, by language"), _l("Language"),
               found.reach_by_language, language_name,
               _l("Searches by the language the directory was read in, against referrals by the language the "
                  "person prefers. Searches do not say who made them, so groups are seen through their languages.")),
    ]  # fmt: skip


def _read(*, listing_limit: int | None) -> tuple[InsightFilterForm, insight_gaps.Gaps]:
    form = InsightFilterForm(request.args)
    del form.organisation, form.group  # the gaps are counted by area and need, not by organisation or group
    form.validate()
    filters = insight_gaps.GapFilters(
        since=accepted(form.since), until=accepted(form.until), outcode=accepted(form.area), need=accepted(form.need)
    )
    found = insight_gaps.gaps(
        session=get_session(), filters=filters, today=utcnow().date(), listing_limit=listing_limit
    )
    return form, found


@bp.get("/gaps")
@roles_required(*READERS)
def gaps():
    form, found = _read(listing_limit=ROWS_SHOWN)
    tables = [table.first_rows() for table in tables_of(found)]
    return render_template("insights/gaps.html", form=form, tables=tables)


def _csv_cell(kind: str, value) -> str | int:
    if kind == "count":
        return str(_l("fewer than 5")) if value is None else value
    if kind == "ratio":
        return str(_l("not shown")) if value is None else f"{value:.1f}"
    if kind == "date":
        return str(_l("Never")) if value is None else value.isoformat()
    return value


@bp.get("/gaps/<name>.csv")
@roles_required(*READERS)
def gaps_download(name: str):
    _form, found = _read(listing_limit=None)
    table = next((table for table in tables_of(found) if table.key == name), None)
    if table is None:
        abort(404)
    rows = [table.headings]
    rows += [
        [label, *(_csv_cell(kind, value) for kind, value in zip(table.kinds, cells, strict=True))]
        for label, cells in table.rows
    ]
    if table.total is not None:
        rows.append(
            [str(_l("Total")), *(_csv_cell(kind, value) for kind, value in zip(table.kinds, table.total, strict=True))]
        )
    return csv_response(f"gaps-{name}", rows)
