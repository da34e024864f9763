"""The Spark job in local[2]: its Parquet tables hold what `quotewire ingest` stores for the
same input (the same rows, ids included, with people and statements on the executors), a
broken record is a row of the errors table, and `ingest --from-parquet` loads the tables into
SQLite and PostgreSQL. The people and statements steps, on the executors and on the driver,
give ingest's rows on hard cases too.

One job runs for the whole module (Spark takes a while to start); the tests read its output.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

pytest.importorskip("pyspark")

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from quotewire.cli import main  # noqa: E402
from quotewire.corpus import Corpus  # noqa: E402
from quotewire.corpus.people import link_people  # noqa: E402
from quotewire.corpus.statements import group_statements  # noqa: E402
from quotewire.corpus.store import number_people, number_statements, statement_rows  # noqa: E402
from quotewire.spark.job import session  # noqa: E402
from quotewire.spark.people import people_on_driver, people_tables  # noqa: E402
from quotewire.spark.statements import statement_tables, statements_on_driver  # noqa: E402
from quotewire.spark.tables import DB_TABLE, TABLES, ddl  # noqa: E402

from .test_corpus import FIELDS, ingest_cli, make_inputs  # noqa: E402
from .test_people import BUSHES, CLINTONS, corpus, p  # noqa: E402

# Small and quiet: no web UI, few shuffle partitions.
SPARK_CONF = [
    "spark.ui.enabled=false",
    "spark.sql.shuffle.partitions=2",
    "spark.default.parallelism=2",
    "spark.driver.memory=1g",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, example_text: str) -> dict[str, Path]:
    """The inputs of test_corpus (every format, one damaged WARC record, four bad files), a
    Parquet file that repeats two of them and has a row without text; the job's output over
    both, and `ingest` into SQLite over the same folder."""
    root = tmp_path_factory.mktemp("spark")
    folder = make_inputs(root / "in", example_text)
    table = pa.table(
        {
            "doc": ["d1", "d2", "d3"],
            "body": [
                "The mayor said the bridge would reopen in May.",
                '"We will appeal," the company said in a statement on Friday.',
                None,
            ],
            "site": ["x.com", None, "y.com"],
        }
    )
    extra = root / "more.parquet"
    pq.write_table(table, extra)
    out = root / "out"
    conf = [arg for pair in SPARK_CONF for arg in ("--conf", pair)]
    status = main(
        ["spark", str(folder), str(extra), "--out", str(out), "--master", "local[2]"]
        + ["--partitions", "3", "--corpus-steps", "executors", "--quiet", *FIELDS, *conf]
    )
    assert status == 0
    db = str(root / "ingested.db")
    ingest_cli(folder, db)
    return {"folder": folder, "parquet": extra, "out": out, "db": Path(db)}


def _table(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / name).to_pylist()


def _db_rows(db: str, table: str) -> list[dict]:
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY 1")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def _without(rows: list[dict], *columns: str) -> list[dict]:
    return sorted(
        ({k: v for k, v in row.items() if k not in columns} for row in rows),
        key=lambda row: list(row.values())[0],
    )


def test_tables_have_the_database_columns_and_types(run: dict[str, Path]):
    with sqlite3.connect(run["db"]) as conn:
        for name, columns in TABLES.items():
            schema = pq.read_schema(next((run["out"] / name).glob("*.parquet")))
            db_columns = [row[1] for row in conn.execute(f"PRAGMA table_info({DB_TABLE[name]})")]
            assert schema.names == [c for c, _ in columns] == db_columns, name
            kinds = {"long": pa.int64(), "int": pa.int32(), "double": pa.float64()}
            for column, kind in columns:
                assert schema.field(column).type == kinds.get(kind, pa.string()), (name, column)


def test_spark_and_ingest_hold_the_same_quotes_speakers_and_people(run: dict[str, Path]):
    out, db = run["out"], str(run["db"])
    quotes = _table(out, "quotes")
    assert len(quotes) >= 10 and any(q["speaker_id"] for q in quotes)
    # Every row the same, ids included: the job numbers as ingest does.
    assert _without(quotes) == _without(_db_rows(db, "quotes"))
    for name in ("speakers", "people", "statements", "statement_quotes"):
        assert _without(_table(out, name)) == _without(_db_rows(db, name)), name
    assert _without(_table(out, "articles"), "ingested_at") == _without(
        _db_rows(db, "articles"), "ingested_at"
    )


def test_a_broken_record_is_a_row_of_errors_and_the_job_goes_on(run: dict[str, Path]):
    errors = _table(run["out"], "errors")
    # Spark's file sources pass over empty files, so empty.txt is no error there.
    ingested = [
        e for e in _db_rows(str(run["db"]), "ingest_errors") if Path(e["file"]).name != "empty.txt"
    ]
    # The folder's failures, as ingest records them (same files, positions and reasons) ...
    assert _without(errors[: len(ingested)], "at", "id") == _without(ingested, "at", "id")
    reasons = {Path(e["file"]).name: e for e in errors}
    assert reasons["crawl.warc.gz"]["position"].startswith("byte ")
    assert "truncated" in reasons["crawl.warc.gz"]["reason"]
    # ... and the Parquet row without text, by its row; its repeats of the folder are skipped.
    assert errors[-1]["file"] == str(run["parquet"]) and errors[-1]["position"] == "row 2"
    assert errors[-1]["input_id"] == "d3" and "body" in errors[-1]["reason"]
    assert len(errors) == len(ingested) + 1
    assert [e["id"] for e in errors] == list(range(1, len(errors) + 1))


def test_from_parquet_loads_what_ingest_stores(run: dict[str, Path], tmp_path: Path):
    loaded = str(tmp_path / "loaded.db")
    assert main(["ingest", "--from-parquet", str(run["out"]), "--db", loaded, "--quiet"]) == 0
    db = str(run["db"])
    for table in ("quotes", "speakers", "people", "statements", "statement_quotes"):
        assert _db_rows(loaded, table) == _db_rows(db, table), table
    with Corpus(loaded) as corpus, Corpus(db) as reference:
        assert corpus.counts() == reference.counts() | {"ingest_errors": len(corpus.errors())}
        assert corpus.search("plan") == reference.search("plan")
        assert [p["name"] for p in corpus.people()] == [p["name"] for p in reference.people()]
    # Again: every article is there already, so nothing is added.
    before = Corpus(loaded).counts()
    assert main(["ingest", "--from-parquet", str(run["out"]), "--db", loaded, "--quiet"]) == 0
    assert Corpus(loaded).counts() == before


def test_from_parquet_into_postgres(run: dict[str, Path], postgres_db: str):
    assert main(["ingest", "--from-parquet", str(run["out"]), "--db", postgres_db, "--quiet"]) == 0
    with Corpus(postgres_db) as server, Corpus(str(run["db"])) as lite:
        assert server.counts()["quotes"] == lite.counts()["quotes"]
        assert server.counts()["people"] == lite.counts()["people"]
        found = {row["quote"] for row in server.search(speaker="the minister", limit=None)}
        assert found == {row["quote"] for row in lite.search(speaker="the minister", limit=None)}


def test_from_parquet_needs_the_job_tables(tmp_path: Path):
    with pytest.raises(SystemExit, match="no such table"):
        main(["ingest", "--from-parquet", str(tmp_path), "--db", str(tmp_path / "x.db")])


def test_spark_submit_entry_point_is_the_module():
    printed = subprocess.run(
        [sys.executable, "-m", "quotewire.spark", "--entry-point"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(printed).is_file() and Path(printed).name == "__main__.py"


def _quote_row(qid: int, text: str, kind: str, person: int | None, article: int) -> dict:
    return {
        "id": qid,
        "article_id": article,
        "text": text,
        "type": kind,
        "fragments": json.dumps([[0, len(text)]]),
        "start_char": 0,
        "person_id": person,
    }


STATEMENT_INPUT_COLUMNS = [
    ("id", "long"),
    ("article_id", "long"),
    ("text", "string"),
    ("type", "string"),
    ("fragments", "string"),
    ("start_char", "int"),
    ("person_id", "long"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """A session for the tests of single steps (made after the module's job has stopped its
    own)."""
    session_ = session("local[2]", dict(pair.split("=", 1) for pair in SPARK_CONF), quiet=True)
    yield session_
    session_.stop()


def test_people_job_links_as_ingest_does(spark: SparkSession, tmp_path: Path):
    """Two Clintons, three Bushes, co-mentions that decide and that do not, a surname the
    recogniser called an organisation, organisations by their normalised names, and mentions
    that are no one: the job's people and person ids equal ingest's."""
    org = "organisation"
    articles = [
        *CLINTONS,
        *BUSHES,
        ["Clinton", "Al Gore"],
        *(["Donald Trump", p("the White House", kind=org)] for _ in range(5)),
        [p("Trump", kind=org), p("White House", kind=org), "he"],
        [p("officials", kind="group"), p("US", kind=org), p("the United States", kind=org)],
    ]
    rows = [
        {
            "id": m.key + 1,
            "article_id": m.article + 1,
            "name": m.name,
            "kind": m.kind,
            "aliases": json.dumps(list(m.aliases)),
        }
        for m in corpus(*articles)
    ]
    people, assignment = number_people(rows, link_people, {})
    frame = spark.createDataFrame(
        rows, "id long, article_id long, name string, kind string, aliases string"
    )
    expected = {key: linked_to for key, linked_to in assignment.items() if linked_to[0]}
    evidence = " ".join(why for _, why in expected.values())
    assert "co-mentions decide" in evidence and "surname of Donald Trump" in evidence
    for where, out in (("executors", tmp_path / "e"), ("driver", tmp_path / "d")):
        if where == "executors":
            linked, count = people_tables(frame, str(out), 2)
        else:
            linked, count = people_on_driver(spark, frame, str(out))
        assert count == len(people), where
        assert [tuple(r.values()) for r in _table(out, "people")] == people, where
        found = {r["id"]: (r["person_id"], r["evidence"]) for r in linked.collect()}
        assert found == expected, where


def test_statements_job_groups_as_ingest_does(spark: SparkSession, tmp_path: Path):
    """Copies, cuts, a fuller version, a paraphrase beside its quote, the same words given to
    someone else, and quotes without a person: the job's tables equal ingest's rows."""
    said = [
        (1, "We have bombs, missiles and bullets. There is no barrel bombs", "direct", 7, 1),
        (2, "We have bombs... There is no barrel bombs", "direct", 7, 2),
        (3, "We have to do it", "direct", 7, 2),
        (4, "we have bombs missiles and bullets", "direct", 8, 3),
        (
            5,
            "he has bombs, missiles and bullets and there is no barrel bombs",
            "indirect",
            7,
            1,
        ),
        (6, "There is no cooperation with the United States at all", "direct", None, 3),
        (7, "There is no cooperation with the United States", "direct", None, 4),
        (8, "We cannot be in an alliance with countries which support terrorism", "direct", 9, 4),
        (9, "we can't be in an alliance with countries that support terrorism", "mixed", 9, 5),
        (10, "rigged", "mixed", 8, 5),
    ]
    rows = [_quote_row(*quote) for quote in said]
    expected = statement_rows(number_statements(rows, group_statements, {}, 1)[0])
    assert any(len(json.loads(s[3])) for s in expected[0])  # flags to compare
    assert any("other-speakers" in s[3] for s in expected[0])
    assert (5, "paraphrase") in {(m[0], m[2]) for m in expected[1]}
    frame = spark.createDataFrame(rows, ddl(STATEMENT_INPUT_COLUMNS))
    for where, out in (("executors", tmp_path / "e"), ("driver", tmp_path / "d")):
        if where == "executors":
            count = statement_tables(frame, str(out), 2)
        else:
            count = statements_on_driver(spark, frame, str(out))
        assert count == len(expected[0]), where
        assert [tuple(r.values()) for r in _table(out, "statements")] == expected[0], where
        members = [tuple(r.values()) for r in _table(out, "statement_quotes")]
        assert sorted(members) == sorted(expected[1]), where
