"""People across articles as a Spark job, in the three steps `link_people` takes: passes 1
and 2 per block of mentions on the executors (`first_passes`: a surname, or an
organisation's name), pass 3's co-mention counts as joins across blocks (what
`comention_scores` counts), then each block's decisions and people on the executors again
(`Block.people`). Ids are counted out in `person_rank` order, as `ingest` numbers a new
corpus, so the people table and the speakers' person ids equal `ingest`'s."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from quotewire.corpus.people import block_of, first_passes
from quotewire.corpus.store import person_rank, speaker_mention
from quotewire.spark.tables import TABLES, arrow_schema, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SPEAKERS = [
    ("id", "long"),
    ("article_id", "long"),
    ("name", "string"),
    ("kind", "string"),
    ("aliases", "string"),
]
_BLOCKED = [*_SPEAKERS, ("block", "string")]
# After passes 1 and 2: the person a mention is so far (label), or the persons it may be.
_PASSED = [
    ("id", "long"),
    ("article_id", "long"),
    ("label", "string"),
    ("candidates", "array<string>"),
]
_SCORED = [*_BLOCKED, ("scores", "string")]  # scores: {candidate label: count} as JSON
# One row per linked mention, with its person (known by the person's first mention key).
_LINKED = [
    ("id", "long"),
    ("first_key", "long"),
    ("mentions", "long"),
    ("name", "string"),
    ("kind", "string"),
    ("aliases", "string"),
    ("evidence", "string"),
]


# -- on the executors -----------------------------------------------------------------------


def _with_block(batches: Iterable[Any]) -> Iterator[Any]:
    """mapInArrow: speaker rows -> the same with their block (left out: no row)."""
    import pyarrow as pa

    schema = arrow_schema(_BLOCKED)
    for batch in batches:
        rows = []
        for row in batch.to_pylist():
            block = block_of(speaker_mention(row))
            if block is not None:
                rows.append({**row, "block": block})
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _passes(rows: list[dict[str, Any]]) -> Any:
    """Passes 1 and 2 over one block's rows (all of one block)."""
    return first_passes(rows[0]["block"], (speaker_mention(row) for row in rows))


def passed_rows(block: Any) -> Any:
    """applyInArrow: one block's mentions -> _PASSED rows."""
    import pyarrow as pa

    rows = block.to_pylist()
    done = _passes(rows)
    open_names = done.open_candidates()
    out = [
        {
            "id": row["id"],
            "article_id": row["article_id"],
            "label": done.labels.get(row["id"]),
            "candidates": open_names.get(row["id"]),
        }
        for row in rows
    ]
    return pa.Table.from_pylist(out, schema=arrow_schema(_PASSED))


def linked_rows(block: Any) -> Any:
    """applyInArrow: one block's mentions with their co-mention scores -> _LINKED rows."""
    import pyarrow as pa

    rows = block.to_pylist()
    scores = {row["id"]: json.loads(row["scores"]) for row in rows if row["scores"]}
    out = []
    for person in _passes(rows).people(scores):
        shared = {
            "first_key": person.keys[0],
            "mentions": len(person.keys),
            "name": person.name,
            "kind": person.kind,
            "aliases": json.dumps(person.aliases, ensure_ascii=False),
        }
        out += [{"id": key, **shared, "evidence": person.evidence.get(key)} for key in person.keys]
    return pa.Table.from_pylist(out, schema=arrow_schema(_LINKED))


# -- on the driver --------------------------------------------------------------------------


def people_tables(spark: SparkSession, speakers: DataFrame, out: str) -> tuple[DataFrame, int]:
    """Link `speakers` (rows of id, article_id, name, kind, aliases) into people; write the
    people table under `out`. Returns (id, person_id, evidence) of every linked speaker and
    how many people there are."""
    from pyspark.sql import functions as F

    blocked = (
        speakers.select(*(name for name, _ in _SPEAKERS))
        .mapInArrow(_with_block, ddl(_BLOCKED))
        .cache()
    )
    passed = blocked.groupBy("block").applyInArrow(passed_rows, ddl(_PASSED)).cache()

    # Pass 3's counts: for each open mention and each person it may be, how many times the
    # persons quoted beside it (in its article) are quoted beside that person's mentions.
    decided = passed.filter(F.col("label").isNotNull()).select(
        F.col("id").alias("other"), "article_id", F.col("label").alias("beside")
    )
    beside_of = (
        passed.select("id", "article_id", "label")
        .join(decided, "article_id")
        .filter(F.col("id") != F.col("other"))
        .select("id", "label", "beside")
        .distinct()
    )
    beside_person = (
        beside_of.filter(F.col("label").isNotNull() & (F.col("label") != F.col("beside")))
        .groupBy(F.col("label").alias("candidate"), "beside")
        .count()
    )
    scores = (
        passed.select("id", F.explode("candidates").alias("candidate"))
        .join(beside_of.select("id", "beside"), "id")
        .join(beside_person, ["candidate", "beside"])
        .groupBy("id", "candidate")
        .agg(F.sum("count").alias("score"))
        .groupBy("id")
        .agg(F.to_json(F.map_from_entries(F.collect_list(F.struct("candidate", "score")))))
        .toDF("id", "scores")
    )
    scored = blocked.join(scores, "id", "left").select(*(name for name, _ in _SCORED))
    linked = scored.groupBy("block").applyInArrow(linked_rows, ddl(_LINKED)).cache()

    # Ids in person_rank order: 1, 2, ... as a new corpus gets them.
    persons = linked.select("first_key", "mentions", "name", "kind", "aliases").distinct()
    ordered = persons.rdd.sortBy(
        partial(_rank_of, fields=("mentions", "name", "first_key"))
    ).zipWithIndex()
    numbered = spark.createDataFrame(
        ordered.map(lambda pair: (pair[1] + 1, *pair[0])),
        ddl([("person_id", "long"), *_LINKED[1:-1]]),
    ).cache()
    people = numbered.select(
        F.col("person_id").alias("id"), *(name for name, _ in TABLES["people"][1:])
    )
    people.orderBy("id").write.mode("overwrite").parquet(f"{out}/people")
    assignment = linked.join(numbered.select("first_key", "person_id"), "first_key").select(
        "id", "person_id", "evidence"
    )
    count = numbered.count()
    blocked.unpersist()
    passed.unpersist()
    return assignment, count


def _rank_of(row: Any, fields: tuple[str, str, str]) -> tuple[int, str, int]:
    mentions, name, first_key = (row[field] for field in fields)
    return person_rank(mentions, name, first_key)


__all__ = ["linked_rows", "passed_rows", "people_tables"]
