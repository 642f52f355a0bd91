"""Page weight: what a phone downloads on a first visit to each public page, against the issue's budget.

    .venv/bin/python bench/page_weight.py [--json FILE] [--database-url URL] [--base-url URL] [--page PATH ...]

Serves the app on 127.0.0.1:8130 (the demo data in a temporary SQLite database, made as the tests make it; or
`--database-url`, such as a copy of the scale data), opens each public page in Debian's Chromium at phone size
(Pixel 7) in a new browser context (an empty cache: a first visit), waits until the network is quiet, and adds up
what each request cost on the wire (response headers plus the body as sent, so compressed), by type: HTML, CSS,
JavaScript, images, fonts, other. BSL video and map tiles are optional (a person starts a video, or opens the
map) and are not counted; nor are the service worker's own downloads after the page has loaded (it saves the page
for offline reading), which are shown apart in the `worker` column. `--base-url` measures a server already running
(gunicorn, say) instead.

Budgets (issue 8): at most 50 KB a page, of which the HTML at most 15 KB (1 KB = 1,000 bytes: the stricter
reading). The HTML's size before compression is shown too. Prints a table; `--json` also writes every figure.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROME_ARGS, CHROMIUM  # noqa: E402 - the Chromium flags that work here (TESTING.md)

PORT = 8130
BUDGET_TOTAL = 50_000
BUDGET_HTML = 15_000
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "image": "images", "font": "fonts"}
COLUMNS = ("html", "css", "js", "images", "fonts", "other")
# Pages beyond tests/e2e/pages.py's list: a right-to-left language (its own stylesheet), BSL (the video's poster
# is counted, the video is not), a search with a full page of results, and the installable app's offline page.
EXTRA_PAGES = ["/?lang=ar", "/?lang=bfi", "/services?q=&lang=en", "/offline"]
# With --database-url (the scale data has no demo records): searches and the pages the first result leads to.
SCALE_PAGES = [
    "/",
    "/services",
    "/services?q=advice&need=money&language=ar&postcode=S4+7AB",
    "/services?q=food&free=y&when=now&postcode=NR30",
    "/services?q=%D8%B7%D8%B9%D8%A7%D9%85&language=ar&free=y&postcode=S5&lang=ar",
    "/help",
    "/privacy",
    "/accessibility",
    "/sign-in",
    "/offline",
]


@dataclass
class PageWeight:
    path: str
    status: int
    bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    requests: int = 0
    html_uncompressed: int = 0
    html_encoding: str = ""
    headers: int = 0  # of which response headers, on every request
    worker: int = 0  # the service worker's downloads (not in the total)
    skipped: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    @property
    def within_budget(self) -> bool:
        return self.total <= BUDGET_TOTAL and self.bytes["html"] <= BUDGET_HTML


def demo_database(folder: Path) -> str:
    """A SQLite database with the demo data, as the browser tests make it; returns its URL."""
    from sqlmodel import Session

    from referral_app import create_app, migrations
    from referral_app.services import demo_data, media

    url = f"sqlite:///{folder / 'demo.sqlite'}"
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "MEDIA_ROOT": str(folder / "media")})
    engine = app.extensions["database"].engine
    migrations.upgrade(engine)
    with Session(engine) as session:
        demo_data.load_demo_data(session=session, media_store=media.MediaStore(folder / "media"))
        session.commit()
    engine.dispose()
    return url


@contextmanager
def serve(database_url: str, media_root: Path) -> Iterator[str]:
    """The app, with production's compression and caching, on 127.0.0.1:PORT in a thread of this process."""
    from werkzeug.serving import make_server

    from referral_app import create_app

    # Searches are logged as they happen, not batched for a flush at exit, when the database may be gone.
    settings = {"SECRET_KEY": "bench", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    app = create_app({**settings, "SEARCH_LOG_FLUSH_SECONDS": 0})
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{PORT}"
    finally:
        server.shutdown()
        app.extensions["database"].engine.dispose()


def optional(request, base_url: str) -> str | None:
    """Why a download is not counted, or None: BSL video (with its captions and poster frame, all under /media/),
    and anything from another site (map tiles)."""
    if request.resource_type in ("media", "texttrack") or urlsplit(request.url).path.startswith("/media/"):
        return "video"
    if not request.url.startswith(base_url):
        return "another site"
    return None


def weigh(browser, devices: dict, base_url: str, path: str) -> PageWeight:
    context = browser.new_context(**devices["Pixel 7"], base_url=base_url)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    response = page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(300)  # what the page's scripts start after `load` (the worker's message)
    weight = PageWeight(path=path, status=response.status if response else 0)
    for request in finished:
        sizes = request.sizes()
        on_wire = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if request.service_worker is not None or request.frame is None or request.frame.page != page:
            weight.worker += on_wire
            continue
        if reason := optional(request, base_url):
            weight.skipped.append(f"{reason}: {urlsplit(request.url).path}")
            continue
        kind = KINDS.get(request.resource_type, "other")
        weight.bytes[kind] += on_wire
        weight.headers += sizes["responseHeadersSize"]
        weight.requests += 1
        if request.resource_type == "document" and request.redirected_to is None:
            document = request.response()
            weight.html_uncompressed = len(document.body())
            weight.html_encoding = document.headers.get("content-encoding", "none")
    context.close()
    return weight


def scale_pages(browser, devices: dict, base_url: str) -> list[str]:
    """SCALE_PAGES and the service and organisation pages that the first search result leads to."""
    context = browser.new_context(**devices["Pixel 7"], base_url=base_url)
    page = context.new_page()
    page.goto("/services?q=advice")
    found = list(SCALE_PAGES)
    service = page.locator("#results a[href*='/services/']").first
    if service.count():
        found.append(urlsplit(service.get_attribute("href")).path)
        page.goto(found[-1])
        organisation = page.locator("main a[href*='/organisations/']").first
        if organisation.count():
            found.append(urlsplit(organisation.get_attribute("href")).path)
    context.close()
    return found


def measure(base_url: str, paths: list[str] | None) -> list[PageWeight]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            if paths is None:
                from tests.e2e.pages import PUBLIC_PAGES

                paths = list(dict.fromkeys([*PUBLIC_PAGES, *EXTRA_PAGES]))
            elif not paths:
                paths = scale_pages(browser, playwright.devices, base_url)
            return [weigh(browser, playwright.devices, base_url, path) for path in paths]
        finally:
            browser.close()


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def table(weights: list[PageWeight]) -> str:
    lines = [
        "| page | status | HTML KB (uncompressed) | CSS | JS | images | fonts | other | total KB | requests"
        " | of which headers | worker | within budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for w in weights:
        b = w.bytes
        verdict = "yes" if w.within_budget else "**no**"
        lines.append(
            f"| `{w.path}` | {w.status} | {kb(b['html'])} ({kb(w.html_uncompressed)}, {w.html_encoding})"
            f" | {kb(b['css'])} | {kb(b['js'])} | {kb(b['images'])} | {kb(b['fonts'])} | {kb(b['other'])}"
            f" | **{kb(w.total)}** | {w.requests} | {kb(w.headers)} | {kb(w.worker)} | {verdict} |"
        )
    heaviest = max(weights, key=lambda w: w.total)
    largest_html = max(weights, key=lambda w: w.bytes["html"])
    lines += [
        "",
        f"Heaviest page: `{heaviest.path}`, {kb(heaviest.total)} KB of {kb(BUDGET_TOTAL)};"
        f" largest HTML: `{largest_html.path}`, {kb(largest_html.bytes['html'])} KB of {kb(BUDGET_HTML)}"
        f" ({kb(largest_html.html_uncompressed)} KB uncompressed).",
        f"Pages within budget: {sum(w.within_budget for w in weights)} of {len(weights)}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--database-url", help="a database with data (default: the demo data in a temporary file)")
    parser.add_argument("--base-url", help="measure this server instead of starting one")
    parser.add_argument("--page", action="append", dest="pages", help="only these paths (repeatable)")
    args = parser.parse_args(argv)
    load_before = Path("/proc/loadavg").read_text().split()[0]
    started = time.perf_counter()
    paths = args.pages if args.pages else ([] if args.database_url else None)
    with tempfile.TemporaryDirectory(prefix="page-weight-") as folder:
        if args.base_url:
            weights = measure(args.base_url.rstrip("/"), paths)
        else:
            database_url = args.database_url or demo_database(Path(folder))
            with serve(database_url, Path(folder) / "media") as base_url:
                weights = measure(base_url, paths)
    load_after = Path("/proc/loadavg").read_text().split()[0]
    print(table(weights))
    seconds = time.perf_counter() - started
    print(f"\n{len(weights)} pages in {seconds:.0f} s; 1-minute load average {load_before} before, {load_after} after")
    if args.json:
        figures = [{**asdict(w), "total": w.total, "within_budget": w.within_budget} for w in weights]
        budget = {"total": BUDGET_TOTAL, "html": BUDGET_HTML}
        args.json.write_text(json.dumps({"budget": budget, "pages": figures}, indent=2), encoding="utf-8")
    return 0 if all(w.within_budget for w in weights) else 1


if __name__ == "__main__":
    sys.exit(main())
