"""Accuracy on PolNeAR: prints the README's table and exits non-zero when a target is missed.

    .venv/bin/python benchmarks/accuracy.py            # dev (the split we tune on) and test

Targets (issue 2, direct quotes, --speaker-by mention, on dev): quote F1 >= 0.90 and
attribution accuracy >= 0.92. Test is reported, never tuned on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from quotewire import evaluate
from quotewire.extract.pipeline import Extractor, load_nlp
from quotewire.model import Article

POLNEAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
TARGETS = {"quote_F1": 0.90, "attribution_acc": 0.92}


def run(split: str, extractor: Extractor) -> tuple[dict, float]:
    gold = evaluate.load_jsonl(POLNEAR / f"{split}.jsonl")
    started = time.perf_counter()
    pred = {}
    for done, article in enumerate(gold, 1):
        pred[article["id"]] = extractor.extract(Article(article["id"], article["text"])).to_dict()
        print(f"\r{split}: {done}/{len(gold)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return {"gold": gold, "pred": pred}, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="dev,test", help="comma-separated PolNeAR splits")
    args = parser.parse_args()
    load_nlp()  # model loading is not part of the timing
    extractor = Extractor()
    missed = []
    print("| split | types | quote P | quote R | quote F1 | attribution acc | articles/s |")
    print("|---|---|---|---|---|---|---|")
    for split in args.splits.split(","):
        data, seconds = run(split, extractor)
        for types in (("direct",), ("direct", "indirect", "mixed")):
            m = evaluate.score(data["gold"], data["pred"], types, "mention")
            print(
                f"| {split} | {','.join(types)} | {m['quote_P']:.3f} | {m['quote_R']:.3f} | "
                f"{m['quote_F1']:.3f} | {m['attribution_acc']:.3f} | "
                f"{len(data['gold']) / seconds:.1f} |"
            )
            if split == "dev" and types == ("direct",):
                missed += [f"{k} {m[k]} < {v}" for k, v in TARGETS.items() if m[k] < v]
    for line in missed:
        print(f"TARGET MISSED (dev, direct): {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
