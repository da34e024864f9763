"""Statements as a Spark job: each person's quotes grouped on an executor with the very code
`ingest` runs (`person_statements`), the same words given to other people found by a join
on sampled shingles and checked with `same_words`, and ids counted out in the order of each
statement's first quote, as `ingest` numbers a new corpus. The result equals `ingest`'s
statements and statement_quotes tables row for row."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from quotewire.corpus.statements import (
    MAX_POSTINGS,
    may_share_words,
    person_statements,
    same_words,
    wording_shingles,
)
from quotewire.corpus.store import quote_text
from quotewire.spark.tables import TABLES, arrow_schema, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# One row per quote of a statement, with what its statement says of itself.
MEMBERS = [
    ("creator", "long"),  # the quote that began the statement: its place in the order
    ("person_id", "long"),
    ("canonical", "long"),
    ("wording", "string"),
    ("flags", "string"),  # the statement's, as JSON
    ("quote_id", "long"),
    ("relation", "string"),
    ("diff", "string"),
    ("member_flags", "string"),
]
_SHINGLES = [("creator", "long"), ("person_id", "long"), ("shingle", "long"), ("size", "int")]
_PAIRS = [
    ("a", "long"),
    ("b", "long"),
    ("shared", "long"),
    ("size_a", "int"),
    ("size_b", "int"),
    ("wording_a", "string"),
    ("wording_b", "string"),
]
_NUMBERED = [("id", "long"), ("person_id", "long"), ("canonical", "long"), ("flags", "string")]
_NUMBERED += [("other", "boolean")]


# -- on the executors -----------------------------------------------------------------------


def group_person(quotes: Any) -> Any:
    """applyInArrow: one person's quote rows (STATEMENT_INPUT) -> MEMBERS rows."""
    import pyarrow as pa

    rows = []
    for statement in person_statements(quote_text(row) for row in quotes.to_pylist()):
        shared = {
            "creator": statement.members[0].quote,
            "person_id": statement.person,
            "canonical": statement.canonical,
            "wording": statement.wording,
            "flags": json.dumps(sorted(statement.flags)),
        }
        for member in statement.members:
            rows.append(
                shared
                | {
                    "quote_id": member.quote,
                    "relation": member.relation,
                    "diff": json.dumps(member.diff),
                    "member_flags": json.dumps(member.flags),
                }
            )
    return pa.Table.from_pylist(rows, schema=arrow_schema(MEMBERS))


def _map_rows(batches: Iterable[Any], columns: list[tuple[str, str]], each: Any) -> Iterator[Any]:
    """mapInArrow over rows: `each(row)` yields the output rows of one input row."""
    import pyarrow as pa

    schema = arrow_schema(columns)
    for batch in batches:
        rows = [out for row in batch.to_pylist() for out in each(row)]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _shingle_rows(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    shingles = wording_shingles(row["wording"])
    for shingle in shingles:
        yield {**row, "shingle": shingle, "size": len(shingles)}


def _flagged_rows(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if may_share_words(row["shared"], row["size_a"], row["size_b"]) and same_words(
        row["wording_a"], row["wording_b"]
    ):
        yield {"creator": row["a"]}
        yield {"creator": row["b"]}


def _statement_rows(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    flags = json.loads(row["flags"])
    if row["other"]:
        flags = sorted({*flags, "other-speakers"})
    yield {
        "id": row["id"],
        "person_id": row["person_id"],
        "canonical_quote_id": row["canonical"],
        "flags": json.dumps(flags),
    }


# -- on the driver --------------------------------------------------------------------------


def statement_tables(spark: SparkSession, said: DataFrame, out: str) -> int:
    """Group `said` (quote rows of STATEMENT_INPUT's columns, repeats left out) into
    statements, write the statements and statement_quotes tables under `out`, and return how
    many statements there are."""
    from functools import partial

    from pyspark.sql import functions as F

    members = said.groupBy("person_id").applyInArrow(group_person, ddl(MEMBERS)).cache()
    found = members.filter(F.col("quote_id") == F.col("canonical")).drop(
        "quote_id", "relation", "diff", "member_flags"
    )

    # The same words given to other people: pairs sharing sampled shingles, checked in Python.
    shingles = (
        found.filter(F.col("person_id").isNotNull())
        .select("creator", "person_id", "wording")
        .mapInArrow(partial(_map_rows, columns=_SHINGLES, each=_shingle_rows), ddl(_SHINGLES))
    )
    telling = shingles.groupBy("shingle").count().filter(F.col("count") <= MAX_POSTINGS)
    shingles = shingles.join(telling.select("shingle"), "shingle")
    a = shingles.select("shingle", F.col("creator").alias("a"), "person_id", "size")
    b = shingles.select(
        "shingle", F.col("creator").alias("b"), F.col("person_id").alias("person_b"), "size"
    )
    pairs = (
        a.join(b.withColumnRenamed("size", "size_b"), "shingle")
        .filter((F.col("a") < F.col("b")) & (F.col("person_id") != F.col("person_b")))
        .groupBy("a", "b", F.col("size").alias("size_a"), "size_b")
        .agg(F.count("*").alias("shared"))
    )
    wordings = found.select("creator", "wording")
    for side in ("a", "b"):
        pairs = pairs.join(
            wordings.select(
                F.col("creator").alias(side), F.col("wording").alias(f"wording_{side}")
            ),
            side,
        )
    flagged = (
        pairs.select(*(name for name, _ in _PAIRS))
        .mapInArrow(
            partial(_map_rows, columns=[("creator", "long")], each=_flagged_rows), "creator long"
        )
        .distinct()
        .withColumn("other", F.lit(True))
    )

    # Ids in the order of each statement's first quote: 1, 2, ... as a new corpus gets them.
    order = found.select("creator").rdd.map(lambda row: row[0]).sortBy(lambda creator: creator)
    ids = spark.createDataFrame(
        order.zipWithIndex().map(lambda pair: (pair[0], pair[1] + 1)), "creator long, id long"
    ).cache()
    numbered = found.join(ids, "creator").join(flagged, "creator", "left")
    numbered = numbered.select(*(name for name, _ in _NUMBERED)).fillna(False, ["other"])
    statements = numbered.mapInArrow(
        partial(_map_rows, columns=TABLES["statements"], each=_statement_rows),
        ddl(TABLES["statements"]),
    )
    statements.orderBy("id").write.mode("overwrite").parquet(f"{out}/statements")
    statement_quotes = members.join(ids, "creator").select(
        "quote_id",
        F.col("id").alias("statement_id"),
        "relation",
        "diff",
        F.col("member_flags").alias("flags"),
    )
    statement_quotes.orderBy("quote_id").write.mode("overwrite").parquet(f"{out}/statement_quotes")
    count = ids.count()
    members.unpersist()
    ids.unpersist()
    return count


__all__ = ["MEMBERS", "group_person", "statement_tables"]
