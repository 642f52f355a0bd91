"""The asset map: services per postcode district and need, on a map (with JavaScript) and in a table, also as CSV.

Counts of services describe what organisations offer, not people, so no figure here is suppressed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from referral_app.access import roles_required
from referral_app.db import get_session
from referral_app.directory.forms import offered_choices
from referral_app.insights.forms import InsightFilterForm, accepted
from referral_app.insights.routes import READERS, bp, csv_response
from referral_app.labels import NEED_NAMES
from referral_app.services import asset_map as assets


class AssetMapFilterForm(FlaskForm):
    """The map's filters: a GET form, so every view has an address and the CSV link keeps it."""

    class Meta:
        csrf = False  # reading figures changes nothing

    area = StringField(_l("Postcode district (optional)"), widget=GovTextInput(), validators=[Optional()])
    need = SelectField(_l("Need"), widget=GovSelect(), validators=[offered_choices], validate_choice=False)
    organisation = SelectField(
        _l("Organisation"), widget=GovSelect(), validators=[offered_choices], validate_choice=False
    )
    validate_area = InsightFilterForm.validate_area  # the same rule and message as the insights page

    def __init__(self, *args, organisations: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.need.choices = [("", _l("All needs")), *NEED_NAMES.items()]
        self.organisation.choices = [("", _l("All organisations")), *organisations]


@dataclass(frozen=True)
class AssetTable:
    """What the page's table and its CSV show: a heading per column, then a row per district and the total."""

    headings: list[str]  # the district, all services, then each need
    rows: list[tuple[assets.AreaRow, str, list[int]]]  # (the figures' source, label, figures)
    total: list[int]


def table_of(found: assets.AssetMap, *, by_need: bool) -> AssetTable:
    needs = found.needs if by_need else []
    headings = [str(_l("Postcode district")), str(_l("Services")), *(str(NEED_NAMES[code]) for code in needs)]
    rows = [
        (row, row.outcode or str(_l("No fixed place")), [row.total, *(row.by_need.get(code, 0) for code in needs)])
        for row in found.rows
    ]
    total = [found.total, *(found.by_need.get(code, 0) for code in needs)]
    return AssetTable(headings=headings, rows=rows, total=total)


def _read() -> tuple[AssetMapFilterForm, assets.AssetMap, AssetTable]:
    session = get_session()
    organisations = [(str(id_), name) for id_, name in assets.organisations_listed(session=session)]
    form = AssetMapFilterForm(request.args, organisations=organisations)
    form.validate()
    organisation = accepted(form.organisation)
    filters = assets.AssetFilters(
        need=accepted(form.need),
        outcode=accepted(form.area),
        organization_id=uuid.UUID(organisation) if organisation else None,
    )
    found = assets.asset_map(session=session, filters=filters)
    # With one need chosen, every service counted meets it: columns per need would only repeat the total.
    return form, found, table_of(found, by_need=filters.need is None)


@bp.get("/map")
@roles_required(*READERS)
def asset_map():
    form, found, table = _read()
    return render_template("insights/asset_map.html", form=form, found=found, table=table)


@bp.get("/map.csv")
@roles_required(*READERS)
def asset_map_download():
    _form, _found, table = _read()
    rows = [table.headings, *([label, *figures] for _row, label, figures in table.rows)]
    return csv_response("asset-map", [*rows, [str(_l("Total")), *table.total]])
