"""The referral lists benchmark end to end, on SQLite and on a throwaway PostgreSQL cluster.

    .venv/bin/python bench/run_referral_lists_benchmark.py [--services 10000] [--referrals 50000] [--requests 600]
        [--backend sqlite ...] [--profile 240]

For each backend, each step in its own process: the directory (bench/generate_directory.py), then residents,
referrals and audit rows (bench/generate_referrals.py; on PostgreSQL both end with VACUUM ANALYZE), then the
timed inbox and "My referrals" pages (bench/referral_lists_latency.py --explain). Writes every output and a
summary with the verdict against the target (p95 at most 50 ms) under bench/.data/referrals-<time>/ (the SQLite
database too, deleted at the end unless --keep-data).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from run_search_benchmark import ROOT, TARGET_P95_MS, code_fingerprint, cpu_model, load_postgres_helper, run

BENCH_DIR = Path(__file__).resolve().parent


def benchmark(backend: str, url: str, args, out: Path) -> dict:
    python = sys.executable
    directory = [python, "bench/generate_directory.py", "--services", str(args.services), "--seed", str(args.seed)]
    directory += ["--replace"] if backend == "sqlite" else []
    run([*directory, "--database-url", url], out / f"{backend}-directory.log")
    referrals = [python, "bench/generate_referrals.py", "--database-url", url, "--seed", str(args.seed)]
    referrals += ["--total", str(args.referrals), "--today", args.today]
    run(referrals, out / f"{backend}-referrals.log")
    results = out / f"{backend}.json"
    latency = [python, "bench/referral_lists_latency.py", "--database-url", url, "--requests", str(args.requests)]
    latency += ["--explain", "--profile", str(args.profile), "--json", str(results)]
    (out / f"{backend}.md").write_text(run(latency, out / f"{backend}-latency.log"), encoding="utf-8")
    return json.loads(results.read_text(encoding="utf-8"))


def summary(results: list[tuple[str, dict]], code: tuple[str, str]) -> str:
    changed = "" if code[0] == code[1] else " (**the code changed during the run**)"
    machine = f"{os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, {platform.platform()}"
    lines = [
        f"Machine: {machine}",
        f"App code: {code[0]} at the start, {code[1]} at the end{changed}",
        "",
        "| backend | referrals | requests | p50 ms | p95 ms | p99 ms | max ms | inbox p95 | list p95 | CPU p95 ms"
        " | SQL statements | load avg | p95 target 50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for _backend, r in results:
        a, by = r["all"], r["by_list"]
        verdict = "met" if a["p95"] <= TARGET_P95_MS else f"**missed** ({a['p95'] / TARGET_P95_MS:.1f}x)"
        lines.append(
            f"| {r['database']} | {r['rows']['referral']} | {a['n']} | {a['p50']:.1f} | {a['p95']:.1f}"
            f" | {a['p99']:.1f} | {a['max']:.1f} | {by['inbox']['p95']:.1f} | {by['link_worker']['p95']:.1f}"
            f" | {r['all_cpu']['p95']:.1f} | {', '.join(map(str, r['statements_per_page']))}"
            f" | {r['loadavg']['before'][0]:.1f} / {r['loadavg']['after'][0]:.1f} | {verdict} |"
        )
    return "\n".join(lines)


@contextmanager
def database(backend: str, out: Path, *, keep: bool) -> Iterator[str]:
    """A database URL of this run's own (others may run benchmarks at the same time), removed afterwards."""
    if backend == "postgresql":
        cluster = load_postgres_helper().start()
        if cluster is None:
            sys.exit("PostgreSQL is not installed (apt-get install -y postgresql)")
        try:
            yield cluster.url
        finally:
            cluster.stop()
        return
    path = out / f"{backend}.sqlite"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in () if keep else ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--referrals", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--profile", type=int, default=240, help="requests profiled after timing (0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", default=time.strftime("%Y-%m-%d", time.gmtime()), help="referrals dated up to")
    parser.add_argument("--keep-data", action="store_true", help="keep the SQLite database in the run's folder")
    parser.add_argument(
        "--backend", action="append", choices=("sqlite", "postgresql"), help="default: sqlite and postgresql"
    )
    args = parser.parse_args(argv)
    out = BENCH_DIR / ".data" / time.strftime("referrals-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)

    code_before, results = code_fingerprint(), []
    for backend in args.backend or ("sqlite", "postgresql"):
        with database(backend, out, keep=args.keep_data) as url:
            results.append((backend, benchmark(backend, url, args, out)))
    text = summary(results, (code_before, code_fingerprint()))
    (out / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nEverything is in {out.relative_to(ROOT)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
