"""`quotewire spark`, also runnable as `python -m quotewire.spark` and by spark-submit."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from quotewire.corpus.commands import add_field_option, parse_fields
from quotewire.spark import CORPUS_STEPS, DRIVER_STEPS_QUOTES, TASKS_PER_CORE

_DESCRIPTION = (
    "Run the corpus pipeline as a Spark job: read every article of INPUT (WARC(.gz), "
    "JSONL(.gz), HTML or text files, folders of them, or Parquet with the columns id, text, "
    "url, outlet, published, title; paths, globs or any Hadoop filesystem URI such as "
    "hdfs:// or s3a://), drop repeats (same text or URL), extract the quotes on the "
    "executors (the models load once per Python worker), link speakers into people and "
    "group quotes into statements. Writes Parquet tables in the corpus database's schema "
    "under --out: articles, speakers, quotes, people, statements, statement_quotes and "
    "errors (the database's ingest_errors: a record that cannot be read or extracted is a "
    "row there and the job goes on). Ids are those `quotewire ingest` gives the same input "
    "in an empty database. Load the tables with `quotewire ingest --from-parquet DIR`. "
    "People and statements run on the executors for a large corpus and on the driver for a "
    "small one (--corpus-steps; see docs/spark.md)."
)


def add_spark_arguments(
    p: argparse.ArgumentParser, engine_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="files, folders, globs or URIs to read"
    )
    p.add_argument(
        "--out", required=True, metavar="DIR", help="where to write the tables (replaced)"
    )
    p.add_argument(
        "--master",
        metavar="URL",
        help="Spark master, e.g. local[2] or yarn (default: spark-submit's, else local[*])",
    )
    p.add_argument(
        "--input-format",
        choices=["auto", "files", "parquet"],
        default="auto",
        help="auto (default): an INPUT ending in .parquet is Parquet, any other is read as "
        "files by extension; parquet: every INPUT is Parquet (e.g. a folder of part files)",
    )
    add_field_option(p, "JSONL field or Parquet column")
    p.add_argument(
        "--partitions",
        type=int,
        metavar="N",
        help=f"split the articles into N extraction tasks (default: {TASKS_PER_CORE} per core)",
    )
    p.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting for a session this command starts, e.g. "
        "--conf spark.executor.memory=3g; repeat for several",
    )
    p.add_argument(
        "--corpus-steps",
        choices=CORPUS_STEPS,
        default="auto",
        help="where people across articles and statements run: executors (Spark jobs), "
        "driver (in the driver's memory; faster for a small corpus) or auto (default: the "
        f"driver up to {DRIVER_STEPS_QUOTES:,} quotes); the tables are the same",
    )
    p.add_argument(
        "--keep-stage",
        action="store_true",
        help="keep the intermediate tables under DIR/_stage (default: removed at the end)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    engine_options(p)


def _conf(pairs: list[str]) -> dict[str, str]:
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"quotewire spark: --conf {pair!r}: use KEY=VALUE")
        conf[key] = value
    return conf


def cmd_spark(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field, "spark")
    conf = _conf(args.conf)
    if args.partitions is not None and args.partitions < 1:
        raise SystemExit("quotewire spark: --partitions must be at least 1")
    try:
        from quotewire.spark.job import run_job, session
    except ImportError as exc:  # pyspark is an optional extra
        raise SystemExit(
            f"quotewire spark: {exc.name or exc} is not installed; pip install 'quotewire[spark]'"
        ) from None
    spark = session(args.master, conf, quiet=args.quiet)
    try:
        summary = run_job(
            spark,
            args.inputs,
            args.out,
            input_format=args.input_format,
            fields=fields,
            use_model=not args.rules_only,
            direct_only=args.direct_only,
            partitions=args.partitions,
            keep_stage=args.keep_stage,
            corpus_steps=args.corpus_steps,
            quiet=args.quiet,
        )
    except Exception as exc:
        from pyspark.errors import AnalysisException

        if isinstance(exc, AnalysisException):  # a missing input, mostly: say it plainly
            raise SystemExit(f"quotewire spark: {str(exc).splitlines()[0]}") from None
        raise
    finally:
        spark.stop()
    if args.json:
        print(json.dumps(summary.__dict__, indent=1))
    seconds = summary.seconds["total"]
    print(
        f"spark: {summary.describe()}; {seconds:.1f} s on {summary.cores} cores "
        f"({summary.read / max(seconds, 1e-9):.2f} articles/s); tables in {args.out}",
        file=sys.stderr,
    )
    return 0


def add_spark_command(
    sub: argparse._SubParsersAction, engine_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "spark", help="the corpus pipeline as a Spark job, to Parquet", description=_DESCRIPTION
    )
    add_spark_arguments(p, engine_options)
    p.set_defaults(func=cmd_spark)


def main(argv: list[str] | None = None) -> int:
    """`python -m quotewire.spark` and spark-submit: the `quotewire spark` command alone.
    `--entry-point` prints the path of the file to hand spark-submit."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--entry-point"]:
        print(Path(__file__).with_name("__main__.py"))
        return 0
    from quotewire.cli import _engine_options

    parser = argparse.ArgumentParser(prog="python -m quotewire.spark", description=_DESCRIPTION)
    add_spark_arguments(parser, _engine_options)
    return cmd_spark(parser.parse_args(argv))
