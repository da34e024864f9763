"""The corpus: articles ingested into a database, their quotes, and the people who said them.

`Corpus` is the Python API; the `quotewire ingest/search/people/export` commands use it.

    from quotewire.corpus import Corpus
    with Corpus("quotes.db") as corpus:          # or "postgresql://user@host/db"
        corpus.ingest(["crawl.warc.gz"], workers=2)
        for row in corpus.search("barrel bombs", speaker="Assad", since="2015-01-01"):
            print(row["speaker"], row["quote"])
        for statement in corpus.statements(speaker="Assad", min_occurrences=2):
            print(corpus.statement(statement["id"])["occurrences"])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from quotewire.corpus.store import DEFAULT_DB, Store

if TYPE_CHECKING:
    from quotewire.corpus.ingest import IngestSummary

__all__ = ["DEFAULT_DB", "Corpus"]

# The queries and ingest load spaCy; they are imported when first used, so that the command
# line starts quickly.


class Corpus:
    """A corpus database (SQLite path or postgresql:// URL) and the queries over it."""

    def __init__(self, db: str = DEFAULT_DB) -> None:
        self.store = Store(db)

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ingest(
        self,
        paths: list[str],
        *,
        workers: int | None = None,
        fields: Mapping[str, str] | None = None,
        use_model: bool = True,
        progress: bool = False,
    ) -> IngestSummary:
        from quotewire.corpus.ingest import ingest

        return ingest(
            paths,
            self.store,
            workers=workers,
            fields=fields,
            use_model=use_model,
            progress=progress,
        )

    def load_parquet(self, directory: str, *, progress: bool = False) -> IngestSummary:
        """Load the Parquet tables `quotewire spark` wrote (see `corpus.load`)."""
        from quotewire.corpus.load import load_parquet

        return load_parquet(directory, self.store, progress=progress)

    def search(self, text: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """See `queries.search`: speaker, outlet, since, until, quote_type, min_confidence, limit."""
        from quotewire.corpus import queries

        return queries.search(self.store, text, **filters)

    def people(self, limit: int | None = 20) -> list[dict[str, Any]]:
        from quotewire.corpus import queries

        return queries.people(self.store, limit)

    def find_people(self, name: str) -> list[dict[str, Any]]:
        """Everyone `name` may mean, each with their evidence ("Clinton": Hillary and Bill)."""
        from quotewire.corpus import queries

        found = (
            queries.person(self.store, p["id"]) for p in queries.matching_people(self.store, name)
        )
        return [p for p in found if p is not None]

    def statements(self, **filters: Any) -> list[dict[str, Any]]:
        """See `queries.statements`: speaker, flag, min_occurrences, limit."""
        from quotewire.corpus import queries

        return queries.statements(self.store, **filters)

    def statement(self, statement_id: int) -> dict[str, Any] | None:
        """One statement with every occurrence, its diff and flags."""
        from quotewire.corpus import queries

        return queries.statement(self.store, statement_id)

    def quotes(self) -> Iterator[dict[str, Any]]:
        """Every quote with speaker and article metadata, streamed."""
        from quotewire.corpus import queries

        return queries.export_rows(self.store)

    def export(self, out: IO[str] | str, fmt: str = "jsonl") -> int:
        from quotewire.corpus import queries

        return queries.export(self.store, out, fmt)

    def errors(self) -> list[dict[str, Any]]:
        return self.store.rows(
            "SELECT file, position, input_id, reason, at FROM ingest_errors ORDER BY id"
        )

    def counts(self) -> dict[str, int]:
        return self.store.counts()
