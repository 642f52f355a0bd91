"""Every page each kind of user can reach, for the accessibility and HTML checks."""

from referral_app.services.demo_data import demo_id

SERVICE = demo_id("Riverside Community Hub/Community food pantry")
CLOSED_SERVICE = demo_id("Riverside Community Hub/Tuesday lunch club")
ORGANIZATION = demo_id("Deaf Connect")

PUBLIC_PAGES = [
    "/",
    "/services",
    "/services?q=deaf",
    "/services?q=nothing-matches-this",
    f"/services/{SERVICE}",
    f"/services/{CLOSED_SERVICE}",
    f"/organisations/{ORGANIZATION}",
    "/help",
    "/privacy",
    "/accessibility",
    "/sign-in",
    "/no-such-page",
]
SIGNED_IN_PAGES = ["/", "/services?q=food", "/account"]
REFUSED = "/admin/users"  # the 403 page, for everyone but admins
PAGES_BY_ROLE = {
    None: PUBLIC_PAGES,
    "link_worker": [*SIGNED_IN_PAGES, REFUSED],
    "org_staff": [*SIGNED_IN_PAGES, REFUSED],
    "org_staff_other": [*SIGNED_IN_PAGES, REFUSED],
    "commissioner": [*SIGNED_IN_PAGES, REFUSED],
    "admin": [*SIGNED_IN_PAGES, "/admin/users"],
}
LANGUAGES = ["en", "ar"]


def with_language(path: str, code: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={code}"
