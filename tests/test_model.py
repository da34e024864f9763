"""The trained attribution model: built reproducibly by `quotewire train`, shipped in the
package, used by extract, and a confidence that means what it says."""

from __future__ import annotations

import json
import subprocess
import sys

from quotewire import evaluate
from quotewire.extract.attribution_model import AttributionModel, load_model
from quotewire.extract.pipeline import Extractor
from quotewire.model import Article

from .conftest import polnear_split


def test_train_command_is_reproducible(tmp_path):
    """Two runs of the real command on the same articles write the same model, byte for byte."""
    small = tmp_path / "small.jsonl"
    lines = polnear_split("train").read_text("utf-8").splitlines()[:20]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"model-{run}.json.gz"
        proc = subprocess.run(
            [sys.executable, "-m", "quotewire.cli", "train", str(small), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        assert "train: 20/20 articles" in proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    with __import__("gzip").open(tmp_path / "model-a.json.gz", "rt") as fh:
        model = AttributionModel.from_json(json.load(fh))
    assert model.weights and model.info["seed"] and model.info["trained_on"] == "small.jsonl"


def test_train_command_names_a_missing_file(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "quotewire.cli", "train", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "nope.jsonl" in proc.stderr


def test_the_packaged_model_is_small_and_used(extract):
    model = load_model()
    assert model is not None, "run `make model` to build the packaged model"
    assert model.info["trained_on"] == "train.jsonl"
    assert 0 < model.threshold < 1
    text = "The mayor said on Friday that the bridge would reopen before the winter storms arrived."
    result = extract(text)
    quote = next(q for q in result.quotes if "bridge would reopen" in q.quote)
    assert quote.type == "indirect" and quote.speaker_start == 0
    # The confidence is the model's probability, not a constant of the rules.
    rules = Extractor(use_model=False).extract(Article(id="t", text=text))
    assert quote.confidence != rules.quotes[0].confidence


def test_rules_alone_find_less_reported_speech(dev_results):
    gold, results = dev_results
    with_model = {k: r.to_dict() for k, r in results.items()}
    rules = Extractor(use_model=False)
    rules_only = {
        a["id"]: rules.extract(Article(id=a["id"], text=a["text"])).to_dict() for a in gold[:30]
    }
    subset = gold[:30]
    model_recall = evaluate.score(subset, with_model, by="mention")["recall_indirect"]
    rules_recall = evaluate.score(subset, rules_only, by="mention")["recall_indirect"]
    assert model_recall > rules_recall


def test_confidence_trades_recall_for_precision(dev_results):
    """On PolNeAR dev, keeping only surer quotes raises precision and lowers recall."""
    gold, results = dev_results
    pred = {k: r.to_dict() for k, r in results.items()}
    rows = evaluate.precision_recall_at(gold, pred, [0.0, 0.5, 0.8], by="mention")
    precisions = [row["quote_P"] for row in rows]
    recalls = [row["quote_R"] for row in rows]
    assert precisions == sorted(precisions) and precisions[-1] > precisions[0] + 0.05
    assert recalls == sorted(recalls, reverse=True) and recalls[-1] < recalls[0]


def test_confidence_is_calibrated(dev_results):
    """A quote given confidence around p is right about p of the time (within 0.15)."""
    gold, results = dev_results
    bins: dict[int, list[int]] = {}
    for article in gold:
        preds = results[article["id"]].to_dict()["quotes"]
        matched = {j for _, j in evaluate.match(article["quotes"], preds)}
        for j, quote in enumerate(preds):
            bins.setdefault(min(int(quote["confidence"] * 5), 4), []).append(int(j in matched))
    for index, hits in bins.items():
        if len(hits) >= 50:
            middle = (index + 0.5) / 5
            assert abs(sum(hits) / len(hits) - middle) <= 0.15 + 0.1 * (index in (0, 4)), index
