"""People across articles as a Spark job, in the three steps `link_people` takes: passes 1
and 2 per block of mentions on the executors (`first_passes`: a surname, or an
organisation's name), pass 3's co-mention counts as joins across blocks (what
`comention_scores` counts), then each block's decisions and people on the executors again
(`Block.people`). Ids are counted out in `person_rank`'s order, as `ingest` numbers a new
corpus, so the people table and the speakers' person ids equal `ingest`'s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from quotewire.corpus.people import Block, block_of, first_passes, link_people
from quotewire.corpus.store import number_people, speaker_mention
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


def _with_block(row: Row) -> Iterator[Row]:
    """A speaker row with its block (none for a mention that is no one's name)."""
    block = block_of(speaker_mention(row))
    if block is not None:
        yield {**row, "block": block}


def _passes(rows: list[Row]) -> Block:
    """Passes 1 and 2 over one block's rows."""
    return first_passes(rows[0]["block"], (speaker_mention(row) for row in rows))


def _passed_rows(rows: list[Row]) -> Iterator[Row]:
    """One block's mentions -> _PASSED rows."""
    done = _passes(rows)
    open_names = done.open_candidates()
    for row in rows:
        yield {
            "id": row["id"],
            "article_id": row["article_id"],
            "label": done.labels.get(row["id"]),
            "candidates": open_names.get(row["id"]),
        }


def _linked_rows(rows: list[Row]) -> Iterator[Row]:
    """One block's mentions with their co-mention scores -> _LINKED rows."""
    scores = {row["id"]: json.loads(row["scores"]) for row in rows if row["scores"]}
    # Passes 1 and 2 are run again here: cheaper than shipping the block's persons between
    # the two grouped steps, and they decide the same way every time.
    for person in _passes(rows).people(scores):
        shared = {
            "first_key": person.keys[0],
            "mentions": len(person.keys),
            "name": person.name,
            "kind": person.kind,
            "aliases": json.dumps(person.aliases, ensure_ascii=False),
        }
        for key in person.keys:
            yield {"id": key, **shared, "evidence": person.evidence.get(key)}


# -- on the driver --------------------------------------------------------------------------


def people_tables(speakers: DataFrame, out: str, partitions: int) -> tuple[DataFrame, int]:
    """Link `speakers` (rows of id, article_id, name, kind, aliases) into people; write the
    people table under `out`. Returns (id, person_id, evidence) of every linked speaker and
    how many people there are."""
    from pyspark.sql import functions as F

    named = speakers.select(*(name for name, _ in _SPEAKERS))
    blocked = map_rows(named, _with_block, _BLOCKED).cache()
    passed = map_groups(blocked, "block", _passed_rows, _PASSED, partitions).cache()

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
    linked = map_groups(scored, "block", _linked_rows, _LINKED, partitions).cache()

    # Ids in person_rank's order (larger first, then by name: Spark orders strings by code
    # point, as Python does), 1, 2, ... as a new corpus gets them.
    persons = (
        linked.select(*(name for name, _ in _LINKED[1:-1]))
        .distinct()
        .withColumn("_fewer", -F.col("mentions"))
    )
    ranks, _ = number_in_order(persons, ["_fewer", "name", "first_key"])
    numbered = (
        persons.join(ranks.select("first_key", "_n"), "first_key")
        .withColumn("person_id", F.col("_n") + 1)
        .cache()
    )
    people = numbered.select(
        F.col("person_id").alias("id"), *(name for name, _ in TABLES["people"][1:])
    )
    write_table(people, out, "people")
    assignment = linked.join(numbered.select("first_key", "person_id"), "first_key").select(
        "id", "person_id", "evidence"
    )
    count = numbered.count()
    blocked.unpersist()
    passed.unpersist()
    return assignment, count


def people_on_driver(spark: SparkSession, speakers: DataFrame, out: str) -> tuple[DataFrame, int]:
    """`people_tables` with `link_people` itself on the driver, for a corpus small enough
    that Spark's stages cost more than the linking (the same result)."""
    rows = [row.asDict() for row in speakers.select(*(n for n, _ in _SPEAKERS)).toLocalIterator()]
    people, assignment = number_people(rows, link_people, {})
    write_table(driver_frame(spark, TABLES["people"], people), out, "people")
    linked = [(key, pid, why) for key, (pid, why) in assignment.items() if pid is not None]
    columns = [("id", "long"), ("person_id", "long"), ("evidence", "string")]
    return driver_frame(spark, columns, linked), len(people)


__all__ = ["people_on_driver", "people_tables"]
