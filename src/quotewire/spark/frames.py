"""What the Spark job's steps share: Python over rows (row by row, and group by group),
numbering rows in an order, and writing a table.

Groups are made by a shuffle on the key and a sort within each partition, then walked in one
Python call per partition; Spark's grouped map (`applyInArrow`) makes one Arrow round trip per
group instead, which costs more than the work for the many small groups here (a surname's
mentions, a person's quotes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from quotewire.spark.tables import arrow_schema, ddl

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Row = dict[str, Any]
_ROWS_PER_BATCH = 4096


def to_batches(
    rows: Iterable[Row], columns: list[tuple[str, str]], size: int = _ROWS_PER_BATCH
) -> Iterator[Any]:
    """Arrow record batches of `size` rows (dicts of `columns`)."""
    import pyarrow as pa

    schema = arrow_schema(columns)
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def _rows(batches: Iterable[Any]) -> Iterator[Row]:
    for batch in batches:
        yield from batch.to_pylist()


def _each_row(
    batches: Iterable[Any], each: Callable[[Row], Iterable[Row]], columns: list[tuple[str, str]]
) -> Iterator[Any]:
    return to_batches((out for row in _rows(batches) for out in each(row)), columns)


def _each_group(
    batches: Iterable[Any],
    key: str,
    each: Callable[[list[Row]], Iterable[Row]],
    columns: list[tuple[str, str]],
) -> Iterator[Any]:
    def groups() -> Iterator[Row]:
        group: list[Row] = []
        for row in _rows(batches):  # sorted by key within the partition
            if group and row[key] != group[0][key]:
                yield from each(group)
                group = []
            group.append(row)
        if group:
            yield from each(group)

    return to_batches(groups(), columns)


def map_rows(
    frame: DataFrame, each: Callable[[Row], Iterable[Row]], columns: list[tuple[str, str]]
) -> DataFrame:
    """`each(row)` (a dict) yields the output rows (dicts of `columns`) of one input row."""
    return frame.mapInArrow(partial(_each_row, each=each, columns=columns), ddl(columns))


def map_groups(
    frame: DataFrame,
    key: str,
    each: Callable[[list[Row]], Iterable[Row]],
    columns: list[tuple[str, str]],
    partitions: int,
) -> DataFrame:
    """`each(rows)` yields the output rows (dicts of `columns`) of all the rows with one value
    of `key` (null is a value too)."""
    grouped = frame.repartition(partitions, key).sortWithinPartitions(key)
    return grouped.mapInArrow(
        partial(_each_group, key=key, each=each, columns=columns), ddl(columns)
    )


def driver_frame(spark: SparkSession, columns: list[tuple[str, str]], rows: list[Any]) -> DataFrame:
    """A DataFrame of rows (tuples) held by the driver, through Arrow (fast for millions)."""
    import pyarrow as pa

    schema = arrow_schema(columns)
    values = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    arrays = [pa.array(v, type=t) for v, t in zip(values, schema.types, strict=True)]
    return spark.createDataFrame(pa.Table.from_arrays(arrays, schema=schema))


def write_table(frame: DataFrame, out: str, name: str, order: str = "id") -> None:
    """Write one output table as Parquet under `out`, in `order`, replacing what is there."""
    frame.orderBy(order).write.mode("overwrite").parquet(f"{out}/{name}")


def number_in_order(
    df: DataFrame, keys: list[str], counts: Sequence[str] = ()
) -> tuple[DataFrame, list[int]]:
    """The `keys` of each row of `df` in their order, with `_n` (0, 1, ...) and, per column c
    of `counts`, `_before_c`: the sum of c over the rows before it; and the totals (rows,
    then each count). A distributed sort by range; the driver sees one total per partition and
    hands back each partition's start. All in the JVM: no row passes through Python."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    spark = df.sparkSession
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))
    zeroed = [F.coalesce(F.col(c), F.lit(0)).alias(c) for c in counts]
    # Cached: the totals and the numbering must see the same partitions.
    ordered = (
        df.select(*keys, *zeroed)
        .repartitionByRange(parts, *keys)
        .withColumn("_part", F.spark_partition_id())
        .cache()
    )
    totals = ordered.groupBy("_part").agg(F.count("*"), *(F.sum(c) for c in counts)).collect()
    starts, running = [], [0] * (len(counts) + 1)
    for part, *sums in sorted(totals):
        starts.append((part, *running))
        running = [r + (v or 0) for r, v in zip(running, sums, strict=True)]
    schema = [("_part", "int"), ("_start", "long")] + [(f"_start_{c}", "long") for c in counts]
    offsets = spark.createDataFrame(starts, ddl(schema))
    in_part = Window.partitionBy("_part").orderBy(*keys)
    before = in_part.rowsBetween(Window.unboundedPreceding, -1)
    numbered = ordered.join(F.broadcast(offsets), "_part").select(
        *keys,
        (F.row_number().over(in_part) - 1 + F.col("_start")).alias("_n"),
        *(
            (F.coalesce(F.sum(c).over(before), F.lit(0)) + F.col(f"_start_{c}")).alias(
                f"_before_{c}"
            )
            for c in counts
        ),
    )
    return numbered, running


__all__ = [
    "Row",
    "driver_frame",
    "map_groups",
    "map_rows",
    "number_in_order",
    "to_batches",
    "write_table",
]
