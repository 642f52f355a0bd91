"""Deaf-friendly contact, communication needs reaching the organisation, showing a page in a resident's language,
and the admin pages for reviewing translations."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from referral_app.directory.forms import CONTACT_WAY_NAMES
from referral_app.models import ContactKind, ContactMethod, Phone, Referral, Resident, Role, Service
from referral_app.services import users
from referral_app.services.demo_data import demo_id
from referral_app.services.search_filters import CONTACT_WAYS
from tests.conftest import post_form
from tests.factories import make_referral, make_resident

PANTRY = demo_id("Riverside Community Hub/Community food pantry")  # not translated in the demo data
LARDER = demo_id("Llanidloes Food Hub/Community larder")  # translated into Welsh
RESULT_COUNT = re.compile(r'id="result-count"[^>]*>\s*<p[^>]*>(\d+) services?')


def results(client, query: str) -> int:
    found = RESULT_COUNT.search(client.get(f"/services?{query}").text)
    return int(found.group(1)) if found else 0


# Finding services people can reach without a voice call


def test_the_form_offers_every_way_the_search_knows():
    assert tuple(CONTACT_WAY_NAMES) == CONTACT_WAYS


@pytest.mark.parametrize("way", ["relay_uk", "video_relay", "sms"])
def test_the_directory_filters_by_deaf_friendly_contact(client, db_session, way):
    offered = set(
        db_session.exec(
            select(Phone.contact_id).where(Phone.kind == ContactKind(way))
        ).all()
    )  # fmt: skip
    assert offered, f"the demo data should offer {way}"
    everything = results(client, "")
    filtered = results(client, f"contact={way}")
    assert 0 < filtered < everything
    html = client.get(f"/services?contact={way}").text
    assert f'value="{way}" checked' in html


def test_several_ways_must_all_be_offered(client):
    assert results(client, "contact=relay_uk&contact=video_relay") <= results(client, "contact=relay_uk")


def test_email_means_the_service_has_an_email_address(client):
    assert 0 < results(client, "contact=email") <= results(client, "")


def test_an_unknown_way_gets_a_message_not_an_error(client):
    response = client.get("/services?contact=carrier-pigeon")
    assert response.status_code == 200
    assert "Choose an option from the list" in response.text


# Self-referral: Deaf-friendly ways to be contacted


def test_a_resident_can_ask_to_be_called_through_relay_uk(client, db_session):
    form = client.get(f"/services/{PANTRY}/refer-yourself").text
    for method in ("sms", "email", "video_relay", "relay_uk"):
        assert f'value="{method}"' in form
    response = post_form(
        client,
        f"/services/{PANTRY}/refer-yourself",
        {
            "name": "Sam Deaf",
            "reason": "I would like to join",
            "contact_method": "relay_uk",
            "phone": "07700 900555",
            "language": "en",
            "agreed": "y",
            "website": "",
        },
    )
    assert response.status_code == 303
    resident = db_session.exec(select(Resident).where(Resident.name == "Sam Deaf")).one()
    assert resident.contact_method == ContactMethod.RELAY_UK


def test_relay_uk_needs_a_number(client):
    response = post_form(
        client,
        f"/services/{PANTRY}/refer-yourself",
        {"name": "Sam", "reason": "Help", "contact_method": "relay_uk", "language": "en", "agreed": "y"},
    )
    assert response.status_code == 200
    assert "Enter a phone number so they can contact you this way" in response.text


# Communication needs: a prompt the organisation cannot miss


def waiting_referral(db_session, **resident_fields) -> Referral:
    referrer = users.get_user_by_email(session=db_session, email="linkworker@example.org")
    resident = make_resident(db_session, created_by=referrer, **resident_fields)
    service = db_session.get(Service, PANTRY)
    return make_referral(db_session, service=service, referrer=referrer, resident=resident)


def test_the_organisation_is_told_what_to_arrange_before_first_contact(act_as, db_session):
    referral = waiting_referral(
        db_session, bsl_interpreter=True, interpreter_language="ro", easy_read=True, contact_method="relay_uk"
    )
    html = act_as("org_staff").get(f"/referrals/{referral.id}").text
    banner = html[html.index("Before you contact this person") :]
    banner = banner[: banner.index("</ul>")]
    assert "Book a BSL interpreter before first contact." in banner
    assert "Book an interpreter for Romanian before first contact." in banner
    assert "Call through Relay UK: dial 18001, then the person's number." in banner
    assert "Send anything written in Easy Read." in banner
    assert html.index("Before you contact this person") < html.index("What happens next")


def test_no_prompt_when_nothing_needs_arranging(act_as, db_session):
    referral = waiting_referral(db_session, contact_method="phone")
    assert "Before you contact this person" not in act_as("org_staff").get(f"/referrals/{referral.id}").text


def test_the_prompt_is_in_the_staff_members_language(act_as, db_session):
    referral = waiting_referral(db_session, bsl_interpreter=True)
    html = act_as("org_staff").get(f"/referrals/{referral.id}?lang=cy").text
    assert "Book a BSL interpreter before first contact." not in html
    assert 'role="region" aria-labelledby="before-contact-title"' in html


# Showing a service to a resident in their language


def test_a_link_worker_shows_a_service_in_a_translated_language_in_one_tap(act_as):
    html = act_as("link_worker").get(f"/services/{LARDER}").text
    nav = html[html.index('class="app-show-in"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'href="/services/{LARDER}?lang=cy"' in nav and ">Cymraeg<" in nav
    assert "?lang=pl" not in nav  # not translated into Polish: the switcher has it, this shortcut does not


def test_the_shortcut_leads_back_to_the_staff_members_own_language(act_as):
    html = act_as("link_worker").get(f"/services/{LARDER}?lang=cy").text
    nav = html[html.index('class="app-show-in"') :]
    assert f'href="/services/{LARDER}?lang=en"' in nav[: nav.index("</nav>")]


def test_no_shortcut_where_there_is_nothing_to_show(act_as):
    assert 'class="app-show-in"' not in act_as("link_worker").get(f"/services/{PANTRY}").text


def test_residents_do_not_see_the_shortcut(client):
    assert 'class="app-show-in"' not in client.get(f"/services/{LARDER}").text


def test_the_referral_page_offers_the_service_in_the_residents_language(act_as, db_session):
    referral = waiting_referral(db_session, language="uk")
    html = act_as("link_worker").get(f"/referrals/{referral.id}").text
    assert f'href="/services/{PANTRY}?lang=uk"' in html
    assert "Show the service page in Ukrainian" in html


def test_a_missing_translation_shows_english_marked_with_a_note(client):
    html = client.get(f"/services/{PANTRY}?lang=pl").text
    assert '<html lang="pl" dir="ltr"' in html
    assert re.search(r'<h1 class="govuk-heading-l" lang="en" dir="ltr">', html)
    assert 'class="govuk-body-s app-untranslated"' in html


# Reviewing translations


def test_admins_see_how_complete_each_language_is(act_as):
    html = act_as("admin").get("/admin/translations").text
    for code in ("cy", "pl", "ckb", "ti"):
        assert f'href="/admin/translations/{code}"' in html
    assert "/admin/translations/bfi" not in html and "/admin/translations/en" not in html  # no catalogues


def test_admins_download_a_catalogue_for_review(act_as):
    response = act_as("admin").get("/admin/translations/pl/messages.po")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert b'"Language: pl\\n"' in response.data


def test_a_language_page_lists_what_needs_review(act_as):
    html = act_as("admin").get("/admin/translations/cy").text
    assert "Texts to review" in html
    assert act_as("admin").get("/admin/translations/xx").status_code == 404
    assert act_as("admin").get("/admin/translations/en").status_code == 404


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.ORG_STAFF, Role.COMMISSIONER])
def test_only_admins_review_translations(act_as, role):
    key = {Role.LINK_WORKER: "link_worker", Role.ORG_STAFF: "org_staff", Role.COMMISSIONER: "commissioner"}[role]
    client = act_as(key)
    assert client.get("/admin/translations").status_code == 403
    assert client.get("/admin/translations/pl/messages.po").status_code == 403
