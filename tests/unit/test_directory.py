from referral_app.models import ServiceStatus
from referral_app.services import directory
from tests.factories import make_organization, make_service


def names(page):
    return [service.name for service, _organization in page.items]


def test_find_services_lists_only_running_services(db_session):
    organization = make_organization(db_session, name="Zeta Trust")
    make_service(db_session, organization=organization, name="Zeta open", status=ServiceStatus.ACTIVE)
    make_service(db_session, organization=organization, name="Zeta paused", status=ServiceStatus.TEMPORARILY_CLOSED)
    make_service(db_session, organization=organization, name="Zeta stopped", status=ServiceStatus.INACTIVE)
    make_service(db_session, organization=organization, name="Zeta gone", status=ServiceStatus.DEFUNCT)
    page = directory.find_services(session=db_session, text="zeta")
    assert names(page) == ["Zeta open", "Zeta paused"]
    assert page.total == 2


def test_find_services_matches_every_word_in_name_description_or_organisation(db_session):
    organization = make_organization(db_session, name="Harbour Friends")
    make_service(db_session, organization=organization, name="Walking group", description="Gentle coastal walks")
    make_service(db_session, organization=organization, name="Coffee morning", description="Tea and talk")
    assert names(directory.find_services(session=db_session, text="harbour COASTAL")) == ["Walking group"]
    assert names(directory.find_services(session=db_session, text="harbour")) == ["Coffee morning", "Walking group"]


def test_find_services_treats_wildcards_as_text(db_session):
    make_service(db_session, name="100% volunteer run")
    make_service(db_session, name="1000 volunteers")
    assert names(directory.find_services(session=db_session, text="100%")) == ["100% volunteer run"]
    assert directory.find_services(session=db_session, text="_").total == 0


def test_find_services_pages(db_session):
    organization = make_organization(db_session, name="Pager")
    for number in range(5):
        make_service(db_session, organization=organization, name=f"Pager service {number}")
    first = directory.find_services(session=db_session, text="pager", page=1, page_size=2)
    last = directory.find_services(session=db_session, text="pager", page=3, page_size=2)
    assert (first.total, first.page_count) == (5, 3)
    assert names(first) == ["Pager service 0", "Pager service 1"]
    assert names(last) == ["Pager service 4"]
    assert directory.find_services(session=db_session, text="pager", page=0, page_size=2).page == 1


def test_services_of_organization_and_lookups(db_session):
    organization = make_organization(db_session)
    service = make_service(db_session, organization=organization, name="Only one")
    assert directory.services_of_organization(session=db_session, organization_id=organization.id) == [service]
    assert directory.get_service(session=db_session, service_id=service.id) == (service, organization)
    assert directory.get_organization(session=db_session, organization_id=organization.id) == organization
