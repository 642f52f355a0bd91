"""The public directory: find services, read a service or an organisation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from htmx_flask import request as htmx_request

from referral_app import page_cache
from referral_app.access import public
from referral_app.db import get_session
from referral_app.directory.forms import ReportProblemForm, SearchForm, checkbox_items, error_message, select_items
from referral_app.extensions import limiter
from referral_app.i18n import current_language
from referral_app.labels import language_name
from referral_app.media.routes import page_video
from referral_app.models import OrganizationStatus, ReportReason, VideoPage
from referral_app.pwa import copy_for_offline
from referral_app.services import directory, listing_reports, media, search, search_log
from referral_app.services.opening_times import local_today
from referral_app.services.postcodes import PostcodeError, locate

bp = Blueprint("directory", __name__)
for helper in (select_items, checkbox_items, error_message):
    bp.add_app_template_global(helper)

MAX_PAGE = 10_000

POSTCODE_MESSAGES = {
    "invalid": _l("Enter a postcode, like S4 7AB, or the first part of one, like S4"),
    "unknown": _l("We could not find that postcode. Check it, or enter just the first part, like S4"),
}


def search_form() -> SearchForm:
    def language_choices() -> list[tuple[str, str]]:
        codes = directory.languages_offered(session=get_session())
        return sorted(((code, language_name(code)) for code in codes), key=lambda choice: choice[1].casefold())

    choices = page_cache.remembered(f"language-choices:{current_language().code}", language_choices)
    form = SearchForm(formdata=request.args, language_codes=choices)
    form.validate()
    return form


def query_from(form: SearchForm) -> search.SearchQuery:
    """The search the form asks for; a field with an error is left out, and the error is shown."""

    def ok(field):
        return field.data if not field.errors else None

    near = None
    if ok(form.postcode):
        try:
            near = locate(form.postcode.data)
        except PostcodeError as error:
            form.postcode.errors = [*form.postcode.errors, POSTCODE_MESSAGES[error.kind]]
    when = ok(form.when) or ""
    return search.SearchQuery(
        text=(ok(form.q) or "").strip(),
        need=ok(form.need) or None,
        language=ok(form.language) or None,
        bsl=bool(form.bsl.data),
        accessibility=tuple(value for value in ok(form.access) or () if value),
        contact=tuple(value for value in ok(form.contact) or () if value),
        free_only=bool(form.free.data),
        age=ok(form.age),
        open_now=when == "now",
        day=when if when not in ("", "now") else None,
        delivery=tuple(value for value in ok(form.delivery) or () if value),
        near=near,
    )


@bp.get("/services")
@public
def find_services():
    form = search_form()
    query = query_from(form)
    session = get_session()
    now = datetime.now(UTC)
    language = current_language()
    locale = language.html_lang  # BSL pages are written in English
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)  # a huge number must not reach SQL

    def build() -> tuple[str, int]:
        results = search.search_services(
            session=session, query=query, locale=locale, now=now, page=page, page_size=current_app.config["PAGE_SIZE"]
        )
        # One URL, two shapes: the whole page, or for htmx just the parts of it that change.
        if htmx_request.htmx:
            template, video = "directory/_search_results.html", None
        else:
            template, video = "directory/find_services.html", page_video(VideoPage.HOW_TO_SEARCH)
        html = render_template(
            template,
            form=form,
            query=query,
            results=results,
            today=local_today(now),
            oob=bool(htmx_request.htmx),
            bsl_video=video,
        )
        return html, results.total

    html, total = page_cache.cached(build)
    response = current_app.make_response(html)
    response.vary.add("HX-Request")
    # Each search counts once: not every keystroke of live search, nor later pages, nor the offline copy.
    typing = htmx_request.htmx and request.headers.get("HX-Trigger") == "q"
    if page == 1 and not typing and not copy_for_offline():
        row = search.search_log_row(query=query, locale=language.code, result_count=total, now=now)
        write_batch = search_log.record(
            row, session=session, delay_seconds=current_app.config["SEARCH_LOG_FLUSH_SECONDS"]
        )
        if write_batch:
            response.call_on_close(write_batch)
        session.commit()
    return response


@bp.get("/services/<uuid:service_id>")
@public
def show_service(service_id: uuid.UUID):
    def build() -> str | None:
        now = datetime.now(UTC)
        locale = current_language().html_lang
        page = directory.service_page(session=get_session(), service_id=service_id, locale=locale, now=now)
        if page is None:
            return None
        video = media.video_for(session=get_session(), service_id=service_id)
        return render_template("directory/show_service.html", page=page, today=local_today(now), bsl_video=video)

    html = page_cache.cached(build)
    if html is None:
        abort(404)
    return html


@bp.get("/organisations/<uuid:organization_id>")
@public
def show_organization(organization_id: uuid.UUID):
    session = get_session()
    organization = directory.get_organization(session=session, organization_id=organization_id)
    if organization is None or organization.status != OrganizationStatus.APPROVED:
        abort(404)
    services = directory.services_of_organization(session=session, organization_id=organization_id)
    return render_template("directory/show_organization.html", organization=organization, services=services)


def _problem_report_limit() -> str:
    return current_app.config["PROBLEM_REPORT_RATE_LIMIT"]


@bp.route("/services/<uuid:service_id>/report", methods=["GET", "POST"])
@public
@limiter.limit(_problem_report_limit, methods=["POST"])
def report_problem(service_id: uuid.UUID):
    session = get_session()
    found = directory.get_service(session=session, service_id=service_id)
    if found is None:
        abort(404)
    service, organization = found
    form = ReportProblemForm()
    if form.validate_on_submit():
        if not form.website.data:  # a person left the hidden field empty; a bot did not
            listing_reports.create_report(
                session=session,
                service_id=service.id,
                reason=ReportReason(form.reason.data),
                details=form.details.data or "",
                locale=current_language().html_lang,
            )
            session.commit()
        return redirect(url_for("directory.problem_reported", service_id=service.id), code=303)
    return render_template("directory/report_problem.html", form=form, service=service, organization=organization)


@bp.get("/services/<uuid:service_id>/report/sent")
@public
def problem_reported(service_id: uuid.UUID):
    found = directory.get_service(session=get_session(), service_id=service_id)
    if found is None:
        abort(404)
    return render_template("directory/problem_reported.html", service=found[0])
