"""The corpus pipeline as one Spark job: read -> extract -> number -> people -> statements, each
reading and writing tables, with Parquet tables in the database's schema as the result.

What runs where:
- Reading (WARC, JSONL, HTML/text files as bytes through Spark's binaryFile source, so any
  Hadoop filesystem works; Parquet through Spark's reader), de-duplication (same text or same
  URL: the first in input order is kept, as `ingest` does) and extraction (`mapInArrow`, the
  spaCy and attribution models loaded once per Python worker) run on the executors.
- Ids are the ones `quotewire ingest` would give the same input in an empty SQLite database
  (articles, speakers and quotes numbered in input order). They are counted out per partition
  of a distributed sort, so only a few numbers per partition reach the driver.
- People across articles (spark/people.py) and statements (spark/statements.py) run on the
  executors too, with the very code `ingest` runs: people in blocks of one surname or name,
  their co-mention counts as joins across blocks; statements per person, the same words
  given to other people found by a join on shingles.
- A record that cannot be read or extracted becomes a row of the errors table; the job goes on.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from quotewire.corpus.ingest import failure_row
from quotewire.corpus.store import (
    article_rows,
    content_hash,
    now,
)
from quotewire.model import Article, ReadError
from quotewire.read import ARTICLE_EXTENSIONS, MAX_ARTICLE_BYTES, read_file
from quotewire.read.checks import file_stem, to_read_error
from quotewire.read.jsonl import field_names, record_article, record_id
from quotewire.spark import CORPUS_STEPS, DRIVER_STEPS_QUOTES, TASKS_PER_CORE
from quotewire.spark.frames import driver_frame, number_in_order, to_batches, write_table
from quotewire.spark.people import people_on_driver, people_tables
from quotewire.spark.statements import statement_tables, statements_on_driver
from quotewire.spark.tables import (
    EXTRACTED,
    KEY,
    QUOTE_STRUCT,
    READ,
    SPEAKER_STRUCT,
    TABLES,
    arrow_schema,
    ddl,
    struct_ddl,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from quotewire.extract.pipeline import Extractor

KEY_NAMES = [name for name, _ in KEY]
_READ_NAMES = [name for name, _ in READ]
_EXTRACTED_NAMES = [name for name, _ in EXTRACTED]
_ROWS_PER_BATCH = 256  # Arrow batch of read records handed on at once
_ROW_BITS = 33  # monotonically_increasing_id: partition << 33 | row within the partition


@dataclass
class SparkSummary:
    """What one job did, and how long each step took."""

    read: int = 0  # articles read from the inputs
    articles: int = 0  # written (after de-duplication, without failures)
    skipped: int = 0  # the same text or URL as an earlier article
    quotes: int = 0
    speakers: int = 0
    people: int = 0
    statements: int = 0
    errors: int = 0
    cores: int = 0  # Spark's default parallelism
    seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        return (
            f"{self.read} articles read: {self.articles} written with {self.quotes} quotes, "
            f"{self.skipped} repeated; {self.errors} errors; {self.people} people, "
            f"{self.statements} statements"
        )


# -- on the executors -----------------------------------------------------------------------

_extractors: dict[tuple[bool, bool], Extractor] = {}  # one per Python worker, made once


def _extractor(use_model: bool, direct_only: bool) -> Extractor:
    """This worker's extractor: the spaCy and attribution models load on its first batch
    and stay for every later task the worker runs (Spark reuses Python workers)."""
    from quotewire.extract.pipeline import Extractor

    key = (use_model, direct_only)
    if key not in _extractors:
        extractor = Extractor(use_model=use_model, direct_only=direct_only)
        extractor.nlp, extractor.model  # noqa: B018  (load both before the first article)
        _extractors[key] = extractor
    return _extractors[key]


def local_path(uri: str) -> str:
    """'file:/data/a.jsonl' -> '/data/a.jsonl' (errors then name files as `ingest` does);
    other filesystems' URIs stay as they are."""
    return unquote(urlsplit(uri).path) if uri.startswith("file:") else uri


def _read_row(src: int, file: str, seq: int, item: Article | ReadError) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(_READ_NAMES)
    row.update(_src=src, _file=file, _seq=seq)
    if isinstance(item, Article):
        try:
            values = {
                "input_id": item.id,
                "text": item.text,
                "url": item.url,
                "outlet": item.outlet,
                "published": item.published,
                "title": item.title,
                "source": item.source,
                "extra": json.dumps(item.extra, ensure_ascii=False, default=str),
                "content_hash": content_hash(item.text),
            }
            for value in values.values():
                if value is not None:
                    value.encode("utf-8")  # Arrow holds UTF-8 only
            row.update(values)
            return row
        except UnicodeEncodeError:
            item = ReadError(item.id, item.source or item.id, "text is not valid Unicode")
    place, position, input_id, reason = failure_row(item, item)
    row.update(file=place, position=position, input_id=input_id, reason=reason, at=now())
    return row


def _file_records(
    path: str, data: bytes, max_bytes: int, fields: Mapping[str, str] | None
) -> Iterator[Article | ReadError]:
    try:
        yield from read_file(path, max_bytes, fields, data)
    except Exception as exc:  # readers catch their own errors; one file never ends the job
        yield to_read_error(exc, file_stem(path), path)


def read_files(
    batches: Iterable[Any], max_bytes: int, fields: Mapping[str, str] | None
) -> Iterator[Any]:
    """mapInArrow: binaryFile rows (_src, path, content) -> READ rows, one per record."""

    def rows() -> Iterator[dict[str, Any]]:
        for batch in batches:
            for src, uri, content in zip(
                batch.column("_src").to_pylist(),
                batch.column("path").to_pylist(),
                batch.column("content").to_pylist(),
                strict=True,
            ):
                records = _file_records(local_path(uri), content, max_bytes, fields)
                for seq, item in enumerate(records):
                    yield _read_row(src, uri, seq, item)

    yield from to_batches(rows(), READ, _ROWS_PER_BATCH)


def read_records(
    batches: Iterable[Any], max_bytes: int, fields: Mapping[str, str] | None
) -> Iterator[Any]:
    """mapInArrow: Parquet rows (their columns + _src, _file, _seq) -> READ rows."""
    names = field_names(fields)

    def rows() -> Iterator[dict[str, Any]]:
        for batch in batches:
            for record in batch.to_pylist():
                src, uri, seq = record.pop("_src"), record.pop("_file"), record.pop("_seq")
                path = local_path(uri)
                row = seq & ((1 << _ROW_BITS) - 1)  # the row within its file (or split)
                source = f"{path}#{row}"
                article_id = record_id(record, f"{file_stem(path)}#{row}", names)
                try:
                    item: Article | ReadError = record_article(
                        record, article_id, source, max_bytes, names
                    )
                except Exception as exc:  # a bad row costs that row only
                    item = to_read_error(exc, article_id, source)
                yield _read_row(src, uri, seq, item)

    yield from to_batches(rows(), READ, _ROWS_PER_BATCH)


def _extracted_row(extractor: Extractor, record: dict[str, Any]) -> dict[str, Any]:
    from quotewire.extract.pipeline import _extract_or_pass

    row: dict[str, Any] = dict.fromkeys(_EXTRACTED_NAMES)
    row.update({name: record[name] for name in KEY_NAMES})
    if record["reason"] is not None:  # could not be read: passed through
        row.update({k: record[k] for k in ("file", "position", "input_id", "reason", "at")})
        return row
    article = Article(
        id=record["input_id"],
        text=record["text"],
        url=record["url"],
        outlet=record["outlet"],
        published=record["published"],
        title=record["title"],
        source=record["source"],
        extra=json.loads(record["extra"]),
    )
    row["content_hash"] = record["content_hash"]  # kept on failure too: it was an article
    try:
        result = _extract_or_pass(extractor, article)
        if not result.error:
            rows = article_rows(article, result)
            row.update(rows.article)
            row["speaker_count"] = len(rows.speakers)
            row["speakers"] = json.dumps(rows.speakers, ensure_ascii=False)
            row["quotes"] = json.dumps(rows.quotes, ensure_ascii=False)
            return row
        place, position, input_id, reason = failure_row(article, result)
    except Exception as exc:  # the extractor catches its own; this guards the row building
        place, position, input_id, reason = failure_row(
            article, ReadError(article.id, article.source or article.id, f"failed: {exc!r}")
        )
    row.update(file=place, position=position, input_id=input_id, reason=reason, at=now())
    return row


def extract_records(
    batches: Iterable[Any],
    use_model: bool,
    direct_only: bool,
    done: Any = None,
    failed: Any = None,
) -> Iterator[Any]:
    """mapInArrow: READ rows -> EXTRACTED rows (an article with its speakers and quotes, or
    an error). `done` and `failed` are accumulators of records handled and of error rows, for
    the driver's progress line and to skip numbering errors when there are none."""
    import pyarrow as pa

    schema = arrow_schema(EXTRACTED)
    extractor = _extractor(use_model, direct_only)
    for batch in batches:
        rows = [_extracted_row(extractor, record) for record in batch.to_pylist()]
        if done is not None:
            done.add(len(rows))
        if failed is not None:
            failed.add(sum(row["reason"] is not None for row in rows))
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


# -- on the driver --------------------------------------------------------------------------


def session(
    master: str | None = None, conf: Mapping[str, str] | None = None, quiet: bool = False
) -> SparkSession:
    """A SparkSession (the one spark-submit made, or a new one on `master`)."""
    import os

    from pyspark.sql import SparkSession

    # Local workers run this Python (with quotewire installed); on a cluster the
    # spark.pyspark.python setting of spark-submit takes precedence over this.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("quotewire")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.showConsoleProgress", "false" if quiet else "true")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _inputs(
    spark: SparkSession, inputs: list[str], input_format: str, max_bytes: int, fields: Any
) -> DataFrame:
    """READ rows of every input: Parquet through Spark's reader, anything else as files."""
    from pyspark.sql import functions as F

    frames = []
    for src, pattern in enumerate(inputs):
        parquet = input_format == "parquet" or (
            input_format == "auto" and pattern.rstrip("/").lower().endswith(".parquet")
        )
        if parquet:
            df = spark.read.parquet(pattern)
            df = df.select(
                "*",
                F.lit(src).alias("_src"),
                F.col("_metadata.file_path").alias("_file"),
                F.monotonically_increasing_id().alias("_seq"),
            )
            reader: Callable[..., Iterator[Any]] = read_records
        else:
            df = (
                spark.read.format("binaryFile")
                .option("recursiveFileLookup", "true")
                .load(pattern)
                .select(F.lit(src).alias("_src"), "path", "content")
            )
            wanted = F.lit(False)
            for extension in ARTICLE_EXTENSIONS:
                wanted = wanted | F.lower("path").endswith(extension)
            df = df.filter(wanted)
            reader = read_files
        frames.append(df.mapInArrow(partial(reader, max_bytes=max_bytes, fields=fields), ddl(READ)))
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def _first_in_order(articles: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(kept, repeated): an article whose text or URL an earlier one has is a repeat."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = [F.col(c) for c in KEY_NAMES]
    rank = F.row_number().over(Window.partitionBy("content_hash").orderBy(*order))
    ranked = articles.withColumn("_rank", rank)
    unique_text = ranked.filter("_rank = 1")
    # Articles without a URL are each their own group (their text hash is unique by now).
    by_url = F.coalesce(F.col("url"), F.concat(F.lit("#"), F.col("content_hash")))
    ranked_url = unique_text.withColumn(
        "_rank", F.row_number().over(Window.partitionBy(by_url).orderBy(*order))
    )
    kept = ranked_url.filter("_rank = 1").drop("_rank")
    repeated = ranked.filter("_rank > 1").unionByName(ranked_url.filter("_rank > 1"))
    return kept, repeated.drop("_rank")


def _typed(df: DataFrame, table: str) -> DataFrame:
    """`df` with exactly the table's columns, in its order and of its types."""
    from pyspark.sql import functions as F

    return df.select(*(F.col(name).cast(kind).alias(name) for name, kind in TABLES[table]))


class _Progress:
    """'spark extract: N records (R/s)' on stderr every few seconds while a step runs."""

    def __init__(self, counter: Any, label: str, quiet: bool) -> None:
        self.counter, self.label, self.quiet = counter, label, quiet
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Progress:
        if not self.quiet:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self) -> None:
        interval = 2.0 if sys.stderr.isatty() else 15.0
        while not self.stop.wait(interval):
            done = self.counter.value
            rate = done / max(time.monotonic() - self.started, 1e-9)
            _say(f"{self.label}: {done} records ({rate:.1f}/s)", False)


def _say(text: str, quiet: bool) -> None:
    if not quiet:
        print(f"quotewire spark: {text}", file=sys.stderr, flush=True)


def _delete(spark: SparkSession, path: str) -> None:
    """Remove a folder on whatever filesystem holds it (through Hadoop's FileSystem)."""
    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # type: ignore[attr-defined]
    target = jvm.org.apache.hadoop.fs.Path(path)
    target.getFileSystem(conf).delete(target, True)


def run_job(
    spark: SparkSession,
    inputs: list[str],
    out: str,
    *,
    input_format: str = "auto",
    fields: Mapping[str, str] | None = None,
    use_model: bool = True,
    direct_only: bool = False,
    partitions: int | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    keep_stage: bool = False,
    corpus_steps: str = "auto",
    quiet: bool = False,
) -> SparkSummary:
    """Extract every article of `inputs` (paths, globs or URIs) and write the corpus tables
    as Parquet under `out` (articles, speakers, quotes, people, statements,
    statement_quotes, errors), replacing any that are there. `corpus_steps` says where
    people and statements run: "executors", "driver", or "auto" (the driver for up to
    DRIVER_STEPS_QUOTES quotes)."""
    from pyspark.sql import functions as F

    if corpus_steps not in CORPUS_STEPS:
        raise ValueError(f"corpus_steps must be one of {', '.join(CORPUS_STEPS)}")
    out = out.rstrip("/")
    stage = f"{out}/_stage"
    summary = SparkSummary(cores=spark.sparkContext.defaultParallelism)
    # Small Arrow batches: an article takes a fraction of a second, and a batch is held whole.
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    # A file is read whole by one task: as many tasks as files, not a few small files per task.
    spark.conf.set("spark.sql.files.openCostInBytes", str(64 << 20))
    partitions = partitions or summary.cores * TASKS_PER_CORE
    # The steps after extraction shuffle narrow rows: two partitions per core, not Spark's
    # default 200 nor the extraction's many small tasks (each partition costs a task, and a
    # Python task in the grouped steps), unless the user set it.
    if not spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        spark.conf.set("spark.sql.shuffle.partitions", str(summary.cores * 2))
    shuffled = int(spark.conf.get("spark.sql.shuffle.partitions"))
    began = time.monotonic()

    # 1. Read, drop repeats, extract; the result is staged so extraction runs once.
    _say(f"reading and extracting {', '.join(inputs)} in {partitions} partitions", quiet)
    records = _inputs(spark, inputs, input_format, max_bytes, dict(fields or {}))
    articles = records.filter(F.col("reason").isNull())
    kept, repeated = _first_in_order(articles)
    todo = kept.unionByName(records.filter(F.col("reason").isNotNull())).repartition(partitions)
    done, failures = spark.sparkContext.accumulator(0), spark.sparkContext.accumulator(0)
    extract = partial(
        extract_records, use_model=use_model, direct_only=direct_only, done=done, failed=failures
    )
    extracted = todo.mapInArrow(extract, ddl(EXTRACTED))
    with _Progress(done, "extract", quiet):
        extracted.write.mode("overwrite").parquet(f"{stage}/extracted")
        repeated.select(*KEY_NAMES).write.mode("overwrite").parquet(f"{stage}/repeated")
    summary.seconds["extract"] = time.monotonic() - began

    # 2. Ids in input order, then the article, speaker, quote and error tables.
    step = time.monotonic()
    staged = spark.read.parquet(f"{stage}/extracted")
    ok = staged.filter(F.col("reason").isNull())
    ids, (summary.articles, summary.speakers, summary.quotes) = number_in_order(
        ok, KEY_NAMES, ["speaker_count", "quote_count"]
    )
    ids = ids.cache()
    numbered = ok.join(ids, KEY_NAMES)
    article_id = (F.col("_n") + 1).alias("article_id")
    write_table(_typed(numbered.withColumn("id", F.col("_n") + 1), "articles"), out, "articles")
    speakers = numbered.select(
        article_id,
        F.col("_before_speaker_count").alias("_base"),
        F.posexplode(F.from_json("speakers", f"array<{struct_ddl(SPEAKER_STRUCT)}>")),
    ).select("*", "col.*")
    speakers = speakers.withColumn("id", F.col("_base") + F.col("pos") + 1)
    quotes = numbered.select(
        article_id,
        F.col("_before_speaker_count").alias("_speakers"),
        F.col("_before_quote_count").alias("_base"),
        F.posexplode(F.from_json("quotes", f"array<{struct_ddl(QUOTE_STRUCT)}>")),
    ).select("*", "col.*")
    quotes = quotes.withColumn("id", F.col("_base") + F.col("pos") + 1).withColumn(
        "speaker_id", F.col("_speakers") + F.col("speaker_index") + 1
    )
    quotes = _typed(quotes, "quotes")
    write_table(quotes, out, "quotes")
    if failures.value:  # (a retried task may count twice: only "none" is used)
        failed = staged.filter(F.col("reason").isNotNull()).dropDuplicates(["file", "position"])
        error_ids, (summary.errors,) = number_in_order(failed, KEY_NAMES)
        errors = _typed(
            failed.join(error_ids, KEY_NAMES).withColumn("id", F.col("_n") + 1), "errors"
        )
    else:
        errors = driver_frame(spark, TABLES["errors"], [])
    write_table(errors, out, "errors")
    summary.seconds["tables"] = time.monotonic() - step

    # 3. People across articles (blocks of one surname or name on the executors), and 4.
    # statements (per person on the executors); on the driver for a small corpus.
    on_driver = corpus_steps == "driver" or (
        corpus_steps == "auto" and summary.quotes <= DRIVER_STEPS_QUOTES
    )
    where = "on the driver" if on_driver else "on the executors"
    step = time.monotonic()
    _say(f"linking speakers into people across articles {where}", quiet)
    if on_driver:
        linked, summary.people = people_on_driver(spark, speakers, out)
    else:
        linked, summary.people = people_tables(speakers, out, shuffled)
    write_table(_typed(speakers.join(linked, "id", "left"), "speakers"), out, "speakers")
    summary.seconds["people"] = time.monotonic() - step

    step = time.monotonic()
    _say(f"grouping quotes into statements {where}", quiet)
    said = (
        spark.read.parquet(f"{out}/quotes")
        .filter(F.col("repeat_of").isNull())
        .join(
            spark.read.parquet(f"{out}/speakers").select(
                F.col("id").alias("speaker_id"), "person_id"
            ),
            "speaker_id",
            "left",
        )
        .select("id", "article_id", "text", "type", "fragments", "start_char", "person_id")
    )
    if on_driver:
        summary.statements = statements_on_driver(spark, said, out)
    else:
        summary.statements = statement_tables(said, out, shuffled)
    summary.seconds["statements"] = time.monotonic() - step

    summary.skipped = spark.read.parquet(f"{stage}/repeated").count()
    # Read errors are not articles; articles whose extraction failed are (they keep their hash).
    failed_articles = staged.filter(F.col("content_hash").isNotNull()).count() - summary.articles
    summary.read = summary.articles + summary.skipped + failed_articles
    if not keep_stage:
        _delete(spark, stage)
    summary.seconds["total"] = time.monotonic() - began
    return summary


__all__ = ["SparkSummary", "local_path", "run_job", "session"]
