"""Ingest throughput: all 1,008 PolNeAR articles into SQLite at --workers 1 and 2, and into a
real PostgreSQL server at --workers 2; the counts must be identical.

    .venv/bin/python benchmarks/ingest.py [--workers 1,2] [--no-postgres]

Each run is `quotewire ingest` in a fresh process on an empty database, timed from start to
exit (model loading and the grouping of people included). Exits 1 when the databases disagree
or two workers are less than 1.5x one worker.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests/postgres.py, the same server the tests start

from quotewire.corpus import Corpus  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
SPLITS = [str(POLNEAR / f"{name}.jsonl") for name in ("train", "dev", "test")]
QUOTEWIRE = str(Path(sys.executable).with_name("quotewire"))
MIN_SPEEDUP = 1.5


def run_ingest(db: str, workers: int) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    subprocess.run(
        [QUOTEWIRE, "ingest", *SPLITS, "--db", db, "--workers", str(workers), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    with Corpus(db) as corpus:
        return elapsed, corpus.counts()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts for SQLite (default 1,2)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL run")
    args = parser.parse_args()
    rows: list[tuple[str, int, float, dict[str, int]]] = []
    with tempfile.TemporaryDirectory() as folder:
        for workers in [int(w) for w in args.workers.split(",")]:
            db = os.path.join(folder, f"w{workers}.db")
            elapsed, counts = run_ingest(db, workers)
            rows.append(("SQLite", workers, elapsed, counts))
            print(f"SQLite, {workers} worker(s): {elapsed:.0f} s", file=sys.stderr)
        if not args.no_postgres:
            from tests.postgres import new_database, postgres_server

            with postgres_server() as server:
                elapsed, counts = run_ingest(new_database(server, "bench"), 2)
                rows.append(("PostgreSQL", 2, elapsed, counts))
    print("| database | workers | seconds | articles/s | articles | quotes | people | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for name, workers, elapsed, counts in rows:
        print(
            f"| {name} | {workers} | {elapsed:.0f} | {counts['articles'] / elapsed:.1f} | "
            f"{counts['articles']} | {counts['quotes']} | {counts['people']} | "
            f"{counts['ingest_errors']} |"
        )
    failures = []
    if len({tuple(sorted(r[3].items())) for r in rows}) != 1:
        failures.append("the databases hold different counts")
    by_workers = {r[1]: r[2] for r in rows if r[0] == "SQLite"}
    if 1 in by_workers and 2 in by_workers:
        speedup = by_workers[1] / by_workers[2]
        print(f"\n2 workers: {speedup:.2f}x one worker (target >= {MIN_SPEEDUP})")
        if speedup < MIN_SPEEDUP:
            failures.append(f"2 workers only {speedup:.2f}x")
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
