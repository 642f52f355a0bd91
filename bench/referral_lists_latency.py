"""Server time of an organisation's inbox and a link worker's "My referrals", signed in, through the Flask test client.

    .venv/bin/python bench/referral_lists_latency.py --database-url URL [--requests 600] [--explain] [--profile N]
        [--json PATH]

The database comes from bench/generate_directory.py then bench/generate_referrals.py. Two test clients sign in
through /sign-in with the form's CSRF token, as a browser does: the organisation's staff account and the link
worker (BENCH_USERS). Server time is the wall time of `client.get`: the whole app (session cookie, user loader,
access check, the list's queries, one audit-log row per listed referral and its commit, rendering) with no
network. Requests cycle through PAGES in a fixed shuffled order after a warm-up. SQL statements are counted with
a `before_cursor_execute` listener on the app's engine (BEGIN, SAVEPOINT, RELEASE and ROLLBACK left out, as in
the tests); COMMIT is not a cursor statement, so it is timed with the session's commit events instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from generate_referrals import BENCH_PASSWORD, BENCH_USERS
from search_latency import SKIPPED, database_version, label, percentile, replay, summary
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from referral_app import create_app

# (who, URL): every tab, page 1 and deep pages; page=999 is clamped to the last page (fewer rows).
PAGES = [
    ("inbox", "/inbox?tab=new"),
    ("inbox", "/inbox?tab=new&page=10"),
    ("inbox", "/inbox?tab=in_progress"),
    ("inbox", "/inbox?tab=in_progress&page=50"),
    ("inbox", "/inbox?tab=closed"),
    ("inbox", "/inbox?tab=closed&page=50"),
    ("inbox", "/inbox?tab=closed&page=999"),
    ("link_worker", "/referrals?tab=new"),
    ("link_worker", "/referrals?tab=in_progress"),
    ("link_worker", "/referrals?tab=closed"),
    ("link_worker", "/referrals?tab=closed&page=50"),
    ("link_worker", "/referrals?tab=closed&page=999"),
]
EXPLAINED = ["/inbox?tab=new", "/inbox?tab=closed&page=50", "/referrals?tab=closed&page=50"]
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CARD = '<li class="app-card">'


@dataclass
class Recorder:
    """Every statement the engine runs while `active`, with its parameters and execute time; commit times."""

    active: bool = False
    statements: list[tuple[str, object, float]] = field(default_factory=list)
    commits: list[float] = field(default_factory=list)
    _started: float = 0.0
    _commit_started: float = 0.0

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(Session, "before_commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)

    def _before(self, *_args):
        self._started = time.perf_counter()

    def _after(self, _conn, _cursor, statement, parameters, _context, _executemany):
        if self.active and not statement.lstrip().upper().startswith(SKIPPED):
            self.statements.append((statement, parameters, (time.perf_counter() - self._started) * 1000))

    def _before_commit(self, _session):
        self._commit_started = time.perf_counter()

    def _after_commit(self, _session):
        if self.active:
            self.commits.append((time.perf_counter() - self._commit_started) * 1000)

    def take(self) -> tuple[list, float]:
        taken, commit_ms = self.statements, sum(self.commits)
        self.statements, self.commits = [], []
        return taken, commit_ms


@dataclass
class Timed:
    who: str
    url: str
    ms: float
    cpu: float
    statements: list[tuple[str, object, float]]
    commit_ms: float  # session.commit(): the flush it does, then COMMIT
    cards: int

    @property
    def inserts(self) -> int:
        return sum(1 for s, _p, _ms in self.statements if s.lstrip().upper().startswith("INSERT"))

    @property
    def execute_ms(self) -> float:
        return sum(ms for _s, _p, ms in self.statements)

    @property
    def insert_ms(self) -> float:
        return sum(ms for s, _p, ms in self.statements if s.lstrip().upper().startswith("INSERT"))


def sign_in(app, who: str):
    """A client with a session cookie, signed in through the sign-in form like a browser."""
    client = app.test_client()
    page = client.get("/sign-in")
    token = next(group for group in CSRF_INPUT.search(page.text).groups() if group)
    email = BENCH_USERS[who][0]
    answer = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": BENCH_PASSWORD})
    if answer.status_code != 303:
        sys.exit(f"signing in as {email} answered {answer.status_code}: run bench/generate_referrals.py first")
    return client


def time_requests(clients: dict, recorder: Recorder, pages: list[tuple[str, str]]) -> list[Timed]:
    results = []
    for who, url in pages:
        recorder.active = True
        cpu, started = time.process_time(), time.perf_counter()
        response = clients[who].get(url)
        elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        recorder.active = False
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        statements, commit_ms = recorder.take()
        results.append(Timed(who, url, elapsed, cpu, statements, commit_ms, response.text.count(CARD)))
    return results


PLAN = {"sqlite": "EXPLAIN QUERY PLAN", "postgresql": "EXPLAIN (ANALYZE, BUFFERS)"}


def explain(engine: Engine, statements: list[tuple[str, object, float]]) -> str:
    """The plans of the statements that read referrals (the tab counts, the page, the needs), run as the app ran
    them; SQLite's plan rows are (id, parent, -, detail), PostgreSQL's one line each."""
    prefix, out = PLAN[engine.dialect.name], []
    with engine.connect() as connection:
        for statement, parameters, _ms in statements:
            if statement.lstrip().upper().startswith("SELECT") and "referral" in statement:
                rows = connection.exec_driver_sql(f"{prefix} {statement}", parameters).all()
                plan = "\n".join(f"{r[0]:>3} {r[1]:>3} {r[3]}" if len(r) == 4 else r[0] for r in rows)
                out.append(f"{statement}\n-- parameters: {parameters!r}\n-- {prefix}:\n{plan}\n")
        connection.rollback()
    return "\n".join(out)


def profile(clients: dict, recorder: Recorder, pages: list[tuple[str, str]], *, top: int = 30) -> str:
    """cProfile over the requests (cumulative time, the app's and the libraries' own functions)."""
    profiler = cProfile.Profile()
    profiler.enable()
    time_requests(clients, recorder, pages)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return f"{len(pages)} requests profiled\n" + out.getvalue()


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).one()[0]  # noqa: S608 - fixed names
            for table in ("service", "resident", "referral", "referral_need", "referral_event", "audit_log")
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds over every page first")
    parser.add_argument("--seed", type=int, default=1, help="order of the requests")
    parser.add_argument("--explain", action="store_true", help="add the plans of the referral queries")
    parser.add_argument("--profile", type=int, default=0, help="also profile this many requests (after timing)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": args.database_url, "REQUIRE_TWO_FACTOR": False})
    engine: Engine = app.extensions["database"].engine
    recorder = Recorder()
    recorder.attach(engine)
    clients = {who: sign_in(app, who) for who in BENCH_USERS}
    rows_before = table_counts(engine)

    # Warm-up (templates compiled, catalogues loaded, pool filled); the last round gives the statements to replay.
    last: dict[str, Timed] = {}
    for _ in range(args.warmup):
        for timed in time_requests(clients, recorder, PAGES):
            last[timed.url] = timed
    order = random.Random(args.seed).sample(PAGES, len(PAGES))  # noqa: S311 - an order, not a secret
    load_before = os.getloadavg()
    timed = time_requests(clients, recorder, [order[i % len(order)] for i in range(args.requests)])
    load_after = os.getloadavg()

    per_url: dict[str, list[Timed]] = defaultdict(list)
    for t in timed:
        per_url[t.url].append(t)
    replayed = {url: replay(engine, [(s, p) for s, p, _ms in last[url].statements]) for _who, url in PAGES}
    result = {
        "backend": engine.dialect.name,
        "database": database_version(engine),
        "python": platform.python_version(),
        "rows": rows_before,
        "all": summary([t.ms for t in timed]),
        "all_cpu": summary([t.cpu for t in timed]),
        "by_list": {who: summary([t.ms for t in timed if t.who == who]) for who in ("inbox", "link_worker")},
        "statements_per_page": sorted({len(t.statements) for t in timed}),
        "loadavg": {"before": load_before, "after": load_after},
        "per_page": [
            {
                "who": who,
                "url": url,
                "cards": sorted({t.cards for t in per_url[url]}),
                "statements": sorted({len(t.statements) for t in per_url[url]}),
                "selects": sorted({len(t.statements) - t.inserts for t in per_url[url]}),
                "inserts": sorted({t.inserts for t in per_url[url]}),
                "select_ms": sum(ms for _s, ms in replayed[url]),
                "execute_ms": percentile([t.execute_ms for t in per_url[url]], 50),
                "insert_ms": percentile([t.insert_ms for t in per_url[url]], 50),
                "commit_ms": percentile([t.commit_ms for t in per_url[url]], 50),
                "cpu_p50": percentile([t.cpu for t in per_url[url]], 50),
                **summary([t.ms for t in per_url[url]]),
            }
            for who, url in PAGES
        ],
        "statements": {url: [{"sql": label(s), "ms": ms} for s, ms in replayed[url]] for url in EXPLAINED},
    }
    if args.explain:
        result["explain"] = "\n".join(f"== {url}\n{explain(engine, last[url].statements)}" for url in EXPLAINED)
    if args.profile:
        result["profile"] = profile(clients, recorder, [order[i % len(order)] for i in range(args.profile)])
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, ensure_ascii=False)


def report(r: dict) -> str:
    a, c = r["all"], r["all_cpu"]
    rows = ", ".join(f"{table} {count}" for table, count in r["rows"].items())
    lines = [
        f"## {r['database']}, Python {r['python']}",
        "",
        f"Rows: {rows}",
        "",
        f"Load average (1 min) before / after the timed requests: {r['loadavg']['before'][0]:.2f} /"
        f" {r['loadavg']['after'][0]:.2f}",
        "",
        "| pages | requests | p50 ms | p95 ms | p99 ms | max ms | SQL statements per request |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| all ({len(PAGES)} pages) | {a['n']} | {a['p50']:.1f} | {a['p95']:.1f} | {a['p99']:.1f} | {a['max']:.1f}"
        f" | {', '.join(map(str, r['statements_per_page']))} |",
        f"| all, CPU time of the app process | {c['n']} | {c['p50']:.1f} | {c['p95']:.1f} | {c['p99']:.1f}"
        f" | {c['max']:.1f} | |",
    ]
    for who, s in r["by_list"].items():
        lines.append(
            f"| {who.replace('_', ' ')} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f}"
            f" | {s['max']:.1f} | |"
        )
    lines += [
        "",
        "Per page. Cards: referrals shown. Statements: SELECTs + INSERTs. SELECT ms: the page's SELECTs replayed on"
        " their own with all rows fetched (median of 3). INSERT ms, commit ms (the session's flush + COMMIT) and CPU"
        " ms: medians over the timed requests.",
        "",
        "| page | cards | p50 ms | p95 ms | max ms | CPU ms | statements | SELECTs | INSERTs | SELECT ms | INSERT ms"
        " | commit ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for q in r["per_page"]:
        lines.append(
            f"| `{q['url']}` | {', '.join(map(str, q['cards']))} | {q['p50']:.1f} | {q['p95']:.1f} | {q['max']:.1f}"
            f" | {q['cpu_p50']:.1f} | {', '.join(map(str, q['statements']))} | {', '.join(map(str, q['selects']))}"
            f" | {', '.join(map(str, q['inserts']))} | {q['select_ms']:.1f} | {q['insert_ms']:.1f}"
            f" | {q['commit_ms']:.1f} |"
        )
    for url, statements in r["statements"].items():
        lines += ["", f"SELECTs of `{url}`, replayed:", "", "| # | statement (start) | ms |", "|---:|---|---:|"]
        for number, st in enumerate(statements, 1):
            lines.append(f"| {number} | `{st['sql'].replace('|', '/')}` | {st['ms']:.1f} |")
    if "explain" in r:
        lines += ["", "```", r["explain"].rstrip(), "```"]
    if "profile" in r:
        lines += ["", "```", r["profile"].rstrip(), "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
