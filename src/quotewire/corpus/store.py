"""The corpus database: one schema, on SQLite (the embedded default) or on PostgreSQL.

Every write of an article (its row, its speakers, its quotes) is one transaction, so a run
killed at any moment leaves each article either wholly stored or absent. Articles are
identified by the hash of their text and, when given, by their URL: storing one twice is a
no-op, which is what makes ingest resumable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from quotewire.model import Article, Result

if TYPE_CHECKING:
    from quotewire.corpus.people import Mention, Person
    from quotewire.corpus.statements import QuoteText, Statement

DEFAULT_DB = "quotes.db"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")

# {id}: an auto-numbered key; {real}: a float column; the rest is SQL both servers read alike.
_TABLES = """
CREATE TABLE IF NOT EXISTS articles (
    id {id},
    input_id TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    url TEXT UNIQUE,
    outlet TEXT,
    published TEXT,
    title TEXT,
    source TEXT,
    text TEXT NOT NULL,
    extra TEXT NOT NULL,
    quote_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS speakers (
    id {id},
    article_id BIGINT NOT NULL REFERENCES articles(id),
    local_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    person_id BIGINT,
    evidence TEXT,
    UNIQUE (article_id, local_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    id {id},
    article_id BIGINT NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    fragments TEXT NOT NULL,
    type TEXT NOT NULL,
    speaker_id BIGINT REFERENCES speakers(id),
    speaker_mention TEXT,
    cue TEXT,
    confidence {real} NOT NULL,
    repeat_of INTEGER,
    UNIQUE (article_id, position)
);
CREATE TABLE IF NOT EXISTS people (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ingest_errors (
    id {id},
    file TEXT NOT NULL,
    position TEXT NOT NULL,
    input_id TEXT,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (file, position)
);
CREATE TABLE IF NOT EXISTS statements (
    id BIGINT PRIMARY KEY,
    person_id BIGINT,
    canonical_quote_id BIGINT NOT NULL,
    flags TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS statement_quotes (
    quote_id BIGINT PRIMARY KEY,
    statement_id BIGINT NOT NULL,
    relation TEXT NOT NULL,
    diff TEXT NOT NULL,
    flags TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes (speaker_id);
CREATE INDEX IF NOT EXISTS speakers_person ON speakers (person_id);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS statement_quotes_statement ON statement_quotes (statement_id);
CREATE INDEX IF NOT EXISTS statements_person ON statements (person_id);
"""

# Full-text search over quote text, stemmed alike on both servers.
_SQLITE_SEARCH = """
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts
    USING fts5(text, content='quotes', content_rowid='id', tokenize='porter unicode61');
"""
_POSTGRES_SEARCH = """
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS search tsvector
    GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
CREATE INDEX IF NOT EXISTS quotes_search ON quotes USING GIN (search);
"""

# Column order of the rows `article_rows` builds (the ids are the database's to give).
ARTICLE_COLUMNS = (
    "input_id",
    "content_hash",
    "url",
    "outlet",
    "published",
    "title",
    "source",
    "text",
    "extra",
    "quote_count",
    "ingested_at",
)
SPEAKER_COLUMNS = ("local_id", "name", "kind", "aliases")
# `speaker_index` is the quote's speaker as an index into the article's speaker rows; the
# store turns it into that row's id (`speaker_id`).
QUOTE_COLUMNS = (
    "position",
    "text",
    "start_char",
    "end_char",
    "fragments",
    "type",
    "speaker_index",
    "speaker_mention",
    "cue",
    "confidence",
    "repeat_of",
)
ERROR_COLUMNS = ("file", "position", "input_id", "reason", "at")


@dataclass
class ArticleRows:
    """One article as database rows, before ids: what `add_article` stores and what the Spark
    job writes, built by one function so that both hold the same values."""

    article: dict[str, Any]
    speakers: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)


def article_rows(article: Article, result: Result) -> ArticleRows:
    """The rows of an extracted article (columns as ARTICLE/SPEAKER/QUOTE_COLUMNS)."""
    rows = ArticleRows(
        {
            "input_id": article.id,
            "content_hash": content_hash(article.text),
            "url": article.url or None,
            "outlet": article.outlet,
            "published": article.published,
            "title": article.title,
            "source": article.source,
            "text": article.text,
            "extra": json.dumps(article.extra, ensure_ascii=False, default=str),
            "quote_count": len(result.quotes),
            "ingested_at": now(),
        }
    )
    index_of: dict[int, int] = {}
    for index, speaker in enumerate(result.speakers):
        index_of[speaker.id] = index
        rows.speakers.append(
            {
                "local_id": speaker.id,
                "name": speaker.name,
                "kind": speaker.kind,
                "aliases": json.dumps(speaker.aliases),
            }
        )
    for position, quote in enumerate(result.quotes):
        mention = (
            article.text[quote.speaker_start : quote.speaker_end]
            if quote.speaker_start is not None and quote.speaker_end is not None
            else None
        )
        rows.quotes.append(
            {
                "position": position,
                "text": quote.quote,
                "start_char": quote.start,
                "end_char": quote.end,
                "fragments": json.dumps(quote.fragments),
                "type": quote.type,
                "speaker_index": index_of.get(quote.speaker_id)
                if quote.speaker_id is not None
                else None,
                "speaker_mention": mention,
                "cue": quote.cue,
                "confidence": quote.confidence,
                "repeat_of": quote.repeat_of,
            }
        )
    return rows


def content_hash(text: str) -> str:
    """The identity of an article's text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def is_postgres(url: str) -> bool:
    return url.startswith(POSTGRES_SCHEMES)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stable_ids(
    groups: list[list[int]], previous: dict[int, int], next_id: int
) -> tuple[list[int], int]:
    """An id for each group of members: the id most of its members had before (groups listed
    first choose first), else a new one from `next_id`. Returns the ids and the next new id,
    so that ids once shown stay with their group as the corpus grows."""
    taken: set[int] = set()
    ids = []
    for members in groups:
        votes = Counter(previous[m] for m in members if m in previous)
        free = [(-n, old) for old, n in votes.items() if old not in taken]
        if free:
            chosen = min(free)[1]
        else:
            chosen, next_id = next_id, next_id + 1
        taken.add(chosen)
        ids.append(chosen)
    return ids, next_id


PEOPLE_COLUMNS = ("id", "name", "kind", "aliases")
STATEMENT_COLUMNS = ("id", "person_id", "canonical_quote_id", "flags")
STATEMENT_QUOTE_COLUMNS = ("quote_id", "statement_id", "relation", "diff", "flags")
# What statements read of a quote (q) and its speaker (s).
STATEMENT_INPUT = "q.id, q.article_id, q.text, q.type, q.fragments, q.start_char, s.person_id"


def speaker_mention(row: Mapping[str, Any]) -> Mention:
    """A speaker row (id, article_id, name, kind, aliases) as people linking reads it."""
    from quotewire.corpus.people import Mention

    return Mention(
        key=row["id"],
        article=row["article_id"],
        name=row["name"],
        kind=row["kind"],
        aliases=tuple(json.loads(row["aliases"])),
    )


def person_rank(mentions: int, name: str, first_key: int) -> tuple[int, str, int]:
    """The order people take their ids in: larger people first, as the ids they carry are
    the ones readers have seen most; then by name."""
    return -mentions, name, first_key


def number_people(
    speakers: Sequence[Mapping[str, Any]],
    link: Callable[[Iterable[Mention]], list[Person]],
    previous: dict[int, tuple[int | None, str | None]],
) -> tuple[list[tuple[Any, ...]], dict[int, tuple[int | None, str | None]]]:
    """Link speaker rows (id, article_id, name, kind, aliases) into people. Returns the people
    rows (PEOPLE_COLUMNS) and, for every speaker id, its (person id, evidence). `previous` holds
    the speakers' earlier (person id, evidence), so that ids stay stable (empty: a new corpus)."""
    people = link(speaker_mention(row) for row in speakers)
    people = sorted(people, key=lambda p: person_rank(len(p.keys), p.name, p.keys[0]))
    old_ids = {key: pid for key, (pid, _) in previous.items() if pid is not None}
    ids, _ = stable_ids([p.keys for p in people], old_ids, max(old_ids.values(), default=0) + 1)
    assignment: dict[int, tuple[int | None, str | None]] = dict.fromkeys(
        (row["id"] for row in speakers), (None, None)
    )
    rows = []
    for person_id, person in zip(ids, people, strict=True):
        rows.append(
            (person_id, person.name, person.kind, json.dumps(person.aliases, ensure_ascii=False))
        )
        for key in person.keys:
            assignment[key] = (person_id, person.evidence.get(key))
    return rows, assignment


def quote_text(row: Mapping[str, Any]) -> QuoteText:
    """A quote row (STATEMENT_INPUT) as statements read it: the words said, and by whom."""
    from quotewire.corpus.statements import QuoteText, words_said

    fragments = json.loads(row["fragments"])
    return QuoteText(
        id=row["id"],
        text=words_said(row["text"], row["type"], fragments, row["start_char"]),
        type=row["type"],
        person=row["person_id"],
        article=row["article_id"],
    )


def number_statements(
    quotes: Iterable[dict[str, Any]],
    group: Callable[[Iterable[QuoteText]], list[Statement]],
    previous: dict[int, int],
    next_id: int,
) -> tuple[list[tuple[int, Statement]], int]:
    """Group quote rows (STATEMENT_INPUT, in id order, repeats left out) into statements, each
    with its id: the one most of its quotes had in `previous`, else a new one from `next_id`.
    Returns them and the next new id."""
    statements = group(quote_text(row) for row in quotes)
    ids, next_id = stable_ids([st.quotes for st in statements], previous, next_id)
    return list(zip(ids, statements, strict=True)), next_id


def statement_rows(
    numbered: list[tuple[int, Statement]],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The statements rows (STATEMENT_COLUMNS) and statement_quotes rows
    (STATEMENT_QUOTE_COLUMNS) of numbered statements."""
    statements = [
        (sid, st.person, st.canonical, json.dumps(sorted(st.flags))) for sid, st in numbered
    ]
    members = [
        (m.quote, sid, m.relation, json.dumps(m.diff), json.dumps(m.flags))
        for sid, st in numbered
        for m in st.members
    ]
    return statements, members


class Store:
    """A connection to the corpus database, with the schema created on first use."""

    def __init__(self, url: str = DEFAULT_DB, read_only: bool = False) -> None:
        """Open (and on first use create) the corpus; `read_only` opens an existing one for
        reading only, as the web app does unless ingestion is enabled."""
        self.url = url
        self.postgres = is_postgres(url)
        if self.postgres:
            import psycopg

            self._conn: Any = psycopg.connect(url, autocommit=True)
            if read_only:
                self._conn.execute("SET default_transaction_read_only = on")
        elif read_only:
            path = url.removeprefix("sqlite:///")
            self._conn = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=60, check_same_thread=False
            )
        else:
            path = url.removeprefix("sqlite:///")
            # Autocommit mode: transactions are opened explicitly by `transaction()`.
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=60)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            self._create_schema()

    # -- plumbing -----------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sql(self, sql: str) -> str:
        # Queries are written with SQLite's `?`; psycopg wants `%s` (and `%` doubled).
        return sql.replace("%", "%%").replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Every row of a query, as dicts keyed by column name."""
        cursor = self.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def stream(self, sql: str, params: Sequence[Any] = (), batch: int = 1000) -> Iterator[dict]:
        """The rows of a large query, a batch at a time."""
        cursor = self._conn.cursor()
        cursor.execute(self._sql(sql), params)
        names = [column[0] for column in cursor.description]
        while chunk := cursor.fetchmany(batch):
            for row in chunk:
                yield dict(zip(names, row, strict=True))

    def _executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        cursor = self._conn.cursor()
        cursor.executemany(self._sql(sql), list(params))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.postgres:
            with self._conn.transaction():
                yield
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _create_schema(self) -> None:
        id_type = "BIGSERIAL PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY"
        real = "DOUBLE PRECISION" if self.postgres else "REAL"
        script = _TABLES.format(id=id_type, real=real)
        script += _POSTGRES_SEARCH if self.postgres else _SQLITE_SEARCH
        with self.transaction():
            for statement in script.split(";"):
                if statement.strip():
                    self.execute(statement)

    def _insert(self, table: str, columns: str, values: Sequence[Any]) -> int | None:
        """Insert one row; its new id, or None when a unique key already holds it."""
        marks = ", ".join("?" for _ in values)
        row = self.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING RETURNING id",
            values,
        ).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def meta(self, key: str) -> str | None:
        row = self.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- writing ------------------------------------------------------------------------

    def known_articles(self) -> tuple[set[str], set[str]]:
        """The content hashes and URLs already stored, to skip them before extraction."""
        hashes = {row[0] for row in self.execute("SELECT content_hash FROM articles")}
        urls = {row[0] for row in self.execute("SELECT url FROM articles WHERE url IS NOT NULL")}
        return hashes, urls

    def add_article(self, article: Article, result: Result) -> bool:
        """Store an article with its speakers and quotes; False if it was already stored."""
        return self.add_article_rows(article_rows(article, result)) is not None

    def add_article_rows(self, rows: ArticleRows) -> tuple[int, list[int], list[int]] | None:
        """Store one article's rows in one transaction; the new ids of the article, its
        speakers and its quotes, or None if the article was already stored."""
        with self.transaction():
            article_id = self._insert(
                "articles",
                ", ".join(ARTICLE_COLUMNS),
                [rows.article[c] for c in ARTICLE_COLUMNS],
            )
            if article_id is None:
                return None
            speaker_ids = [
                self._insert(
                    "speakers",
                    "article_id, " + ", ".join(SPEAKER_COLUMNS),
                    [article_id, *(speaker[c] for c in SPEAKER_COLUMNS)],
                )
                for speaker in rows.speakers
            ]
            quote_ids = []
            for quote in rows.quotes:
                values = {c: quote[c] for c in QUOTE_COLUMNS if c != "speaker_index"}
                index = quote["speaker_index"]
                values["speaker_id"] = speaker_ids[index] if index is not None else None
                quote_id = self._insert(
                    "quotes", "article_id, " + ", ".join(values), [article_id, *values.values()]
                )
                quote_ids.append(quote_id)
                if not self.postgres:
                    self.execute(
                        "INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)",
                        (quote_id, quote["text"]),
                    )
            if rows.speakers:
                self.set_meta("people_stale", "1")
            if rows.quotes:
                self.set_meta("statements_stale", "1")
        return article_id, speaker_ids, quote_ids  # type: ignore[return-value]

    def add_error(
        self,
        file: str,
        position: str,
        input_id: str | None,
        reason: str,
        at: str | None = None,
    ) -> bool:
        """Record an input that could not be ingested; False if that place was recorded before."""
        with self.transaction():
            return (
                self._insert(
                    "ingest_errors",
                    ", ".join(ERROR_COLUMNS),
                    (file, position, input_id, reason, at or now()),
                )
                is not None
            )

    # -- people across articles ---------------------------------------------------------

    def people_stale(self) -> bool:
        return self.meta("people_stale") == "1"

    def relink_people(self, link: Callable[[Iterable[Mention]], list[Person]]) -> int:
        """Group every article's speakers into people across the corpus; returns how many.

        A person keeps the id most of its speakers had before, so ids stay stable as the
        corpus grows; a new person gets a new id.
        """
        rows = self.rows(
            "SELECT id, article_id, name, kind, aliases, person_id, evidence FROM speakers"
        )
        previous = {row["id"]: (row["person_id"], row["evidence"]) for row in rows}
        chosen, assignment = number_people(rows, link, previous)
        with self.transaction():
            self.replace_people(chosen)
            self.set_people_of_speakers(
                (pid, why, key)
                for key, (pid, why) in assignment.items()
                if (pid, why) != previous[key]
            )
            self.set_meta("statements_stale", "1")  # statements are per person
        return len(chosen)

    def set_people_of_speakers(self, rows: Iterable[Sequence[Any]]) -> None:
        """Set speakers' (person_id, evidence) from rows of (person_id, evidence, speaker id)."""
        self._executemany("UPDATE speakers SET person_id = ?, evidence = ? WHERE id = ?", rows)

    def replace_people(self, rows: Iterable[Sequence[Any]]) -> None:
        """The people table becomes `rows` of (id, name, kind, aliases as JSON): people are
        up to date again."""
        self.execute("DELETE FROM people")
        self._executemany("INSERT INTO people (id, name, kind, aliases) VALUES (?, ?, ?, ?)", rows)
        self.set_meta("people_stale", "0")

    # -- statements --------------------------------------------------------------------

    def statements_stale(self) -> bool:
        return self.meta("statements_stale") == "1"

    def regroup_statements(self, group: Callable[[Iterable[QuoteText]], list[Statement]]) -> int:
        """Group every quote into statements; returns how many. A statement keeps the id most
        of its quotes had, and ids are never reused, so an id once shown stays that statement
        as news arrives."""
        rows = self.stream(
            f"SELECT {STATEMENT_INPUT} FROM quotes q "
            "LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.repeat_of IS NULL ORDER BY q.id"
        )
        previous = {
            row["quote_id"]: row["statement_id"]
            for row in self.rows("SELECT quote_id, statement_id FROM statement_quotes")
        }
        statements, next_id = number_statements(
            rows, group, previous, int(self.meta("next_statement_id") or 1)
        )
        with self.transaction():
            self.replace_statements(*statement_rows(statements), next_id)
        return len(statements)

    def replace_statements(
        self,
        statements: Iterable[Sequence[Any]],
        members: Iterable[Sequence[Any]],
        next_id: int,
    ) -> None:
        """The statements and statement_quotes tables become these rows (as `statement_rows`
        makes them); `next_id` is the first id a new statement may take."""
        self.execute("DELETE FROM statements")
        self.execute("DELETE FROM statement_quotes")
        self._executemany(
            f"INSERT INTO statements ({', '.join(STATEMENT_COLUMNS)}) VALUES (?, ?, ?, ?)",
            statements,
        )
        self._executemany(
            f"INSERT INTO statement_quotes ({', '.join(STATEMENT_QUOTE_COLUMNS)}) "
            "VALUES (?, ?, ?, ?, ?)",
            members,
        )
        self.set_meta("next_statement_id", str(next_id))
        self.set_meta("statements_stale", "0")

    # -- counts -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many rows each table holds (the same input gives the same counts anywhere)."""
        tables = ("articles", "quotes", "speakers", "people", "statements", "ingest_errors")
        return {t: self.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
