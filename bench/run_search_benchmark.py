"""The search benchmark end to end, on SQLite and on a throwaway PostgreSQL cluster.

    .venv/bin/python bench/run_search_benchmark.py [--services 10000] [--requests 300] [--backend sqlite ...]

For each backend: generate the directory (bench/generate_directory.py; on PostgreSQL it also runs VACUUM ANALYZE),
then time the search page (bench/search_latency.py --explain), each in its own process. Writes every output
and a summary with the verdict against the target (p95 at most 50 ms) under bench/.data/run-<time>/ (the SQLite
database too, deleted at the end unless --keep-data).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
TARGET_P95_MS = 50.0


def load_postgres_helper():
    """tests/postgres.py (initdb + pg_ctl in a temporary folder), loaded by path: tests/ is not installed."""
    spec = importlib.util.spec_from_file_location("bench_postgres", ROOT / "tests" / "postgres.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run(command: list[str], log: Path) -> str:
    """Run a step, keep its stdout and stderr in `log`, return its stdout."""
    shown = " ".join(str(part) for part in command).replace(str(ROOT) + "/", "")
    print(f"+ {shown}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    log.write_text(f"$ {shown}\n{done.stdout}\n--- stderr\n{done.stderr}", encoding="utf-8")
    if done.returncode:
        sys.exit(f"step failed ({done.returncode}), see {log}:\n{done.stderr[-2000:]}")
    print(f"  done in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    return done.stdout


def benchmark(backend: str, url: str, args, out: Path) -> dict:
    python = sys.executable
    generate = [python, "bench/generate_directory.py", "--services", str(args.services), "--seed", str(args.seed)]
    generate += ["--replace"] if backend.startswith("sqlite") else []
    generate += ["--analyze"] if backend == "sqlite-analyze" else []
    generate += ["--database-url", url]
    run(generate, out / f"{backend}-generate.log")
    results = out / f"{backend}.json"
    latency = [python, "bench/search_latency.py", "--database-url", url, "--requests", str(args.requests)]
    latency += ["--explain", *(f"--explain-query={index}" for index in args.explain_query), "--json", str(results)]
    (out / f"{backend}.md").write_text(run(latency, out / f"{backend}-latency.log"), encoding="utf-8")
    return json.loads(results.read_text(encoding="utf-8"))


def code_fingerprint() -> str:
    """A short hash of the app's code, templates and migrations: others edit them while benchmarks run."""
    digest = hashlib.sha256()
    for folder in ("referral_app", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    migrations = sorted(p.stem for p in (ROOT / "referral_app" / "migrations" / "versions").glob("*.py"))
    return f"{digest.hexdigest()[:12]} (migrations {', '.join(m.split('_')[0] for m in migrations)})"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def summary(results: list[tuple[str, dict]], code: tuple[str, str]) -> str:
    lines = [
        f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}",
        f"App code: {code[0]} at the start, {code[1]} at the end"
        + ("" if code[0] == code[1] else " (**the code changed during the run**)"),
        "",
        "| backend | services | search p50 ms | p95 ms | p99 ms | max ms | CPU p95 ms | SQL statements"
        " | /healthz p50 / p95 ms | load avg | p95 target 50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    for backend, r in results:
        s, c, h = r["search"], r["search_cpu"], r["healthz"]
        verdict = "met" if s["p95"] <= TARGET_P95_MS else f"**missed** ({s['p95'] / TARGET_P95_MS:.1f}x)"
        load = f"{r['loadavg']['before'][0]:.1f} / {r['loadavg']['after'][0]:.1f}"
        lines.append(
            f"| {r['database']}{' + ANALYZE' if backend == 'sqlite-analyze' else ''} | {r['services']}"
            f" | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f}"
            f" | {c['p95']:.1f} | {', '.join(map(str, r['statements_per_search']))}"
            f" | {h['p50']:.1f} / {h['p95']:.1f} | {load} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-data", action="store_true", help="keep the SQLite database in the run's folder")
    parser.add_argument("--explain-query", type=int, nargs="+", default=[0, 1], help="for search_latency.py")
    parser.add_argument(
        "--backend",
        action="append",
        choices=("sqlite", "postgresql", "sqlite-analyze"),
        help="default: sqlite and postgresql; sqlite-analyze is SQLite with ANALYZE run after loading (diagnosis)",
    )
    args = parser.parse_args(argv)
    out = BENCH_DIR / ".data" / time.strftime("run-%Y%m%d-%H%M%S")
    out.mkdir(parents=True)

    results = []
    code_before = code_fingerprint()
    for backend in args.backend or ("sqlite", "postgresql"):
        if backend.startswith("sqlite"):
            # A file of this run's own: others may run the benchmark at the same time.
            database = out / f"{backend}.sqlite"
            results.append((backend, benchmark(backend, f"sqlite:///{database}", args, out)))
            if not args.keep_data:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
            continue
        cluster = load_postgres_helper().start()
        if cluster is None:
            sys.exit("PostgreSQL is not installed (apt-get install -y postgresql)")
        try:
            results.append((backend, benchmark(backend, cluster.url, args, out)))
        finally:
            cluster.stop()
    text = summary(results, (code_before, code_fingerprint()))
    (out / "summary.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nEverything is in {out.relative_to(ROOT)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
