"""The read-only Open Referral UK 3.0 API: services, where they are, organisations and taxonomies.

Anyone may read it (`@public`), from any web page (CORS `*`), with GET only. Bad parameters get a 400 and
unknown ids a 404, both as JSON `{"error": {"status", "title", "detail"}}`. Each client address has one budget of
requests across the whole API (API_RATE_LIMIT); past it, a 429 JSON error with a Retry-After header.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, time
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory, url_for

from referral_app.access import public
from referral_app.db import get_session
from referral_app.extensions import limiter
from referral_app.services import oruk_directory
from referral_app.services.opening_times import DAY_CODES
from referral_app.services.oruk_api import HSDS_VERSION, PROFILE_URL
from referral_app.services.postcodes import PostcodeError, locate
from referral_app.services.search import SearchQuery

bp = Blueprint("api", __name__, url_prefix="/api/openreferral")
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(bp)
ORUK_DATA = Path(__file__).resolve().parent.parent / "data" / "oruk"
DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 50, 100, 1_000_000
MAX_SEARCH_LENGTH = 200
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYS = {
    **{code.lower(): code for code in DAY_CODES},
    **{name: code for name, code in zip(_DAY_NAMES, DAY_CODES, strict=True)},
    **{name[:3]: code for name, code in zip(_DAY_NAMES, DAY_CODES, strict=True)},
}
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,9}$")
_NUMBER = re.compile(r"^[0-9]{1,9}(\.[0-9]+)?$")
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")


class BadParameter(ValueError):
    """A query parameter or id that cannot be used; the message says why."""


def _json(data: object, status: int = 200) -> Response:
    # Keys stay in the order the spec lists them, and text in every language stays readable.
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


def _error(status: int, title: str, detail: str) -> Response:
    return _json({"error": {"status": status, "title": title, "detail": detail}}, status)


def _not_found(what: str, item_id: uuid.UUID) -> Response:
    return _error(404, "Not Found", f"There is no {what} with id {item_id}.")


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return _error(400, "Bad Request", str(error))


@bp.after_app_request
def allow_any_origin(response: Response) -> Response:
    """ORUK asks every API response to allow any origin: registered app-wide so 404s and 405s get it too."""
    if request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _whole_number(name: str, default: int, highest: int) -> int:
    value = _arg(name)
    if value is None:
        return default
    if not _WHOLE_NUMBER.match(value) or not 1 <= int(value) <= highest:
        raise BadParameter(f"{name} must be a whole number from 1 to {highest}, not {value!r}.")
    return int(value)


def _paging() -> tuple[int, int]:
    return _whole_number("page", 1, MAX_PAGE), _whole_number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)


def _number(name: str) -> float | None:
    value = _arg(name)
    if value is not None and not _NUMBER.match(value):
        raise BadParameter(f"{name} must be a number of 0 or more, not {value!r}.")
    return float(value) if value is not None else None


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameter(f"{name} must be a UUID, not {value!r}.") from None


def _optional_uuid(name: str) -> uuid.UUID | None:
    value = _arg(name)
    return _uuid(value, name) if value is not None else None


def _time(name: str) -> time | None:
    value = _arg(name)
    if value is None:
        return None
    match = _TIME.match(value)
    try:
        if not match:
            raise ValueError(value)
        return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    except ValueError:
        raise BadParameter(f"{name} must be a time as HH:MM (24-hour clock), not {value!r}.") from None


def _day() -> str | None:
    value = _arg("day")
    if value is None:
        return None
    if value.lower() not in DAYS:
        raise BadParameter(f"day must be one of {', '.join(DAY_CODES)} or a day's name in English, not {value!r}.")
    return DAYS[value.lower()]


def _service_query() -> SearchQuery:
    """The filters the ORUK /services and /service_at_locations endpoints take, as a search query."""
    postcode, proximity = _arg("postcode"), _number("proximity")
    place = None
    if postcode is not None:
        try:
            place = locate(postcode)
        except PostcodeError as error:
            known = "a UK postcode or postcode district" if error.kind == "invalid" else "a known UK postcode"
            raise BadParameter(f"postcode must be {known}, not {postcode!r}.") from None
    elif proximity is not None:
        raise BadParameter("proximity (in metres) needs a postcode to measure from.")
    return SearchQuery(
        text=request.args.get("search", "")[:MAX_SEARCH_LENGTH].strip(),
        term_id=_optional_uuid("taxonomy_term_id"),
        taxonomy_id=_optional_uuid("taxonomy_id"),
        minimum_age_at_least=_number("minimum_age"),
        maximum_age_at_most=_number("maximum_age"),
        day=_day(),
        starts_from=_time("start_time"),
        ends_by=_time("end_time"),
        near=place,
        within_km=proximity / 1000 if proximity is not None else None,
        covers_outcode=place.outcode if place else None,
    )


@bp.get("/")
@public
def describe_api():
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": url_for(".get_openapi", _external=True),
        }
    )


@bp.get("/openapi.json")
@public
def get_openapi():
    return send_from_directory(ORUK_DATA, "openapi.json", mimetype="application/json")


@bp.get("/schema/<path:filename>")
@public
def get_schema(filename: str):
    return send_from_directory(ORUK_DATA / "schema", filename, mimetype="application/json")


@bp.get("/services")
@public
def list_services():
    query, (page, per_page) = _service_query(), _paging()
    return _json(
        oruk_directory.services_page(
            session=get_session(), query=query, now=datetime.now(UTC), page=page, per_page=per_page
        )
    )


@bp.get("/services/<service_id>")
@public
def show_service(service_id: str):
    item_id = _uuid(service_id, "id")
    found = oruk_directory.service_detail(session=get_session(), service_id=item_id)
    return _json(found) if found else _not_found("service", item_id)


@bp.get("/service_at_locations")
@public
def list_service_at_locations():
    query, (page, per_page) = _service_query(), _paging()
    return _json(
        oruk_directory.service_at_locations_page(
            session=get_session(), query=query, now=datetime.now(UTC), page=page, per_page=per_page
        )
    )


@bp.get("/service_at_locations/<service_at_location_id>")
@public
def show_service_at_location(service_at_location_id: str):
    item_id = _uuid(service_at_location_id, "id")
    found = oruk_directory.service_at_location_detail(session=get_session(), service_at_location_id=item_id)
    return _json(found) if found else _not_found("service at a location", item_id)


@bp.get("/organizations")
@public
def list_organizations():
    search, (page, per_page) = request.args.get("search", "")[:MAX_SEARCH_LENGTH], _paging()
    return _json(oruk_directory.organizations_page(session=get_session(), search=search, page=page, per_page=per_page))


@bp.get("/organizations/<organization_id>")
@public
def show_organization(organization_id: str):
    item_id = _uuid(organization_id, "id")
    found = oruk_directory.organization_detail(session=get_session(), organization_id=item_id)
    return _json(found) if found else _not_found("organization", item_id)


@bp.get("/taxonomies")
@public
def list_taxonomies():
    page, per_page = _paging()
    return _json(oruk_directory.taxonomies_page(session=get_session(), page=page, per_page=per_page))


@bp.get("/taxonomies/<taxonomy_id>")
@public
def show_taxonomy(taxonomy_id: str):
    item_id = _uuid(taxonomy_id, "id")
    found = oruk_directory.taxonomy_detail(session=get_session(), taxonomy_id=item_id)
    return _json(found) if found else _not_found("taxonomy", item_id)


@bp.get("/taxonomy_terms")
@public
def list_taxonomy_terms():
    taxonomy_id, (page, per_page) = _optional_uuid("taxonomy_id"), _paging()
    return _json(
        oruk_directory.taxonomy_terms_page(session=get_session(), taxonomy_id=taxonomy_id, page=page, per_page=per_page)
    )


@bp.get("/taxonomy_terms/<term_id>")
@public
def show_taxonomy_term(term_id: str):
    item_id = _uuid(term_id, "id")
    found = oruk_directory.taxonomy_term_detail(session=get_session(), term_id=item_id)
    return _json(found) if found else _not_found("taxonomy term", item_id)
