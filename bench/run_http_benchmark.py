"""The key pages over HTTP: gunicorn with 2 workers, wrk on loopback, against the scale data set of issue 8.

    .venv/bin/python bench/run_http_benchmark.py [--backend sqlite|postgresql ...] [--database-url URL ...]
        [--keep-data] [--duration 15] [--warmup 3] [--profile PAGE ...]

For each backend (both by default): build the scale data set (bench/generate_scale.py: 10,000 services, 2,000
organisations, 100,000 referrals, 1,000 accounts; or reuse one with --database-url, whose scheme says the
backend), start `gunicorn -w 2` with production settings on a port from 8120 to 8129, sign the benchmark accounts
in through the sign-in form, check that every URL to be measured answers 200 with the page it should be (not the
sign-in page), then run wrk on each page in turn: a warm-up, then the timed run (2 threads, 32 connections,
--latency), recording the 1-minute load average before and after. `/healthz` is measured first and last; the
ratios are to the mean of the two. Pages that rotate through many URLs (searches, services, referrals) do so with
bench/wrk/rotate.lua, which also counts every answer that is not 200: any makes the run fail. Around each timed
run the CPU time of the workers, of PostgreSQL's processes and of wrk is read, and after each page the memory of
each worker (and of the arbiter) from /proc/<pid>/smaps_rollup and /proc/<pid>/status.

Writes summary.md (a table per backend), results.json and the logs (generation, gunicorn, wrk) under
bench/.data/run-<time>/. With --keep-data the SQLite file stays there and the PostgreSQL cluster keeps running
(the summary says how to reuse and stop it). --profile PAGE (repeatable) adds, after the timed runs, a py-spy
record of both workers while wrk loads that page (`.venv/bin/pip install py-spy` first), summarised in the run's
profile-<backend>-<page>.md.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from generate_referrals import BENCH_PASSWORD, BENCH_USERS
from run_search_benchmark import code_fingerprint, cpu_model, load_postgres_helper
from sqlalchemy import text
from sqlmodel import Session, select

from referral_app.db import make_engine
from referral_app.models import Organization, OrganizationStatus, Referral, Service, ServiceStatus, User

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
ROTATE_LUA = BENCH_DIR / "wrk" / "rotate.lua"
PORTS = range(8120, 8130)
SEARCH_P99_MS, SEARCH_RATIO, PAGE_P99_MS, WORKER_MB = 100.0, 0.25, 150.0, 150.0

# Searches as residents and link workers make them: words, two filters and a postcode (directory/forms.py).
# The first 12 are bench/search_latency.py's mix; the rest are drawn from these words, pairs of filters and places.
SEARCH_MIX = [
    "q=advice&need=money&language=ar&postcode=S4+7AB",
    "q=food&free=y&when=now&postcode=NR30",
    "q=mental+health&age=16&delivery=online&postcode=M8+0AE",
    "q=english&language=uk&access=step_free&postcode=B10",
    "q=deaf&bsl=y&when=WE&postcode=LS8+2AA",
    "q=housing&need=housing&free=y&postcode=L8",
    "q=support&need=carers&access=hearing_loop&postcode=SY16+1AA",
    "q=youth&age=14&when=SA&postcode=E1",
    "q=group&language=cy&need=loneliness&postcode=LD1&lang=cy",
    "q=طعام&language=ar&free=y&postcode=S5&lang=ar",
    "q=debt&delivery=phone&when=now&postcode=NR31",
    "q=refugee&need=immigration&language=ti&postcode=CF24",
]
SEARCH_WORDS = [
    "advice", "food", "mental health", "english", "deaf", "housing", "support", "youth", "group", "debt",
    "refugee", "carers", "benefits", "counselling", "family", "job", "computer", "legal", "befriending", "walking",
    "food bank", "asylum", "drop-in", "women", "older people", "art", "cafe", "sport", "parents", "addiction",
]  # fmt: skip
SEARCH_FILTERS = [
    "need=money&language=ar", "free=y&when=now", "age=16&delivery=online", "language=uk&access=step_free",
    "bsl=y&when=WE", "need=housing&free=y", "need=carers&access=hearing_loop", "age=14&when=SA",
    "language=cy&need=loneliness", "delivery=phone&when=now", "need=immigration&language=ti", "need=food&free=y",
    "access=quiet_space&delivery=in_person", "language=pl&free=y", "need=mental_health&age=25",
    "when=MO&access=accessible_toilet", "need=employment&delivery=online", "free=y&age=70",
    "language=ro&need=money", "need=digital&when=TU",
]  # fmt: skip
SEARCH_PLACES = [
    "S4 7AB", "NR30", "M8 0AE", "B10", "LS8 2AA", "L8", "SY16 1AA", "E1", "LD1", "S5", "NR31", "CF24", "S3",
    "BS5", "LE1", "G31", "NE6", "BD8", "CB1", "TR1", "S2 4SU", "NR1", "M14", "B11 1AA", "L7",
]  # fmt: skip
# The dashboard, as bench/insights_latency.py asks for it: unfiltered and with each filter.
DASHBOARD = [
    "/insights",
    "/insights?since=2026-01-01&until=2026-06-30",
    "/insights?area=S4",
    "/insights?need=food",
    "/insights?group=roma",
    "/insights?need=mental_health&group=young_mental_health&area=NR30&since=2025-12-01",
]
INBOX = ["/inbox", "/inbox?tab=in_progress", "/inbox?tab=closed"]
MEASURED = ("home", "search", "service", "inbox", "referral", "dashboard")
WRITING_PAGES = {"search", "inbox", "referral"}
SIGN_IN_FORM = 'name="password"'
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
RESULT_COUNT = re.compile(r'id="result-count"[^>]*>(?:<[^>]+>)*\s*([\d,]+)')


@dataclass
class Page:
    key: str
    title: str
    pattern: str  # the URL pattern shown in the table
    account: str | None  # a BENCH_USERS key, or None: not signed in
    paths: list[str] = field(default_factory=list)
    target: str = "reference"


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text(encoding="utf-8").split()[0])


def free_port(exclude: set[int]) -> int:
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: TIME_WAIT is no matter
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


# --- HTTP without a client library: the session cookie is Secure (production), so it is passed by hand.


def fetch(port: int, path: str, *, cookie: str = "", form: dict | None = None) -> tuple[int, dict, str, str]:
    """One request; returns status, headers, body and the new session cookie ("" when none was set)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = connection.getresponse()
        text_ = response.read().decode("utf-8", "replace")
        jar = SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        new_cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items() if morsel.value)
        return response.status, dict(response.headers), text_, new_cookie
    finally:
        connection.close()


def sign_in(port: int, account: str) -> str:
    """Sign in through the form (CSRF token from the page); returns the Cookie header of the new session."""
    status, _headers, page, cookie = fetch(port, "/sign-in")
    match = CSRF_INPUT.search(page)
    if status != 200 or not match or not cookie:
        sys.exit(f"sign-in page: status {status}, CSRF token {'found' if match else 'missing'}")
    form = {
        "email": BENCH_USERS[account][0],
        "password": BENCH_PASSWORD,
        "csrf_token": match.group(1) or match.group(2),
    }
    status, headers, page, signed_in = fetch(port, "/sign-in", cookie=cookie, form=form)
    if status != 303 or not signed_in:
        sys.exit(f"signing in as {BENCH_USERS[account][0]} answered {status} ({headers.get('Location')}): {page[:300]}")
    return signed_in


# --- What to ask for: URLs built from the data set, each checked before it is measured.


def choose_pages(url: str, args) -> tuple[list[Page], dict]:
    rng = random.Random(args.seed)  # noqa: S311 - which pages, not a secret
    engine = make_engine(url)
    with Session(engine) as session:
        inbox_user = session.exec(select(User).where(User.email == BENCH_USERS["inbox"][0])).one()
        referrals = session.exec(
            select(Referral.id, Referral.reference)
            .where(Referral.organization_id == inbox_user.organization_id)
            .order_by(Referral.id)
        ).all()
        services = session.exec(
            select(Service.id, Service.name)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Organization.status == OrganizationStatus.APPROVED, Service.status == ServiceStatus.ACTIVE)
            .order_by(Service.id)
        ).all()
        if engine.dialect.name == "postgresql":
            version = session.execute(text("SHOW server_version")).scalar_one()
            database = f"PostgreSQL {version.split()[0]}"
        else:
            database = f"SQLite {sqlite3.sqlite_version}"
    engine.dispose()
    picked_referrals = rng.sample(referrals, min(args.referrals, len(referrals)))
    picked_services = rng.sample(services, min(args.services, len(services)))
    candidates = list(SEARCH_MIX)
    seen = set(candidates)
    while len(candidates) < args.searches * 2:
        query = urllib.parse.urlencode(
            {"q": rng.choice(SEARCH_WORDS), "postcode": rng.choice(SEARCH_PLACES)}
        ) + "&" + rng.choice(SEARCH_FILTERS)  # fmt: skip
        if query not in seen:
            seen.add(query)
            candidates.append(query)
    pages = [
        Page("healthz", "/healthz (start)", "/healthz", None, ["/healthz"]),
        Page("home", "Home", "/", None, ["/"], target=f"p99 ≤ {PAGE_P99_MS:.0f} ms"),
        Page(
            "search",
            "Search: words, two filters, postcode",
            "/services?q=…&<2 filters>&postcode=…",
            None,
            [urllib.parse.quote(f"/services?{query}", safe="/?&=+%") for query in candidates],
            target=f"≥ {SEARCH_RATIO:.0%} of /healthz, p99 ≤ {SEARCH_P99_MS:.0f} ms",
        ),
        Page(
            "service",
            "Service page",
            "/services/<id>",
            None,
            [f"/services/{service_id}" for service_id, _name in picked_services],
            target=f"p99 ≤ {PAGE_P99_MS:.0f} ms",
        ),
        Page("inbox", "Organisation inbox (3 tabs)", "/inbox?tab=…", "inbox", INBOX, f"p99 ≤ {PAGE_P99_MS:.0f} ms"),
        Page(
            "referral",
            "Referral page (as the organisation)",
            "/referrals/<id>",
            "inbox",
            [f"/referrals/{referral_id}" for referral_id, _reference in picked_referrals],
            target=f"p99 ≤ {PAGE_P99_MS:.0f} ms",
        ),
        Page(
            "dashboard",
            "Dashboard (6 filters)",
            "/insights?…",
            "commissioner",
            DASHBOARD,
            f"p99 ≤ {PAGE_P99_MS:.0f} ms",
        ),
        Page("healthz_end", "/healthz (end)", "/healthz", None, ["/healthz"]),
    ]
    expected = {f"/services/{service_id}": name for service_id, name in picked_services}
    expected |= {f"/referrals/{referral_id}": reference for referral_id, reference in picked_referrals}
    return pages, {"database": database, "expected": expected, "inbox_org": str(inbox_user.organization_id)}


def check_page(port: int, page: Page, cookie: str, expected: dict[str, str], searches: int) -> dict:
    """Every path answers 200 with its own content; searches keep the first `searches` with results."""

    def check(path: str) -> tuple[str, str | None, int | None]:
        status, headers, body, _cookie = fetch(port, path, cookie=cookie)
        if status != 200:
            return path, f"status {status} (Location {headers.get('Location')})", None
        if page.key.startswith("healthz"):
            return path, None if '"status":"ok"' in body.replace(" ", "") else "not healthy", None
        if "text/html" not in headers.get("Content-Type", "") or "<h1" not in body:
            return path, "not an HTML page with a heading", None
        if SIGN_IN_FORM in body:
            return path, "the sign-in form", None
        want = expected.get(path)
        if want is not None and want not in html.unescape(body):
            return path, f"{want!r} is not in the page", None
        if page.key == "search":
            if 'id="result-count"' not in body:
                return path, "no result count", None
            count = RESULT_COUNT.search(body)  # no number: "No services match"
            return path, None, int(count.group(1).replace(",", "")) if count else 0
        return path, None, None

    # One at a time where the page writes (search log, audit rows): the check must not fail for SQLite's locks.
    with ThreadPoolExecutor(max_workers=1 if page.key in WRITING_PAGES else 4) as pool:
        checked = list(pool.map(check, page.paths))
    problems = [f"{path}: {problem}" for path, problem, _count in checked if problem]
    if problems:
        sys.exit(f"{page.title}: {len(problems)} of {len(checked)} URLs are wrong, e.g.\n" + "\n".join(problems[:10]))
    report = {"urls": len(checked)}
    if page.key == "search":
        with_results = [(path, count) for path, _problem, count in checked if count]
        kept = with_results[:searches]
        page.paths = [path for path, _count in kept]
        counts = sorted(count for _path, count in kept)
        report.update(
            urls=len(kept),
            candidates=len(checked),
            without_results=len(checked) - len(with_results),
            results_min=counts[0],
            results_median=counts[len(counts) // 2],
            results_max=counts[-1],
        )
    return report


# --- The server and its memory.


def start_gunicorn(url: str, port: int, log: Path, extra_env: dict[str, str]) -> subprocess.Popen:
    env = os.environ | {
        "REFERRAL_APP_ENV": "production",
        "SECRET_KEY": "bench-http-" + os.urandom(8).hex(),
        "REFERRAL_APP_REQUIRE_TWO_FACTOR": "off",
        "DATABASE_URL": url,
    }
    env |= extra_env
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    print(f"+ {' '.join(command[1:])} (DATABASE_URL={url})", file=sys.stderr, flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped ({server.returncode}), see {log}")
        try:
            if fetch(port, "/healthz")[0] == 200 and len(workers(server.pid)) == 2:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    sys.exit(f"gunicorn did not answer /healthz within 60 s, see {log}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def workers(arbiter: int) -> list[int]:
    children = Path(f"/proc/{arbiter}/task/{arbiter}/children")
    return sorted(int(pid) for pid in children.read_text(encoding="utf-8").split()) if children.exists() else []


def memory(pid: int) -> dict[str, float]:
    """MB: RSS, PSS, USS (private pages) and anonymous memory from smaps_rollup; file-backed RSS from status."""
    kb: dict[str, int] = {}
    for name in (f"/proc/{pid}/smaps_rollup", f"/proc/{pid}/status"):
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                kb[key] = int(value.split()[0])
    return {
        "rss": kb["Rss"] / 1024,
        "pss": kb["Pss"] / 1024,
        "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024,
        "anon": kb["Anonymous"] / 1024,
        "pss_anon": kb.get("Pss_Anon", 0) / 1024,
        "rss_file": kb.get("RssFile", 0) / 1024,
        "rss_shmem": kb.get("RssShmem", 0) / 1024,
    }


def server_memory(server: subprocess.Popen) -> dict:
    return {"arbiter": memory(server.pid), "workers": {str(pid): memory(pid) for pid in workers(server.pid)}}


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time these processes have used so far (those that have ended count 0)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def database_processes(url: str) -> list[int]:
    """PostgreSQL's postmaster for this URL's port and its children (the app's connections among them)."""
    port = urllib.parse.urlsplit(url.replace("+psycopg", "")).port if url.startswith("postgresql") else None
    if port is None:
        return []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and command[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(command):
            return [int(entry.name), *workers(int(entry.name))]
    return []


# --- wrk.


def run_wrk(port: int, paths_file: Path, cookie: str, seconds: int, args, log: Path | None) -> dict:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-H", "Accept-Encoding: gzip, deflate, br"]
    command += ["-H", f"Cookie: {cookie}"] if cookie else []
    command += ["-s", str(ROTATE_LUA), f"http://127.0.0.1:{port}", "--", str(paths_file), str(args.threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if log is not None:
        shown = " ".join(part if not part.startswith("Cookie:") else "'Cookie: session=…'" for part in command)
        log.write_text(f"$ {shown}\n{done.stdout}\n--- stderr\n{done.stderr}", encoding="utf-8")
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if done.returncode or line is None:
        sys.exit(f"wrk failed ({done.returncode}): {done.stdout[-1000:]}{done.stderr[-1000:]}")
    return json.loads(line.removeprefix("RESULT "))


def measure(port: int, page: Page, cookie: str, out: Path, backend: str, args, pids: dict[str, list[int]]) -> dict:
    """Warm-up, then the timed run; CPU time of the app's workers, the database server and wrk around the latter."""
    paths_file = out / f"{backend}-{page.key}-paths.txt"
    paths = list(page.paths)
    random.Random(args.seed).shuffle(paths)  # noqa: S311 - an order, not a secret
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    before = loadavg()
    warmup = run_wrk(port, paths_file, cookie, args.warmup, args, None)
    cpu_before = {name: cpu_seconds(group) for name, group in pids.items()}
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_wrk(port, paths_file, cookie, args.duration, args, out / f"{backend}-{page.key}-wrk.log")
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {name: cpu_seconds(group) - cpu_before[name] for name, group in pids.items()}
    cpu["wrk"] = wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime
    after = loadavg()
    seconds = result["duration_us"] / 1e6
    latency = result["latency_us"]
    requests = max(1, result["requests"])
    row = {
        "cpu_ms_per_request": {name: 1000 * value / requests for name, value in cpu.items()},
        "cpu_seconds": cpu,
        "page": page.key,
        "title": page.title,
        "pattern": page.pattern,
        "urls": len(paths),
        "requests": result["requests"],
        "rps": result["requests"] / seconds,
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "max_ms": latency["max"] / 1000,
        "bytes_per_response": result["bytes"] / max(1, result["requests"]),
        "not_200": result["not_200"],
        "warmup_not_200": warmup["not_200"],
        "socket_errors": result["errors"],
        "loadavg": {"before": before, "after": after},
        "target": page.target,
        "wrk": result,
    }
    shown = f"{row['rps']:.0f} req/s, p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms"
    shown += ", CPU ms a request: " + ", ".join(f"{k} {v:.1f}" for k, v in row["cpu_ms_per_request"].items())
    print(f"  {page.title}: {shown}, load {before:.2f} -> {after:.2f}", file=sys.stderr, flush=True)
    return row


def verdicts(rows: list[dict]) -> float:
    """Fill in each row's ratio to /healthz (the mean of the first and last runs) and verdict; return that mean."""
    healthz = [row["rps"] for row in rows if row["page"].startswith("healthz")]
    reference = sum(healthz) / len(healthz)
    for row in rows:
        row["ratio"] = row["rps"] / reference
        failures = [status for status in (row["not_200"], row["warmup_not_200"]) if status]
        if failures:
            row["verdict"] = f"**failed**: answers other than 200: {failures}"
        elif row["page"].startswith("healthz"):
            row["verdict"] = "reference"
        elif row["page"] == "search":
            met = row["ratio"] >= SEARCH_RATIO and row["p99_ms"] <= SEARCH_P99_MS
            row["verdict"] = "met" if met else "**missed**"
        else:
            row["verdict"] = "met" if row["p99_ms"] <= PAGE_P99_MS else "**missed**"
    return reference


# --- py-spy.


def profile(port: int, server: subprocess.Popen, page: Page, cookie: str, out: Path, backend: str, args) -> Path:
    """py-spy (wall clock, idle included) on both workers while wrk loads the page; a summary of where time goes."""
    spy = ROOT / ".venv" / "bin" / "py-spy"
    if not spy.exists():
        sys.exit("py-spy is not installed: .venv/bin/pip install py-spy")
    paths_file = out / f"{backend}-{page.key}-paths.txt"
    recorders = []
    for pid in workers(server.pid):
        raw = out / f"profile-{backend}-{page.key}-{pid}.txt"
        command = [str(spy), "record", "--idle", "--nonblocking", "--rate", "200", "--format", "raw"]
        command += ["--duration", str(args.profile_seconds), "--output", str(raw), "--pid", str(pid)]
        recorders.append((raw, subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    run_wrk(port, paths_file, cookie, args.profile_seconds + 1, args, None)
    for _raw, recorder in recorders:
        recorder.wait(timeout=60)
    stacks: Counter = Counter()
    for raw, _recorder in recorders:
        for line in raw.read_text(encoding="utf-8").splitlines():
            stack, _, count = line.rpartition(" ")
            if stack:
                stacks[stack] += int(count)
    summary = out / f"profile-{backend}-{page.key}.md"
    summary.write_text(profile_summary(stacks, page, backend), encoding="utf-8")
    return summary


def _frame(frame: str) -> str:
    """'render (jinja2/environment.py:1295)' -> 'jinja2/environment.py:render' (line numbers differ per call)."""
    match = re.fullmatch(r"(.*) \((.*?)(?::\d+)?\)", frame)
    if not match:
        return frame
    path = match.group(2)
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        path = path.split(marker)[-1]
    return f"{path}:{match.group(1)}"


# Where a sample's time goes: the first kind (in this order) with a frame anywhere in its stack. SQL run from a
# template counts as SQL, translations called from a template as rendering.
SAMPLE_KINDS = [
    ("database driver: running SQL, fetching rows, committing", ("do_execute", "_fetchall_impl", "_fetchone_impl",
     "_fetchmany_impl", "do_commit", "psycopg/")),
    ("rendering templates (Jinja, with the translations they call)", ("jinja2/",)),
    ("SQLAlchemy: building statements, loading objects", ("sqlalchemy/",)),
    ("writing the response to the socket", ("gunicorn/util.py:write", "send_headers")),
    ("reading and parsing the request", ("gunicorn/http/",)),
    ("app code, Flask and Werkzeug (the rest of a request)", ("SyncWorker.handle_request",)),
    ("waiting for a connection", ("SyncWorker.wait", "SyncWorker.accept", "select")),
]  # fmt: skip


def sample_kind(frames: list[str]) -> str:
    for kind, markers in SAMPLE_KINDS:
        if any(marker in frame for frame in frames for marker in markers):
            return kind
    return "other"


def profile_summary(stacks: Counter, page: Page, backend: str) -> str:
    total = sum(stacks.values())
    inclusive: Counter = Counter()
    own: Counter = Counter()
    kinds: Counter = Counter()
    for stack, count in stacks.items():
        frames = [_frame(frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
        kinds[sample_kind(frames)] += count
    below_server = [(frame, count) for frame, count in inclusive.most_common() if count < 0.97 * total]
    lines = [
        f"# py-spy: {page.title}, {backend}",
        "",
        f"{total} samples of both workers (200 a second each, wall clock, waiting included).",
        "",
        "| share of samples | where |",
        "|---:|---|",
        *(f"| {count / total:.1%} | {kind} |" for kind, count in kinds.most_common()),
        "",
        "Functions by inclusive share (gunicorn's own frames, in every sample, left out):",
        "",
        "| inclusive % | function |",
        "|---:|---|",
        *(f"| {count / total:.1%} | `{frame}` |" for frame, count in below_server[:60]),
        "",
        "| self % | function |",
        "|---:|---|",
        *(f"| {count / total:.1%} | `{frame}` |" for frame, count in own.most_common(30)),
    ]
    return "\n".join(lines) + "\n"


# --- One backend, and the report.


def benchmark(backend: str, url: str, out: Path, args, used_ports: set[int]) -> dict:
    started = time.perf_counter()
    pages, facts = choose_pages(url, args)
    wanted = set(args.page or MEASURED) | set(args.profile) | {"healthz", "healthz_end"}
    pages = [page for page in pages if page.key in wanted]
    port = free_port(used_ports)
    used_ports.add(port)
    extra_env = dict(setting.split("=", 1) for setting in args.env)
    server = start_gunicorn(url, port, out / f"{backend}-gunicorn.log", extra_env)
    try:
        worker_pids = workers(server.pid)
        checks = {}
        for page in pages:
            cookie = sign_in(port, page.account) if page.account else ""
            checks[page.key] = check_page(port, page, cookie, facts["expected"], args.searches)
        print(f"  every URL checked: {checks}", file=sys.stderr, flush=True)
        rows, memory_after = [], {}
        pids = {"app": worker_pids}
        if backend == "postgresql":
            pids["postgresql"] = database_processes(url)
        for page in pages:
            time.sleep(args.pause)
            cookie = sign_in(port, page.account) if page.account else ""  # fresh: no cookie rewrites in the run
            if "postgresql" in pids:  # the app's connections may be new
                pids["postgresql"] = database_processes(url)
            rows.append(measure(port, page, cookie, out, backend, args, pids))
            memory_after[page.key] = server_memory(server)
        final_memory = server_memory(server)
        profiles = {}
        for key in args.profile:
            page = next(page for page in pages if page.key == key)
            cookie = sign_in(port, page.account) if page.account else ""
            profiles[key] = str(profile(port, server, page, cookie, out, backend, args).relative_to(ROOT))
        restarted = workers(server.pid) != worker_pids
    finally:
        stop(server)
    log = (out / f"{backend}-gunicorn.log").read_text(encoding="utf-8", errors="replace")
    reference = verdicts(rows)
    return {
        "backend": backend,
        "database": facts["database"],
        "database_url": url,
        "port": port,
        "inbox_organisation": facts["inbox_org"],
        "healthz_reference_rps": reference,
        "pages": rows,
        "checks": checks,
        "memory_after_each_page": memory_after,
        "memory": final_memory,
        "workers_restarted": restarted,
        "log_tracebacks": log.count("Traceback"),
        "log_database_locked": log.count("database is locked"),
        "log_worker_timeouts": log.count("WORKER TIMEOUT"),
        "profiles": profiles,
        "seconds": time.perf_counter() - started,
    }


def table(result: dict) -> str:
    memory = result["memory"]
    lines = [
        f"### {result['database']}",
        "",
        f"/healthz reference: {result['healthz_reference_rps']:.0f} req/s (mean of the first and last runs)."
        " CPU ms a request: user + system time of the 2 workers, of PostgreSQL's processes and of wrk during the"
        " timed run, divided by its requests; req/s on 2 free CPUs = 2,000 / their sum, what the page would reach"
        " if nothing else ran (a bound that leaves out the kernel's own work).",
        "",
        "| page | URL pattern | URLs | req/s | ratio to /healthz | p50 ms | p99 ms | KB a response"
        " | CPU ms a request: app / database / wrk | req/s on 2 free CPUs | load before / after | target | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|---|",
    ]
    for row in result["pages"]:
        cpu = row["cpu_ms_per_request"]
        database = f"{cpu['postgresql']:.1f}" if "postgresql" in cpu else "(in app)"
        lines.append(
            f"| {row['title']} | `{row['pattern']}` | {row['urls']} | {row['rps']:.0f} | {row['ratio']:.2f}"
            f" | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['bytes_per_response'] / 1024:.1f}"
            f" | {cpu['app']:.1f} / {database} / {cpu['wrk']:.1f} | {2000 / sum(cpu.values()):.0f}"
            f" | {row['loadavg']['before']:.2f} / {row['loadavg']['after']:.2f} | {row['target']} | {row['verdict']} |"
        )
    lines += [
        "",
        "After the last page, and the largest RSS read after any page (file-backed pages count in RSS: on SQLite"
        " the database file, which the app reads through mmap, shared by both workers):",
        "",
        "| process | RSS MB | PSS MB | USS MB | anonymous MB | file-backed RSS MB | largest RSS MB (after) |"
        " target RSS ≤ 150 MB |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    processes = [("arbiter", memory["arbiter"])] + [
        (f"worker {pid}", values) for pid, values in memory["workers"].items()
    ]
    for name, m in processes:
        peak, peak_page = m["rss"], "the end"
        for page, snapshot in result["memory_after_each_page"].items():
            values = snapshot["arbiter"] if name == "arbiter" else snapshot["workers"].get(name.split()[-1])
            if values and values["rss"] > peak:
                peak, peak_page = values["rss"], page
        verdict = "" if name == "arbiter" else ("met" if peak <= WORKER_MB else "**missed**")
        lines.append(
            f"| {name} | {m['rss']:.1f} | {m['pss']:.1f} | {m['uss']:.1f} | {m['anon']:.1f} | {m['rss_file']:.1f}"
            f" | {peak:.1f} ({peak_page}) | {verdict} |"
        )
    lines += [
        "",
        f"Server log: {result['log_tracebacks']} tracebacks, {result['log_database_locked']} 'database is locked',"
        f" {result['log_worker_timeouts']} worker timeouts; workers restarted: {result['workers_restarted']}.",
    ]
    search = result["checks"].get("search", {})
    if search:
        lines.append(
            f"Searches: {search['urls']} different queries with results (of {search['candidates']} tried,"
            f" {search['without_results']} without results), {search['results_min']}-{search['results_max']}"
            f" results, median {search['results_median']}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), help="default: both")
    parser.add_argument(
        "--database-url", action="append", default=[], help="use this generated database (repeatable; one a backend)"
    )
    parser.add_argument("--keep-data", action="store_true", help="keep the SQLite file and the PostgreSQL cluster")
    parser.add_argument("--duration", type=int, default=15, help="seconds of each timed wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each timed run")
    parser.add_argument("--pause", type=int, default=2, help="seconds between pages")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--searches", type=int, default=240, help="different searches (each with results)")
    parser.add_argument("--services", type=int, default=1000, help="different service pages")
    parser.add_argument("--referrals", type=int, default=300, help="different referral pages")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the app (repeatable)")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        choices=MEASURED,
        help="py-spy this page after the timed runs (repeatable)",
    )
    parser.add_argument("--profile-seconds", type=int, default=10)
    parser.add_argument(
        "--page",
        action="append",
        choices=MEASURED,
        help="measure only this page (repeatable; /healthz is always measured first and last); default: all",
    )
    args = parser.parse_args(argv)
    given = {("postgresql" if url.startswith("postgresql") else "sqlite"): url for url in args.database_url}
    backends = args.backend or (list(given) if given else ["sqlite", "postgresql"])
    out = BENCH_DIR / ".data" / time.strftime("run-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    code_before = code_fingerprint()
    results, notes, used_ports = [], [], set()
    for backend in backends:
        print(f"{backend}:", file=sys.stderr, flush=True)
        cluster = None
        url = given.get(backend)
        generated = None
        if url is None and backend == "postgresql":
            cluster = load_postgres_helper().start()
            if cluster is None:
                sys.exit("PostgreSQL is not installed (apt-get install -y postgresql)")
            url = cluster.url
        elif url is None:
            url = f"sqlite:///{out / 'sqlite.sqlite'}"
        try:
            if backend not in given:
                generated = generate(url, out / f"{backend}-generate.log")
            result = benchmark(backend, url, out, args, used_ports)
            result["generate"] = generated
            results.append(result)
        finally:
            if cluster is not None and not args.keep_data:
                cluster.stop()
            elif cluster is not None:
                notes.append(
                    f"PostgreSQL kept running: --database-url {cluster.url}; stop it with"
                    f" `{' '.join(cluster.as_user)} {cluster.bin_dir}/pg_ctl -D {cluster.data_dir} stop`"
                    f" and remove {cluster.data_dir.parent}"
                )
        if backend == "sqlite" and backend not in given:
            if args.keep_data:
                notes.append(f"SQLite kept: --database-url {url}")
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
    code = (code_before, code_fingerprint())
    report = render(results, code, args, notes)
    (out / "summary.md").write_text(report + "\n", encoding="utf-8")
    machine = {
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "python": sys.version.split()[0],
        "kernel": os.uname().release,
    }
    everything = {"argv": sys.argv, "code": code, "machine": machine, "results": results}
    (out / "results.json").write_text(json.dumps(everything, indent=2, default=str) + "\n", encoding="utf-8")
    print(report)
    print(f"\nEverything is in {out.relative_to(ROOT)}/", file=sys.stderr)
    if any(row["verdict"].startswith("**failed") for result in results for row in result["pages"]):
        sys.exit("some answers were not 200: the run failed")


def generate(url: str, log: Path) -> dict:
    command = [sys.executable, str(BENCH_DIR / "generate_scale.py"), "--database-url", url]
    print(f"+ bench/generate_scale.py --database-url {url}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    log.write_text(f"{done.stdout}\n--- stderr\n{done.stderr}", encoding="utf-8")
    if done.returncode:
        sys.exit(f"generating the data failed, see {log}:\n{done.stderr[-2000:]}")
    timings = [line for line in done.stderr.splitlines() if line.startswith("timings:")]
    return {"seconds": time.perf_counter() - started, "timings": timings}


def render(results: list[dict], code: tuple[str, str], args, notes: list[str]) -> str:
    lines = [
        f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {sys.version.split()[0]}, Linux {os.uname().release}",
        f"App code: {code[0]} at the start, {code[1]} at the end"
        + ("" if code[0] == code[1] else " (**the code changed during the run**)"),
        f"wrk: {args.threads} threads, {args.connections} connections, {args.warmup:g} s warm-up then"
        f" {args.duration:g} s a page, --latency; gunicorn -w 2 (sync workers), REFERRAL_APP_ENV=production"
        + (f", {', '.join(args.env)}" if args.env else ""),
        "",
    ]
    for result in results:
        generated = result.get("generate")
        if generated:
            lines.append(f"Data generated in {generated['seconds']:.0f} s ({'; '.join(generated['timings'])}).")
        lines += [table(result), ""]
    lines += notes
    return "\n".join(lines)


if __name__ == "__main__":
    main()
