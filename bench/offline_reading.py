"""Offline reading (the service worker, static/js/sw.js): what it costs and what it gives, on a running server.

    .venv/bin/python bench/offline_reading.py [--base-url http://127.0.0.1:8140]

Against a server with the demo data (gunicorn, say), in Debian's Chromium at phone size (Pixel 7): the sizes of
what the worker adds (the worker, the manifest, the offline page, the icons, the markup on every page), then 60
service pages and 2 searches read in one browser (how many are kept: at most 50; the storage they take; the
static files kept), then the time to show a page online, its saved copy offline, and the offline page (median of
5 navigations each; the machine's 1-minute load average before and after, since figures on a shared machine are
noisy). Results: bench/RESULTS.md (issue 8, offline).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROME_ARGS, CHROMIUM  # noqa: E402
from tests.e2e.test_offline import KEPT, KEPT_PAGES  # noqa: E402

NAVIGATION_TIMES = """() => {
  const entry = performance.getEntriesByType('navigation')[0]
  return [entry.responseEnd - entry.startTime, entry.loadEventEnd - entry.startTime]
}"""


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def sizes(base_url: str) -> None:
    print("Sizes in bytes (uncompressed / gzip -6):")
    for path in ("/sw.js", "/manifest.webmanifest?lang=en", "/offline?lang=en"):
        data = httpx.get(base_url + path).content
        print(f"  {path}: {len(data)} / {len(gzip.compress(data, 6))}")
    for icon in sorted((ROOT / "static" / "img" / "icons").glob("*.png")):
        print(f"  {icon.name}: {icon.stat().st_size}")
    home = httpx.get(base_url + "/").text
    start = home.index('<div class="app-offline-notice"')
    added = home[start : home.index("</div>\n</div>", start) + 13]
    added += "".join(line for line in home.splitlines() if "apple-touch-icon" in line or 'rel="manifest"' in line)
    print(f"  added to every page's HTML: {len(added.encode())} / {len(gzip.compress(added.encode(), 6))}")


def median_times(page, path: str) -> list[float]:
    runs = []
    for _ in range(5):
        page.goto(path)
        runs.append(page.evaluate(NAVIGATION_TIMES))
    return [round(statistics.median(run[index] for run in runs)) for index in (0, 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8140")
    base_url = parser.parse_args().base_url.rstrip("/")
    sizes(base_url)
    listing = httpx.get(f"{base_url}/api/openreferral/services?per_page=100").json()
    services = [f"/services/{service['id']}" for service in listing["contents"]][:60]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        context = browser.new_context(**playwright.devices["Pixel 7"], base_url=base_url)
        page = context.new_page()
        for path in ("/services?q=food", "/services?q=advice", *services):
            page.goto(path)
        assert page.evaluate(KEPT, services[-1]), "the last page read was not kept"
        kept = page.evaluate(KEPT_PAGES)
        html = sum(len(text.encode()) for _, text in kept)
        usage = page.evaluate("navigator.storage.estimate().then((estimate) => estimate.usage)")
        static = page.evaluate("caches.open('assets-v1').then(async (cache) => (await cache.keys()).length)")
        print(f"After reading {len(services) + 2} pages: {len(kept)} kept ({html} bytes of HTML)")
        print(f"  static files kept: {static}; storage used: {usage} bytes")
        before = load_average()
        online = median_times(page, services[-1])
        context.set_offline(True)
        saved = median_times(page, services[-1])
        offline_page = median_times(page, "/help")
        print(f"Load average {before} before, {load_average()} after the timed runs")
        print("Median of 5 navigations, ms to the response's end / to the load event:")
        print(f"  a service page online: {online}; its saved copy offline: {saved}; the offline page: {offline_page}")
        browser.close()


if __name__ == "__main__":
    main()
