"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import polnear_split


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quotewire.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


def test_demo_prints_who_said_what():
    proc = run("demo", "--colour", "never")
    assert proc.returncode == 0, proc.stderr
    assert "Bashar al-Assad" in proc.stdout
    assert "There is no dialogue." in proc.stdout
    assert "repeat" in proc.stdout


def test_demo_colours_each_speaker():
    proc = run("demo", "--colour", "always")
    assert "\033[" in proc.stdout


def test_jsonl_contract_from_stdin():
    text = '"We will not back down," the union leader said on Friday.'
    proc = run("extract", "--format", "jsonl", "-", stdin=text)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["id"] == "stdin" and row["error"] is None
    quote = row["quotes"][0]
    assert set(quote) >= {
        "quote", "start", "end", "fragments", "type", "speaker", "speaker_id",
        "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "confidence",
        "repeat_of",
    }  # fmt: skip
    assert text[quote["start"] : quote["end"]] == quote["quote"]
    assert row["speakers"][0]["id"] == quote["speaker_id"]


def test_html_input_carries_the_extracted_text(tmp_path):
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Mayor promises new bridge</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        "<article><h1>Mayor promises new bridge</h1>"
        "<p>The mayor spoke at a press conference in the city hall on Tuesday morning.</p>"
        '<p>"We will build the new bridge before the winter comes," Mayor Ann Cole said.</p>'
        "<p>Work is expected to start in the spring, according to the city's plans.</p>"
        "</article><footer>Copyright 2016 The Courier</footer></body></html>",
        "utf-8",
    )
    proc = run("extract", "--format", "json", str(page))
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)[0]
    text = row["text"]
    assert "Home | News" not in text
    quote = next(q for q in row["quotes"] if "new bridge before" in q["quote"])
    assert text[quote["start"] : quote["end"]] == quote["quote"]
    assert quote["speaker"] == "Ann Cole"


def test_min_confidence_drops_low_confidence_quotes(tmp_path):
    all_quotes = json.loads(run("demo", "--format", "json").stdout)[0]["quotes"]
    strict = json.loads(run("demo", "--format", "json", "--min-confidence", "0.8").stdout)[0]
    assert 0 < len(strict["quotes"]) < len(all_quotes)
    assert all(q["confidence"] >= 0.8 for q in strict["quotes"])


def test_eval_prints_the_scorer_metrics(tmp_path):
    gold = polnear_split("dev")
    saved = tmp_path / "pred.jsonl"
    proc = run(
        "eval", str(gold), "--types", "direct", "--speaker-by", "mention", "--limit", "6",
        "--json", "--save", str(saved),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    metrics = json.loads(proc.stdout)
    assert metrics["articles"] == 6 and metrics["quote_F1"] > 0.5
    # Precision and recall by confidence come with it, at the default cuts.
    cuts = metrics.pop("by_confidence")
    # Errors by kind account for every miss and false hit the metrics count.
    kinds = metrics.pop("errors_by_kind")
    found = round(metrics["quote_R"] * metrics["gold_quotes"])
    missed = kinds["missed_boundary"] + kinds["missed_none"]
    assert missed == metrics["gold_quotes"] - found
    false = kinds["false_boundary"] + kinds["false_duplicate"] + kinds["false_none"]
    assert false == metrics["pred_quotes"] - found
    assert [row["threshold"] for row in cuts] == [0.5, 0.6, 0.7, 0.8, 0.9]
    assert cuts[-1]["quote_R"] <= cuts[0]["quote_R"]
    # The reference scorer gives the same numbers on the saved predictions.
    subset = tmp_path / "gold.jsonl"
    subset.write_text("".join(open(gold, encoding="utf-8").readlines()[:6]), "utf-8")
    ref = subprocess.run(
        [sys.executable, str(gold.parents[2] / "tools" / "score.py"), str(subset), str(saved),
         "--types", "direct", "--speaker-by", "mention"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(ref.stdout) == metrics


def test_eval_errors_lists_misses():
    proc = run("eval", str(polnear_split("dev")), "--limit", "3", "--errors")
    assert proc.returncode == 0, proc.stderr
    assert "quote_F1" in proc.stdout
    assert "MISSED" in proc.stdout or "FALSE" in proc.stdout


def test_help_lists_every_command():
    proc = run("--help")
    for command in ("extract", "demo", "eval"):
        assert command in proc.stdout


def test_workers_give_the_same_output_in_the_same_order(tmp_path):
    lines = polnear_split("dev").read_text("utf-8").splitlines()[:12]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(lines + ["{broken"]) + "\n", encoding="utf-8")
    one = run("extract", "--format", "jsonl", str(dump))
    two = run("extract", "--format", "jsonl", "--workers", "2", str(dump))
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    ids = [json.loads(line)["id"] for line in two.stdout.splitlines()]
    assert ids[:12] == [json.loads(line)["id"] for line in lines]
    assert json.loads(two.stdout.splitlines()[-1])["error"]  # the broken line fails alone
