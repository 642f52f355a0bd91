"""Property-based: whatever is typed into any referral form, and whatever is put in a referral address, the answer
is a page or a clear refusal (200, 303, 400, 404, 409, 429), never a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from referral_app.models import ReferralStatus, Service, User
from referral_app.services import referral_drafts
from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN
from tests.conftest import csrf_token_from, make_test_app
from tests.factories import complete_answers, make_referral

PANTRY = demo_id("Riverside Community Hub/Community food pantry")
ANSWERS = (200, 303, 400, 404, 409, 429)
FUZZ = settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

nasty_text = st.one_of(
    st.text(max_size=120),
    st.builds("{}\x00{}".format, st.text(max_size=10), st.text(max_size=10)),  # what PostgreSQL cannot store
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "%00", "\u202eمرحبا", "שלום עולם", "‏‏RTL‏", "١٠", "٣", "５", "1e999", "-1", "0",
        "10", "11", "99999999999999999999999", "NaN", "None", "null", "true", "<script>alert(1)</script>",
        "'; DROP TABLE referral;--", "../../etc/passwd", "x" * 5000, "🏳️‍🌈" * 50, "\r\nBcc: all@example.org",
        "new", "y", "sms", "email", "phone", "video_relay", "link_worker", "other", "no_capacity", "in_person",
        "spoken_interpreter", "interpreter", "bsl_interpreter", "food", "urgent", "routine", "en", "ar", "ro", "bfi",
        "S4 7AB", "ZZ99 9ZZ", "07700 900982", "a@example.org", str(PANTRY), "00000000-0000-0000-0000-000000000000",
    ]),
)  # fmt: skip
form_values = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))


def form_data(valid: dict):
    """A valid form with some answers left out and others replaced by anything at all (so that what is typed
    reaches the database, not just the validators)."""
    fields = [*valid, "extra"]
    return st.builds(
        lambda left_out, replaced: {**{k: v for k, v in valid.items() if k not in left_out}, **replaced},
        st.sets(st.sampled_from(fields), max_size=2),
        st.dictionaries(st.sampled_from(fields), form_values, max_size=3),
    )


def demo_user(db_session, email: str) -> User:
    return db_session.exec(select(User).where(User.email == email)).one()


def assert_answered(response, *context, also=()):
    assert response.status_code in (*ANSWERS, *also), (response.status_code, *context)
    assert "<script>alert(1)</script>" not in response.text


STEP_ANSWERS = {
    "service": {"service_id": str(PANTRY)},
    "resident": {"resident": "new"},
    "details": {
        "name": "Fuzz Tester", "language": "en", "outcode": "S4", "age_band": "25_34", "priority_groups": "roma",
    },
    "communication": {
        "needs": "interpreter", "interpreter_language": "ro", "other_communication": "Slowly", "contact_method": "sms",
        "phone": "07700 900111", "email": "fuzz@example.org", "times_to_avoid": "Fridays",
    },
    "needs": {"needs": "food", "reason": "Fuzz", "urgency": "routine"},
    "consent": {"consent_by": "Fuzz Tester", "consent_method": "in_person", "agreed": "y"},
    "check": {},
}  # fmt: skip


@pytest.fixture
def draft_client(act_as, db_session):
    """A link worker with a draft whose every page is answered, so that each page takes its form."""
    link_worker = demo_user(db_session, "linkworker@example.org")
    answers = complete_answers(PANTRY, name="Fuzz Tester")
    draft = referral_drafts.start_draft(session=db_session, user=link_worker, answers=answers)
    client = act_as(link_worker)
    return client, draft.id, csrf_token_from(client.get(f"/referrals/drafts/{draft.id}/details").text)


@FUZZ
@given(step=st.sampled_from(sorted(STEP_ANSWERS)), data=st.data(), change=st.booleans())
def test_any_answer_on_any_page_of_a_draft_never_gives_a_500(draft_client, step, data, change):
    client, draft_id, token = draft_client
    values = data.draw(form_data(STEP_ANSWERS[step]))
    path = f"/referrals/drafts/{draft_id}/{step}" + ("?change=1" if change else "")
    response = client.post(path, data={**values, "csrf_token": token})
    assert_answered(response, step, values)


@FUZZ
@given(service_id=form_values, q=nasty_text)
def test_any_service_to_start_from_or_search_never_gives_a_500(draft_client, service_id, q):
    client, draft_id, token = draft_client
    assert_answered(client.post("/referrals/new", data={"csrf_token": token, "service_id": service_id}), service_id)
    assert_answered(client.get(f"/referrals/drafts/{draft_id}/service", query_string={"q": q}), q)


SCORES = {"item_life_satisfaction": "5", "item_worthwhile": "6", "item_happiness": "7", "item_anxiety": "3"}
ACTION_ANSWERS = {
    "status/accepted": {"version": "1", "note": "Fine"},
    "status/contacted": {"version": "1", "note": "Fine"},
    "status/attended": {"version": "1"},
    "status/completed": {"version": "1"},
    "decline": {"version": "1", "reason": "other", "note": "Full"},
    "notes": {"note": "Called"},
    "withdraw-consent": {"confirm": "y", "note": "Phoned"},
    "outcomes/ons4/baseline": SCORES,
    "outcomes/ons4/follow_up": SCORES,
}


@pytest.fixture
def staff_client(act_as, db_session):
    """Organisation staff, and a way to make them a new referral at any status."""
    link_worker = demo_user(db_session, "linkworker@example.org")
    pantry = db_session.get(Service, PANTRY)

    def new_referral(status=ReferralStatus.SENT):
        return make_referral(db_session, service=pantry, referrer=link_worker, status=status).id

    client = act_as("org_staff")
    return client, new_referral, csrf_token_from(client.get(f"/referrals/{new_referral()}").text)


@FUZZ
@given(action=st.sampled_from(sorted(ACTION_ANSWERS)), status=st.sampled_from(ReferralStatus), data=st.data())
def test_any_answer_to_a_referral_never_gives_a_500(staff_client, action, status, data):
    client, new_referral, token = staff_client
    values = data.draw(form_data(ACTION_ANSWERS[action]))
    response = client.post(f"/referrals/{new_referral(status)}/{action}", data={**values, "csrf_token": token})
    assert_answered(response, action, status, values)


SELF_REFERRAL = {
    "name": "Ion Popescu",
    "reason": "Food",
    "contact_method": "email",
    "phone": "07700 900777",
    "email": "ion@example.org",
    "language": "ro",
    "communication": "interpreter",
    "agreed": "y",
}


@pytest.fixture
def resident_client(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection, SELF_REFERRAL_RATE_LIMIT="10000 per minute")
    client = app.test_client()
    return client, csrf_token_from(client.get(f"/services/{PANTRY}/refer-yourself").text)


@FUZZ
@given(data=st.data(), honeypot=st.one_of(st.just(""), nasty_text))
def test_any_self_referral_never_gives_a_500(resident_client, data, honeypot):
    client, token = resident_client
    values = data.draw(form_data(SELF_REFERRAL))
    response = client.post(
        f"/services/{PANTRY}/refer-yourself", data={**values, "website": honeypot, "csrf_token": token}
    )
    assert_answered(response, values)


@FUZZ
@given(data=st.data(), stage=st.sampled_from(["baseline", "follow_up"]))
def test_any_well_being_answer_through_the_private_link_never_gives_a_500(resident_client, data, stage):
    client, token = resident_client
    values = data.draw(form_data(SCORES))
    response = client.post(f"/requests/{DEMO_STATUS_TOKEN}/well-being/{stage}", data={**values, "csrf_token": token})
    assert_answered(response, values)


STAFF_PATHS = [
    "/referrals/{x}",
    "/referrals/{x}/decline",
    "/referrals/{x}/withdraw-consent",
    "/referrals/{referral}/outcomes/{x}/baseline",
    "/referrals/{referral}/outcomes/ons4/{x}",
    "/requests/{x}",
    "/requests/{x}/well-being/baseline",
    "/services/{x}/refer-yourself",
]
LINK_WORKER_PATHS = ["/referrals/drafts/{x}/details", "/referrals/drafts/{x}/check", "/referrals/{x}", "/referrals"]
GET_OF_A_FORM_ONLY_URL = (405,)  # /referrals/new is where "New referral" posts to
addresses = st.one_of(nasty_text, st.uuids().map(str))
queries = st.lists(st.tuples(st.sampled_from(["tab", "page", "change", "q", "lang"]), nasty_text), max_size=4)


@FUZZ
@given(template=st.sampled_from(STAFF_PATHS), x=addresses, query=queries)
def test_any_referral_address_or_query_never_gives_a_500(staff_client, template, x, query):
    client, new_referral, _token = staff_client
    path = template.format(x=quote(x, safe=""), referral=new_referral())
    assert_answered(client.get(path, query_string=query), path, also=GET_OF_A_FORM_ONLY_URL)
    assert_answered(client.get("/inbox", query_string=query), query)


@FUZZ
@given(template=st.sampled_from(LINK_WORKER_PATHS), x=addresses, query=queries)
def test_any_address_or_query_of_a_link_worker_never_gives_a_500(draft_client, template, x, query):
    client, _draft_id, _token = draft_client
    path = template.format(x=quote(x, safe=""))
    assert_answered(client.get(path, query_string=query), path, query, also=GET_OF_A_FORM_ONLY_URL)


# --- What the random search might miss, every time -----------------------------------------------------------------

# The last is kept in a draft, then sent.
STRANGE = ["x" * 20_000, "\u202eمرحبا\r\n\t\v\f", "👩🏽‍🦯" * 300, "a\x00b"]
FREE_TEXT = [
    *(("draft", step, field) for step, field in (
        ("details", "name"), ("communication", "other_communication"), ("communication", "times_to_avoid"),
        ("communication", "phone"), ("communication", "email"), ("needs", "reason"), ("consent", "consent_by"),
    )),
    *(("referral", action, "note") for action in ("status/accepted", "decline", "notes", "withdraw-consent")),
    *(("self", "refer-yourself", field) for field in ("name", "reason", "phone", "email")),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "form", "field"), FREE_TEXT, ids=["/".join(case[1:]) for case in FREE_TEXT])
def test_strange_text_in_any_free_text_field_is_answered_cleanly(request, migrated_engine, kind, form, field):
    if kind == "draft":
        client, draft_id, token = request.getfixturevalue("draft_client")
    elif kind == "referral":
        client, new_referral, token = request.getfixturevalue("staff_client")
    else:
        client, token = request.getfixturevalue("resident_client")
    for value in STRANGE:
        if kind == "draft":
            path, answers = f"/referrals/drafts/{draft_id}/{form}", STEP_ANSWERS[form]
        elif kind == "referral":
            path, answers = f"/referrals/{new_referral()}/{form}", ACTION_ANSWERS[form]
        else:
            path, answers = f"/services/{PANTRY}/refer-yourself", SELF_REFERRAL
        response = client.post(path, data={**answers, field: value, "csrf_token": token})
        assert_answered(response, path, field, value[:20])
    if kind == "draft":  # what was kept can still be sent
        check = client.post(f"/referrals/drafts/{draft_id}/check", data={"csrf_token": token})
        assert_answered(check, "check", field)
