"""`quotewire ingest --from-parquet DIR`: load the tables `quotewire spark` wrote into a corpus
database (SQLite or PostgreSQL), e.g. for the web app.

Articles go in through the same `Store.add_article_rows` as `ingest`, one transaction each,
so an article already stored (same text or URL) is skipped and a killed load completes when
run again; speaker and quote ids are renumbered by the database. Into an empty database the
job's people and statements are loaded as they are; into one that held articles before,
people and statements are regrouped over the whole corpus, as `ingest` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from quotewire.corpus.ingest import IngestSummary, regroup
from quotewire.corpus.store import (
    ARTICLE_COLUMNS,
    QUOTE_COLUMNS,
    SPEAKER_COLUMNS,
    ArticleRows,
    Store,
)
from quotewire.progress import RateMeter

# A quote row's values but its speaker, which the Parquet table holds as an id.
_QUOTE_VALUES = tuple(c for c in QUOTE_COLUMNS if c != "speaker_index")


class NotSpark(ValueError):
    """The folder does not hold the tables of `quotewire spark` as it writes them."""


def _rows(directory: str, table: str, required: bool = True) -> Iterator[dict[str, Any]]:
    """A table's rows, its part files in name order (the job writes them in id order)."""
    import pyarrow.dataset as ds

    path = os.path.join(directory, table)
    if not os.path.isdir(path):
        if required:
            raise NotSpark(f"{path}: no such table (write it with `quotewire spark`)")
        return
    files = ds.dataset(path, format="parquet").files
    for batch in ds.dataset(sorted(files), format="parquet").to_batches():
        yield from batch.to_pylist()


class _ByArticle:
    """The rows of a table sorted by article_id, taken one article at a time."""

    def __init__(self, rows: Iterator[dict[str, Any]], table: str) -> None:
        self.rows, self.table = rows, table
        self.next = next(rows, None)

    def take(self, article_id: int) -> list[dict[str, Any]]:
        taken = []
        while self.next is not None and self.next["article_id"] <= article_id:
            if self.next["article_id"] < article_id:
                raise NotSpark(
                    f"{self.table}: row {self.next['id']} of article {self.next['article_id']} "
                    "is out of order or has no article"
                )
            taken.append(self.next)
            self.next = next(self.rows, None)
        return taken


def load_parquet(directory: str, store: Store, *, progress: bool = True) -> IngestSummary:
    """Load the Spark job's tables under `directory` into `store`; see the module docstring."""
    summary = IngestSummary()
    fresh = store.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None
    speakers = _ByArticle(_rows(directory, "speakers"), "speakers")
    quotes = _ByArticle(_rows(directory, "quotes"), "quotes")
    new_quote: dict[int, int] = {}
    people_of: list[tuple[Any, Any, int]] = []  # (person id, evidence, new speaker id)
    meter = RateMeter("load") if progress else None
    last = 0
    for article in _rows(directory, "articles"):
        if article["id"] <= last:
            raise NotSpark(f"articles: row {article['id']} is out of order")
        last = article["id"]
        summary.read += 1
        said, quoted = speakers.take(last), quotes.take(last)
        index_of = {row["id"]: i for i, row in enumerate(said)}
        rows = ArticleRows(
            {c: article[c] for c in ARTICLE_COLUMNS},
            [{c: row[c] for c in SPEAKER_COLUMNS} for row in said],
            [
                {c: row[c] for c in _QUOTE_VALUES}
                | {"speaker_index": index_of.get(row["speaker_id"])}
                for row in quoted
            ],
        )
        stored = store.add_article_rows(rows)
        if stored is None:
            summary.skipped += 1
        else:
            _, speaker_ids, quote_ids = stored
            summary.added += 1
            summary.quotes += len(quote_ids)
            people_of += [
                (r["person_id"], r["evidence"], i) for r, i in zip(said, speaker_ids, strict=True)
            ]
            new_quote.update((r["id"], i) for r, i in zip(quoted, quote_ids, strict=True))
        if meter:
            meter.update(summary.added, summary.quotes, summary.failed, summary.skipped)
    for error in _rows(directory, "errors"):
        summary.failed += 1
        store.add_error(
            error["file"], error["position"], error["input_id"], error["reason"], error["at"]
        )
    if meter:
        meter.finish(summary.added, summary.quotes, summary.failed, summary.skipped)
    if fresh and summary.skipped == 0:
        summary.people, summary.statements = _load_groups(directory, store, people_of, new_quote)
    else:  # other articles were there: people and statements are the whole corpus's
        regroup(store, summary)
    return summary


def _load_groups(
    directory: str,
    store: Store,
    people_of: list[tuple[Any, Any, int]],
    new_quote: dict[int, int],
) -> tuple[int, int]:
    """The job's people and statements, as they are (quote ids renumbered)."""
    people = [(r["id"], r["name"], r["kind"], r["aliases"]) for r in _rows(directory, "people")]
    statements = [
        (r["id"], r["person_id"], new_quote[r["canonical_quote_id"]], r["flags"])
        for r in _rows(directory, "statements")
    ]
    members = [
        (new_quote[r["quote_id"]], r["statement_id"], r["relation"], r["diff"], r["flags"])
        for r in _rows(directory, "statement_quotes", required=False)
    ]
    with store.transaction():
        store.replace_people(people)
        store.set_people_of_speakers(people_of)
        store.replace_statements(
            statements, members, max((s[0] for s in statements), default=0) + 1
        )
    return len(people), len(statements)
