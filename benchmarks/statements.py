"""Statement grouping at scale: time and memory at 50k, 100k and 200k synthetic quotes.

    .venv/bin/python benchmarks/statements.py [--sizes 50000,100000,200000]

The quotes are made up but shaped like news: 2,000 speakers, Zipf-distributed words with the
function words of English, statements of 6-40 words each reported 1-6 times, as exact copies,
near copies (dropped articles, contractions, punctuation), truncations, elided cuts, changed
words, and paraphrases. Each size runs `group_statements` in a fresh process (peak RSS is that
process's). Also printed: how well the groups match the statements the quotes were made from
(pairwise precision and recall). Exits 1 if time grows faster than 1.5x linear from the
smallest size to the largest, or if pairwise precision is under 0.95.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

FUNCTION = (
    "the a an and of to in that is it was for on with as he she they we at by this be not "
    "but from or have are there will would can all their our what about no"
).split()
SEED = 7


def _vocabulary(rng: random.Random, size: int = 8000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "tor", "sa", "vel", "dun", "pri", "gos", "hal", "ne"]
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def make_quotes(n: int) -> list[tuple[int, str, str, int, int, int]]:
    """(id, text, type, person, true statement, article) for n quotes; a paraphrase is in the
    article of the statement's first report, as linked paraphrases are."""
    rng = random.Random(SEED)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    quotes: list[tuple[int, str, str, int, int, int]] = []
    statement = 0
    while len(quotes) < n:
        person = rng.randrange(2000)
        length = rng.randint(6, 40)
        words = [
            rng.choice(FUNCTION) if rng.random() < 0.4 else rng.choices(vocabulary, weights)[0]
            for _ in range(length)
        ]
        for copy in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6])):
            text, kind = _variant(rng, words, vocabulary)
            article = statement * 10 + (0 if kind == "indirect" else copy)
            quotes.append((len(quotes) + 1, text, kind, person, statement, article))
        statement += 1
    return quotes[:n]


def _variant(rng: random.Random, words: list[str], vocabulary: list[str]) -> tuple[str, str]:
    pattern = rng.random()
    out = list(words)
    if pattern < 0.35:
        pass  # exact
    elif pattern < 0.5:
        out = [w for w in out if w not in ("a", "an", "the")] or out  # dropped articles
    elif pattern < 0.65:
        cut = rng.randint(len(out) // 2, len(out))
        out = out[:cut] if rng.random() < 0.5 else out[-cut:]  # truncation
    elif pattern < 0.75:
        a = len(out) // 3
        out = out[:a] + ["..."] + out[2 * a :]  # an elided cut
    elif pattern < 0.9:
        out[rng.randrange(len(out))] = rng.choice(vocabulary)  # a changed word
    else:
        return " ".join(rng.sample(out, k=max(3, len(out) // 2))), "indirect"  # a paraphrase
    text = " ".join(out)
    return (text.capitalize() + ("." if rng.random() < 0.5 else "")), "direct"


def _run_one(n: int) -> dict:
    from quotewire.corpus.statements import QuoteText, group_statements

    quotes = make_quotes(n)
    started = time.perf_counter()
    statements = group_statements(QuoteText(q[0], q[1], q[2], q[3], q[5]) for q in quotes)
    elapsed = time.perf_counter() - started
    truth = {q[0]: q[4] for q in quotes}
    predicted = {m: i for i, s in enumerate(statements) for m in s.quotes}
    tp = fp = fn = 0
    by_truth: dict[int, list[int]] = {}
    for quote, true in truth.items():
        by_truth.setdefault(true, []).append(quote)
    for members in by_truth.values():
        for a, b in combinations(members, 2):
            same = a in predicted and predicted.get(a) == predicted.get(b)
            tp += same
            fn += not same
    for s in statements:
        for a, b in combinations(s.quotes, 2):
            fp += truth[a] != truth[b]
    return {
        "quotes": n,
        "seconds": elapsed,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "statements": len(statements),
        "pair_precision": tp / (tp + fp) if tp + fp else 1.0,
        "pair_recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50000,100000,200000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a worker run
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_run_one(args.one)))
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out))
        print(f"{size} quotes: {rows[-1]['seconds']:.1f} s", file=sys.stderr)
    print(
        "| quotes | seconds | quotes/s | peak RSS (MB) | statements | pair precision | pair recall |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['quotes']} | {r['seconds']:.1f} | {r['quotes'] / r['seconds']:.0f} | "
            f"{r['peak_mb']:.0f} | {r['statements']} | {r['pair_precision']:.3f} | "
            f"{r['pair_recall']:.3f} |"
        )
    failures = []
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / first["seconds"]) / (last["quotes"] / first["quotes"])
    print(f"\ntime per quote, largest against smallest: {growth:.2f}x (target <= 1.5)")
    if growth > 1.5:
        failures.append(f"time grows {growth:.2f}x faster than linear")
    if min(r["pair_precision"] for r in rows) < 0.95:
        failures.append("pairwise precision under 0.95")
    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
