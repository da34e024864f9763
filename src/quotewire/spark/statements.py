"""Statements as a Spark job: each person's quotes grouped on an executor with the very code
`ingest` runs (`person_statements`), the same words given to other people found by a join
on sampled shingles and checked with `same_words`, and ids counted out in the order of each
statement's first quote, as `ingest` numbers a new corpus. The result equals `ingest`'s
statements and statement_quotes tables row for row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from quotewire.corpus.statements import (
    MAX_POSTINGS,
    group_statements,
    may_share_words,
    person_statements,
    same_words,
    wording_shingles,
)
from quotewire.corpus.store import number_statements, quote_text, statement_rows
from quotewire.spark.frames import (
    Row,
    driver_frame,
    map_groups,
    map_rows,
    number_in_order,
    write_table,
)
from quotewire.spark.tables import TABLES

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


# -- on the executors -----------------------------------------------------------------------


def _member_rows(quotes: list[Row]) -> Iterator[Row]:
    """One person's quote rows (STATEMENT_INPUT) -> MEMBERS rows."""
    for statement in person_statements(quote_text(row) for row in quotes):
        shared = {
            "creator": statement.members[0].quote,
            "person_id": statement.person,
            "canonical": statement.canonical,
            "wording": statement.wording,
            "flags": json.dumps(sorted(statement.flags)),
        }
        for member in statement.members:
            yield shared | {
                "quote_id": member.quote,
                "relation": member.relation,
                "diff": json.dumps(member.diff),
                "member_flags": json.dumps(member.flags),
            }


def _shingle_rows(row: Row) -> Iterator[Row]:
    shingles = wording_shingles(row["wording"])
    for shingle in shingles:
        yield {**row, "shingle": shingle, "size": len(shingles)}


def _flagged_rows(row: Row) -> Iterator[Row]:
    if may_share_words(row["shared"], row["size_a"], row["size_b"]) and same_words(
        row["wording_a"], row["wording_b"]
    ):
        yield {"creator": row["a"]}
        yield {"creator": row["b"]}


def _statement_rows(row: Row) -> Iterator[Row]:
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


def statement_tables(said: DataFrame, out: str, partitions: int) -> int:
    """Group `said` (quote rows of STATEMENT_INPUT's columns, repeats left out) into
    statements, write the statements and statement_quotes tables under `out`, and return how
    many statements there are."""
    from pyspark.sql import functions as F

    members = map_groups(said, "person_id", _member_rows, MEMBERS, partitions).cache()
    found = members.filter(F.col("quote_id") == F.col("canonical")).drop(
        "quote_id", "relation", "diff", "member_flags"
    )

    # The same words given to other people: pairs sharing sampled shingles, checked in Python.
    wordings = found.filter(F.col("person_id").isNotNull()).select(
        "creator", "person_id", "wording"
    )
    shingles = map_rows(wordings, _shingle_rows, _SHINGLES)
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
    for side in ("a", "b"):
        pairs = pairs.join(
            wordings.select(
                F.col("creator").alias(side), F.col("wording").alias(f"wording_{side}")
            ),
            side,
        )
    flagged = map_rows(pairs, _flagged_rows, [("creator", "long")]).distinct()

    # Ids in the order of each statement's first quote, 1, 2, ... as a new corpus gets them.
    ranks, _ = number_in_order(found.select("creator"), ["creator"])
    ids = ranks.select("creator", (F.col("_n") + 1).alias("id")).cache()
    numbered = (
        found.join(ids, "creator")
        .join(flagged.withColumn("other", F.lit(True)), "creator", "left")
        .fillna(False, ["other"])
    )
    statements = map_rows(numbered, _statement_rows, TABLES["statements"])
    write_table(statements, out, "statements")
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


def statements_on_driver(spark: SparkSession, said: DataFrame, out: str) -> int:
    """`statement_tables` with `group_statements` itself on the driver, for a corpus small
    enough that Spark's stages cost more than the grouping (the same result)."""
    quotes = (row.asDict() for row in said.toLocalIterator())
    statements, members = statement_rows(number_statements(quotes, group_statements, {}, 1)[0])
    write_table(driver_frame(spark, TABLES["statements"], statements), out, "statements")
    write_table(
        driver_frame(spark, TABLES["statement_quotes"], members),
        out,
        "statement_quotes",
        "quote_id",
    )
    return len(statements)


__all__ = ["MEMBERS", "statement_tables", "statements_on_driver"]
