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
    "/services?q=advice&postcode=S4+7AB&need=money&when=now&free=y&access=step_free&delivery=in_person",
    "/services?postcode=ZZ99&age=abc",
    f"/services/{SERVICE}",
    f"/services/{CLOSED_SERVICE}",
    f"/services/{SERVICE}/report",
    f"/services/{SERVICE}/report/sent",
    f"/organisations/{ORGANIZATION}",
    "/help",
    "/privacy",
    "/accessibility",
    "/sign-in",
    "/no-such-page",
]
SIGNED_IN_PAGES = ["/", "/services?q=food", "/account"]
REFUSED = "/admin/users"
LISTING_PAGES = [
    "",
    "/edit",
    "/translations/ar",
    "/translations/cy",
    "/opening-times",
    "/contacts",
    "/locations",
]  # the 403 page, for everyone but admins
PAGES_BY_ROLE = {
    None: PUBLIC_PAGES,
    "link_worker": [*SIGNED_IN_PAGES, REFUSED],
    "org_staff": [
        *SIGNED_IN_PAGES,
        REFUSED,
        "/manage/reports",
        "/manage/reports?show=resolved",
        "/manage/services",
        "/manage/services/new",
        *(f"/manage/services/{SERVICE}{part}" for part in LISTING_PAGES),
    ],
    "org_staff_other": [*SIGNED_IN_PAGES, REFUSED, "/manage/reports"],
    "commissioner": [*SIGNED_IN_PAGES, REFUSED],
    "admin": [
        *SIGNED_IN_PAGES,
        "/admin/users",
        "/manage/reports",
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{demo_id('Riverside Community Hub')}/edit",
        "/admin/organisations/" + str(demo_id("Southtown Parents' Network")) + "/edit",  # waiting for approval
        "/admin/taxonomies",
        "/admin/taxonomies/94bb36b4-fdc4-5325-baf7-065ffa071a00/terms/new",  # the needs taxonomy (fixed id)
        "/admin/taxonomies/terms/132878ed-45d6-5e2a-961c-387f5608e6ed/edit",  # the built-in need "food"
    ],
}
LANGUAGES = ["en", "ar"]


def with_language(path: str, code: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={code}"
