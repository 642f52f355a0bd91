"""Build the whole scale data set of issue 8 in one command, then print how many rows each table holds.

    .venv/bin/python bench/generate_scale.py [--database-url URL] [--seed 2026] [--today 2026-11-24]

10,000 services and 2,000 organisations (bench/generate_directory.py), then 100,000 referrals with their events,
needs and ONS4 outcomes, and 1,000 accounts (bench/generate_referrals.py --users 1000): the three benchmark
accounts (BENCH_USERS), 150 other link workers and one staff account for each of the 848 organisations that take
referrals. The inbox organisation gets 5,000 referrals, the benchmark link worker sends 2,000. The two steps are
the same commands as:

    .venv/bin/python bench/generate_directory.py --services 10000 --organisations 2000 --seed 2026 --replace \\
        --analyze --database-url URL
    .venv/bin/python bench/generate_referrals.py --total 100000 --inbox 5000 --link-worker 2000 --users 1000 \\
        --seed 2026 --database-url URL

The database must be empty (a SQLite file is replaced). Default: a new SQLite file under bench/.data/. On
PostgreSQL both steps end with VACUUM ANALYZE; SQLite gets ANALYZE after the directory, as the data set that the
other benchmarks use. Prints the timings and row counts to stderr, and the database URL to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from datetime import UTC, date, datetime

import generate_directory
import generate_referrals
from sqlalchemy import func, select
from sqlmodel import SQLModel

import referral_app.models  # noqa: F401 - every table in the metadata, for the counts
from referral_app.db import make_engine

SERVICES = 10_000
ORGANISATIONS = 2_000
REFERRALS = 100_000
USERS = 1_000
INBOX = 5_000
LINK_WORKER = 2_000
# What the issue asks for, checked after the build: table -> rows.
EXPECTED = {"service": SERVICES, "organization": ORGANISATIONS, "referral": REFERRALS, "user": USERS}


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file under bench/.data/")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", default=datetime.now(UTC).date().isoformat(), type=date.fromisoformat)
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{generate_directory.DATA_DIR / time.strftime('scale-%Y%m%d-%H%M%S.sqlite')}"
    common = ["--seed", str(args.seed), "--database-url", url]

    started = time.perf_counter()
    print("directory: bench/generate_directory.py", file=sys.stderr, flush=True)
    with contextlib.redirect_stdout(sys.stderr):  # each step prints the URL: this command prints it once, last
        generate_directory.main(
            ["--services", str(SERVICES), "--organisations", str(ORGANISATIONS), "--replace", "--analyze", *common]
        )
    directory_done = time.perf_counter()
    print("referrals: bench/generate_referrals.py", file=sys.stderr, flush=True)
    referrals = ["--total", str(REFERRALS), "--inbox", str(INBOX), "--link-worker", str(LINK_WORKER)]
    with contextlib.redirect_stdout(sys.stderr):
        generate_referrals.main([*referrals, "--users", str(USERS), "--today", args.today.isoformat(), *common])
    referrals_done = time.perf_counter()

    counts = row_counts(url)
    width = max(map(len, counts))
    print("\nrows:", file=sys.stderr)
    for table, count in sorted(counts.items()):
        print(f"  {table:<{width}} {count:>9,}", file=sys.stderr)
    print(
        f"timings: directory {directory_done - started:.1f}s, referrals {referrals_done - directory_done:.1f}s,"
        f" total {referrals_done - started:.1f}s",
        file=sys.stderr,
    )
    wrong = {table: (counts.get(table), rows) for table, rows in EXPECTED.items() if counts.get(table) != rows}
    if wrong:
        sys.exit(f"not the issue's data set (table: made, wanted): {wrong}")
    print(url)


if __name__ == "__main__":
    main()
