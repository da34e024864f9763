"""Ingest: read inputs, skip what the corpus already holds, extract in worker processes, and
store each article in its own transaction; then group speakers into people.

Exactly once: an article already stored (same text, or same URL) is skipped before
extraction, and a failure is recorded once per file and position. A run killed at any moment
is completed by running it again.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from quotewire.corpus.people import link_people
from quotewire.corpus.statements import group_statements
from quotewire.corpus.store import Store, content_hash
from quotewire.extract.pipeline import extract_in_parallel
from quotewire.model import Article, ReadError, Result
from quotewire.progress import RateMeter
from quotewire.read import read_inputs

# "file.jsonl:12" (a line), "crawl.warc.gz@3456" (a byte offset), "part.parquet#7" (a row),
# or a bare file.
_PLACE = re.compile(r"^(?P<file>.*?)(?:(?P<sep>[:@#])(?P<number>\d+))?$", re.DOTALL)
_UNITS = {":": "line", "@": "byte", "#": "row"}


@dataclass
class IngestSummary:
    """What one run did."""

    read: int = 0  # articles read from the inputs
    added: int = 0  # newly stored
    skipped: int = 0  # already in the corpus (or repeated in the input)
    quotes: int = 0  # quotes of the newly stored articles
    failed: int = 0  # inputs that could not be read or extracted
    people: int | None = None  # people in the corpus, when they were regrouped
    statements: int | None = None  # statements in the corpus, when they were regrouped

    def describe(self) -> str:
        text = (
            f"{self.read} articles read: {self.added} stored with {self.quotes} quotes, "
            f"{self.skipped} already stored; {self.failed} failed"
        )
        if self.people is not None:
            text += f"; {self.people} people in the corpus"
        if self.statements is not None:
            text += f"; {self.statements} statements"
        return text


def place_of(source: str) -> tuple[str, str]:
    """Split a reader's source into (file, position): ("a.jsonl", "line 12")."""
    match = _PLACE.match(source)
    assert match is not None  # the pattern matches any string
    if match["number"] is None:
        return source, ""
    return match["file"], f"{_UNITS[match['sep']]} {match['number']}"


def failure_row(
    item: Article | ReadError, outcome: Result | ReadError
) -> tuple[str, str, str, str]:
    """(file, position, input id, reason) of an input that could not be read (`outcome` is a
    ReadError) or extracted (a Result with its error)."""
    if isinstance(outcome, ReadError):
        source, input_id, reason = outcome.source, outcome.id, outcome.error
    else:
        source, input_id = item.source or item.id, item.id
        # Extraction errors come prefixed with their source; the table keeps file apart.
        prefix = f"{item.source}: " if item.source else ""
        reason = (outcome.error or "").removeprefix(prefix)
    file, position = place_of(source)
    return file, position, input_id, reason


def ingest(
    paths: list[str],
    store: Store,
    *,
    workers: int | None = None,
    fields: Mapping[str, str] | None = None,
    use_model: bool = True,
    progress: bool = True,
) -> IngestSummary:
    """Ingest every article under `paths` into `store`; see the module docstring."""
    workers = workers or os.cpu_count() or 1
    summary = IngestSummary()
    hashes, urls = store.known_articles()
    handed: deque[Article | ReadError] = deque()

    def fresh() -> Iterator[Article | ReadError]:
        # Runs ahead of extraction (in the pool's feeder thread when workers > 1).
        for item in read_inputs(paths, fields=fields):
            if isinstance(item, Article):
                summary.read += 1
                digest = content_hash(item.text)
                if digest in hashes or (item.url and item.url in urls):
                    summary.skipped += 1
                    continue
                hashes.add(digest)
                if item.url:
                    urls.add(item.url)
            handed.append(item)
            yield item

    meter = RateMeter("ingest") if progress else None
    for outcome in extract_in_parallel(fresh(), workers, use_model=use_model):
        item = handed.popleft()
        if isinstance(outcome, ReadError) or outcome.error:
            _record_failure(store, summary, *failure_row(item, outcome))
        else:
            assert isinstance(item, Article)
            if store.add_article(item, outcome):
                summary.added += 1
                summary.quotes += len(outcome.quotes)
            else:
                summary.skipped += 1
        if meter:
            meter.update(summary.added, summary.quotes, summary.failed, summary.skipped)
    if meter:
        meter.finish(summary.added, summary.quotes, summary.failed, summary.skipped)
    regroup(store, summary)
    return summary


def regroup(store: Store, summary: IngestSummary) -> None:
    """Relink people and regroup statements over the whole corpus, where new articles made
    them stale."""
    if store.people_stale():
        summary.people = store.relink_people(link_people)
    if store.statements_stale():
        summary.statements = store.regroup_statements(group_statements)


def _record_failure(
    store: Store, summary: IngestSummary, file: str, position: str, input_id: str, reason: str
) -> None:
    summary.failed += 1
    store.add_error(file, position, input_id, reason)
    where = f"{file} ({position})" if position else file
    print(f"quotewire ingest: {where}: {reason}", file=sys.stderr)
