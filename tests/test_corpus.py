"""The corpus: ingest from every input format into SQLite and PostgreSQL, exactly once and
resumable after kill -9, with damaged records recorded; search, people and export."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotewire.cli import main
from quotewire.corpus import Corpus, queries
from quotewire.corpus.ingest import place_of
from quotewire.corpus.store import Store

from .conftest import polnear_split

QUOTEWIRE = str(Path(sys.executable).with_name("quotewire"))

# A second report of the Assad interview that never writes his full name.
REPORT = (
    "Syria rejects coalition\n\n"
    'President Assad said on Sunday that Syria "cannot be in an alliance with countries which '
    'support terrorism". "We have bombs, missiles and bullets," Mr Assad told the BBC.\n'
)


def html_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


def write_warc(path: Path, pages: list[tuple[str, bytes]], damaged: int | None = None) -> None:
    """A gzipped WARC of HTML responses (with a request record before each, as crawlers
    write them); record `damaged` loses its last bytes, as a cut-off download would."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    members: list[bytes] = []
    for url, body in pages:
        for record in (
            writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            ),
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                ),
            ),
        ):
            start = buffer.tell()
            writer.write_record(record)
            members.append(buffer.getvalue()[start:])
    if damaged is not None:
        index = 2 * damaged + 1  # the response of page `damaged`
        members[index] = members[index][:-40]
    path.write_bytes(b"".join(members))


@pytest.fixture
def inputs(tmp_path: Path, example_text: str) -> Path:
    return make_inputs(tmp_path / "in", example_text)


def make_inputs(folder: Path, example_text: str) -> Path:
    """A folder of every input format, with one damaged WARC record and four bad files:
    empty, binary, not UTF-8, and a truncated gzip."""
    folder.mkdir()
    (folder / "assad.txt").write_text(example_text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes("Le ministre a dit « non ».".encode("latin-1"))
    (folder / "broken.jsonl.gz").write_bytes(gzip.compress(b'{"id": "g1", "text": "x"}\n')[:-12])
    (folder / "report.html").write_bytes(html_page("Syria rejects coalition", REPORT))
    dump = [
        {"doc": "d1", "body": "The mayor said the bridge would reopen in May.", "site": "x.com"},
        {"doc": "d2", "body": '"We will appeal," the company said in a statement on Friday.'},
    ]
    (folder / "dump.jsonl").write_text("\n".join(json.dumps(d) for d in dump) + "\n")
    pages = [
        (
            f"https://www.bbc.co.uk/news/world-{n}",
            html_page(
                f"Story {n}",
                f'The minister said plan {n} would cut waiting times. "It is a good plan '
                f'for patients {n}," she told reporters in London.',
            ),
        )
        for n in range(4)
    ]
    write_warc(folder / "crawl.warc.gz", pages, damaged=1)
    return folder


FIELDS = ["--field", "id=doc", "--field", "text=body", "--field", "outlet=site"]


def ingest_cli(folder: Path, db: str, *extra: str) -> int:
    return main(["ingest", str(folder), "--db", db, "--workers", "1", "--quiet", *FIELDS, *extra])


def test_ingest_stores_every_good_article_and_records_each_failure(inputs: Path, tmp_path: Path):
    db = str(tmp_path / "quotes.db")
    assert ingest_cli(inputs, db) == 0
    with Corpus(db) as corpus:
        counts = corpus.counts()
        errors = corpus.errors()
        articles = corpus.store.rows("SELECT input_id, url, outlet, published FROM articles")
    # assad.txt, report.html, two JSONL lines, three good WARC pages of four.
    assert counts["articles"] == 7
    reasons = {Path(e["file"]).name: e for e in errors}
    assert set(reasons) == {
        "empty.txt",
        "binary.txt",
        "latin1.txt",
        "broken.jsonl.gz",
        "crawl.warc.gz",
    }
    assert "truncated" in reasons["broken.jsonl.gz"]["reason"]
    assert "UTF-8" in reasons["latin1.txt"]["reason"]
    warc_error = reasons["crawl.warc.gz"]
    assert warc_error["position"].startswith("byte ") and int(warc_error["position"][5:]) > 0
    assert "truncated" in warc_error["reason"] and warc_error["reason"].isprintable()
    by_id = {a["input_id"]: a for a in articles}
    crawled = [a for a in articles if a["url"] and "bbc.co.uk" in a["url"]]
    assert sorted(a["url"][-1] for a in crawled) == ["0", "2", "3"]
    assert {a["outlet"] for a in crawled} == {"bbc.co.uk"}
    assert all(a["published"] for a in crawled)  # the crawl date, when the page has none
    assert by_id["d1"]["outlet"] == "x.com"


def test_the_same_input_again_adds_nothing(inputs: Path, tmp_path: Path):
    db = str(tmp_path / "quotes.db")
    ingest_cli(inputs, db)
    with Corpus(db) as corpus:
        before = corpus.counts()
    ingest_cli(inputs, db)
    with Corpus(db) as corpus:
        assert corpus.counts() == before


def test_places_name_the_line_or_byte():
    assert place_of("/data/dump.jsonl:12") == ("/data/dump.jsonl", "line 12")
    assert place_of("/data/crawl.warc.gz@3456") == ("/data/crawl.warc.gz", "byte 3456")
    assert place_of("/data/a.txt") == ("/data/a.txt", "")


def _count_articles(db: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def _workers_of(db: str) -> list[int]:
    """Processes still running an ingest into `db` (none may outlive a killed ingest)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ingest" in command and db.encode() in command:
            found.append(int(pid))
    return found


QUOTES_WITH_PEOPLE = (
    "SELECT a.input_id, q.position, q.text, p.name AS person FROM quotes q "
    "JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id "
    "LEFT JOIN people p ON p.id = s.person_id"
)


def test_kill_9_and_rerun_completes_with_nothing_lost_or_doubled(tmp_path: Path):
    lines = polnear_split("dev").read_text(encoding="utf-8").splitlines()[:30]
    dump = tmp_path / "dev30.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = str(tmp_path / "reference.db")
    with Corpus(reference) as corpus:
        corpus.ingest([str(dump)], workers=1)
        expected = corpus.counts()
        expected_quotes = corpus.store.rows(QUOTES_WITH_PEOPLE)

    db = str(tmp_path / "killed.db")
    command = [QUOTEWIRE, "ingest", str(dump), "--db", db, "--workers", "2", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count_articles(db) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stored = _count_articles(db)
    assert 5 <= stored < 30, f"the kill came at {stored} articles; expected mid-run"
    time.sleep(0.5)
    assert _workers_of(db) == [], "workers outlived the killed ingest"

    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with Corpus(db) as corpus:
        assert corpus.counts() == expected
        quotes = corpus.store.rows(QUOTES_WITH_PEOPLE)
    # The same quotes, each given to the same person as by the uninterrupted run.
    key = lambda row: (row["input_id"], row["position"])  # noqa: E731
    assert sorted(quotes, key=key) == sorted(expected_quotes, key=key)
    assert sum(1 for row in quotes if row["person"]) > len(quotes) / 2


@pytest.fixture
def corpus_db(inputs: Path, tmp_path: Path) -> str:
    db = str(tmp_path / "quotes.db")
    ingest_cli(inputs, db)
    return db


def test_search_by_word_speaker_alias_outlet_type_and_date(corpus_db: str):
    with Corpus(corpus_db) as corpus:
        barrel = corpus.search("barrel bombs")
        assert barrel and all("barrel" in row["quote"].lower() for row in barrel)
        assert {row["speaker"] for row in barrel} == {"Bashar al-Assad"}
        # Any alias finds him, and his quotes from the article that never names him in full.
        for alias in ("Assad", "President Assad", "Bashar al-Assad"):
            rows = corpus.search(speaker=alias, limit=None)
            assert any("alliance with countries" in row["quote"] for row in rows), alias
            assert {row["speaker"] for row in rows} == {"Bashar al-Assad"}
        assert corpus.search("bombs", speaker="Clinton") == []
        direct = corpus.search(speaker="Assad", quote_type="direct", limit=None)
        assert direct and {row["type"] for row in direct} == {"direct"}
        bbc = corpus.search(outlet="bbc.co.uk", limit=None)
        assert bbc and all(row["outlet"] == "bbc.co.uk" for row in bbc)
        assert corpus.search(outlet="bbc.co.uk", since="2999-01-01") == []
        assert len(corpus.search(outlet="bbc.co.uk", until="2999-01-01", limit=None)) == len(bbc)


def test_search_and_people_from_the_command_line(corpus_db: str, capsys):
    main(["search", "alliance", "--speaker", "Assad", "--db", corpus_db, "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["speaker"] == "Bashar al-Assad" for row in rows)
    main(["people", "show", "Assad", "--db", corpus_db])
    shown = capsys.readouterr().out
    assert shown.startswith("Bashar al-Assad")
    assert "President Assad" in shown  # the other article's name for him, with its evidence
    main(["people", "--db", corpus_db, "--format", "json"])
    ranked = json.loads(capsys.readouterr().out)
    assert ranked[0]["name"] == "Bashar al-Assad" and ranked[0]["articles"] == 2


def test_people_named_in_their_own_name_come_before_those_named_in_an_alias(tmp_path: Path):
    # A speaker mention can be as loose as "Trump's anti-Clinton speech"; that alias must not
    # put Donald Trump first when someone looks for Clinton.
    with Store(str(tmp_path / "people.db")) as store:
        store.replace_people(
            [
                (1, "Donald Trump", "person", json.dumps(["Trump's anti-Clinton speech"])),
                (2, "Hillary Clinton", "person", json.dumps(["Clinton", "Mrs. Clinton"])),
                (3, "Bill Clinton", "person", json.dumps([])),
                (4, "Bernie Sanders", "person", json.dumps(["Sanders"])),
            ]
        )
        found = [person["name"] for person in queries.matching_people(store, "Clinton")]
    assert found == ["Hillary Clinton", "Bill Clinton", "Donald Trump"]


def test_search_refuses_a_date_that_is_not_one(corpus_db: str, capsys):
    for bad in ("garbage", "2015-13-01"):
        with pytest.raises(SystemExit):
            main(["search", "--since", bad, "--db", corpus_db])
        assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_a_missing_corpus_is_an_error_not_a_new_file(tmp_path: Path):
    with pytest.raises(SystemExit, match="no corpus"):
        main(["search", "x", "--db", str(tmp_path / "none.db")])
    assert not (tmp_path / "none.db").exists()


def test_export_jsonl_csv_and_parquet_hold_every_quote(corpus_db: str, tmp_path: Path):
    import pyarrow.parquet as pq

    with Corpus(corpus_db) as corpus:
        total = corpus.counts()["quotes"]
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"quotes.{fmt}"
        assert main(["export", "--format", fmt, "-o", str(out), "--db", corpus_db]) == 0
        if fmt == "jsonl":
            rows = [json.loads(line) for line in out.read_text().splitlines()]
        elif fmt == "csv":
            rows = list(csv.DictReader(out.open(encoding="utf-8")))
        else:
            rows = pq.read_table(out).to_pylist()
        assert len(rows) == total, fmt
        assert any(row["speaker"] == "Bashar al-Assad" and row["outlet"] for row in rows) or fmt
        assert all(row["quote"] for row in rows)


def test_postgres_holds_what_sqlite_holds(inputs: Path, tmp_path: Path, postgres_db: str):
    sqlite_db = str(tmp_path / "quotes.db")
    ingest_cli(inputs, sqlite_db)
    ingest_cli(inputs, postgres_db)
    ingest_cli(inputs, postgres_db)  # exactly once there too
    with Corpus(sqlite_db) as lite, Corpus(postgres_db) as server:
        assert server.counts() == lite.counts()
        for query in ({"text": "barrel bombs"}, {"speaker": "President Assad"}):
            text = query.pop("text", None)
            found = {row["quote"] for row in server.search(text, limit=None, **query)}
            assert found and found == {
                row["quote"] for row in lite.search(text, limit=None, **query)
            }
        assert [p["name"] for p in server.people()] == [p["name"] for p in lite.people()]
        assert len(server.errors()) == len(lite.errors()) == 5


def test_a_warc_cut_short_in_its_first_record_is_an_error(tmp_path: Path, example_text: str):
    from quotewire.read.warc import read_warc_file

    crawl = tmp_path / "crawl.warc.gz"
    write_warc(crawl, [("https://www.bbc.co.uk/news/1", html_page("Assad", example_text))])
    whole = list(read_warc_file(str(crawl), 5_000_000))
    assert [type(item).__name__ for item in whole] == ["Article"]
    for name, data in (("cut.warc.gz", crawl.read_bytes()[:30]), ("empty.warc", b"")):
        (tmp_path / name).write_bytes(data)
        read = list(read_warc_file(str(tmp_path / name), 5_000_000))
        assert len(read) == 1 and "no WARC record could be read" in read[0].error, read
