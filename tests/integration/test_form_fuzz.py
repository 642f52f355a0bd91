"""Property-based: whatever is typed into any form that test_referral_fuzz.py, test_api_fuzz.py and
test_search_fuzz.py do not already cover, and whatever is put in the query string of any page, the answer is never
a server error; a form shown again keeps what was typed (escaped), except passwords.

Run on PostgreSQL only (the stricter database: it refuses NUL characters, SQLite stores them), to stay quick.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.conftest import csrf_token_from
from tests.integration.test_endpoint_matrix import MATRIX, REFUSALS, ROLES
from tests.security_records import Records, build_records, without_rate_limits

FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
pytestmark = pytest.mark.parametrize("migrated_engine", ["postgresql"], indirect=True)


def without_lone_surrogates(text: str) -> str:
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


nasty_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=20).map(
        without_lone_surrogates
    ),
    st.builds("{}\x00{}".format, st.text(max_size=10), st.text(max_size=10)),
    st.sampled_from([
        "", " ", "\x00", "%00", "a%00b", "\u202eمرحبا", "\u200f\u200fRTL\u200f", "שלום", "١٠", "５", "-1", "0",
        "1e999", "99999999999999999999", "NaN", "null", "<script>alert(1)</script>", "'; DROP TABLE service;--",
        "' OR '1'='1", "../../etc/passwd", "x" * 5000, "y" * 70_000, "\r\nBcc: all@example.org", "🏳️‍🌈" * 40,
        "javascript:alert(1)", "https://example.org", "name@example.org", "S4 7AB", "ZZ9 9ZZ", "09:30", "25:00",
        "0114 496 0000", "food", "closed", "other", "in_person", "phone", "cy", "MO", "yes", "no", "active",
    ]),
)  # fmt: skip
values = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))
keepable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=60)

LISTING = {
    "name": "Community food pantry", "description": "Fresh food.", "status": "active", "is_free": "yes",
    "delivery": "in_person", "needs": "food", "cost_description": "", "url": "", "email": "", "alert": "",
    "minimum_age": "", "maximum_age": "", "application_process": "", "eligibility_description": "",
}  # fmt: skip
# name: (who, address, a valid form, its text fields that are shown again on an error)
FORMS = {
    "sign_in": ("anonymous", "/sign-in", {"email": "nobody@example.org", "password": "wrong"}, ["email"]),
    "account_language": ("link_worker", "/account", {"preferred_locale": "cy"}, []),
    "report_problem": ("anonymous", "/services/{pantry}/report", {"reason": "closed", "details": "Shut", "website": ""},
                       ["details"]),
    "create_organisation": ("admin", "/admin/organisations/new",
                            {"name": "Fuzz org", "description": "", "email": "", "website": ""},
                            ["name", "description", "email", "website"]),
    "edit_organisation": ("admin", "/admin/organisations/{riverside}/edit",
                          {"name": "Riverside", "description": "", "email": "", "website": ""},
                          ["name", "description", "email", "website"]),
    "create_term": ("admin", "/admin/taxonomies/{taxonomy}/terms/new",
                    {"name": "Fuzz term", "description": "", "code": "", "parent_id": ""},
                    ["name", "description", "code"]),
    "edit_built_in_term": ("admin", "/admin/taxonomies/terms/{term}/edit", {"description": "Food"}, ["description"]),
    "create_listing": ("org_staff", "/manage/services/new", LISTING,
                       ["name", "description", "cost_description", "url", "email", "alert", "minimum_age"]),
    "edit_listing": ("org_staff", "/manage/services/{pantry}/edit", LISTING,
                     ["name", "description", "application_process", "eligibility_description", "url", "maximum_age"]),
    "translate_listing": ("org_staff", "/manage/services/{pantry}/translations/cy",
                          {"name": "Pantri", "description": "", "application_process": "",
                           "eligibility_description": ""}, ["name", "description"]),
    "opening_times": ("org_staff", "/manage/services/{pantry}/opening-times",
                      {"days": "MO", "opens": "09:00", "closes": "12:00", "notes": ""}, ["opens", "closes", "notes"]),
    "contacts": ("org_staff", "/manage/services/{pantry}/contacts",
                 {"kind": "phone", "value": "0114 496 0000", "description": ""}, ["value", "description"]),
    "locations": ("org_staff", "/manage/services/{pantry}/locations",
                  {"name": "", "address_1": "1 Chapel Lane", "address_2": "", "city": "Sheffield",
                   "postcode": "S5 6AB"}, ["name", "address_1", "city", "postcode"]),
    "video_transcript": ("org_staff", "/manage/services/{pantry}/video", {"transcript": "Hello"}, ["transcript"]),
    "page_video_transcript": ("admin", "/admin/videos/home", {"transcript": "Hello"}, ["transcript"]),
    "resolve_report": ("org_staff", "/manage/reports/{report}/resolve", {"note": "Fixed"}, []),
    # Accounts and residents' data (issue 7)
    "forgot_password": ("anonymous", "/sign-in/forgot-password", {"email": "nobody@example.org"}, ["email"]),
    "confirm_password": ("commissioner", "/account/confirm-password", {"password": "wrong", "code": ""}, []),
    "change_password": ("commissioner", "/account/password", {"password": "a long unusual passphrase 2026"}, []),
    "change_email": ("link_worker", "/account/email", {"email": "lee.new@example.org"}, ["email"]),
    "find_residents": ("admin", "/admin/residents", {"query": "Priya"}, ["query"]),
    "erase_resident": ("admin", "/admin/residents/{resident}/erase", {"confirm": "y", "reason": "Asked by email"},
                       ["reason"]),
}  # GET forms (search, insights and audit filters) are fuzzed through their query strings below  # fmt: skip


def form_data(valid: dict):
    """A valid form with some answers left out and others replaced by anything at all."""
    fields = [*valid, "extra", "csrf_token_2"]
    return st.builds(
        lambda left_out, replaced: {**{k: v for k, v in valid.items() if k not in left_out}, **replaced},
        st.sets(st.sampled_from(fields), max_size=2),
        st.dictionaries(st.sampled_from(fields), values, max_size=3),
    )


@pytest.fixture
def records(app, db_session) -> Records:
    without_rate_limits(app)
    return build_records(app, db_session, Path(app.config["MEDIA_ROOT"]))


def signed_in(client, act_as, db_session, records: Records, who: str):
    if who != "anonymous":
        user = records.users[who]
        db_session.refresh(user)  # a changed password gives the account a new session token
        act_as(user)
    return client


def answered(response, *context) -> None:
    assert response.status_code < 500, (response.status_code, *context)
    assert "<script>alert(1)</script>" not in response.text, context


@pytest.mark.parametrize("name", FORMS)
@FUZZ
@given(data=st.data())
def test_anything_typed_into_any_form_is_answered_never_a_500(client, act_as, db_session, records, name, data):
    who, template, valid, _shown = FORMS[name]
    client = signed_in(client, act_as, db_session, records, who)
    path = template.format(**records.ids)
    token = csrf_token_from(client.get("/sign-in" if who == "anonymous" else "/account").text)
    answers = data.draw(form_data(valid))
    answered(client.post(path, data={**answers, "csrf_token": token}), name, answers)


@pytest.mark.parametrize("name", [name for name, form in FORMS.items() if form[3]])
@FUZZ
@given(data=st.data())
def test_a_form_shown_again_keeps_what_was_typed(client, act_as, db_session, records, name, data):
    """One text field gets what a person might type (no control characters), another field something that may
    make the form fail; if the form comes back, the text is in it, escaped."""
    who, template, valid, shown = FORMS[name]
    client = signed_in(client, act_as, db_session, records, who)
    path = template.format(**records.ids)
    token = csrf_token_from(client.get("/sign-in" if who == "anonymous" else "/account").text)
    field = data.draw(st.sampled_from(shown))
    typed = data.draw(keepable)
    other = data.draw(st.sampled_from([key for key in valid if key != field] or [field]))
    answers = {**valid, other: data.draw(nasty_text), field: typed}
    response = client.post(path, data={**answers, "csrf_token": token})
    answered(response, name, answers)
    if response.status_code == 200 and typed.strip():
        assert str(escape(typed.strip())) in response.text, (name, field, typed)


def first_role_let_in(row: dict) -> str | None:
    """Someone who gets the page itself (not a refusal), or None where nobody does (an expired reset link)."""
    get = {role: expected[0] if isinstance(expected, tuple) else expected for role, expected in row.items()}
    return next((role for role in ROLES if get[role] not in REFUSALS), None)


GET_PAGES = [
    (endpoint, template, role)
    for endpoint, (template, row) in MATRIX.items()
    if not endpoint.startswith(("api.", "static"))  # the API has test_api_fuzz.py
    and (role := first_role_let_in(row)) is not None
]
PARAMETERS = [
    *("page", "tab", "show", "q", "postcode", "need", "language", "bsl", "access", "free", "age", "when"),
    *("delivery", "contact", "area", "organisation", "group", "since", "until", "user", "resident", "lang"),
    *("change", "download", "next", "return_to", "sort", "per_page", "hx"),
]
queries = st.lists(st.tuples(st.sampled_from(PARAMETERS), nasty_text), max_size=6)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(GET_PAGES), query=queries, htmx=st.booleans())
def test_any_query_string_on_any_page_is_answered_never_a_500(client, act_as, db_session, records, page, query, htmx):
    endpoint, template, who = page
    client = signed_in(client, act_as, db_session, records, who)
    path, _, own = template.format(**records.ids).partition("?")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(path, query_string=[*parse_qsl(own), *query], headers=headers)
    answered(response, endpoint, query)
