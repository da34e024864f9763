"""Spark job throughput: all 1,008 PolNeAR articles (read in place) at local[1] and local[2].

    .venv/bin/python benchmarks/spark.py [--masters 'local[1],local[2]'] [--corpus-steps executors]
        [--copies N]

With `--copies N` the input is N copies of every article, each with a line of its own added
(so that none is dropped as a repeat) and another outlet: a corpus N times the size whose
quotes recur across outlets, as syndicated news does. Run it with one master, once with
`--corpus-steps driver` and once with `executors`, to time people and statements at that size.

Each run is `quotewire spark --json` in a fresh process (a new JVM and Python workers), timed
from start to exit, and the job's own step times are reported beside it. Throughput is
articles per second of the whole run (Spark start-up, model loading, people and statements
included) and of the distributed step alone (read, drop repeats, extract, stage). Exits 1
when the runs disagree on the tables' counts or the whole run on local[2] is less than 1.6x
as fast as on local[1] (the distributed step's ratio is printed beside it: the whole run's
fixed part, Spark's start-up and the small steps after extraction, does not shrink with
cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quotewire.evaluate import load_jsonl
from quotewire.spark import CORPUS_STEPS

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
SPLITS = [str(POLNEAR / f"{name}.jsonl") for name in ("train", "dev", "test")]
QUOTEWIRE = str(Path(sys.executable).with_name("quotewire"))
MIN_SPEEDUP = 1.6
COUNTS = ("read", "articles", "quotes", "speakers", "people", "statements", "errors")


def run_job(inputs: list[str], master: str, out: str, corpus_steps: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [QUOTEWIRE, "spark", *inputs, "--out", out, "--master", master, "--json", "--quiet"]
        + ["--corpus-steps", corpus_steps, "--conf", "spark.ui.enabled=false"],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--masters", default="local[1],local[2]", help="Spark masters to time")
    parser.add_argument(
        "--corpus-steps",
        choices=CORPUS_STEPS,
        default="auto",
        help="where people and statements run (quotewire spark --corpus-steps; default auto)",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="read N copies of every article, each made distinct (default 1: PolNeAR as it is)",
    )
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        inputs = SPLITS if args.copies <= 1 else [_copies(args.copies, f"{folder}/copies.jsonl")]
        for n, master in enumerate(args.masters.split(",")):
            # Other work on the machine slows the wider run most: the load is shown with it.
            load = os.getloadavg()[0]
            elapsed, summary = run_job(inputs, master, f"{folder}/out{n}", args.corpus_steps)
            runs.append((master, elapsed, summary))
            print(f"{master}: {elapsed:.0f} s (load average {load:.2f} before)", file=sys.stderr)
    print("| master | cores | whole run (s) | articles/s | distributed step (s) | articles/s |")
    print("|---|---|---|---|---|---|")
    for master, elapsed, summary in runs:
        read, extract = summary["read"], summary["seconds"]["extract"]
        print(
            f"| {master} | {summary['cores']} | {elapsed:.0f} | {read / elapsed:.2f} | "
            f"{extract:.0f} | {read / extract:.2f} |"
        )
    first = runs[0][2]
    print("counts: " + ", ".join(f"{k} {first[k]}" for k in COUNTS))
    print("steps (s): " + ", ".join(f"{m}: " + _steps(s) for m, _, s in runs))
    status = 0
    if any({k: s[k] for k in COUNTS} != {k: first[k] for k in COUNTS} for _, _, s in runs):
        print("FAIL: the runs' tables differ", file=sys.stderr)
        status = 1
    if len(runs) >= 2:
        whole = runs[0][1] / runs[1][1]
        speedup = runs[0][2]["seconds"]["extract"] / runs[1][2]["seconds"]["extract"]
        print(
            f"speed-up {runs[1][0]} over {runs[0][0]}: {speedup:.2f}x distributed step, "
            f"{whole:.2f}x whole run"
        )
        if whole < MIN_SPEEDUP:
            print(f"FAIL: whole-run speed-up under {MIN_SPEEDUP}x", file=sys.stderr)
            status = 1
    return status


def _copies(copies: int, path: str) -> str:
    """A JSONL file of `copies` distinct copies of every PolNeAR article."""
    articles = [article for split in SPLITS for article in load_jsonl(split)]
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for article in articles:
                text = article["text"] + f"\n\nSyndicated copy {copy}.\n"
                made = {
                    "id": f"{article['id']}-copy{copy}",
                    "text": text,
                    "outlet": f"outlet {copy}",
                }
                out.write(json.dumps(made) + "\n")
    return path


def _steps(summary: dict) -> str:
    return " ".join(f"{k} {v:.0f}" for k, v in summary["seconds"].items())


if __name__ == "__main__":
    sys.exit(main())
