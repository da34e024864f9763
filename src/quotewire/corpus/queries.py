"""Questions a researcher asks of the corpus: search quotes, rank people, show one person,
export everything. Each returns plain dicts; the CLI and the Python API print or pass them on.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from quotewire.corpus.store import Store
from quotewire.extract.speakers import name_words
from quotewire.model import QUOTE_TYPES

EXPORT_FORMATS = ("jsonl", "csv", "parquet")

# One quote with who said it and where it appeared; every query below selects from this.
_QUOTE_ROWS = """
SELECT q.id AS quote_id, q.text AS quote, q.type, q.confidence, q.cue,
       q.start_char AS start, q.end_char AS "end", q.repeat_of, q.speaker_mention,
       p.id AS person_id, COALESCE(p.name, s.name) AS speaker, s.kind AS speaker_kind,
       s.name AS speaker_in_article,
       a.input_id AS article, a.url, a.outlet, a.published, a.title
FROM quotes q
JOIN articles a ON a.id = q.article_id
LEFT JOIN speakers s ON s.id = q.speaker_id
LEFT JOIN people p ON p.id = s.person_id
"""


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def matching_people(store: Store, name: str) -> list[dict[str, Any]]:
    """People whose name or any alias contains every word of `name` (titles aside):
    "Assad" finds Bashar al-Assad, who was also "President Assad". Those whose own name has
    the words come first: an alias can be a mention as loose as "the anti-Clinton speech"."""
    wanted = set(name_words(name)) or set(_words(name))
    if not wanted:
        return []
    probe = f"%{max(wanted, key=len)}%"
    found = []
    for row in store.rows(
        "SELECT id, name, kind, aliases FROM people WHERE lower(name) LIKE ? OR lower(aliases) LIKE ? "
        "ORDER BY id",
        (probe, probe),
    ):
        aliases = json.loads(row["aliases"])
        if any(wanted <= set(name_words(n) or _words(n)) for n in [row["name"], *aliases]):
            found.append(row | {"aliases": aliases})
    found.sort(key=lambda p: not wanted <= set(name_words(p["name"]) or _words(p["name"])))
    return found


def _people_ids(store: Store, name: str) -> list[int]:
    return [person["id"] for person in matching_people(store, name)]


def search(
    store: Store,
    text: str | None = None,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    quote_type: str | None = None,
    min_confidence: float = 0.0,
    limit: int | None = 20,
    offset: int = 0,
    person_id: int | None = None,
) -> list[dict[str, Any]]:
    """Quotes matching every filter given, newest first. `text` is full-text (stemmed; all
    words must occur); `speaker` matches any alias of a person; dates are ISO (YYYY-MM-DD)."""
    where: list[str] = ["q.repeat_of IS NULL"]  # a pull quote repeats one found already
    params: list[Any] = []
    if text and _words(text):
        if store.postgres:
            where.append("q.search @@ plainto_tsquery('english', ?)")
            params.append(text)
        else:
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(" ".join(f'"{word}"' for word in _words(text)))
    if speaker:
        ids = _people_ids(store, speaker)
        if not ids:
            return []
        where.append(f"p.id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    if person_id is not None:
        where.append("p.id = ?")
        params.append(person_id)
    if outlet:
        # "bbc.co.uk" also finds "news.bbc.co.uk".
        where.append("(lower(a.outlet) = ? OR lower(a.outlet) LIKE ?)")
        params.extend([outlet.lower(), f"%.{outlet.lower()}"])
    if since:
        where.append("a.published >= ?")
        params.append(since)
    if until:
        # An ISO date sorts before its own timestamps; "~" sorts after them all.
        where.append("a.published <= ?")
        params.append(until + "~")
    if quote_type:
        if quote_type not in QUOTE_TYPES:
            raise ValueError(f"unknown quote type {quote_type!r}; use one of {QUOTE_TYPES}")
        where.append("q.type = ?")
        params.append(quote_type)
    if min_confidence > 0:
        where.append("q.confidence >= ?")
        params.append(min_confidence)
    sql = _QUOTE_ROWS + " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.published DESC NULLS LAST, q.id"
    if limit:
        sql += " LIMIT ? OFFSET ?"
        params.extend([limit, offset])
    return store.rows(sql, params)


def people(store: Store, limit: int | None = 20) -> list[dict[str, Any]]:
    """The most quoted people: quotes, articles, outlets (the top three by quotes)."""
    sql = """
    SELECT p.id, p.name, p.kind, COUNT(q.id) AS quotes, COUNT(DISTINCT a.id) AS articles,
           COUNT(DISTINCT a.outlet) AS outlets
    FROM people p
    JOIN speakers s ON s.person_id = p.id
    JOIN quotes q ON q.speaker_id = s.id AND q.repeat_of IS NULL
    JOIN articles a ON a.id = q.article_id
    GROUP BY p.id, p.name, p.kind
    ORDER BY quotes DESC, p.name, p.id
    """
    params: list[Any] = []
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    ranked = store.rows(sql, params)
    for row in ranked:
        row["top_outlets"] = [
            r["outlet"]
            for r in store.rows(
                "SELECT a.outlet, COUNT(*) AS n FROM speakers s "
                "JOIN quotes q ON q.speaker_id = s.id AND q.repeat_of IS NULL "
                "JOIN articles a ON a.id = q.article_id "
                "WHERE s.person_id = ? AND a.outlet IS NOT NULL "
                "GROUP BY a.outlet ORDER BY n DESC, a.outlet LIMIT 3",
                (row["id"],),
            )
        ]
    return ranked


def person(store: Store, person_id: int) -> dict[str, Any] | None:
    """One person: name, aliases, and each name used for them with the evidence that joined it
    and the articles it came from."""
    found = store.rows("SELECT id, name, kind, aliases FROM people WHERE id = ?", (person_id,))
    if not found:
        return None
    record = found[0] | {"aliases": json.loads(found[0]["aliases"])}
    mentions = store.rows(
        "SELECT s.name, s.evidence, a.input_id AS article, a.outlet, "
        "(SELECT COUNT(*) FROM quotes q WHERE q.speaker_id = s.id AND q.repeat_of IS NULL) "
        "AS quotes "
        "FROM speakers s JOIN articles a ON a.id = s.article_id "
        "WHERE s.person_id = ? ORDER BY s.name, a.input_id",
        (person_id,),
    )
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for m in mentions:
        key = (m["name"], m["evidence"] or "")
        entry = grouped.setdefault(
            key, {"name": m["name"], "evidence": m["evidence"], "articles": [], "quotes": 0}
        )
        entry["articles"].append(m["article"])
        entry["quotes"] += m["quotes"]
    record["names"] = list(grouped.values())
    record["quotes"] = sum(entry["quotes"] for entry in grouped.values())
    return record


def person_activity(store: Store, person_id: int) -> dict[str, Any]:
    """When and where a person is quoted: the publication date of each quote, and quotes
    per outlet."""
    rows = store.rows(
        "SELECT a.published, a.outlet FROM quotes q JOIN speakers s ON s.id = q.speaker_id "
        "JOIN articles a ON a.id = q.article_id WHERE s.person_id = ? AND q.repeat_of IS NULL",
        (person_id,),
    )
    outlets: dict[str, int] = {}
    for row in rows:
        if row["outlet"]:
            outlets[row["outlet"]] = outlets.get(row["outlet"], 0) + 1
    return {
        "dates": [row["published"] for row in rows],
        "outlets": sorted(outlets.items(), key=lambda item: (-item[1], item[0])),
    }


def export_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every quote joined with its speaker and article, in corpus order (streamed)."""
    return store.stream(_QUOTE_ROWS + " ORDER BY q.id")


EXPORT_COLUMNS = (
    "quote_id",
    "quote",
    "type",
    "confidence",
    "cue",
    "start",
    "end",
    "repeat_of",
    "speaker_mention",
    "person_id",
    "speaker",
    "speaker_kind",
    "speaker_in_article",
    "article",
    "url",
    "outlet",
    "published",
    "title",
)


def export(store: Store, out: IO[str] | str, fmt: str) -> int:
    """Write every quote as JSONL or CSV to a text stream, or as Parquet to a path; returns
    the number of quotes written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {EXPORT_FORMATS}")
    rows = export_rows(store)
    if fmt == "parquet":
        if not isinstance(out, str):
            raise ValueError("parquet is binary: give a file path")
        return _write_parquet(rows, out)
    if isinstance(out, str):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            return _write_text(rows, stream, fmt)
    return _write_text(rows, out, fmt)


def _write_text(rows: Iterator[dict[str, Any]], out: IO[str], fmt: str) -> int:
    count = 0
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for row in rows:
        if writer:
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_parquet(rows: Iterator[dict[str, Any]], path: str, batch: int = 10_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def column_type(name: str) -> pa.DataType:
        if name == "confidence":
            return pa.float64()
        return pa.int64() if name in _PARQUET_INTEGERS else pa.string()

    schema = pa.schema([(name, column_type(name)) for name in EXPORT_COLUMNS])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or not count:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


_PARQUET_INTEGERS = frozenset({"quote_id", "start", "end", "repeat_of", "person_id"})


def _flag_like(flag: str) -> str:
    return f'%"{flag}%'


def statements(
    store: Store,
    *,
    speaker: str | None = None,
    flag: str | None = None,
    min_occurrences: int = 1,
    limit: int | None = 20,
    person_id: int | None = None,
) -> list[dict[str, Any]]:
    """Statements, most reported first: the canonical wording, its speaker, how many times and
    in how many outlets it was reported, when it was first seen, and its flags."""
    where = ["1 = 1"]
    params: list[Any] = []
    if speaker:
        ids = _people_ids(store, speaker)
        if not ids:
            return []
        where.append(f"st.person_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    if person_id is not None:
        where.append("st.person_id = ?")
        params.append(person_id)
    if flag:
        where.append("st.flags LIKE ?")
        params.append(_flag_like(flag))
    sql = f"""
    SELECT st.id, st.person_id, p.name AS speaker, st.flags, c.text AS canonical,
           c.type AS canonical_type, c.fragments AS canonical_fragments,
           c.start_char AS canonical_start, COUNT(sq.quote_id) AS occurrences,
           COUNT(DISTINCT a.id) AS articles, COUNT(DISTINCT a.outlet) AS outlets,
           MIN(a.published) AS first_published
    FROM statements st
    JOIN quotes c ON c.id = st.canonical_quote_id
    LEFT JOIN people p ON p.id = st.person_id
    JOIN statement_quotes sq ON sq.statement_id = st.id
    JOIN quotes q ON q.id = sq.quote_id
    JOIN articles a ON a.id = q.article_id
    WHERE {" AND ".join(where)}
    GROUP BY st.id, st.person_id, p.name, st.flags, c.text, c.type, c.fragments, c.start_char
    HAVING COUNT(sq.quote_id) >= ?
    ORDER BY occurrences DESC, st.id
    """
    params.append(min_occurrences)
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    rows = store.rows(sql, params)
    for row in rows:
        _said_canonical(row)
    return rows


def _said_canonical(row: dict[str, Any]) -> None:
    """The canonical wording as said (quoted parts, fragments), and the flags as a list."""
    from quotewire.corpus.statements import words_said

    row["flags"] = json.loads(row["flags"])
    row["canonical"] = words_said(
        row["canonical"],
        row.pop("canonical_type"),
        json.loads(row.pop("canonical_fragments")),
        row.pop("canonical_start"),
    )


def statement(store: Store, statement_id: int) -> dict[str, Any] | None:
    """One statement whole: canonical wording, speaker, first seen, and every occurrence with
    its relation, word diff against the canonical wording and flags, oldest first."""
    from quotewire.corpus.statements import words_said

    found = statements_by_id(store, [statement_id])
    if not found:
        return None
    record = found[0]
    occurrences = store.rows(
        "SELECT sq.quote_id, sq.relation, sq.diff, sq.flags, q.text AS quote, q.type, "
        "q.fragments, q.start_char, "
        "a.input_id AS article, a.url, a.outlet, a.published, a.title "
        "FROM statement_quotes sq JOIN quotes q ON q.id = sq.quote_id "
        "JOIN articles a ON a.id = q.article_id WHERE sq.statement_id = ? "
        "ORDER BY a.published NULLS LAST, q.id",
        (statement_id,),
    )
    for row in occurrences:
        row["diff"] = [tuple(part) for part in json.loads(row["diff"])]
        row["flags"] = json.loads(row["flags"])
        row["said"] = words_said(
            row["quote"], row["type"], json.loads(row.pop("fragments")), row.pop("start_char")
        )
    record["occurrences"] = occurrences
    first = occurrences[0] if occurrences else {}
    record["first_seen"] = {k: first.get(k) for k in ("published", "outlet", "url", "article")}
    return record


def statements_by_id(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = store.rows(
        f"SELECT st.id, st.person_id, p.name AS speaker, st.flags, c.text AS canonical, "
        f"c.type AS canonical_type, c.fragments AS canonical_fragments, "
        f"c.start_char AS canonical_start FROM statements st "
        f"JOIN quotes c ON c.id = st.canonical_quote_id "
        f"LEFT JOIN people p ON p.id = st.person_id WHERE st.id IN ({marks}) ORDER BY st.id",
        ids,
    )
    for row in rows:
        _said_canonical(row)
    return rows


def statement_ids(store: Store) -> Iterator[int]:
    """Every statement id, in order (for exporting them all)."""
    for row in store.stream("SELECT id FROM statements ORDER BY id"):
        yield row["id"]
