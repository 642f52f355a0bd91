"""Server time of the search page (text + two filters + near a postcode) through the Flask test client.

    .venv/bin/python bench/search_latency.py --database-url URL [--requests 300] [--explain] [--json PATH]

Server time is the wall time of `client.get`: the whole app (routing, form, SQL, rendering, the search log
write) with no network. The requests cycle through MIX in a fixed shuffled order after a warm-up. SQL
statements are counted with a `before_cursor_execute` listener on the app's engine (BEGIN, SAVEPOINT, RELEASE
and ROLLBACK left out, as in the tests); COMMIT is not a cursor statement so is not counted either.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, event, text

from referral_app import create_app

# Text + two filters + near a postcode, as residents and link workers search (see directory/forms.py).
MIX = [
    "/services?q=advice&need=money&language=ar&postcode=S4+7AB",
    "/services?q=food&free=y&when=now&postcode=NR30",
    "/services?q=mental+health&age=16&delivery=online&postcode=M8+0AE",
    "/services?q=english&language=uk&access=step_free&postcode=B10",
    "/services?q=deaf&bsl=y&when=WE&postcode=LS8+2AA",
    "/services?q=housing&need=housing&free=y&postcode=L8",
    "/services?q=support&need=carers&access=hearing_loop&postcode=SY16+1AA",
    "/services?q=youth&age=14&when=SA&postcode=E1",
    "/services?q=group&language=cy&need=loneliness&postcode=LD1&lang=cy",
    "/services?q=طعام&language=ar&free=y&postcode=S5&lang=ar",
    "/services?q=debt&delivery=phone&when=now&postcode=NR31",
    "/services?q=refugee&need=immigration&language=ti&postcode=CF24",
]
SKIPPED = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "mean": statistics.fmean(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms),
    }


@dataclass
class SqlRecorder:
    """Every statement the engine runs while `active`, with its parameters."""

    active: bool = False
    statements: list[tuple[str, object]] = field(default_factory=list)

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _executemany):
        if self.active and not statement.lstrip().upper().startswith(SKIPPED):
            self.statements.append((statement, parameters))

    def take(self) -> list[tuple[str, object]]:
        taken, self.statements = self.statements, []
        return taken


def time_requests(client, recorder: SqlRecorder, urls: list[str]):
    """(url, wall ms, CPU ms of this process, statements) for each request, in order."""
    results = []
    for url in urls:
        recorder.active = True
        cpu, started = time.process_time(), time.perf_counter()
        response = client.get(url)
        elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        recorder.active = False
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        results.append((url, elapsed, cpu, recorder.take()))
    return results


def result_count(engine: Engine) -> int:
    """What the last search found, from the anonymous search log the page writes."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT result_count FROM search_log ORDER BY id DESC LIMIT 1")).one()[0]


def replay(engine: Engine, statements: list[tuple[str, object]], *, runs: int = 3) -> list[tuple[str, float]]:
    """Each SELECT (or WITH ... SELECT) run again on its own, all rows fetched: (statement, median ms).

    Execute-time listeners under-count SQLite, which computes rows as they are fetched; this does not.
    """
    timings = []
    raw = engine.raw_connection()
    try:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            samples = []
            for _ in range(runs):
                cursor = raw.cursor()
                started = time.perf_counter()
                cursor.execute(statement, parameters)
                cursor.fetchall()
                samples.append((time.perf_counter() - started) * 1000)
                cursor.close()
            timings.append((statement, statistics.median(samples)))
    finally:
        raw.rollback()
        raw.close()
    return timings


def label(statement: str) -> str:
    return " ".join(statement.split())[:100]


def executed_plan(raw, cursor, statement: str, parameters) -> str:
    """PostgreSQL: the plan of the statement as the app's connections run it (prepared, generic plan).

    EXPLAIN with parameter values plans for those values, which is not what a prepared statement with
    plan_cache_mode=force_generic_plan (referral_app/db.py) runs; auto_explain shows the plan that ran.
    """
    notices: list[str] = []
    raw.driver_connection.add_notice_handler(lambda diagnostic: notices.append(diagnostic.message_primary))
    cursor.execute(statement, parameters)  # prepared and planned once, as in the app
    cursor.fetchall()
    for setting in ("log_min_duration = 0", "log_analyze = on", "log_buffers = on", "log_level = notice"):
        cursor.execute(f"SET auto_explain.{setting}")
    cursor.execute("LOAD 'auto_explain'")
    cursor.execute(statement, parameters)
    cursor.fetchall()
    cursor.execute("SET auto_explain.log_min_duration = -1")
    plans = [text for text in notices if "Query Text" in text]
    if not plans:
        return "(no plan: auto_explain is not available)"
    duration, logged = plans[-1].split("\n", 1)  # "duration: ... plan:", then the query text and the plan
    return "\n".join([duration, *logged.split("\n")[statement.count("\n") + 1 :]])


def explain(engine: Engine, statements: list[tuple[str, object]]) -> str:
    """The plans of the count and page queries of one search, as the app ran them."""
    out = []
    raw = engine.raw_connection()
    try:
        for statement, parameters in statements:
            if "service_fts MATCH" not in statement and "to_tsquery" not in statement:
                continue
            kind = "page of ids" if "LIMIT" in statement.upper() else "count"
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                prefix = "EXPLAIN QUERY PLAN"
                cursor.execute(f"{prefix} {statement}", parameters)
                plan = "\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in cursor.fetchall())
            else:
                prefix = "auto_explain (analyze, buffers) of the app's own execution"
                plan = executed_plan(raw, cursor, statement, parameters)
            cursor.close()
            out.append(f"-- {kind} query\n{statement}\n-- parameters: {parameters!r}\n-- {prefix}:\n{plan}\n")
    finally:
        raw.rollback()
        raw.close()
    return "\n".join(out)


def database_version(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as connection:
        return connection.execute(text("SHOW server_version")).one()[0].split()[0].join(("PostgreSQL ", ""))


def service_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM service")).one()[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds over the whole mix first")
    parser.add_argument("--seed", type=int, default=1, help="order of the requests")
    parser.add_argument("--explain", action="store_true", help="add the plans of the main search query")
    parser.add_argument(
        "--explain-query", type=int, action="append", help="which query of MIX to explain (0-based, repeatable)"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    explained = args.explain_query or [0]

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": args.database_url, "REQUIRE_TWO_FACTOR": False})
    engine: Engine = app.extensions["database"].engine
    recorder = SqlRecorder()
    recorder.attach(engine)
    client = app.test_client(use_cookies=False)  # a ?lang= choice must not follow into the next request

    # Warm-up (templates compiled, catalogues and CLDR data loaded, pool filled); the last round also tells
    # how many services each query finds and which statements it runs.
    found, statements = {}, {}
    for _ in range(args.warmup):
        for url in MIX:
            (_url, _ms, _cpu, statements[url]) = time_requests(client, recorder, [url])[0]
            found[url] = result_count(engine)
        time_requests(client, recorder, ["/healthz"])
    order = random.Random(args.seed).sample(MIX, len(MIX))  # noqa: S311 - an order, not a secret
    load_before = os.getloadavg()
    timed = time_requests(client, recorder, [order[i % len(order)] for i in range(args.requests)])
    health = time_requests(client, recorder, ["/healthz"] * args.requests)
    load_after = os.getloadavg()

    per_url: dict[str, list] = defaultdict(list)
    statement_counts: dict[str, set[int]] = defaultdict(set)
    for url, ms, cpu, run in timed:
        per_url[url].append((ms, cpu))
        statement_counts[url].add(len(run))
    replayed = {url: replay(engine, statements[url]) for url in MIX}
    result = {
        "backend": engine.dialect.name,
        "database": database_version(engine),
        "services": service_count(engine),
        "python": platform.python_version(),
        "search": summary([ms for _url, ms, _cpu, _s in timed]),
        "search_cpu": summary([cpu for _url, _ms, cpu, _s in timed]),
        "healthz": summary([ms for _url, ms, _cpu, _s in health]),
        "statements_per_search": sorted(set().union(*statement_counts.values())),
        "statements_per_healthz": sorted({len(s) for _u, _m, _c, s in health}),
        "loadavg": {"before": load_before, "after": load_after},
        "per_query": [
            {
                "url": url,
                "results": found[url],
                "statements": sorted(statement_counts[url]),
                "sql_ms": sum(ms for _s, ms in replayed[url]),
                **summary([ms for ms, _cpu in per_url[url]]),
            }
            for url in MIX
        ],
        "explained_url": MIX[explained[0]],
        "statements_explained": [{"sql": label(s), "ms": ms} for s, ms in replayed[MIX[explained[0]]]],
    }
    if args.explain:
        result["explain"] = "\n".join(f"== {MIX[i]}\n{explain(engine, statements[MIX[i]])}" for i in explained)
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, ensure_ascii=False)


def report(r: dict) -> str:
    s, c, h = r["search"], r["search_cpu"], r["healthz"]
    lines = [
        f"## {r['database']}, {r['services']} services, Python {r['python']}",
        "",
        f"Load average (1 min) before / after the timed requests: {r['loadavg']['before'][0]:.2f} /"
        f" {r['loadavg']['after'][0]:.2f}",
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | max ms | SQL statements per request |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| search (mix of {len(MIX)}) | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f}"
        f" | {', '.join(map(str, r['statements_per_search']))} |",
        f"| search, CPU time of the app process | {c['n']} | {c['p50']:.1f} | {c['p95']:.1f} | {c['p99']:.1f}"
        f" | {c['max']:.1f} | |",
        f"| /healthz | {h['n']} | {h['p50']:.1f} | {h['p95']:.1f} | {h['p99']:.1f} | {h['max']:.1f}"
        f" | {', '.join(map(str, r['statements_per_healthz']))} |",
        "",
        "Per query (SQL ms: the page's SELECTs replayed on their own with all rows fetched, median of 3):",
        "",
        "| query | results | p50 ms | p95 ms | max ms | SQL ms | statements |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for q in r["per_query"]:
        lines.append(
            f"| `{q['url']}` | {q['results']} | {q['p50']:.1f} | {q['p95']:.1f} | {q['max']:.1f} | {q['sql_ms']:.1f}"
            f" | {', '.join(map(str, q['statements']))} |"
        )
    lines += [
        "",
        f"SELECTs of `{r['explained_url']}`, replayed:",
        "",
        "| # | statement (start) | ms |",
        "|---:|---|---:|",
    ]
    for number, st in enumerate(r["statements_explained"], 1):
        lines.append(f"| {number} | `{st['sql'].replace('|', '/')}` | {st['ms']:.1f} |")
    if "explain" in r:
        lines += ["", "```", r["explain"].rstrip(), "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
