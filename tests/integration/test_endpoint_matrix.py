"""Every endpoint x every role, with real requests: what each kind of person gets from each address.

test_access.py checks the rule each view *declares*; this asks the running app. Each address names a real record
(of Riverside Community Hub, the organisation of orgstaff@example.org; see tests/security_records.py), every
endpoint is asked with each method it takes (GET as is; POST with a valid CSRF token and an empty body) and the
answer must be the one in MATRIX; a method it does not take must answer 405. An endpoint that is in the app but
not in MATRIX fails `test_every_endpoint_is_in_the_matrix`, so a new route cannot be forgotten.

A row is `endpoint: (address, {role: expected})`; `allowed(...)` and `everyone(...)` write the usual rows.
`expected` is one answer for every method the endpoint takes, or a pair (GET, POST) when they differ. An answer is
a status code, SIGN_IN (302 to the sign-in page) or OK (allowed: any answer but a refusal or a server error; an
empty POST is usually its form shown again with errors). The address is formatted with `Records.ids` (a
referral, drafts, a report, a contact...): add a record there when a new endpoint needs one. A page that may show
the matrix referral's resident to the people allowed to see them goes in RESIDENTS; on any other page, and in any
refusal, the name is a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from referral_app import create_app
from tests.conftest import csrf_token_from
from tests.security_records import Records, build_records, without_rate_limits

# Who may reach what is decided in Python, the same on both databases: one is enough (the suite's time is limited).
ONE_BACKEND = pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
SIGN_IN = "redirect to sign-in"
OK = "allowed (no refusal, no 5xx)"
ROLES = ("anonymous", "admin", "link_worker", "org_staff", "org_staff_other", "commissioner")
SIGNED_IN = ROLES[1:]
ADMIN = ("admin",)
READERS = ("admin", "commissioner")  # the insights
STAFF = ("admin", "org_staff", "org_staff_other")  # organisations' listings, reports and inbox
PARTIES = ("admin", "link_worker", "org_staff", "org_staff_other")  # a referral's people
LINK_WORKER = ("link_worker",)
FORM = (200, OK)  # a page with a form: shown to GET, an empty POST is answered (usually the form with errors)
REFUSALS = (SIGN_IN, 403, 404, 405)
# The pages that may show the matrix referral's resident (to the people allowed to see them).
RESIDENTS = {
    "referrals.show_referral",
    "referrals.change_status",  # the referral's page again, with what went wrong
    "referrals.add_note",
    "referrals.decline_referral",
    "referrals.withdraw_consent",
    "referrals.record_outcome",
    "referrals.my_referrals",
    "referrals.inbox",
    "referrals.draft_resident",
    "admin.audit_trail",
    "admin.show_resident",  # subject access: everything held about the person
    "admin.export_resident",
    "admin.erase_resident",  # the same page, with what is missing from the form
}


def everyone(expected) -> dict:
    return dict.fromkeys(ROLES, expected)


def allowed(roles: tuple[str, ...], expected, *, other_org=None) -> dict:
    """`roles` get `expected`, other signed-in roles 403, the signed-out the sign-in page. `other_org`: what staff
    of another organisation get instead (404: the record is not theirs, so it is as good as missing)."""
    row = {role: expected if role in roles else 403 for role in SIGNED_IN}
    if other_org is not None:
        row["org_staff_other"] = other_org
    return {"anonymous": SIGN_IN, **row}


R = "/referrals/{referral}"
D = "/referrals/drafts/{draft}"
M = "/manage/services/{pantry}"
API = "/api/openreferral"

MATRIX: dict[str, tuple[str, dict]] = {
    "static": ("/static/css/app.css", everyone(200)),
    "pages.home": ("/", everyone(200)),
    "pages.help_and_contact": ("/help", everyone(200)),
    "pages.privacy_notice": ("/privacy", everyone(200)),
    "pages.accessibility_statement": ("/accessibility", everyone(200)),
    "pages.healthz": ("/healthz", everyone(200)),
    "media.serve": ("/media/{media}", everyone(200)),
    # The installable app: manifest, service worker and offline page are the same for everyone
    "pwa.manifest": ("/manifest.webmanifest", everyone(200)),
    "pwa.service_worker": ("/sw.js", everyone(200)),
    "pwa.offline": ("/offline", everyone(200)),
    # Accounts
    "accounts.sign_in": ("/sign-in", {"anonymous": FORM, **dict.fromkeys(SIGNED_IN, 302)}),
    "accounts.account": ("/account", allowed(SIGNED_IN, FORM)),
    "accounts.sign_out": ("/sign-out", allowed(SIGNED_IN, 303)),  # asked last: it ends the session
    "accounts.second_factor": ("/sign-in/code", {"anonymous": 303, **dict.fromkeys(SIGNED_IN, 302)}),  # no code due
    "accounts.forgot_password": ("/sign-in/forgot-password", everyone(FORM)),
    "accounts.reset_link_sent": ("/sign-in/forgot-password/sent", everyone(200)),
    "accounts.reset_password": ("/reset-password/{reset_token}", everyone(FORM)),
    "accounts.confirm_password": ("/account/confirm-password", allowed(SIGNED_IN, FORM)),
    "accounts.change_password": ("/account/password", allowed(SIGNED_IN, FORM)),
    "accounts.change_email": ("/account/email", allowed(SIGNED_IN, FORM)),
    "accounts.set_up_two_factor": ("/account/two-factor/set-up", allowed(SIGNED_IN, FORM)),
    "accounts.new_recovery_codes": ("/account/two-factor/recovery-codes", allowed(SIGNED_IN, 303)),  # none set up
    "accounts.turn_off_two_factor": ("/account/two-factor/turn-off", allowed(SIGNED_IN, 303)),
    # The public directory
    "directory.find_services": ("/services", everyone(200)),
    "directory.show_service": ("/services/{pantry}", everyone(200)),
    "directory.show_organization": ("/organisations/{riverside}", everyone(200)),
    "directory.report_problem": ("/services/{pantry}/report", everyone(FORM)),
    "directory.problem_reported": ("/services/{pantry}/report/sent", everyone(200)),
    # The Open Referral UK API: public directory data
    "api.describe_api": (f"{API}/", everyone(200)),
    "api.get_openapi": (f"{API}/openapi.json", everyone(200)),
    "api.get_schema": (f"{API}/schema/taxonomy.json", everyone(200)),
    "api.list_services": (f"{API}/services", everyone(200)),
    "api.show_service": (f"{API}/services/{{pantry}}", everyone(200)),
    "api.list_service_at_locations": (f"{API}/service_at_locations", everyone(200)),
    "api.show_service_at_location": (f"{API}/service_at_locations/{{link}}", everyone(200)),
    "api.list_organizations": (f"{API}/organizations", everyone(200)),
    "api.show_organization": (f"{API}/organizations/{{riverside}}", everyone(200)),
    "api.list_taxonomies": (f"{API}/taxonomies", everyone(200)),
    "api.show_taxonomy": (f"{API}/taxonomies/{{taxonomy}}", everyone(200)),
    "api.list_taxonomy_terms": (f"{API}/taxonomy_terms", everyone(200)),
    "api.show_taxonomy_term": (f"{API}/taxonomy_terms/{{term}}", everyone(200)),
    # Administration
    "admin.list_users": ("/admin/users", allowed(ADMIN, 200)),
    "admin.list_organizations": ("/admin/organisations", allowed(ADMIN, 200)),
    "admin.create_organization": ("/admin/organisations/new", allowed(ADMIN, FORM)),
    "admin.edit_organization": ("/admin/organisations/{riverside}/edit", allowed(ADMIN, FORM)),
    "admin.approve_organization": ("/admin/organisations/{pending_org}/approve", allowed(ADMIN, 303)),
    "admin.list_taxonomies": ("/admin/taxonomies", allowed(ADMIN, 200)),
    "admin.create_term": ("/admin/taxonomies/{taxonomy}/terms/new", allowed(ADMIN, FORM)),
    "admin.edit_term": ("/admin/taxonomies/terms/{term}/edit", allowed(ADMIN, FORM)),
    "admin.audit_trail": ("/admin/audit", allowed(ADMIN, 200)),
    "admin.deactivate_user": ("/admin/users/{account}/deactivate", allowed(ADMIN, 303)),
    "admin.reactivate_user": ("/admin/users/{account}/reactivate", allowed(ADMIN, 303)),
    "admin.reset_two_factor": ("/admin/users/{account}/reset-two-factor", allowed(ADMIN, 303)),
    "admin.find_residents": ("/admin/residents", allowed(ADMIN, FORM)),
    "admin.show_resident": ("/admin/residents/{resident}", allowed(ADMIN, 200)),
    "admin.export_resident": ("/admin/residents/{resident}/export.json", allowed(ADMIN, 200)),
    "admin.erase_resident": ("/admin/residents/{resident}/erase", allowed(ADMIN, 400)),  # an empty form: nothing erased
    "admin.list_videos": ("/admin/videos", allowed(ADMIN, 200)),
    "admin.edit_page_video": ("/admin/videos/home", allowed(ADMIN, FORM)),
    "admin.remove_page_video": ("/admin/videos/home/remove", allowed(ADMIN, 303)),
    "admin.list_translations": ("/admin/translations", allowed(ADMIN, 200)),
    "admin.show_translation": ("/admin/translations/cy", allowed(ADMIN, 200)),
    "admin.download_translation": ("/admin/translations/cy/messages.po", allowed(ADMIN, 200)),
    # Insights: counts, never a person
    "insights.dashboard": ("/insights", allowed(READERS, 200)),
    "insights.download": ("/insights/by_need.csv", allowed(READERS, 200)),
    "insights.wellbeing": ("/insights/wellbeing", allowed(READERS, 200)),
    "insights.asset_map": ("/insights/map", allowed(READERS, 200)),
    "insights.asset_map_download": ("/insights/map.csv", allowed(READERS, 200)),
    "insights.gaps": ("/insights/gaps", allowed(READERS, 200)),
    "insights.gaps_download": ("/insights/gaps/supply.csv", allowed(READERS, 200)),
    # Organisations' listings (Riverside's pantry: another organisation's staff get 404)
    "manage.list_services": ("/manage/services", allowed(STAFF, 200)),
    "manage.create_service": ("/manage/services/new?organisation={riverside}", allowed(STAFF, FORM)),
    "manage.show_listing": (M, allowed(STAFF, 200, other_org=404)),
    "manage.edit_service": (f"{M}/edit", allowed(STAFF, FORM, other_org=404)),
    "manage.mark_checked": (f"{M}/checked", allowed(STAFF, 303, other_org=404)),
    "manage.translate_service": (f"{M}/translations/cy", allowed(STAFF, FORM, other_org=404)),
    "manage.edit_opening_times": (f"{M}/opening-times", allowed(STAFF, FORM, other_org=404)),
    "manage.remove_opening_period": (f"{M}/opening-times/{{schedule}}/remove", allowed(STAFF, 303, other_org=404)),
    "manage.edit_contacts": (f"{M}/contacts", allowed(STAFF, FORM, other_org=404)),
    "manage.remove_contact": (f"{M}/contacts/{{phone}}/remove", allowed(STAFF, 303, other_org=404)),
    "manage.edit_locations": (f"{M}/locations", allowed(STAFF, FORM, other_org=404)),
    "manage.remove_location": (f"{M}/locations/{{link}}/remove", allowed(STAFF, 303, other_org=404)),
    "manage.edit_service_video": (f"{M}/video", allowed(STAFF, FORM, other_org=404)),
    "manage.remove_service_video": (f"{M}/video/remove", allowed(STAFF, 303, other_org=404)),
    "manage.list_reports": ("/manage/reports", allowed(STAFF, 200)),
    "manage.resolve_report": ("/manage/reports/{report}/resolve", allowed(STAFF, 303, other_org=404)),
    # Referrals: the demo link worker's referral to Riverside's pantry, and their drafts
    "referrals.my_referrals": ("/referrals", allowed(LINK_WORKER, 200)),
    "referrals.inbox": ("/inbox", allowed(STAFF, 200)),
    "referrals.start_referral": ("/referrals/new", allowed(LINK_WORKER, 303)),
    "referrals.draft_service": (f"{D}/service", allowed(LINK_WORKER, FORM)),
    "referrals.draft_resident": (f"{D}/resident", allowed(LINK_WORKER, FORM)),
    "referrals.draft_details": (f"{D}/details", allowed(LINK_WORKER, FORM)),
    "referrals.draft_communication": (f"{D}/communication", allowed(LINK_WORKER, FORM)),
    "referrals.draft_needs": (f"{D}/needs", allowed(LINK_WORKER, FORM)),
    "referrals.draft_consent": (f"{D}/consent", allowed(LINK_WORKER, FORM)),
    "referrals.check_referral": ("/referrals/drafts/{draft_to_send}/check", allowed(LINK_WORKER, (200, 303))),
    "referrals.show_referral": (R, allowed(PARTIES, 200, other_org=404)),
    "referrals.change_status": (f"{R}/status/accepted", allowed(PARTIES, 400, other_org=404)),
    "referrals.decline_referral": (f"{R}/decline", allowed(("admin", "org_staff"), FORM, other_org=404)),
    "referrals.add_note": (f"{R}/notes", allowed(PARTIES, 400, other_org=404)),
    "referrals.withdraw_consent": (f"{R}/withdraw-consent", allowed(PARTIES, FORM, other_org=404)),
    "referrals.refer_elsewhere": (f"{R}/refer-elsewhere", allowed(LINK_WORKER, 303)),
    "referrals.record_outcome": (f"{R}/outcomes/ons4/baseline", allowed(PARTIES, FORM, other_org=404)),
    # A resident's own request: the private link is the key, whoever holds it
    "referrals.refer_yourself": ("/services/{pantry}/refer-yourself", everyone(FORM)),
    "referrals.request_status": ("/requests/{token}", everyone(200)),
    "referrals.withdraw_request": ("/requests/{token_to_withdraw}/withdraw", everyone((200, 303))),
    "referrals.resident_outcome": ("/requests/{token}/well-being/baseline", everyone(FORM)),
}
ASKED_LAST = ("accounts.sign_out",)


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory) -> Flask:
    return create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('m') / 'm.db'}"})


def test_every_endpoint_is_in_the_matrix(bare_app):
    endpoints = {rule.endpoint for rule in bare_app.url_map.iter_rules()}
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"Add a row to MATRIX (what each role gets) for: {missing}"
    assert not sorted(set(MATRIX) - endpoints), "MATRIX has rows for endpoints that are gone"
    for endpoint, (_path, row) in MATRIX.items():
        assert set(row) == set(ROLES), endpoint


def expectation(row: dict, role: str, method: str, methods: set[str]):
    if method not in methods:
        return 405
    expected = row[role]
    if isinstance(expected, tuple):
        return expected[0] if method == "GET" else expected[1]
    return expected


def meets(response, expected) -> bool:
    signs_in = response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=")
    if expected == SIGN_IN:
        return signs_in
    if expected == OK:
        return response.status_code < 500 and response.status_code not in (401, 403, 404, 405) and not signs_in
    return response.status_code == expected


def cases(app: Flask):
    """(endpoint, method, its methods) for every row, GET before POST, the rows that end the session last."""
    methods_of: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods_of.setdefault(rule.endpoint, set()).update(rule.methods & {"GET", "POST"})
    order = sorted(MATRIX, key=lambda endpoint: (endpoint in ASKED_LAST, endpoint))
    return [(endpoint, method, methods_of[endpoint]) for endpoint in order if endpoint in methods_of
            for method in ("GET", "POST")]  # fmt: skip


@pytest.fixture
def records(app, db_session) -> Records:
    without_rate_limits(app)
    return build_records(app, db_session, Path(app.config["MEDIA_ROOT"]))


@ONE_BACKEND
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_from_every_endpoint(app, client, act_as, records, role):
    if role == "anonymous":
        token = csrf_token_from(client.get("/sign-in").text)
    else:
        token = csrf_token_from(act_as(records.users[role]).get("/account").text)
    wrong = []
    for endpoint, method, methods in cases(app):
        path_template, row = MATRIX[endpoint]
        path = path_template.format(**records.ids)
        response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": token})
        expected = expectation(row, role, method, methods)
        if not meets(response, expected):
            wrong.append(f"{method} {endpoint} ({path}): expected {expected}, got {response.status_code}")
        elif records.resident_name in response.text and (expected in REFUSALS or endpoint not in RESIDENTS):
            wrong.append(f"{method} {endpoint} ({path}) shows the resident's name")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
