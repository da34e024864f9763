"""All 1,008 PolNeAR articles into SQLite and into PostgreSQL: the same counts, and the
Clinton quotes split between Hillary and Bill where the articles say which."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quotewire.corpus import Corpus

from .conftest import polnear_split

SPLITS = ("train", "dev", "test")


@pytest.fixture(scope="session")
def polnear_paths() -> list[str]:
    return [str(polnear_split(name)) for name in SPLITS]


@pytest.fixture(scope="session")
def polnear_sqlite(polnear_paths: list[str], tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("polnear") / "quotes.db")
    with Corpus(db) as corpus:
        corpus.ingest(polnear_paths, workers=2)
    return db


def test_sqlite_and_postgresql_hold_the_same_corpus(
    polnear_sqlite: str, polnear_paths: list[str], postgres_db: str
):
    with Corpus(postgres_db) as server:
        server.ingest(polnear_paths, workers=2)
        on_server = server.counts()
    with Corpus(polnear_sqlite) as lite:
        assert lite.counts() == on_server
        texts = {
            json.loads(line)["text"]
            for path in polnear_paths
            for line in Path(path).read_text(encoding="utf-8").splitlines()
        }
        # Every distinct article text once (PolNeAR holds one text under two ids).
        assert on_server["articles"] == len(texts) >= 1000
        assert on_server["ingest_errors"] == 0
        assert on_server["quotes"] > 19_000


def _which_clinton(speaker: str) -> str | None:
    """What the gold speaker mention says of which Clinton spoke, if it says."""
    words = set(re.findall(r"[A-Za-z]+", speaker))
    if "Clinton" not in words:
        return None
    if "Hillary" in words or words & {"Mrs", "Secretary"}:
        return "Hillary"
    if "Bill" in words or "former" in speaker.lower() and "President" in words:
        return "Bill"
    return None


def test_clinton_quotes_split_between_hillary_and_bill(polnear_sqlite: str, polnear_paths):
    gold = {}
    for path in polnear_paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            gold.setdefault(article["id"], article)
    with Corpus(polnear_sqlite) as corpus:
        stored = corpus.store.rows(
            "SELECT a.input_id, q.start_char, q.end_char, p.name AS person FROM quotes q "
            "JOIN articles a ON a.id = q.article_id JOIN speakers s ON s.id = q.speaker_id "
            # People only: "the Clinton campaign" and "Mrs. Clinton's aides" are neither.
            "JOIN people p ON p.id = s.person_id WHERE p.kind = 'person'"
        )
    by_article: dict[str, list[dict]] = {}
    for row in stored:
        by_article.setdefault(row["input_id"], []).append(row)
    outcomes = {"right": 0, "wrong": 0}
    for article_id, article in gold.items():
        for quote in article["quotes"]:
            which = _which_clinton(quote.get("speaker") or "")
            if which is None:
                continue
            for row in by_article.get(article_id, []):
                overlap = min(row["end_char"], quote["end"]) - max(
                    row["start_char"], quote["start"]
                )
                union = max(row["end_char"], quote["end"]) - min(row["start_char"], quote["start"])
                person = row["person"]
                if overlap / union >= 0.5 and "Clinton" in person and person != "Clinton":
                    outcomes["right" if which in person else "wrong"] += 1
    assert outcomes["right"] >= 50, outcomes
    assert outcomes["wrong"] <= outcomes["right"] * 0.05, outcomes
