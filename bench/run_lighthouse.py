"""Lighthouse (mobile) on the home page, a search and a service page, against the issue's targets.

    npm ci --prefix bench/lighthouse        # once: Lighthouse 12, kept out of the root package.json
    .venv/bin/python bench/run_lighthouse.py [--database-url URL] [--runs 1] [--app-root DIR]

Starts gunicorn as production runs it (2 workers, `REFERRAL_APP_ENV=production`) on 127.0.0.1:8131, on the demo data
in a new SQLite database (`flask db upgrade` and `flask demo load`, as Quick start makes it) or on `--database-url`
(a copy of the scale data, say), and runs Lighthouse's default mobile audit (a mid-range phone, simulated slow 4G)
with Debian's Chromium on:
- the home page,
- a search with words, filters and a postcode,
- a service page (the first result of that search).
Saves each report (JSON) under bench/.data/lighthouse-<time>/ and prints the four category scores, with Largest
Contentful Paint, Total Blocking Time, Cumulative Layout Shift and the bytes transferred. Targets (issue 8):
performance at least 95, accessibility 100, best practices at least 95. Exits 1 if one is missed.
`--app-root` serves another copy of the code with this one's virtualenv (before and after: `git archive` a commit).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import page_weight  # noqa: E402  (bench/ is not a package)

PORT = 8131
LIGHTHOUSE = BENCH_DIR / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEMO_SEARCH = "/services?q=advice&postcode=S4+7AB&need=money&free=y"
SCALE_SEARCH = "/services?q=advice&need=money&language=ar&postcode=S4+7AB"


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def production(database_url: str, media_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "REFERRAL_APP_ENV": "production",
        "SECRET_KEY": "bench",
        "REFERRAL_APP_REQUIRE_TWO_FACTOR": "off",
        "DATABASE_URL": database_url,
        "REFERRAL_APP_MEDIA_DIR": str(media_root),
    }


def demo_database(app_root: Path, folder: Path) -> str:
    """A new SQLite database with the demo data (and its BSL videos), made by the app's own commands."""
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *command],
            cwd=app_root,
            env=production(url, folder / "media"),
            check=True,
            capture_output=True,
        )
    return url


def start_gunicorn(app_root: Path, database_url: str, media_root: Path, log: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{PORT}", "wsgi:app"]
    server = subprocess.Popen(  # its own process group, so that stopping it stops its workers
        command,
        cwd=app_root,
        env=production(database_url, media_root),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    sys.exit(f"gunicorn did not start, see {log}")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def first_result(base_url: str, search: str) -> str:
    """The address of the first service that `search` finds."""
    with urllib.request.urlopen(base_url + search, timeout=30) as answer:  # noqa: S310
        html = answer.read().decode()
    found = re.search(r'<div id="results".*?href="(/services/[0-9a-f-]{36})"', html, re.S)
    if not found:
        sys.exit(f"{search} found no service")
    return found.group(1)


def lighthouse(url: str, report: Path) -> dict:
    flags = " ".join([*page_weight.CHROME_ARGS[:-1], "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"])
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", f"--chrome-flags={flags}", "--quiet"]
    done = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": page_weight.CHROMIUM}, capture_output=True, text=True, check=False
    )
    if done.returncode or not report.exists():
        sys.exit(f"Lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def figures(result: dict) -> dict:
    audits = result["audits"]
    return {
        **{name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1000, 1),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "failed_audits": sorted(
            f"{name} ({category})"
            for category in ("accessibility", "best-practices")
            for ref in result["categories"][category]["auditRefs"]
            if ref["weight"] and (audits[(name := ref["id"])]["score"] or 0) < 1
        ),
    }


def table(rows: list[tuple[int, str, str, dict]]) -> str:
    lines = [
        "| run | page | performance | accessibility | best practices | SEO | LCP ms | TBT ms | CLS | transfer KB"
        " | requests | targets |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run, name, path, f in rows:
        missed = [category for category, target in TARGETS.items() if f[category] < target]
        verdict = "met" if not missed else "**missed**: " + ", ".join(missed)
        lines.append(
            f"| {run} | {name} `{path}` | {f['performance']} | {f['accessibility']} | {f['best-practices']}"
            f" | {f['seo']} | {f['lcp_ms']} | {f['tbt_ms']} | {f['cls']} | {f['transfer_kb']} | {f['requests']}"
            f" | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database with data (default: the demo data in a new SQLite file)")
    parser.add_argument("--runs", type=int, default=1, help="audit each page this many times")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="the code to serve (default: this one)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix bench/lighthouse")
    if not shutil.which(page_weight.CHROMIUM):
        sys.exit("Chromium is not installed: apt-get install -y chromium")
    out = BENCH_DIR / ".data" / time.strftime("lighthouse-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        database_url = args.database_url or demo_database(args.app_root, Path(folder))
        server = start_gunicorn(args.app_root, database_url, Path(folder) / "media", out / "gunicorn.log")
        try:
            base_url = f"http://127.0.0.1:{PORT}"
            search = SCALE_SEARCH if args.database_url else DEMO_SEARCH
            pages = [("home", "/"), ("search", search), ("service", first_result(base_url, search))]
            rows = []
            load = [loadavg()]
            for run in range(1, args.runs + 1):
                for name, path in pages:
                    result = lighthouse(base_url + path, out / f"{name}-{run}.json")
                    rows.append((run, name, path, figures(result)))
                    print(f"  {name} run {run}: done", file=sys.stderr, flush=True)
            load.append(loadavg())
        finally:
            stop(server)
    text = table(rows)
    failed = sorted({audit for *_, f in rows for audit in f["failed_audits"]})
    text += f"\n\n1-minute load average {load[0]:.2f} before, {load[1]:.2f} after; reports in {out.relative_to(ROOT)}/"
    text += "\nAccessibility and best-practices audits not passed: " + (", ".join(failed) if failed else "none")
    (out / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if all(f[c] >= t for *_, f in rows for c, t in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
