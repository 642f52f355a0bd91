"""Admins looking after every organisation and the taxonomies: create, edit, approve, with a change log."""

import uuid

import pytest
from sqlmodel import select

from referral_app.models import (
    Attribute,
    ChangeLog,
    Organization,
    OrganizationStatus,
    Taxonomy,
    TaxonomyTerm,
    User,
)
from referral_app.services import taxonomy_admin
from referral_app.services.demo_data import demo_id
from referral_app.services.taxonomy import NEEDS_TAXONOMY_ID, need_term_id
from tests.conftest import csrf_token_from
from tests.factories import make_organization, make_service

PENDING = demo_id("Southtown Parents' Network")
PENDING_SERVICE = "Stay and play"
RIVERSIDE = demo_id("Riverside Community Hub")
FOOD = need_term_id("food")

ADMIN_PAGES = [
    "/admin/organisations",
    "/admin/organisations/new",
    f"/admin/organisations/{RIVERSIDE}/edit",
    "/admin/taxonomies",
    f"/admin/taxonomies/{NEEDS_TAXONOMY_ID}/terms/new",
    f"/admin/taxonomies/terms/{FOOD}/edit",
]
ADMIN_POSTS = [
    f"/admin/organisations/{PENDING}/approve",
    "/admin/organisations/new",
    f"/admin/organisations/{RIVERSIDE}/edit",
    f"/admin/taxonomies/{NEEDS_TAXONOMY_ID}/terms/new",
    f"/admin/taxonomies/terms/{FOOD}/edit",
]


def post_form(client, path: str, data: dict, page: str | None = None):
    """POST a form with the CSRF token from its page, as a browser would."""
    token = csrf_token_from(client.get(page or path).text)
    return client.post(path, data={"csrf_token": token, **data})


def changes(db_session, entity: str, entity_id) -> list[ChangeLog]:
    return list(
        db_session.exec(
            select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.entity_id == str(entity_id))
        ).all()
    )


def admin_id(db_session) -> int:
    return db_session.exec(select(User.id).where(User.email == "admin@example.org")).one()


# Access


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff", "commissioner"])
def test_other_roles_are_refused(sign_in_as, role_key, db_session):
    client = sign_in_as(role_key)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    token = csrf_token_from(client.get("/account").text)
    for path in ADMIN_POSTS:
        assert client.post(path, data={"csrf_token": token, "name": "X"}).status_code == 403, path
    db_session.expire_all()
    assert db_session.get(Organization, PENDING).status == OrganizationStatus.PENDING


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admins_see_every_admin_page_with_links_between_them(sign_in_as, path):
    response = sign_in_as("admin").get(path)
    assert response.status_code == 200
    for link in ('href="/admin/users"', 'href="/admin/organisations"', 'href="/admin/taxonomies"'):
        assert link in response.text


def test_unknown_records_are_404(sign_in_as):
    client = sign_in_as("admin")
    assert client.get(f"/admin/organisations/{uuid.uuid4()}/edit").status_code == 404
    assert client.get(f"/admin/taxonomies/{uuid.uuid4()}/terms/new").status_code == 404
    assert client.get(f"/admin/taxonomies/terms/{uuid.uuid4()}/edit").status_code == 404
    token = csrf_token_from(client.get("/admin/organisations").text)
    assert client.post(f"/admin/organisations/{uuid.uuid4()}/approve", data={"csrf_token": token}).status_code == 404


def test_a_post_without_a_csrf_token_is_refused(sign_in_as, db_session):
    client = sign_in_as("admin")
    assert client.post(f"/admin/organisations/{PENDING}/approve").status_code == 400
    db_session.expire_all()
    assert db_session.get(Organization, PENDING).status == OrganizationStatus.PENDING


# Organisations


def test_the_list_shows_pending_organisations_first_with_service_counts(sign_in_as):
    response = sign_in_as("admin").get("/admin/organisations")
    text = response.text
    assert "27 organisations" in text
    assert "1 waiting for approval" in text
    assert text.index("Southtown Parents") < text.index("Deaf Connect") < text.index("Riverside Community Hub")
    assert "Waiting for approval" in text
    assert f'action="/admin/organisations/{PENDING}/approve"' in text
    assert f'action="/admin/organisations/{RIVERSIDE}/approve"' not in text  # approved already
    assert f'href="/admin/organisations/{RIVERSIDE}/edit"' in text
    assert f'href="/organisations/{RIVERSIDE}"' in text  # approved: a link to the public page
    assert f'href="/organisations/{PENDING}"' not in text  # pending: no public page yet


def test_creating_an_organisation_approves_it_and_records_who(sign_in_as, db_session):
    client = sign_in_as("admin")
    response = post_form(
        client,
        "/admin/organisations/new",
        {
            "name": "  Harbour Food Club ",
            "description": "Weekly community meals.",
            "email": "hello@harbourfood.example.org",
            "website": "https://harbourfood.example.org",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/organisations"
    organization = db_session.exec(select(Organization).where(Organization.name == "Harbour Food Club")).one()
    assert organization.status == OrganizationStatus.APPROVED
    assert organization.email == "hello@harbourfood.example.org"
    assert organization.website == "https://harbourfood.example.org"
    [change] = changes(db_session, "organization", organization.id)
    assert (change.action, change.user_id) == ("created", admin_id(db_session))
    assert "Harbour Food Club" in change.summary
    listing = client.get("/admin/organisations")
    assert "The organisation has been added." in listing.text
    assert "Harbour Food Club" in listing.text


def test_a_blank_name_and_bad_email_and_website_get_clear_messages_and_keep_what_was_typed(sign_in_as, db_session):
    client = sign_in_as("admin")
    before = db_session.exec(select(Organization.id)).all()
    response = post_form(
        client,
        "/admin/organisations/new",
        {"name": "  ", "description": "Typed description", "email": "not-an-email", "website": "ftp://files.example"},
    )
    assert response.status_code == 200
    text = response.text
    assert "<title>Error: Add an organisation" in text
    assert "There is a problem" in text
    assert "Enter the name of the organisation" in text
    assert "Enter an email address in the correct format, like name@example.org" in text
    assert "Enter a website address in the correct format, like https://www.example.org" in text
    for field in ("name", "email", "website"):
        assert f'href="#{field}"' in text  # the error summary links to each field
        assert f'id="{field}-error"' in text  # and the message sits by the field
    assert "Typed description" in text
    assert 'value="not-an-email"' in text
    assert 'value="ftp://files.example"' in text
    assert db_session.exec(select(Organization.id)).all() == before


@pytest.mark.parametrize(
    "website",
    ["example.org", "https://", "https://no-dot", "javascript:alert(1)", "http://exa mple.org", "https://x.org:port"],
)
def test_only_proper_web_addresses_are_accepted(sign_in_as, website):
    response = post_form(sign_in_as("admin"), "/admin/organisations/new", {"name": "Somewhere", "website": website})
    assert response.status_code == 200
    assert "Enter a website address in the correct format" in response.text


@pytest.mark.parametrize("website", ["http://example.org", "https://www.example.org/path?q=1", "https://café.example"])
def test_good_web_addresses_are_accepted(sign_in_as, website):
    response = post_form(sign_in_as("admin"), "/admin/organisations/new", {"name": "Somewhere", "website": website})
    assert response.status_code == 303


def test_editing_an_organisation_saves_records_and_refreshes_its_services_search(sign_in_as, db_session):
    organization = make_organization(db_session, name="Lighthouse Trust", email="old@lighthouse.example.org")
    make_service(db_session, organization=organization, name="Harbour walks")
    before = organization.updated_at
    client = sign_in_as("admin")
    page = client.get(f"/admin/organisations/{organization.id}/edit")
    assert 'value="Lighthouse Trust"' in page.text
    assert 'value="old@lighthouse.example.org"' in page.text
    response = post_form(
        client,
        f"/admin/organisations/{organization.id}/edit",
        {"name": "Quayside Lighthouse Trust", "description": "", "email": "new@lighthouse.example.org", "website": ""},
    )
    assert response.status_code == 303
    db_session.expire_all()
    saved = db_session.get(Organization, organization.id)
    assert (saved.name, saved.email, saved.website) == ("Quayside Lighthouse Trust", "new@lighthouse.example.org", None)
    assert saved.updated_at != before
    [change] = changes(db_session, "organization", organization.id)
    assert (change.action, change.user_id) == ("updated", admin_id(db_session))
    assert "name" in change.summary and "email" in change.summary
    assert "Harbour walks" in client.get("/services?q=quayside").text
    history = client.get(f"/admin/organisations/{organization.id}/edit").text
    assert "Ada Admin" in history and "Changed" in history


def test_a_failed_edit_keeps_what_was_typed_and_changes_nothing(sign_in_as, db_session):
    response = post_form(
        sign_in_as("admin"),
        f"/admin/organisations/{RIVERSIDE}/edit",
        {"name": "", "description": "New words", "email": "bad@", "website": "https://riverside.example.org"},
    )
    assert response.status_code == 200
    assert "<title>Error: Edit organisation" in response.text
    assert "New words" in response.text and 'value="bad@"' in response.text
    db_session.expire_all()
    assert db_session.get(Organization, RIVERSIDE).name == "Riverside Community Hub"
    assert changes(db_session, "organization", RIVERSIDE) == []


def test_approving_lists_the_organisations_services_in_search(sign_in_as, client, db_session):
    assert PENDING_SERVICE not in client.get("/services?q=stay+and+play").text
    client = sign_in_as("admin")
    response = post_form(client, f"/admin/organisations/{PENDING}/approve", {}, page="/admin/organisations")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/organisations"
    db_session.expire_all()
    organization = db_session.get(Organization, PENDING)
    assert organization.status == OrganizationStatus.APPROVED
    [change] = changes(db_session, "organization", PENDING)
    assert (change.action, change.user_id) == ("approved", admin_id(db_session))
    assert "The organisation has been approved." in client.get("/admin/organisations").text
    assert PENDING_SERVICE in client.get("/services?q=stay+and+play").text
    # Approving again changes nothing and records nothing more.
    post_form(client, f"/admin/organisations/{PENDING}/approve", {}, page="/admin/organisations")
    assert len(changes(db_session, "organization", PENDING)) == 1


def test_a_pending_organisation_can_be_approved_from_its_edit_page(sign_in_as):
    page = sign_in_as("admin").get(f"/admin/organisations/{PENDING}/edit")
    assert "Waiting for approval" in page.text
    assert f'action="/admin/organisations/{PENDING}/approve"' in page.text


# Taxonomies


@pytest.fixture
def services_taxonomy(db_session):
    """A taxonomy of our own, with a term used by a service."""
    taxonomy = Taxonomy(name="Service types", description="What kind of service it is.")
    db_session.add(taxonomy)
    db_session.flush()
    term = TaxonomyTerm(taxonomy_id=taxonomy.id, name="Drop-in", code="drop_in")
    db_session.add(term)
    db_session.flush()
    service = make_service(db_session, name="Tuesday tea afternoon")
    db_session.add(Attribute(link_id=service.id, link_type="service", taxonomy_term_id=term.id))
    db_session.flush()
    return taxonomy, term, service


def test_taxonomies_list_their_terms_as_a_tree(sign_in_as, db_session, services_taxonomy):
    taxonomy, term, _service = services_taxonomy
    child = TaxonomyTerm(taxonomy_id=taxonomy.id, name="Walk-in clinic", code="walk_in", parent_id=term.id)
    db_session.add(child)
    db_session.flush()
    text = sign_in_as("admin").get("/admin/taxonomies").text
    assert "Needs" in text and "Service types" in text
    assert "Mental health" in text and '<code dir="ltr">food</code>' in text
    assert f'href="/admin/taxonomies/{taxonomy.id}/terms/new"' in text
    assert f'href="/admin/taxonomies/terms/{child.id}/edit"' in text
    parent_at, child_at = text.index("Drop-in"), text.index("Walk-in clinic")
    assert parent_at < child_at
    assert text[parent_at:child_at].count("<ul") == 1  # the child sits in a list inside its parent's item


def test_adding_a_term_records_who(sign_in_as, db_session, services_taxonomy):
    taxonomy, parent, _service = services_taxonomy
    response = post_form(
        sign_in_as("admin"),
        f"/admin/taxonomies/{taxonomy.id}/terms/new",
        {"name": "Evening drop-in", "description": "After 6pm", "code": "evening_drop_in", "parent_id": str(parent.id)},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/taxonomies#taxonomy-{taxonomy.id}"
    term = db_session.exec(select(TaxonomyTerm).where(TaxonomyTerm.code == "evening_drop_in")).one()
    assert (term.taxonomy_id, term.parent_id, term.name, term.description) == (
        taxonomy.id,
        parent.id,
        "Evening drop-in",
        "After 6pm",
    )
    [change] = changes(db_session, "taxonomy_term", term.id)
    assert (change.action, change.user_id) == ("created", admin_id(db_session))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "code": "ok_code"}, "Enter a name for the term"),
        ({"name": "Late", "code": "Late Night"}, "Code must only include lowercase letters, numbers and underscores"),
        ({"name": "Late", "code": "drop_in"}, "Another term in this taxonomy already has this code"),
        ({"name": "Late", "parent_id": str(uuid.uuid4())}, "Choose a parent term from the list"),
        ({"name": "Late", "parent_id": str(FOOD)}, "Choose a parent term from the list"),  # another taxonomy's
    ],
)
def test_a_bad_term_gets_a_clear_message_and_keeps_what_was_typed(
    sign_in_as, db_session, services_taxonomy, data, message
):
    taxonomy, _term, _service = services_taxonomy
    count = len(db_session.exec(select(TaxonomyTerm.id)).all())
    response = post_form(
        sign_in_as("admin"), f"/admin/taxonomies/{taxonomy.id}/terms/new", {"description": "Kept words", **data}
    )
    assert response.status_code == 200
    assert "<title>Error: Add a term" in response.text
    assert message in response.text
    assert "Kept words" in response.text
    if data.get("code"):
        assert f'value="{data["code"]}"' in response.text
    assert len(db_session.exec(select(TaxonomyTerm.id)).all()) == count


def test_the_same_code_may_be_used_in_another_taxonomy(sign_in_as, services_taxonomy):
    response = post_form(
        sign_in_as("admin"), f"/admin/taxonomies/{NEEDS_TAXONOMY_ID}/terms/new", {"name": "Drop-ins", "code": "drop_in"}
    )
    assert response.status_code == 303


def test_editing_a_term_refreshes_the_search_of_services_using_it(sign_in_as, client, db_session, services_taxonomy):
    _taxonomy, term, service = services_taxonomy
    assert service.name not in client.get("/services?q=zanzibarian").text
    client = sign_in_as("admin")
    page = client.get(f"/admin/taxonomies/terms/{term.id}/edit")
    assert 'value="Drop-in"' in page.text and 'value="drop_in"' in page.text
    response = post_form(
        client,
        f"/admin/taxonomies/terms/{term.id}/edit",
        {"name": "Zanzibarian coffee morning", "description": "", "code": "coffee_morning", "parent_id": ""},
    )
    assert response.status_code == 303
    db_session.expire_all()
    saved = db_session.get(TaxonomyTerm, term.id)
    assert (saved.name, saved.code) == ("Zanzibarian coffee morning", "coffee_morning")
    [change] = changes(db_session, "taxonomy_term", term.id)
    assert (change.action, change.user_id) == ("updated", admin_id(db_session))
    assert service.name in client.get("/services?q=zanzibarian").text
    assert service.name not in client.get("/services?q=drop-in").text


def test_a_term_cannot_be_put_under_itself_or_its_children(sign_in_as, db_session, services_taxonomy):
    taxonomy, term, _service = services_taxonomy
    child = TaxonomyTerm(taxonomy_id=taxonomy.id, name="Walk-in clinic", parent_id=term.id)
    db_session.add(child)
    db_session.flush()
    client = sign_in_as("admin")
    page = client.get(f"/admin/taxonomies/terms/{term.id}/edit").text
    assert f'value="{child.id}"' not in page and f'value="{term.id}"' not in page
    for parent in (term.id, child.id):
        response = post_form(
            client, f"/admin/taxonomies/terms/{term.id}/edit", {"name": "Drop-in", "parent_id": str(parent)}
        )
        assert response.status_code == 200
        assert "Choose a parent term from the list" in response.text
    db_session.expire_all()
    assert db_session.get(TaxonomyTerm, term.id).parent_id is None


def test_a_built_in_need_keeps_its_code_and_name_but_its_description_can_change(sign_in_as, db_session):
    client = sign_in_as("admin")
    page = client.get(f"/admin/taxonomies/terms/{FOOD}/edit").text
    assert 'name="code"' not in page and 'name="name"' not in page
    assert '<code dir="ltr">food</code>' in page
    response = post_form(
        client,
        f"/admin/taxonomies/terms/{FOOD}/edit",
        {"name": "Groceries", "code": "groceries", "description": "Food banks, pantries and free meals"},
    )
    assert response.status_code == 303
    db_session.expire_all()
    food = db_session.get(TaxonomyTerm, FOOD)
    assert (food.code, food.name, food.description) == ("food", "Food", "Food banks, pantries and free meals")
    [change] = changes(db_session, "taxonomy_term", FOOD)
    assert change.action == "updated" and "description" in change.summary
    assert "Community food pantry" in client.get("/services?need=food").text


def test_the_service_refuses_to_change_a_built_in_needs_code(db_session):
    food = db_session.get(TaxonomyTerm, FOOD)
    details = taxonomy_admin.TermDetails(name=food.name, description=food.description, code="groceries")
    with pytest.raises(taxonomy_admin.TermError) as refused:
        taxonomy_admin.update_term(session=db_session, user_id=None, term=food, details=details)
    assert (refused.value.field, refused.value.reason) == ("code", "built_in")
    assert food.code == "food"
    assert changes(db_session, "taxonomy_term", FOOD) == []


def test_a_term_imported_with_an_unusual_code_can_still_be_edited(sign_in_as, db_session, services_taxonomy):
    taxonomy, _term, _service = services_taxonomy
    imported = TaxonomyTerm(taxonomy_id=taxonomy.id, name="Food bank", code="FOOD-BANK")
    db_session.add(imported)
    db_session.flush()
    client, path = sign_in_as("admin"), f"/admin/taxonomies/terms/{imported.id}/edit"
    response = post_form(client, path, {"name": "Food bank", "code": "FOOD-BANK", "description": "New"})
    assert response.status_code == 303
    db_session.expire_all()
    assert db_session.get(TaxonomyTerm, imported.id).description == "New"
    response = post_form(client, path, {"name": "Food bank", "code": "FOOD-BANKS"})
    assert "Code must only include lowercase letters, numbers and underscores" in response.text
