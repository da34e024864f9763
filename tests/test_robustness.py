"""No input may crash the extractor; bad input fails alone, with a reason."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotewire.evaluate import load_jsonl
from quotewire.model import Article

from .conftest import polnear_split

# Text made of the characters that trouble quote extraction most.
_TRICKY = st.lists(
    st.sampled_from(
        list("abc XYZ.,;:!?-\n\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb\u2014()")
        + ["\n\n", "said", " he said", "Assad", " told reporters", "According to", "\u00a0"]
    ),
    max_size=120,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_TRICKY, st.text(max_size=300)))
def test_any_text_extracts_without_raising_and_offsets_hold(extractor, text):
    result = extractor.extract(Article(id="h", text=text))
    if not text.strip():
        assert result.error == "empty article"
        return
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.quote
        assert quote.type in ("direct", "indirect", "mixed")
        if quote.speaker_start is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
        if quote.repeat_of is not None:
            assert 0 <= quote.repeat_of < len(result.quotes)


def test_bad_inputs_fail_alone_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text('"We will rebuild every school," the mayor said on Monday.', "utf-8")
    (tmp_path / "empty.txt").write_text("", "utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin1.txt").write_bytes(
        "caf\xe9 said \u201cyes\u201d".encode("latin-1", "replace")
    )
    (tmp_path / "huge.txt").write_bytes(b"word " * 2_100_000)  # 10.5 MB
    jsonl = tmp_path / "dump.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "j1", "text": '"Fine," she said.', "outlet": "x"}) + "\n")
        fh.write("{not json\n")
        fh.write(json.dumps({"id": "j3", "text": "It rained all day in the city."}) + "\n")
        # Lone surrogates (valid JSON escapes, not encodable as UTF-8) outside the text.
        fh.write(json.dumps({"id": "j4\ud800", "text": "It rained.", "note": "\udc00"}) + "\n")
    # A file name that is not UTF-8, and a run of 6,000 quote marks with no space.
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("The cafe opened on Monday.", "utf-8")
    marks = tmp_path / "marks.txt"
    marks.write_text("Rain. " + "\u201c\u201d" * 3000 + ' "We are open," the owner said.')
    inputs = [str(tmp_path / n) for n in ["empty.txt", "binary.txt", "latin1.txt", "huge.txt"]]
    inputs += [str(good), str(jsonl), os.fsdecode(b"%s/caf\xe9.txt" % bytes(tmp_path)), str(marks)]
    proc = subprocess.run(
        [sys.executable, "-m", "quotewire.cli", "extract", "--format", "jsonl", *inputs],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    by_id = {row["id"]: row for row in rows}
    assert "empty article" in by_id["empty"]["error"]
    assert "binary" in by_id["binary"]["error"]
    assert "not valid UTF-8" in by_id["latin1"]["error"]
    assert "too large" in by_id["huge"]["error"]
    assert by_id["good"]["error"] is None
    assert by_id["good"]["quotes"][0]["quote"] == "We will rebuild every school,"
    assert by_id["j1"]["outlet"] == "x"
    bad_line = [r for r in rows if r["error"] and "dump.jsonl.gz:2: " in r["error"]]
    assert len(bad_line) == 1 and "dump.jsonl.gz" in bad_line[0]["error"]
    assert by_id["j3"]["error"] is None
    assert by_id["j4\\ud800"]["error"] is None and by_id["j4\\ud800"]["note"] == "\\udc00"
    assert by_id["caf\\udce9"]["error"] is None
    text = marks.read_text()
    quote = by_id["marks"]["quotes"][-1]
    assert quote["quote"].startswith("We are open")
    assert text[quote["start"] : quote["end"]] == quote["quote"]
    # Each failure is also named on stderr with its file.
    assert "huge.txt" in proc.stderr and "empty.txt" in proc.stderr


def test_no_polnear_article_makes_the_extractor_fail(extractor, dev_results):
    """All of dev and test, and every fourth article of train (the suite stays short)."""
    dev_gold, dev_done = dev_results
    articles = (
        dev_gold + load_jsonl(polnear_split("test")) + load_jsonl(polnear_split("train"))[::4]
    )
    failures = []
    for gold in articles:
        result = dev_done.get(gold["id"]) or extractor.extract(
            Article(id=gold["id"], text=gold["text"])
        )
        if result.error:
            failures.append((gold["id"], result.error))
        for quote in result.quotes:
            assert gold["text"][quote.start : quote.end] == quote.quote
    assert failures == []


def test_output_may_not_overwrite_an_input(tmp_path):
    from quotewire.cli import main

    article = tmp_path / "article.txt"
    article.write_text('"We will rebuild," the mayor said.', "utf-8")
    for output in (article, tmp_path / "out.jsonl"):  # the file itself, or one its folder holds
        with pytest.raises(SystemExit, match="would overwrite the input"):
            main(
                [
                    "extract",
                    "-o",
                    str(output),
                    str(tmp_path if output.name == "out.jsonl" else article),
                ]
            )
    assert article.read_text("utf-8") == '"We will rebuild," the mayor said.'
