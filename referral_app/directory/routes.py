"""The public directory: find services, read a service or an organisation."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, render_template, request
from htmx_flask import request as htmx_request

from referral_app.access import public
from referral_app.db import get_session
from referral_app.services import directory

bp = Blueprint("directory", __name__)
MAX_QUERY_LENGTH = 200


@bp.get("/services")
@public
def find_services():
    text = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
    page = request.args.get("page", 1, type=int) or 1
    results = directory.find_services(
        session=get_session(), text=text, page=page, page_size=current_app.config["PAGE_SIZE"]
    )
    # One URL, two shapes: the whole page, or for htmx just the results that the page includes.
    template = "directory/_service_results.html" if htmx_request.htmx else "directory/find_services.html"
    response = current_app.make_response(
        render_template(template, text=text, results=results, oob=bool(htmx_request.htmx))
    )
    response.vary.add("HX-Request")
    return response


@bp.get("/services/<uuid:service_id>")
@public
def show_service(service_id: uuid.UUID):
    found = directory.get_service(session=get_session(), service_id=service_id)
    if found is None:
        abort(404)
    service, organization = found
    return render_template("directory/show_service.html", service=service, organization=organization)


@bp.get("/organisations/<uuid:organization_id>")
@public
def show_organization(organization_id: uuid.UUID):
    session = get_session()
    organization = directory.get_organization(session=session, organization_id=organization_id)
    if organization is None:
        abort(404)
    services = directory.services_of_organization(session=session, organization_id=organization_id)
    return render_template("directory/show_organization.html", organization=organization, services=services)
