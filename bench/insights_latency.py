"""Server time of the insights page (and one CSV), signed in as a commissioner, through the Flask test client.

    .venv/bin/python bench/insights_latency.py --database-url URL [--requests 120] [--explain] [--json PATH]

The database comes from bench/generate_directory.py then bench/generate_referrals.py (100,000 referrals for the
issue's target). Server time is the wall time of `client.get`: the whole app, every aggregate query and the page
with its charts and tables. Requests cycle through PAGES (the referrals page with no filter, each filter and all
of them; a CSV; the well-being, gaps and asset map pages) after a warm-up. The target: the dashboard's p95 (its
requests: `/insights` and the CSV) at most 300 ms on SQLite and PostgreSQL; the other pages are reported too.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time

from referral_lists_latency import Recorder, explain, sign_in, table_counts, time_requests
from search_latency import database_version, percentile
from sqlalchemy import Engine

from referral_app import create_app

TARGET_P95_MS = 300
OTHER_PAGES = ("/insights/wellbeing", "/insights/gaps", "/insights/map")  # measured too; the target is the dashboard
PAGES = [
    ("commissioner", "/insights"),
    ("commissioner", "/insights?since=2026-01-01&until=2026-06-30"),
    ("commissioner", "/insights?area=S4"),
    ("commissioner", "/insights?need=food"),
    ("commissioner", "/insights?group=roma"),
    ("commissioner", "/insights?need=mental_health&group=young_mental_health&area=NR30&since=2025-12-01"),
    ("commissioner", "/insights/by_area.csv"),
    ("commissioner", "/insights/wellbeing"),
    ("commissioner", "/insights/wellbeing?need=food&since=2026-01-01"),
    ("commissioner", "/insights/gaps"),
    ("commissioner", "/insights/map"),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": args.database_url, "REQUIRE_TWO_FACTOR": False})
    engine: Engine = app.extensions["database"].engine
    recorder = Recorder()
    recorder.attach(engine)
    clients = {"commissioner": sign_in(app, "commissioner")}
    for _round in range(args.warmup):
        warm = time_requests(clients, recorder, PAGES)
    order = [PAGES[i % len(PAGES)] for i in range(args.requests)]
    random.Random(args.seed).shuffle(order)  # noqa: S311 - an order of requests, nothing secret
    started = time.perf_counter()
    timed = time_requests(clients, recorder, order)
    wall = time.perf_counter() - started
    times = sorted(t.ms for t in timed)
    dashboard = sorted(t.ms for t in timed if not t.url.startswith(OTHER_PAGES))
    by_page = {}
    for t in timed:
        by_page.setdefault(t.url, []).append(t.ms)
    result = {
        "database": database_version(engine),
        "rows": table_counts(engine),
        "all": {
            "n": len(times), "p50": percentile(times, 50), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": times[-1],
        },
        "dashboard": {
            "n": len(dashboard), "p50": percentile(dashboard, 50), "p95": percentile(dashboard, 95),
            "p99": percentile(dashboard, 99),
        },
        "by_page": {url: percentile(sorted(values), 95) for url, values in by_page.items()},
        "statements": {t.url: len(t.statements) for t in warm},
        "wall_seconds": wall,
        "python": platform.python_version(),
    }  # fmt: skip
    lines = [
        f"Database: {result['database']}; rows: {result['rows']}",
        f"Dashboard (`/insights` with each filter, and a CSV), {len(dashboard)} requests: p50 "
        f"{result['dashboard']['p50']:.1f} ms, p95 {result['dashboard']['p95']:.1f} ms, p99 "
        f"{result['dashboard']['p99']:.1f} ms (target p95 <= {TARGET_P95_MS} ms: "
        f"{'met' if result['dashboard']['p95'] <= TARGET_P95_MS else 'MISSED'})",
        f"Every page, {len(times)} requests: p50 {result['all']['p50']:.1f} ms, p95 {result['all']['p95']:.1f} ms, "
        f"p99 {result['all']['p99']:.1f} ms, max {times[-1]:.1f} ms",
        "",
        "| page | p95 ms | SQL statements |",
        "|---|---:|---:|",
        *(f"| `{url}` | {p95:.1f} | {result['statements'][url]} |" for url, p95 in result["by_page"].items()),
    ]
    if args.explain:
        lines += ["", "```", explain(engine, warm[0].statements), "```"]
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    sys.exit(0)


if __name__ == "__main__":
    main()
