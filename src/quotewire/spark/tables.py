"""The schemas the Spark job reads and writes: the corpus tables as Parquet (the database's
column names, with INTEGER as int32 and BIGINT/ids as int64) and the rows passed between its
stages. Kept apart from the job so that `ingest --from-parquet` reads them without Spark."""

from __future__ import annotations

from quotewire.corpus.store import (
    ARTICLE_COLUMNS,
    ERROR_COLUMNS,
    PEOPLE_COLUMNS,
    QUOTE_COLUMNS,
    SPEAKER_COLUMNS,
    STATEMENT_COLUMNS,
    STATEMENT_QUOTE_COLUMNS,
)

# Column types that are not text.
_TYPES = {
    "id": "long",
    "article_id": "long",
    "person_id": "long",
    "speaker_id": "long",
    "quote_id": "long",
    "statement_id": "long",
    "canonical_quote_id": "long",
    "local_id": "int",
    "quote_count": "int",
    "position": "int",
    "start_char": "int",
    "end_char": "int",
    "speaker_index": "int",
    "repeat_of": "int",
    "confidence": "double",
}


def _typed(columns: tuple[str, ...], **special: str) -> list[tuple[str, str]]:
    return [(c, special.get(c) or _TYPES.get(c, "string")) for c in columns]


_QUOTES = [c if c != "speaker_index" else "speaker_id" for c in QUOTE_COLUMNS]

# The output tables, in the database's column order.
TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": _typed(("id", *ARTICLE_COLUMNS)),
    "speakers": _typed(("id", "article_id", *SPEAKER_COLUMNS, "person_id", "evidence")),
    "quotes": _typed(("id", "article_id", *_QUOTES)),
    "people": _typed(PEOPLE_COLUMNS),
    "statements": _typed(STATEMENT_COLUMNS),
    "statement_quotes": _typed(STATEMENT_QUOTE_COLUMNS),
    # The database's ingest_errors.
    "errors": _typed(("id", *ERROR_COLUMNS), position="string"),
}
# The database table each Parquet table loads into.
DB_TABLE = {name: name for name in TABLES} | {"errors": "ingest_errors"}

# An input article's place in input order: which INPUT argument, which file, which record.
KEY = [("_src", "int"), ("_file", "string"), ("_seq", "long")]

# What the read stage hands to extraction: an article, or a record that could not be read
# (`reason` set; `file`/`position` say where).
READ = KEY + [
    ("input_id", "string"),
    ("text", "string"),
    ("url", "string"),
    ("outlet", "string"),
    ("published", "string"),
    ("title", "string"),
    ("source", "string"),
    ("extra", "string"),
    ("content_hash", "string"),
    ("file", "string"),
    ("position", "string"),
    ("reason", "string"),
    ("at", "string"),
]

# What extraction writes per input: the article's row with its speakers and quotes as JSON
# lists (SPEAKER_COLUMNS / QUOTE_COLUMNS), or the error row.
EXTRACTED = (
    KEY
    + _typed(ARTICLE_COLUMNS)
    + [("speaker_count", "int"), ("speakers", "string"), ("quotes", "string")]
    + [("file", "string"), ("position", "string"), ("reason", "string"), ("at", "string")]
)
# Speaker and quote structs inside those JSON lists.
SPEAKER_STRUCT = _typed(SPEAKER_COLUMNS)
QUOTE_STRUCT = _typed(QUOTE_COLUMNS)


def ddl(columns: list[tuple[str, str]]) -> str:
    """A Spark DDL schema: 'a long, b string'."""
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


def struct_ddl(columns: list[tuple[str, str]]) -> str:
    """A Spark struct type: 'struct<a: long, b: string>'."""
    return "struct<" + ", ".join(f"`{name}`: {kind}" for name, kind in columns) + ">"


def arrow_schema(columns: list[tuple[str, str]]) -> object:
    """The pyarrow schema of `columns`."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "long": pa.int64(),
        "int": pa.int32(),
        "double": pa.float64(),
        "binary": pa.binary(),
        "boolean": pa.bool_(),
        "array<string>": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in columns])
