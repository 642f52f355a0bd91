"""The services behind the admin pages: organisations and taxonomy terms, each change in the change log."""

import pytest
from sqlmodel import select

from referral_app.models import ChangeLog, OrganizationStatus, Taxonomy, TaxonomyTerm
from referral_app.services import change_log, organizations, taxonomy_admin
from referral_app.services.organizations import OrganizationDetails
from referral_app.services.taxonomy import NEEDS_TAXONOMY_ID, need_term_id
from referral_app.services.taxonomy_admin import TermDetails, TermError
from tests.factories import make_organization, make_user


def logged(db_session, entity_id) -> list[tuple[str, str]]:
    rows = db_session.exec(select(ChangeLog).where(ChangeLog.entity_id == str(entity_id)).order_by(ChangeLog.id))
    return [(row.entity, row.action) for row in rows]


def test_list_puts_pending_organisations_first(db_session):
    make_organization(db_session, name="Aardvark Aid", status=OrganizationStatus.PENDING)
    rows = organizations.list_organizations(session=db_session)
    pending = [row.organization.name for row in rows if row.pending]
    assert [row.organization.name for row in rows[: len(pending)]] == pending
    assert pending == ["Aardvark Aid", "Southtown Parents' Network"]
    counts = {row.organization.name: row.service_count for row in rows}
    assert counts["Aardvark Aid"] == 0 and counts["Deaf Connect"] == 4


def test_create_update_and_approve_record_each_change(db_session):
    admin = make_user(db_session)
    organization = organizations.create_organization(
        session=db_session, user_id=admin.id, details=OrganizationDetails(name=" Tide Club ", email=" ")
    )
    assert (organization.name, organization.email, organization.status) == (
        "Tide Club",
        None,
        OrganizationStatus.APPROVED,
    )
    same = OrganizationDetails(name="Tide Club")
    assert (
        organizations.update_organization(session=db_session, user_id=admin.id, organization=organization, details=same)
        == []
    )
    changed = organizations.update_organization(
        session=db_session,
        user_id=admin.id,
        organization=organization,
        details=OrganizationDetails(name="Tide Club", website="https://tide.example.org"),
    )
    assert changed == ["website"]
    assert not organizations.approve_organization(session=db_session, user_id=admin.id, organization=organization)
    organization.status = OrganizationStatus.PENDING
    assert organizations.approve_organization(session=db_session, user_id=admin.id, organization=organization)
    assert logged(db_session, organization.id) == [
        ("organization", "created"),
        ("organization", "updated"),
        ("organization", "approved"),
    ]
    history = change_log.history(session=db_session, entity="organization", entity_id=organization.id)
    assert [row.change.action for row in history] == ["approved", "updated", "created"]
    assert {row.user_name for row in history} == {admin.name}


@pytest.fixture
def taxonomy(db_session) -> Taxonomy:
    taxonomy = Taxonomy(name="Settings")
    db_session.add(taxonomy)
    db_session.flush()
    return taxonomy


def add(db_session, taxonomy, name, parent=None, code=None) -> TaxonomyTerm:
    return taxonomy_admin.create_term(
        session=db_session,
        user_id=None,
        taxonomy_id=taxonomy.id,
        details=TermDetails(name=name, code=code, parent_id=parent.id if parent else None),
    )


def test_terms_form_a_tree_and_a_term_cannot_go_below_itself(db_session, taxonomy):
    outdoors = add(db_session, taxonomy, "Outdoors", code="outdoors")
    park = add(db_session, taxonomy, "Park", parent=outdoors)
    bench = add(db_session, taxonomy, "Bench", parent=park)
    indoors = add(db_session, taxonomy, "Indoors")
    [tree] = [t for t in taxonomy_admin.taxonomies_with_terms(session=db_session) if t.taxonomy == taxonomy]
    assert [(node.term.name, node.depth) for node in taxonomy_admin.flatten(tree.terms)] == [
        ("Indoors", 0),
        ("Outdoors", 0),
        ("Park", 1),
        ("Bench", 2),
    ]
    options = taxonomy_admin.parent_options(session=db_session, taxonomy_id=taxonomy.id, term_id=park.id)
    assert [node.term for node in options] == [indoors, outdoors]
    with pytest.raises(TermError) as refused:
        taxonomy_admin.update_term(
            session=db_session, user_id=None, term=outdoors, details=TermDetails(name="Outdoors", parent_id=bench.id)
        )
    assert (refused.value.field, refused.value.reason) == ("parent_id", "parent")


def test_a_loop_in_imported_data_still_shows_every_term(db_session, taxonomy):
    first = TaxonomyTerm(taxonomy_id=taxonomy.id, name="First")
    second = TaxonomyTerm(taxonomy_id=taxonomy.id, name="Second")
    db_session.add_all([first, second])
    db_session.flush()
    first.parent_id, second.parent_id = second.id, first.id
    db_session.add_all([first, second])
    db_session.flush()
    [tree] = [t for t in taxonomy_admin.taxonomies_with_terms(session=db_session) if t.taxonomy == taxonomy]
    assert sorted(node.term.name for node in taxonomy_admin.flatten(tree.terms)) == ["First", "Second"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [("Has Spaces", "code_format"), ("UPPER", "code_format"), ("taken", "code_taken")],
)
def test_codes_are_checked(db_session, taxonomy, code, reason):
    add(db_session, taxonomy, "Taken", code="taken")
    with pytest.raises(TermError) as refused:
        add(db_session, taxonomy, "New", code=code)
    assert (refused.value.field, refused.value.reason) == ("code", reason)


def test_a_parent_from_another_taxonomy_is_refused(db_session, taxonomy):
    food = db_session.get(TaxonomyTerm, need_term_id("food"))
    with pytest.raises(TermError):
        add(db_session, taxonomy, "Pantry", parent=food)


def test_a_built_in_need_keeps_code_name_and_place(db_session):
    food = db_session.get(TaxonomyTerm, need_term_id("food"))
    assert taxonomy_admin.is_built_in(food)
    for change in ({"code": "groceries"}, {"name": "Groceries"}, {"parent_id": need_term_id("money")}):
        details = TermDetails(**({"name": food.name, "code": food.code} | change))
        with pytest.raises(TermError, match="built_in"):
            taxonomy_admin.update_term(session=db_session, user_id=None, term=food, details=details)
    new_description = TermDetails(name=food.name, code=food.code, description="Food banks and meals")
    assert taxonomy_admin.update_term(session=db_session, user_id=None, term=food, details=new_description) == [
        "description"
    ]
    assert logged(db_session, food.id) == [("taxonomy_term", "updated")]


def test_a_new_term_in_the_needs_taxonomy_is_not_built_in(db_session):
    term = taxonomy_admin.create_term(
        session=db_session, user_id=None, taxonomy_id=NEEDS_TAXONOMY_ID, details=TermDetails(name="Transport")
    )
    assert not taxonomy_admin.is_built_in(term)
    assert logged(db_session, term.id) == [("taxonomy_term", "created")]
