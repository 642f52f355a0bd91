"""Default deny: every endpoint declares who may use it, and the declaration is enforced."""

import pytest

from referral_app import create_app
from referral_app.access import PUBLIC, access_of
from referral_app.models import Role
from tests.conftest import make_test_app

# Endpoints and the roles allowed; a new endpoint must be added here, on purpose.
EXPECTED_ACCESS = {
    "static": PUBLIC,
    "pages.home": PUBLIC,
    "pages.help_and_contact": PUBLIC,
    "pages.privacy_notice": PUBLIC,
    "pages.accessibility_statement": PUBLIC,
    "pages.healthz": PUBLIC,
    "pwa.manifest": PUBLIC,
    "pwa.service_worker": PUBLIC,
    "pwa.offline": PUBLIC,
    "directory.find_services": PUBLIC,
    "directory.show_service": PUBLIC,
    "directory.show_organization": PUBLIC,
    "accounts.sign_in": PUBLIC,
    "accounts.sign_out": frozenset(Role),
    "accounts.account": frozenset(Role),
    "accounts.second_factor": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_link_sent": PUBLIC,
    "accounts.reset_password": PUBLIC,
    **{
        f"accounts.{endpoint}": frozenset(Role)
        for endpoint in (
            "confirm_password",
            "change_password",
            "change_email",
            "set_up_two_factor",
            "new_recovery_codes",
            "turn_off_two_factor",
        )
    },
    "admin.deactivate_user": frozenset({Role.ADMIN}),
    "admin.reactivate_user": frozenset({Role.ADMIN}),
    "admin.reset_two_factor": frozenset({Role.ADMIN}),
    "admin.list_users": frozenset({Role.ADMIN}),
    "admin.list_organizations": frozenset({Role.ADMIN}),
    "admin.create_organization": frozenset({Role.ADMIN}),
    "admin.edit_organization": frozenset({Role.ADMIN}),
    "admin.approve_organization": frozenset({Role.ADMIN}),
    "admin.list_taxonomies": frozenset({Role.ADMIN}),
    "admin.create_term": frozenset({Role.ADMIN}),
    "admin.edit_term": frozenset({Role.ADMIN}),
    "admin.audit_trail": frozenset({Role.ADMIN}),
    **{
        f"admin.{endpoint}": frozenset({Role.ADMIN})
        for endpoint in ("find_residents", "show_resident", "export_resident", "erase_resident")
    },
    **{
        f"admin.{endpoint}": frozenset({Role.ADMIN})
        for endpoint in (
            "list_videos",
            "edit_page_video",
            "remove_page_video",
            "list_translations",
            "show_translation",
            "download_translation",
        )
    },
    "media.serve": PUBLIC,
    "insights.dashboard": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.download": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.wellbeing": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.asset_map": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.asset_map_download": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.gaps": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "insights.gaps_download": frozenset({Role.COMMISSIONER, Role.ADMIN}),
    "api.describe_api": PUBLIC,
    "api.get_openapi": PUBLIC,
    "api.get_schema": PUBLIC,
    "api.list_services": PUBLIC,
    "api.show_service": PUBLIC,
    "api.list_service_at_locations": PUBLIC,
    "api.show_service_at_location": PUBLIC,
    "api.list_organizations": PUBLIC,
    "api.show_organization": PUBLIC,
    "api.list_taxonomies": PUBLIC,
    "api.show_taxonomy": PUBLIC,
    "api.list_taxonomy_terms": PUBLIC,
    "api.show_taxonomy_term": PUBLIC,
    "directory.report_problem": PUBLIC,
    "directory.problem_reported": PUBLIC,
    "manage.list_reports": frozenset({Role.ORG_STAFF, Role.ADMIN}),
    **{
        f"manage.{endpoint}": frozenset({Role.ORG_STAFF, Role.ADMIN})
        for endpoint in (
            "list_services",
            "create_service",
            "show_listing",
            "edit_service",
            "mark_checked",
            "translate_service",
            "edit_opening_times",
            "remove_opening_period",
            "edit_contacts",
            "remove_contact",
            "edit_locations",
            "remove_location",
            "edit_service_video",
            "remove_service_video",
        )
    },
    "manage.resolve_report": frozenset({Role.ORG_STAFF, Role.ADMIN}),
    # Referrals: link workers make them; who may see or change one is checked per referral (404 otherwise).
    **{
        f"referrals.{endpoint}": frozenset({Role.LINK_WORKER})
        for endpoint in (
            "start_referral",
            "draft_service",
            "draft_resident",
            "draft_details",
            "draft_communication",
            "draft_needs",
            "draft_consent",
            "check_referral",
            "my_referrals",
            "refer_elsewhere",
        )
    },
    "referrals.inbox": frozenset({Role.ORG_STAFF, Role.ADMIN}),
    "referrals.decline_referral": frozenset({Role.ORG_STAFF, Role.ADMIN}),
    **{
        f"referrals.{endpoint}": frozenset({Role.LINK_WORKER, Role.ORG_STAFF, Role.ADMIN})
        for endpoint in ("show_referral", "change_status", "add_note", "withdraw_consent", "record_outcome")
    },
    # A resident's own request: the unguessable token in the address is the key.
    **{
        f"referrals.{endpoint}": PUBLIC
        for endpoint in ("refer_yourself", "request_status", "withdraw_request", "resident_outcome")
    },
}


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    return create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('a') / 'a.db'}"})


def test_every_endpoint_declares_its_access(bare_app):
    with bare_app.app_context():
        undeclared = [rule.endpoint for rule in bare_app.url_map.iter_rules() if access_of(rule.endpoint) is None]
    assert undeclared == [], f"Declare @public or @roles_required(...) on: {undeclared}"


def test_access_rules_are_the_ones_we_meant(bare_app):
    with bare_app.app_context():
        actual = {rule.endpoint: access_of(rule.endpoint) for rule in bare_app.url_map.iter_rules()}
    assert actual == EXPECTED_ACCESS


def test_an_undeclared_view_is_refused(migrated_engine, connection):
    app = make_test_app(migrated_engine, connection)
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    response = app.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.text


@pytest.mark.parametrize("path", ["/account", "/admin/users"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_sign_out_needs_a_signed_in_user(client):
    response = client.post("/sign-out")
    # CSRF runs first: an anonymous POST without a token never reaches the view.
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("role_key", ["link_worker", "org_staff", "commissioner"])
def test_only_admins_see_the_account_list(sign_in_as, role_key):
    client = sign_in_as(role_key)
    assert client.get("/admin/users").status_code == 403


def test_admins_see_the_account_list(sign_in_as):
    response = sign_in_as("admin").get("/admin/users")
    assert response.status_code == 200
    assert "orgstaff2@example.org" in response.text
    assert "password" not in response.text.lower().replace("password-", "")


@pytest.mark.parametrize("role_key", ["admin", "link_worker", "org_staff", "org_staff_other", "commissioner"])
def test_every_role_has_an_account_page(sign_in_as, role_key):
    response = sign_in_as(role_key).get("/account")
    assert response.status_code == 200
