"""The insights benchmark end to end, on SQLite and on a throwaway PostgreSQL cluster.

    .venv/bin/python bench/run_insights_benchmark.py [--services 10000] [--referrals 100000] [--requests 120]
        [--backend sqlite ...]

For each backend, each step in its own process: the directory (bench/generate_directory.py), then residents,
referrals and their needs and events (bench/generate_referrals.py), then the timed insights page
(bench/insights_latency.py --explain). Everything is written under bench/.data/insights-<time>/; the target is a
p95 server time of at most 300 ms.
"""

from __future__ import annotations

import argparse
import sys
import time

from run_referral_lists_benchmark import BENCH_DIR, database
from run_search_benchmark import ROOT, code_fingerprint, run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", default=time.strftime("%Y-%m-%d", time.gmtime()))
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    args = parser.parse_args(argv)
    out = BENCH_DIR / ".data" / time.strftime("insights-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)
    python, code_before, reports = sys.executable, code_fingerprint(), []
    for backend in args.backend or ("sqlite", "postgresql"):
        with database(backend, out, keep=False) as url:
            directory = [python, "bench/generate_directory.py", "--services", str(args.services), "--seed"]
            directory += [str(args.seed), *(["--replace"] if backend == "sqlite" else []), "--database-url", url]
            run(directory, out / f"{backend}-directory.log")
            referrals = [python, "bench/generate_referrals.py", "--database-url", url, "--seed", str(args.seed)]
            referrals += ["--total", str(args.referrals), "--today", args.today]
            run(referrals, out / f"{backend}-referrals.log")
            latency = [python, "bench/insights_latency.py", "--database-url", url, "--requests", str(args.requests)]
            latency += ["--explain", "--json", str(out / f"{backend}.json")]
            report = run(latency, out / f"{backend}-latency.log")
            (out / f"{backend}.md").write_text(report, encoding="utf-8")
            reports.append(f"### {backend}\n\n" + report.split("\n```", 1)[0])
    code_after = code_fingerprint()
    changed = "" if code_before == code_after else " (the code changed during the run)"
    text = f"App code: {code_before}{changed}\n\n" + "\n\n".join(reports)
    (out / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nEverything is in {out.relative_to(ROOT)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
