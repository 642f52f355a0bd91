"""Scale-out and integrity under load: 32 connections for 60 s mixing searches, new referrals, answers and outcomes,
against SQLite (WAL, one gunicorn) and PostgreSQL (two gunicorns on different ports sharing one database).

    .venv/bin/python -m pip install -e '.[bench]'      # httpx
    .venv/bin/python bench/run_load_integrity.py [--backend sqlite|postgresql ...] [--seconds 60] [--connections 32]
        [--services 2000] [--referrals 20000] [--sqlite-copy /tmp/scale/s.sqlite] [--runs 1] [--app-dir DIR]

For each backend and run: a fresh database (generated with bench/generate_directory.py and
bench/generate_referrals.py, or a copy of an SQLite file), extra staff accounts for the benchmark organisation,
gunicorn (`REFERRAL_APP_ENV=production`, 2 sync workers each) on ports 8150 (SQLite) or 8151 and 8152 (PostgreSQL,
each browser's requests alternating between the two, as a load balancer without sticky sessions would send them).
Browsers sign in through the sign-in form, then drive the load (bench/load_client.py) until the time is up. The
servers are stopped and the database checked (bench/load_checks.py). Results: printed, and saved as JSON (and the
servers' logs) under bench/.data/load-<time>/. Exit status 1 if a check failed.

Settings the run gives the app: two-factor off (`REFERRAL_APP_REQUIRE_TWO_FACTOR=off`, the accounts have none) and
session cookies without `Secure` (`REFERRAL_APP_SECURE_COOKIES=off`: plain HTTP on loopback). The sign-in rate
limits are left as they are: they count only failed sign-ins.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from load_checks import baseline, check
from load_client import Browser, Recorder, Rendezvous, Scenario, summarise
from run_search_benchmark import code_fingerprint, cpu_model, load_postgres_helper, run
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from referral_app import migrations
from referral_app.db import make_engine
from referral_app.models import Organization, OrganizationStatus, Role, Service, ServiceStatus, User

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PASSWORD = "bench-password-2026"  # noqa: S105 - the benchmark accounts' (bench/generate_referrals.py)
PORTS = {"sqlite": [8150], "postgresql": [8151, 8152]}
STAFF_ACCOUNTS = 6  # of the benchmark organisation, so that two different people answer the same referral


def prepare_database(backend: str, url: str, args, out: Path) -> None:
    python = sys.executable
    if backend == "sqlite" and args.sqlite_copy:
        target = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{args.sqlite_copy}{suffix}").exists():
                shutil.copyfile(f"{args.sqlite_copy}{suffix}", f"{target}{suffix}")
        engine = make_engine(url)
        migrations.upgrade(engine)
        engine.dispose()
        return
    directory = [python, "bench/generate_directory.py", "--services", str(args.services), "--seed", "2026"]
    directory += ["--replace", "--analyze"] if backend == "sqlite" else []
    run([*directory, "--database-url", url], out / f"{backend}-directory.log")
    referrals = [python, "bench/generate_referrals.py", "--database-url", url, "--total", str(args.referrals)]
    referrals += ["--inbox", str(min(5000, args.referrals // 4)), "--link-worker", str(min(2000, args.referrals // 10))]
    run([*referrals, "--audit-rows", str(args.referrals)], out / f"{backend}-referrals.log")


def prepare_people(url: str) -> dict:
    """Staff accounts for the benchmark organisation (the one with the big inbox), and what the browsers need."""
    engine = make_engine(url)
    with Session(engine) as session:
        organization_id = session.exec(
            select(User.organization_id).where(User.email == "inbox@bench.example.org")
        ).one()
        staff = ["inbox@bench.example.org"]
        password_hash = generate_password_hash(PASSWORD)
        for number in range(1, STAFF_ACCOUNTS):
            email = f"inbox-staff{number}@bench.example.org"
            if session.exec(select(User).where(User.email == email)).first() is None:
                session.add(
                    User(
                        email=email,
                        name=f"Inbox Staff {number}",
                        role=Role.ORG_STAFF,
                        organization_id=organization_id,
                        password_hash=password_hash,
                        active=True,
                    )
                )
            staff.append(email)
        session.commit()
        link_workers = session.exec(
            select(User.email)
            .where(User.role == Role.LINK_WORKER, User.email.like("linkworker%@bench.example.org"))
            .order_by(User.email)
        ).all()
        referable = (
            select(Service.id, Service.organization_id)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Service.status == ServiceStatus.ACTIVE, Organization.status == OrganizationStatus.APPROVED)
        )
        services = session.exec(referable.order_by(Service.id)).all()
    engine.dispose()
    inbox_services = [str(s) for s, org in services if org == organization_id]
    others = [str(s) for s, org in services if org != organization_id]
    return {
        "staff": staff,
        "link_workers": list(link_workers),
        "inbox_services": inbox_services,
        "other_services": random.Random(2026).sample(others, min(300, len(others))),  # noqa: S311
    }


def gunicorn_options(args) -> list[str]:
    """The workers of each server: 2 sync workers unless told otherwise (for comparing settings)."""
    options = ["--workers", str(args.workers)]
    return options + (["--threads", str(args.threads)] if args.threads > 1 else [])


def start_servers(url: str, ports: list[int], logs: Path, args) -> list[subprocess.Popen]:
    env = os.environ | {
        "REFERRAL_APP_ENV": "production",
        "SECRET_KEY": "load-bench-secret",
        "REFERRAL_APP_REQUIRE_TWO_FACTOR": "off",
        "REFERRAL_APP_SECURE_COOKIES": "off",
        "DATABASE_URL": url,
        "REFERRAL_APP_INSTANCE_PATH": str(logs.parent / "instance"),
    }
    servers = []
    for port in ports:
        command = [str(Path(sys.executable).parent / "gunicorn"), *gunicorn_options(args)]
        # No control socket: each gunicorn would take the same default path (other servers on this machine too).
        command += ["-b", f"127.0.0.1:{port}", "--no-control-socket", "--error-logfile", "-", "wsgi:app"]
        with Path(f"{logs}-{port}.log").open("w") as log:  # the server keeps its own copy of the file
            server = subprocess.Popen(
                command, cwd=Path(args.app_dir or ROOT), env=env, stdout=log, stderr=subprocess.STDOUT
            )
        servers.append(server)
    for port in ports:
        for _ in range(150):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            stop_servers(servers)
            sys.exit(f"the server on port {port} did not start: see {logs}-{port}.log")
    return servers


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> float:
    """CPU time used by these processes and their children, those still running and those that have ended."""
    total = 0
    for pid in pids:
        for process in (pid, *children_of(pid)):
            try:
                fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(ticks) for ticks in fields[11:15])  # utime, stime, and of ended children
    return total / os.sysconf("SC_CLK_TCK")


def worker_memory_mb(server: subprocess.Popen) -> list[float]:
    """Resident memory of the gunicorn master's children (the workers)."""
    sizes = []
    for child in children_of(server.pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        rss = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(round(int(rss.split()[1]) / 1024, 1))
    return sizes


def stop_servers(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_log_errors(logs: list[Path]) -> dict:
    """Errors the servers logged, including any after a response was sent (which no status code shows)."""
    problems = []
    for log in logs:
        lines = log.read_text(errors="replace").splitlines()
        for number, line in enumerate(lines):
            if line.startswith("Traceback") or " [ERROR] " in line or " [CRITICAL] " in line:
                last = next((lines[n] for n in range(number + 1, len(lines)) if not lines[n].startswith(" ")), "")
                problems.append(f"{log.name}:{number + 1}: {line.strip()[:80]} {last[:160]}")
    return {
        "name": "no errors in the servers' logs",
        "checked": len(logs),
        "passed": not problems,
        "problems": len(problems),
        "examples": problems[:10],
    }


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def drive(people: dict, bases: list[str], args, run_id: str, cpu: dict[str, list[int]]) -> tuple[Recorder, float, dict]:
    """Sign everyone in, then run the mix on `args.connections` browsers until the time is up; `cpu` names the
    processes whose CPU time to measure over that time."""
    signing_in = Recorder()
    recorder = Recorder()
    scenario = Scenario(
        recorder=recorder,
        rendezvous=Rendezvous(),
        run_id=run_id,
        inbox_services=people["inbox_services"],
        other_services=people["other_services"],
        rng=random.Random(),  # noqa: S311 - shared by the threads; the mix, not a secret
    )
    searchers = round(args.connections * 0.25)
    link_workers = min(round(args.connections * 0.35), len(people["link_workers"]))
    staff_count = args.connections - searchers - link_workers
    browsers: list[tuple[str, Browser]] = []
    for number in range(args.connections):
        browser = Browser([bases[(number + turn) % len(bases)] for turn in range(len(bases))], signing_in)
        if number < searchers:
            role = "search"
        elif number < searchers + link_workers:
            role = "link_worker"
            browser.sign_in(people["link_workers"][number - searchers], PASSWORD)
        else:
            role = "staff"
            browser.sign_in(people["staff"][(number - searchers - link_workers) % len(people["staff"])], PASSWORD)
        browser.recorder = recorder
        browsers.append((role, browser))
    turns = {"search": scenario.search, "link_worker": scenario.make_referral, "staff": scenario.staff_turn}
    crashes: list[str] = []
    recorder.started = time.perf_counter()
    deadline = recorder.started + args.seconds

    def loop(role: str, browser: Browser) -> None:
        while time.perf_counter() < deadline:
            try:
                turns[role](browser)
            except Exception as error:  # a bug in the client, not an answer from the server: stop and say so
                crashes.append(f"{role}: {error!r}")
                return

    cpu_before = time.process_time()
    used = {name: cpu_seconds(pids) for name, pids in cpu.items()}
    threads = [threading.Thread(target=loop, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - recorder.started
    client_cpu = time.process_time() - cpu_before
    used = {name: round(cpu_seconds(cpu[name]) - start, 1) for name, start in used.items()}
    for _role, browser in browsers:
        browser.close()
    extra = {
        "sign_ins": summarise(signing_in, 1.0)["status_codes"],
        "client_crashes": crashes,
        "client_cpu_seconds": round(client_cpu, 1),
        "cpu_seconds": used,
        "browsers": {"search": searchers, "link_worker": link_workers, "staff": staff_count},
    }
    return recorder, seconds, extra


def one_run(backend: str, url: str, args, out: Path, number: int, database_pid: int | None) -> dict:
    tag = f"{backend}-{number}"
    people = prepare_people(url)
    before = baseline(url)
    servers = start_servers(url, PORTS[backend], out / f"{tag}-server", args)
    try:
        bases = [f"http://127.0.0.1:{port}" for port in PORTS[backend]]
        load_before = loadavg()
        cpu = {"app servers": [server.pid for server in servers]}
        if database_pid:
            cpu["postgresql"] = [database_pid]
        recorder, seconds, extra = drive(people, bases, args, f"{time.strftime('%H%M%S')}{number}", cpu)
        load_after = loadavg()
        memory = [mb for server in servers for mb in worker_memory_mb(server)]
    finally:
        stop_servers(servers)
    logged = server_log_errors([out / f"{tag}-server-{port}.log" for port in PORTS[backend]])
    figures = summarise(recorder, seconds)
    recorded = {
        "status_codes": figures["status_codes"],
        "errors": recorder.errors,
        "conflicts": recorder.conflicts,
        "referral_attempts": recorder.referral_attempts,
        "referral_acks": recorder.referral_acks,
        "status_acks": recorder.status_acks,
        "outcome_acks": recorder.outcome_acks,
    }
    checks = check(url, recorded, before)
    checks.insert(1, logged)
    result = {
        "backend": backend,
        "run": number,
        "servers": [f"gunicorn {' '.join(gunicorn_options(args))} on {port}" for port in PORTS[backend]],
        "app_dir": args.app_dir or ".",
        "connections": args.connections,
        "seconds": round(seconds, 1),
        "loadavg": {"before": load_before, "after": load_after},
        "worker_memory_mb": memory,
        "requests": len(recorder.samples),
        "requests_per_second": round(len(recorder.samples) / seconds, 1),
        **figures,
        "acknowledged": {
            "referrals": len({a["marker"] for a in recorder.referral_acks}),
            "status_changes": len(recorder.status_acks),
            "outcomes": len(recorder.outcome_acks),
            "refused_409": len(recorder.conflicts),
        },
        "same_referral": recorder.pairs,
        **extra,
        "cpu_ms_per_request": {
            name: round(used * 1000 / max(1, len(recorder.samples)), 1) for name, used in extra["cpu_seconds"].items()
        },
        "checks": checks,
        "passed": all(c["passed"] for c in checks) and not extra["client_crashes"],
    }
    (out / f"{tag}.json").write_text(json.dumps(result | {"recorded": recorded}, indent=1, default=str))
    return result


def report(result: dict) -> str:
    lines = [
        f"### {result['backend']}, run {result['run']}: {'PASSED' if result['passed'] else 'FAILED'}",
        f"{', '.join(result['servers'])}; {result['connections']} connections for {result['seconds']} s;"
        f" load average {result['loadavg']['before'][0]} before, {result['loadavg']['after'][0]} after;"
        f" worker memory {result['worker_memory_mb']} MB; CPU seconds {result['cpu_seconds']} (per request, ms:"
        f" {result['cpu_ms_per_request']}); client CPU {result['client_cpu_seconds']} s",
        f"{result['requests']} requests, {result['requests_per_second']} per second; status codes"
        f" {result['status_codes']}; acknowledged {result['acknowledged']}; same referral at once"
        f" {result['same_referral']}",
        "",
        "| action | requests | per second | p50 ms | p99 ms | max ms | status codes |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for action, a in result["actions"].items():
        codes = ", ".join(f"{code}: {count}" for code, count in a["status_codes"].items())
        figures = f"{a['requests']} | {a['per_second']} | {a['p50_ms']} | {a['p99_ms']} | {a['max_ms']}"
        lines.append(f"| {action} | {figures} | {codes} |")
    lines += ["", "| check | checked | result |", "|---|---:|---|"]
    for c in result["checks"]:
        verdict = "passed" if c["passed"] else f"**{c['problems']} problems**: {'; '.join(c['examples'][:3])}"
        lines.append(f"| {c['name']} | {c['checked']} | {verdict} |")
    if result["client_crashes"]:
        lines.append(f"\nClient crashes: {result['client_crashes'][:5]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--referrals", type=int, default=20000)
    parser.add_argument("--sqlite-copy", help="copy this SQLite database (and its -wal) instead of generating one")
    parser.add_argument("--runs", type=int, default=1, help="runs per backend, each on the same database")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread workers)")
    parser.add_argument(
        "--app-dir",
        help="run the servers from this copy of the app (wsgi.py, referral_app/, templates/...), e.g. the code before"
        " a fix; the database is still made and checked with this checkout's code",
    )
    args = parser.parse_args(argv)
    out = BENCH_DIR / ".data" / time.strftime("load-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    code_before = code_fingerprint()
    results = []
    for backend in args.backend or ("sqlite", "postgresql"):
        cluster = None
        if backend == "sqlite":
            url = f"sqlite:///{out / 'load.sqlite'}"
        else:
            cluster = load_postgres_helper().start()
            if cluster is None:
                sys.exit("PostgreSQL is not installed (apt-get install -y postgresql)")
            url = cluster.url
        try:
            prepare_database(backend, url, args, out)
            for number in range(1, args.runs + 1):
                postmaster = cluster and int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
                result = one_run(backend, url, args, out, number, postmaster)
                print(report(result) + "\n", flush=True)
                results.append(result)
        finally:
            if cluster is not None:
                cluster.stop()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{out / 'load.sqlite'}{suffix}").unlink(missing_ok=True)
    code_after = code_fingerprint()
    summary = {
        "machine": f"{os.cpu_count()} CPUs ({cpu_model()})",
        "code": {"before": code_before, "after": code_after},
        "runs": results,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    print(f"App code {code_before}" + ("" if code_before == code_after else f", then {code_after} (changed)"))
    print(f"Everything is in {out.relative_to(ROOT)}/", file=sys.stderr)
    sys.exit(0 if all(r["passed"] for r in results) else 1)


if __name__ == "__main__":
    main()
