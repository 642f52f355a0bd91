"""Every page each kind of user can reach, for the accessibility and HTML checks."""

from referral_app.services.demo_data import demo_id
from referral_app.services.demo_referrals import DEMO_STATUS_TOKEN, demo_key_id

SERVICE = demo_id("Riverside Community Hub/Community food pantry")
CLOSED_SERVICE = demo_id("Riverside Community Hub/Tuesday lunch club")
ORGANIZATION = demo_id("Deaf Connect")


def referral(key: str) -> str:
    """The page of one of the demo referrals (see referral_app/services/demo_referrals.py)."""
    return f"/referrals/{demo_key_id('referral', key)}"


DECLINED = referral("leyla-english")  # New Roots declined it: its referrer sees "Refer elsewhere"
WAITING = referral("ana-food")  # to Riverside, not answered yet: Accept or Decline; needs a Romanian interpreter
COMPLETED = referral("olena-digital")  # to Riverside, with well-being answers at the start and at follow-up
STATUS_PAGE = f"/requests/{DEMO_STATUS_TOKEN}"  # the demo self-referral's private link

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
    f"/services/{SERVICE}/refer-yourself",
    STATUS_PAGE,
    f"{STATUS_PAGE}/well-being/baseline",
    f"{STATUS_PAGE}/withdraw",  # the confirmation page (withdrawing takes a POST)
    "/requests/not-a-real-link",  # the not-found page
    "/help",
    "/privacy",
    "/accessibility",
    "/offline",  # what the service worker shows offline (tests/e2e/test_offline.py checks it with saved pages)
    "/sign-in",
    "/sign-in/forgot-password",
    "/sign-in/forgot-password/sent",
    "/reset-password/not-a-real-link",  # an expired or used link
    "/no-such-page",
]
SIGNED_IN_PAGES = ["/", "/services?q=food", "/account"]
REFUSED = "/admin/users"
INBOX = ["/inbox", "/inbox?tab=in_progress", "/inbox?tab=closed"]
LISTING_PAGES = [
    "",
    "/edit",
    "/translations/ar",
    "/translations/cy",
    "/translations/ur",
    "/video",
    "/opening-times",
    "/contacts",
    "/locations",
]  # the 403 page, for everyone but admins
PAGES_BY_ROLE = {
    None: PUBLIC_PAGES,
    "link_worker": [
        *SIGNED_IN_PAGES,
        REFUSED,
        "/referrals",
        "/referrals?tab=in_progress",
        "/referrals?tab=closed",
        DECLINED,
        COMPLETED,
        f"{DECLINED}/outcomes/ons4/baseline",
        f"{DECLINED}/withdraw-consent",
        "/inbox",  # the 403 page
        "/account/confirm-password",
        "/account/password",
        "/account/email",
        "/account/two-factor/set-up",
    ],  # the pages of a new referral exist only once it is started (a POST): see test_referral_accessibility.py
    "org_staff": [
        *SIGNED_IN_PAGES,
        REFUSED,
        "/manage/reports",
        "/manage/reports?show=resolved",
        *INBOX,
        WAITING,
        f"{WAITING}/decline",
        COMPLETED,
        f"{COMPLETED}/outcomes/ons4/follow_up",
        "/manage/services",
        "/manage/services/new",
        *(f"/manage/services/{SERVICE}{part}" for part in LISTING_PAGES),
    ],
    "org_staff_other": [
        *SIGNED_IN_PAGES,
        REFUSED,
        "/manage/reports",
        "/inbox",
        WAITING,  # another organisation's referral: the 404 page
        f"{WAITING}/decline",  # 404 too
    ],
    "commissioner": [
        *SIGNED_IN_PAGES,
        REFUSED,
        "/insights",
        "/insights?area=LD6&need=food",  # small numbers: "fewer than 5"
        "/insights?since=yesterday&area=nowhere",  # with errors
        "/insights/wellbeing",
        "/insights/wellbeing?need=immigration",  # fewer than 5 people: figures not shown
        "/insights/gaps",
        "/insights/gaps?area=LD6&need=food",  # small numbers: "fewer than 5"
        "/insights/gaps?since=yesterday&area=nowhere",  # with errors
        "/insights/map",
        "/insights/map?need=food&area=nowhere",  # with an error
    ],
    "admin": [
        *SIGNED_IN_PAGES,
        "/admin/users",
        "/admin/residents",
        f"/admin/residents/{demo_key_id('resident', 'olena-digital')}",  # subject access: everything held
        "/inbox",  # every organisation's referrals
        WAITING,
        "/manage/reports",
        "/admin/organisations",
        "/admin/organisations/new",
        f"/admin/organisations/{demo_id('Riverside Community Hub')}/edit",
        "/admin/organisations/" + str(demo_id("Southtown Parents' Network")) + "/edit",  # waiting for approval
        "/admin/taxonomies",
        "/admin/videos",
        "/admin/videos/home",  # with the demonstration video: player, remove, replace
        "/admin/translations",
        "/admin/translations/pl",
        "/admin/audit",
        "/admin/audit?user=linkworker@example.org&since=2026-01-01&until=2030-12-31",
        "/admin/audit?resident=not-an-id&since=31/12/2026",  # with errors
        "/admin/taxonomies/94bb36b4-fdc4-5325-baf7-065ffa071a00/terms/new",  # the needs taxonomy (fixed id)
        "/admin/taxonomies/terms/132878ed-45d6-5e2a-961c-387f5608e6ed/edit",  # the built-in need "food"
    ],
}
LANGUAGES = ["en", "ar"]  # every page each role reaches, in English and a right-to-left language
# ... and, to keep the suite quick, the pages that differ in Urdu (right to left, another script) and in BSL mode
# (English text, the page's video first): the public pages, the organisation's referral pages, the video pages.
MORE_LANGUAGES = {"ur": (None, "org_staff"), "bfi": (None, "admin")}
# What a page must answer, where that is part of the check; other pages may answer 200, 403 or 404.
REFUSED_STATUS = {
    (None, "/requests/not-a-real-link"): 404,
    ("link_worker", "/inbox"): 403,
    ("org_staff_other", WAITING): 404,  # staff never see another organisation's referrals, not even that they exist
    ("org_staff_other", f"{WAITING}/decline"): 404,
}
REFERRAL_PAGES = ("/referrals", "/inbox", "/requests/", f"/services/{SERVICE}/refer-yourself")


def expected_statuses(role_key: str | None, path: str) -> set[int]:
    if (role_key, path) in REFUSED_STATUS:
        return {REFUSED_STATUS[role_key, path]}
    if path.startswith(REFERRAL_PAGES):
        return {200}
    return {200, 403, 404}


def with_language(path: str, code: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={code}"
